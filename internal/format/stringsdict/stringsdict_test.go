package stringsdict

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/pseudo"
)

const corpusDir = "../../../../shared/corpus/apple-strings/mastodon-ios/MastodonSDK/Sources/MastodonLocalization/Resources"

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.lproj", "*.stringsdict"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s (err %v)", corpusDir, err)
	}
	return files
}

func readCorpus(t testing.TB, lang string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, lang+".lproj", "Localizable.stringsdict"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t testing.TB, src []byte, name string) *Document {
	t.Helper()
	d, err := Parse(src, format.ParseOptions{Name: name})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return d
}

func TestRoundTripCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := mustParse(t, src, f)
		if got := formattest.Write(t, d, format.Target{}, formattest.AllSource); !bytes.Equal(got, src) {
			t.Errorf("%s: written file differs from the source", f)
		}
		same := func(u *format.Unit) format.Output { return format.Output{Text: u.Text, Plural: u.Plural} }
		if got := formattest.Write(t, d, format.Target{}, same); !bytes.Equal(got, src) {
			t.Errorf("%s: unchanged texts did not reproduce the source", f)
		}
		units := d.Units()
		var plurals int
		for _, u := range units {
			if u.Plural != nil {
				plurals++
			}
		}
		t.Logf("%s: %d units (%d plural) round-tripped", filepath.Base(filepath.Dir(f)), len(units), plurals)
		if len(d.entries) != 30 {
			t.Errorf("%s: %d entries, want 30", f, len(d.entries))
		}
	}
}

func TestUnits(t *testing.T) {
	d := mustParse(t, readCorpus(t, "en"), "en")
	byKey := map[string]format.Unit{}
	for _, u := range d.Units() {
		byKey[u.Key] = u
	}
	u := byKey["plural.count.followed_by_and_mutual"]
	if u.Text != "%#@names@%#@count_mutual@" || u.Plural != nil {
		t.Errorf("format unit = %+v", u)
	}
	for _, v := range []string{"names", "count_mutual"} {
		if pu, ok := byKey["plural.count.followed_by_and_mutual/"+v]; !ok || pu.Plural == nil || pu.Plural["other"] != pu.Text {
			t.Errorf("variable %s = %+v", v, pu)
		}
	}
	v := byKey["a11y.plural.count.unread.notification/notification_count_unread_notification"]
	if v.Plural["one"] != "1 unread notification" || v.Plural["other"] != "%ld unread notifications" || len(v.Plural) != 2 {
		t.Errorf("plural forms = %v", v.Plural)
	}
	if v.Line != 9 {
		t.Errorf("variable line %d, want 9", v.Line)
	}
}

const synthetic = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<!-- Shown in the file list -->
	<key>files</key>
	<dict>
		<key>NSStringLocalizedFormatKey</key>
		<string>%#@n@ in &lt;folder&gt;</string>
		<key>n</key>
		<dict>
			<key>NSStringFormatSpecTypeKey</key>
			<string>NSStringPluralRuleType</string>
			<key>NSStringFormatValueTypeKey</key>
			<string>d</string>
			<key>one</key>
			<string>%d file</string>
			<key>other</key>
			<string>%d files</string>
		</dict>
	</dict>
	<key>empty</key>
	<dict>
		<key>NSStringLocalizedFormatKey</key>
		<string>%#@v@</string>
		<key>v</key>
		<dict>
			<key>NSStringFormatSpecTypeKey</key>
			<string>NSStringPluralRuleType</string>
			<key>zero</key>
			<string/>
			<key>other</key>
			<string>%d</string>
		</dict>
	</dict>
</dict>
</plist>
`

func TestSyntheticTargets(t *testing.T) {
	d := mustParse(t, []byte(synthetic), "syn")
	units := d.Units()
	if len(units) != 4 || units[0].Text != "%#@n@ in <folder>" || strings.Join(units[0].Notes, "") != "Shown in the file list" {
		t.Fatalf("units = %+v", units)
	}
	if units[3].Plural["zero"] != "" || units[3].Plural["other"] != "%d" {
		t.Errorf("empty-element forms = %v", units[3].Plural)
	}
	pl := map[string]format.Forms{
		"files/n": {"one": "%d Datei", "few": "%d Dateien (few)", "many": "%d <Dateien>", "other": "%d Dateien"},
		"empty/v": {"one": "eins", "few": "wenige", "many": "viele", "other": "%d"},
	}
	got := formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "ru", Categories: []string{"one", "few", "many", "other"}}, func(u *format.Unit) format.Output {
		if f, ok := pl[u.Key]; ok {
			return format.Output{Text: f["other"], Plural: f}
		}
		return format.Output{Text: "%#@n@ in <Ordner>"}
	})
	want := strings.NewReplacer(
		"%#@n@ in &lt;folder&gt;", "%#@n@ in &lt;Ordner&gt;",
		"%#@v@", "%#@n@ in &lt;Ordner&gt;",
		"\t\t\t<key>one</key>\n\t\t\t<string>%d file</string>\n\t\t\t<key>other</key>\n\t\t\t<string>%d files</string>",
		"\t\t\t<key>one</key>\n\t\t\t<string>%d Datei</string>\n\t\t\t<key>few</key>\n\t\t\t<string>%d Dateien (few)</string>\n\t\t\t<key>many</key>\n\t\t\t<string>%d &lt;Dateien&gt;</string>\n\t\t\t<key>other</key>\n\t\t\t<string>%d Dateien</string>",
		"\t\t\t<key>zero</key>\n\t\t\t<string/>\n\t\t\t<key>other</key>\n\t\t\t<string>%d</string>",
		"\t\t\t<key>one</key>\n\t\t\t<string>eins</string>\n\t\t\t<key>few</key>\n\t\t\t<string>wenige</string>\n\t\t\t<key>many</key>\n\t\t\t<string>viele</string>\n\t\t\t<key>other</key>\n\t\t\t<string>%d</string>",
	).Replace(synthetic)
	if string(got) != want {
		t.Errorf("target:\n%s\nwant:\n%s", got, want)
	}
	// Omitting either unit of an entry leaves the whole entry out.
	got = formattest.Write(t, d, format.Target{}, func(u *format.Unit) format.Output {
		return format.Output{Text: u.Text, Plural: u.Plural, Source: true, Omit: u.Key == "files/n"}
	})
	start := strings.Index(synthetic, "\n\t<!-- Shown")
	end := strings.Index(synthetic, "\n\t<key>empty")
	if string(got) != synthetic[:start]+synthetic[end:] {
		t.Errorf("omit:\n%s", got)
	}
}

func TestMalformed(t *testing.T) {
	cases := []formattest.MalformedCase{
		{Src: "<plist>\n<dict>\n  <key>a</key>\n  <dict>\n</plist>", Line: 5, Col: 1},
		{Src: "<plist>\n<dict>\n  <string>a</string>\n</dict>\n</plist>", Line: 3, Col: 3},
		{Src: "<plist>\n<dict>\n  <key>a</key>\n</dict>\n</plist>", Line: 3, Col: 3},
		{Src: "<dict>\n</dict>", Line: 1, Col: 1},
		{Src: "<!DOCTYPE plist [\n<!ENTITY a \"aaaa\">\n]>\n<plist><dict/></plist>", Line: 2, Col: 1},
		{Src: "<!DOCTYPE plist SYSTEM \"file:///etc/passwd\" [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<plist><dict><key>a</key><string>&x;</string></dict></plist>", Line: 1, Col: 46},
		{Src: "<plist><dict><key>a</key><string>&lol9;</string></dict></plist>", Line: 1, Col: 34},
	}
	formattest.Malformed(t, Format{}.Parse, "bad.stringsdict", cases)
}

func TestSettings(t *testing.T) {
	if _, err := format.Resolve(Format{}, map[string]any{"untranslated": "empty"}); err != nil {
		t.Fatal(err)
	}
	if f, ok := format.Lookup("stringsdict"); !ok || f.Name() != Name {
		t.Error("parser stringsdict is not registered")
	}
}

// printfRE matches the placeholders a translation must keep.
var printfRE = regexp.MustCompile(`%#@[A-Za-z0-9_]+@|%(\d+\$)?[-+ #0']*\d*(\.\d+)?(hh|h|ll|l|q|z|t|j|L)?[@dDiuUxXoOfeEgGcCsSpaA%]`)

// pseudoText is the pseudo-translation the exporter makes.
func pseudoText(s string) string { return pseudo.Translate(s, Format{}.Syntax(nil)) }

func TestPseudoKeepsPlaceholders(t *testing.T) {
	d := mustParse(t, readCorpus(t, "en"), "en")
	cats := []string{"zero", "one", "two", "few", "many", "other"}
	got := formattest.Write(t, d, format.Target{Kind: format.KindPseudo, Locale: "ar-XB", Categories: cats}, func(u *format.Unit) format.Output {
		o := format.Output{Text: pseudoText(u.Text)}
		if u.Plural != nil {
			o.Plural = format.Forms{}
			for _, c := range cats {
				src, ok := u.Plural[c]
				if !ok {
					src = u.Plural["other"]
				}
				o.Plural[c] = pseudoText(src)
			}
		}
		return o
	})
	checkXMLLint(t, "pseudo", got)
	orig := map[string]format.Unit{}
	for _, u := range d.Units() {
		orig[u.Key] = u
	}
	var n int
	for _, u := range mustParse(t, got, "pseudo").Units() {
		o := orig[u.Key]
		want := printfRE.FindAllString(o.Text, -1)
		n += len(want)
		if have := printfRE.FindAllString(u.Text, -1); !slices.Equal(have, want) {
			t.Errorf("%s: placeholders %v, want %v", u.Key, have, want)
		}
		if u.Text != pseudoText(o.Text) {
			t.Errorf("%s: %q, want %q", u.Key, u.Text, pseudoText(o.Text))
		}
		if u.Plural != nil && len(u.Plural) != len(cats) {
			t.Errorf("%s: %d forms, want %d", u.Key, len(u.Plural), len(cats))
		}
	}
	if n < 30 {
		t.Errorf("only %d placeholders checked", n)
	}
}
