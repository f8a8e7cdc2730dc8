package android

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/placeholder"
	"github.com/tolk-l10n/tolk/internal/pseudo"
)

const cdataSrc = `<?xml version="1.0" encoding="utf-8"?>
<resources xmlns:tools="http://schemas.android.com/tools" tools:locale="en">
    <!-- Legal footer with a link -->
    <string name="terms"><![CDATA[Read our <a href=\"https://example.com/terms?a=1&b=2\">terms</a>, they\'re short.]]></string>
    <string name="plain">Don\'t say \"no\"</string>
</resources>
`

func TestCDATA(t *testing.T) {
	d := mustParse(t, []byte(cdataSrc), "cdata.xml", nil)
	if got := formattest.Write(t, d, format.Target{Kind: format.KindSource}, formattest.AllSource); string(got) != cdataSrc {
		t.Errorf("round trip differs:\n%s", got)
	}
	units := d.Units()
	wantSrc := `Read our <a href="https://example.com/terms?a=1&b=2">terms</a>, they're short.`
	if units[0].Text != wantSrc || units[0].Notes[0] != "Legal footer with a link" {
		t.Fatalf("terms = %q notes %v", units[0].Text, units[0].Notes)
	}
	de := map[string]string{
		"terms": `Lies unsere <a href="https://example.com/terms?a=1&b=2">AGB</a>, sie sind kurz – "wirklich" ]]> ok.`,
		"plain": `Sag nicht "nein", it's fine`,
	}
	got := formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		return format.Output{Text: de[u.Key]}
	})
	want := strings.NewReplacer(
		`tools:locale="en"`, `tools:locale="de"`,
		`<![CDATA[Read our <a href=\"https://example.com/terms?a=1&b=2\">terms</a>, they\'re short.]]>`,
		`<![CDATA[Lies unsere <a href=\"https://example.com/terms?a=1&b=2\">AGB</a>, sie sind kurz – \"wirklich\" ]]]]><![CDATA[> ok.]]>`,
		`Don\'t say \"no\"`, `Sag nicht \"nein\", it\'s fine`,
	).Replace(cdataSrc)
	if string(got) != want {
		t.Errorf("translated:\n%s\nwant:\n%s", got, want)
	}
	checkXMLLint(t, "cdata-de.xml", got)
	checkEscapedOnce(t, got)
	back := mustParse(t, got, "back", nil).Units()
	for _, u := range back {
		if u.Text != de[u.Key] {
			t.Errorf("re-read %s = %q, want %q", u.Key, u.Text, de[u.Key])
		}
	}
	if v := readResources(t, got); v["terms"] != de["terms"] || v["plain"] != de["plain"] {
		t.Errorf("Android reads terms as %q", v["terms"])
	}

	syn := Format{}.Syntax(nil)
	ps := formattest.Write(t, d, format.Target{Kind: format.KindPseudo, Locale: "en-XA"}, func(u *format.Unit) format.Output {
		return format.Output{Text: pseudo.Translate(u.Text, syn)}
	})
	checkXMLLint(t, "cdata-pseudo.xml", ps)
	checkEscapedOnce(t, ps)
	if !strings.Contains(string(ps), `<![CDATA[[`) || !strings.Contains(string(ps), `<a href=\"https://example.com/terms?a=1&b=2\">`) {
		t.Errorf("pseudo lost the CDATA section or the link:\n%s", ps)
	}
	for i, u := range mustParse(t, ps, "pseudo", nil).Units() {
		if want := pseudo.Translate(units[i].Text, syn); u.Text != want {
			t.Errorf("pseudo %s = %q, want %q", u.Key, u.Text, want)
		}
	}
}

// checkEscapedOnce fails when an apostrophe or double quote in a string's
// text is unescaped or escaped twice. Attribute quotes in tags are skipped.
func checkEscapedOnce(t *testing.T, data []byte) {
	t.Helper()
	for _, m := range regexp.MustCompile(`(?s)<string name="[^"]*">(.*?)</string>`).FindAllSubmatch(data, -1) {
		body := string(m[1])
		if strings.HasPrefix(body, "<![CDATA[") {
			body = strings.TrimSuffix(strings.TrimPrefix(body, "<![CDATA["), "]]>")
		} else {
			body = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, "")
		}
		if strings.Contains(body, `\\'`) || strings.Contains(body, `\\"`) {
			t.Errorf("escaped twice: %s", body)
		}
		if regexp.MustCompile(`(^|[^\\])'`).MatchString(body) {
			t.Errorf("unescaped apostrophe: %s", body)
		}
	}
}

func TestEncodeStyles(t *testing.T) {
	src := `<resources>
    <string name="plain">Plain</string>
    <string name="quoted">"Quoted"</string>
    <string name="empty"/>
    <string name="markup">Tap <b>here</b></string>
</resources>`
	d := mustParse(t, []byte(src), "s.xml", nil)
	cases := []struct{ key, text, want string }{
		{"plain", "It's \"x\" \\ y\nz\tw", `<string name="plain">It\'s \"x\" \\ y\nz\tw</string>`},
		{"plain", "@home", `<string name="plain">\@home</string>`},
		{"plain", "?q and @ and ?", `<string name="plain">\?q and @ and ?</string>`},
		{"plain", "  two  spaces ", `<string name="plain">"  two  spaces "</string>`},
		{"plain", "a < b & c", `<string name="plain">a &lt; b &amp; c</string>`},
		{"plain", "Tap <b>dort</b> <i>jetzt</i>", `<string name="plain">Tap <b>dort</b> <i>jetzt</i></string>`},
		{"plain", "broken <b>tag", `<string name="plain">broken &lt;b>tag</string>`},
		{"quoted", "Zitiert 'x'", `<string name="quoted">"Zitiert \'x\'"</string>`},
		{"empty", "Neu", `<string name="empty">Neu</string>`},
		{"markup", "Tippe <b>hier</b>", `<string name="markup">Tippe <b>hier</b></string>`},
	}
	for _, c := range cases {
		got := string(formattest.Write(t, d, format.Target{Kind: format.KindSource}, func(u *format.Unit) format.Output {
			if u.Key == c.key {
				return format.Output{Text: c.text}
			}
			return format.Output{Text: u.Text, Source: true}
		}))
		if !strings.Contains(got, c.want) {
			t.Errorf("%s %q: got\n%s\nwant it to contain %s", c.key, c.text, got, c.want)
			continue
		}
		back := mustParse(t, []byte(got), "back", nil).Units()
		i := slices.IndexFunc(back, func(u format.Unit) bool { return u.Key == c.key })
		if back[i].Text != c.text {
			t.Errorf("%s: re-read %q, want %q", c.key, back[i].Text, c.text)
		}
		if v := readResources(t, []byte(got))[c.key]; v != c.text && !strings.Contains(c.text, "<") {
			t.Errorf("%s: Android reads %q, want %q", c.key, v, c.text)
		}
	}
}

func TestOmitAndNonTranslatable(t *testing.T) {
	src := `<resources>
    <!-- app name -->
    <string name="app" translatable="false">Etar</string>
    <string name="a">A</string>
    <!-- note for b -->
    <string name="b">B</string>
    <string-array name="arr">
        <item>x</item>
        <item>y</item>
    </string-array>
    <integer-array name="ints" translatable="false"><item>1</item></integer-array>
</resources>
`
	d := mustParse(t, []byte(src), "s.xml", nil)
	keep := func(keys ...string) func(u *format.Unit) format.Output {
		return func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text, Source: true, Omit: !slices.Contains(keys, u.Key)}
		}
	}
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de"}, keep("a", "arr[0]")))
	want := "<resources>\n    <string name=\"a\">A</string>\n</resources>\n"
	if got != want {
		t.Errorf("target:\n%s\nwant:\n%s", got, want)
	}
	got = string(formattest.Write(t, d, format.Target{Kind: format.KindSource}, keep("b", "arr[0]", "arr[1]")))
	if !strings.Contains(got, `translatable="false">Etar`) || strings.Contains(got, `"a"`) || !strings.Contains(got, "<!-- note for b -->") {
		t.Errorf("source export:\n%s", got)
	}
	d = mustParse(t, []byte(src), "s.xml", format.Settings{"writeNonTranslatable": true})
	got = string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de"}, keep("a", "b", "arr[0]", "arr[1]")))
	if got != src {
		t.Errorf("writeNonTranslatable:\n%s", got)
	}
}

func TestPluralTargets(t *testing.T) {
	src := "<resources>\n  <plurals name=\"p\">\n    <item quantity=\"one\">\"%d file\"</item>\n    <item quantity=\"other\">%d files</item>\n  </plurals>\n</resources>\n"
	d := mustParse(t, []byte(src), "p.xml", nil)
	ar := []string{"zero", "one", "two", "few", "many", "other"}
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "ar", Categories: ar}, func(u *format.Unit) format.Output {
		f := format.Forms{}
		for _, c := range ar {
			f[c] = c + " %d"
		}
		return format.Output{Text: f["other"], Plural: f}
	}))
	want := "<resources>\n  <plurals name=\"p\">\n" +
		"    <item quantity=\"zero\">zero %d</item>\n" +
		"    <item quantity=\"one\">\"one %d\"</item>\n" +
		"    <item quantity=\"two\">two %d</item>\n" +
		"    <item quantity=\"few\">few %d</item>\n" +
		"    <item quantity=\"many\">many %d</item>\n" +
		"    <item quantity=\"other\">other %d</item>\n" +
		"  </plurals>\n</resources>\n"
	if got != want {
		t.Errorf("ar target:\n%s\nwant:\n%s", got, want)
	}
	// Untranslated (source text) into ja keeps only "other".
	got = string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "ja", Categories: []string{"other"}}, formattest.AllSource))
	if want := "<resources>\n  <plurals name=\"p\">\n    <item quantity=\"other\">%d files</item>\n  </plurals>\n</resources>\n"; got != want {
		t.Errorf("ja target:\n%s", got)
	}
}

// TestPseudoKeepsPlaceholders pseudo-translates the corpus source and
// checks that every printf specifier and <xliff:g> tag survives.
func TestPseudoKeepsPlaceholders(t *testing.T) {
	syn := Format{}.Syntax(nil)
	for _, file := range []string{"strings.xml", "arrays.xml"} {
		d := mustParse(t, readCorpus(t, "values", file), file, nil)
		cats := []string{"zero", "one", "two", "few", "many", "other"}
		out := formattest.Write(t, d, format.Target{Kind: format.KindPseudo, Locale: "ar-XB", Categories: cats}, func(u *format.Unit) format.Output {
			o := format.Output{Text: pseudo.Translate(u.Text, syn)}
			if u.Plural != nil {
				o.Plural = format.Forms{}
				for _, c := range cats {
					o.Plural[c] = pseudo.Translate(u.Plural["other"], syn)
				}
			}
			return o
		})
		checkXMLLint(t, "pseudo-"+file, out)
		orig := map[string]string{}
		for _, u := range d.Units() {
			orig[u.Key] = u.Text
		}
		var n, xliff int
		for _, u := range mustParse(t, out, "pseudo", nil).Units() {
			want := placeholder.Find(orig[u.Key], syn)
			have := placeholder.Find(u.Text, syn)
			n += len(want)
			for _, p := range want {
				if strings.HasPrefix(p, "<xliff:g") {
					xliff++
				}
			}
			if !slices.Equal(have, want) {
				t.Errorf("%s: placeholders %q, want %q", u.Key, have, want)
			}
		}
		t.Logf("%s: %d placeholders kept (%d <xliff:g>)", file, n, xliff)
		if file == "strings.xml" && (n < 50 || xliff < 30) {
			t.Errorf("only %d placeholders, %d xliff:g checked", n, xliff)
		}
	}
}

func TestUnixNewline(t *testing.T) {
	src := "<resources>\r\n  <string name=\"a\">A</string>\r\n</resources>\r\n"
	d := mustParse(t, []byte(src), "crlf.xml", format.Settings{"unixNewline": true})
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		return format.Output{Text: "Ä"}
	}))
	if want := "<resources>\n  <string name=\"a\">Ä</string>\n</resources>\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTrailingComment(t *testing.T) {
	src := "<resources>\n  <string name=\"a\">A</string> <!-- about a -->\n  <!-- b note -->\n  <string name=\"b\">B</string> <!-- about b -->\n  <string name=\"c\">C</string>\n</resources>\n"
	units := mustParse(t, []byte(src), "c.xml", nil).Units()
	if len(units[0].Notes) != 0 || strings.Join(units[1].Notes, "") != "b note" || len(units[2].Notes) != 0 {
		t.Errorf("notes %q %q %q", units[0].Notes, units[1].Notes, units[2].Notes)
	}
}

func TestEmptyItems(t *testing.T) {
	src := "<resources><plurals name=\"p\"><item quantity=\"one\" /><item quantity=\"other\"/></plurals><string name=\"s\" /></resources>"
	d := mustParse(t, []byte(src), "e.xml", nil)
	got := formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "ru", Categories: []string{"one", "few", "many", "other"}}, func(u *format.Unit) format.Output {
		if u.Plural != nil {
			return format.Output{Text: "o", Plural: format.Forms{"one": "1", "few": "f", "many": "m", "other": "o"}}
		}
		return format.Output{Text: "S"}
	})
	want := "<resources><plurals name=\"p\"><item quantity=\"one\">1</item><item quantity=\"few\">f</item><item quantity=\"many\">m</item><item quantity=\"other\">o</item></plurals><string name=\"s\">S</string></resources>"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
