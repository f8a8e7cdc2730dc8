package xliff

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

const doc12 = `<?xml version='1.0' encoding='UTF-8'?>
<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>
  <file source-language='en' datatype='plaintext' original='a.txt'>
    <body>
      <group id='g'>
        <trans-unit id='inline'>
          <source>Click <g id="1">here</g> to<x id="2"/> go &amp; see &gt; "now"</source>
          <note>Button label</note>
        </trans-unit>
      </group>
      <trans-unit id='states' approved='no'>
        <source>Two</source>
        <target state='needs-review-translation' xml:lang='de'>Zwei</target>
      </trans-unit>
      <trans-unit id='empty'>
        <source>Three</source>
        <target/>
      </trans-unit>
      <trans-unit id='skip' translate='no'>
        <source>Four</source>
      </trans-unit>
    </body>
  </file>
</xliff>
`

func byKey(units []format.Unit) map[string]format.Unit {
	m := map[string]format.Unit{}
	for _, u := range units {
		m[u.Key] = u
	}
	return m
}

func TestParse12(t *testing.T) {
	d := formattest.Parse(t, Format{}, []byte(doc12), "a.xlf", nil, false)
	units := d.Units()
	if len(units) != 3 {
		t.Fatalf("got %d units, want 3 (translate=no skipped)", len(units))
	}
	u := units[0]
	if u.Key != "inline" || u.Text != `Click <g id="1">here</g> to<x id="2"/> go & see > "now"` {
		t.Errorf("inline unit = %q %q", u.Key, u.Text)
	}
	if len(u.Notes) != 1 || u.Notes[0] != "Button label" || u.Line != 6 {
		t.Errorf("notes %q line %d", u.Notes, u.Line)
	}
	tr := byKey(formattest.Parse(t, Format{}, []byte(doc12), "a.xlf", nil, true).Units())
	if u := tr["states"]; u.Text != "Zwei" || u.Status != format.Translated || !u.HasStatus {
		t.Errorf("states = %+v", u)
	}
	if u := tr["inline"]; u.Text != "" || u.Status != format.Untranslated || !u.HasStatus {
		t.Errorf("no target = %+v, want untranslated", u)
	}
}

func TestImportStates12(t *testing.T) {
	for state, want := range map[string]format.Status{
		"new": format.Untranslated, "needs-translation": format.Untranslated, "translated": format.Translated,
		"needs-review-l10n": format.Translated, "signed-off": format.Reviewed, "final": format.Validated,
	} {
		src := `<xliff version="1.2"><file><body><trans-unit id="a"><source>x</source><target state="` + state + `">y</target></trans-unit></body></file></xliff>`
		u := formattest.Parse(t, Format{}, []byte(src), "a.xlf", nil, true).Units()[0]
		if !u.HasStatus || u.Status != want {
			t.Errorf("state %s: got %v (has %v), want %v", state, u.Status, u.HasStatus, want)
		}
	}
}

func TestWriteTarget12(t *testing.T) {
	d := formattest.Parse(t, Format{}, []byte(doc12), "a.xlf", nil, false)
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de-AT"}, func(u *format.Unit) format.Output {
		switch u.Key {
		case "inline":
			return format.Output{Text: `Klicken Sie <g id="1">hier</g> & <x id="2"/> > "jetzt"`, Status: format.Reviewed}
		case "states":
			return format.Output{Text: "Zwei", Status: format.Validated}
		}
		return format.Output{Text: u.Text, Source: true, Status: format.Untranslated}
	}))
	for _, want := range []string{
		"<file source-language='en' target-language='de-AT' datatype",
		"          <source>Click <g id=\"1\">here</g> to<x id=\"2\"/> go &amp; see &gt; \"now\"</source>\n" +
			"          <target state='signed-off'>Klicken Sie <g id=\"1\">hier</g> &amp; <x id=\"2\"/> &gt; \"jetzt\"</target>\n" +
			"          <note>",
		"<target state='final' xml:lang='de-AT'>Zwei</target>",
		// New attributes follow the file's single quotes.
		"<target state='needs-translation'>Three</target>",
		"<trans-unit id='skip' translate='no'>\n        <source>Four</source>\n      </trans-unit>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	lintIfPresent(t, "a.xlf", got)
}

func TestWriteUntranslatedAndOmit12(t *testing.T) {
	d := formattest.Parse(t, Format{}, []byte(doc12), "a.xlf", nil, false)
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		if u.Key == "inline" {
			return format.Output{Omit: true}
		}
		return format.Output{Status: format.Untranslated}
	}))
	want := strings.Replace(doc12, "<file source-language='en'", "<file source-language='en' target-language='de'", 1)
	want = strings.Replace(want, "\n        <target state='needs-review-translation' xml:lang='de'>Zwei</target>", "", 1)
	want = strings.Replace(want, "\n        <target/>", "", 1)
	start := strings.Index(want, "\n        <trans-unit id='inline'>")
	end := strings.Index(want, "</trans-unit>") + len("</trans-unit>")
	want = want[:start] + want[end:]
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteSource(t *testing.T) {
	d := formattest.Parse(t, Format{}, []byte(doc12), "a.xlf", nil, false)
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindSource, Locale: "en"}, func(u *format.Unit) format.Output {
		if u.Key == "states" {
			return format.Output{Text: "[Two]"}
		}
		return format.Output{Text: u.Text, Source: true}
	}))
	if want := strings.Replace(doc12, "<source>Two</source>", "<source>[Two]</source>", 1); got != want {
		t.Errorf("got\n%s", got)
	}
	mirrored := `<xliff version="1.2"><file><body><trans-unit id="a"><source>A &amp; B</source><target>A &amp; B</target></trans-unit></body></file></xliff>`
	d = formattest.Parse(t, Format{}, []byte(mirrored), "a.xlf", nil, false)
	got = string(formattest.Write(t, d, format.Target{Kind: format.KindSource, Locale: "en"}, func(u *format.Unit) format.Output {
		return format.Output{Text: "[" + u.Text + "]"}
	}))
	if want := strings.ReplaceAll(mirrored, ">A &amp; B<", ">[A &amp; B]<"); got != want {
		t.Errorf("a target repeating the source is not rewritten with it:\n%s", got)
	}
}

const doc20 = "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\">\r\n" +
	" <file id=\"f\">\r\n" +
	"  <unit id=\"u1\" name=\"greeting\">\r\n" +
	"   <notes><note>Shown &lt;once&gt;</note></notes>\r\n" +
	"   <segment id=\"s1\"><source>Hello <ph id=\"1\"/></source></segment>\r\n" +
	"   <ignorable><source> </source></ignorable>\r\n" +
	"   <segment state=\"reviewed\"><source>Bye <pc id=\"2\">now</pc></source><target><![CDATA[Tschüss <pc id=\"2\">jetzt</pc>]]></target></segment>\r\n" +
	"  </unit>\r\n" +
	"  <unit id=\"u2\"><segment><source>key.two</source><target>Two &amp; more</target></segment></unit>\r\n" +
	" </file>\r\n" +
	"</xliff>"

func TestParse20(t *testing.T) {
	units := formattest.Parse(t, Format{}, []byte(doc20), "a.xlf", nil, false).Units()
	var keys []string
	for _, u := range units {
		keys = append(keys, u.Key+"="+u.Text)
	}
	if got := strings.Join(keys, "|"); got != `u1/s1=Hello <ph id="1"/>|u1/2=Bye <pc id="2">now</pc>|u2=key.two` {
		t.Errorf("units = %s", got)
	}
	if n := units[0].Notes; len(n) != 1 || n[0] != "Shown <once>" {
		t.Errorf("notes = %q", n)
	}
	fromTarget := formattest.Parse(t, Format{}, []byte(doc20), "a.xlf", map[string]any{SettingSourceFromTarget: true}, false).Units()
	if fromTarget[2].Text != "Two & more" || fromTarget[0].Text != `Hello <ph id="1"/>` {
		t.Errorf("sourceFromTarget texts = %q, %q", fromTarget[2].Text, fromTarget[0].Text)
	}
	tr := formattest.Parse(t, Format{}, []byte(doc20), "a.xlf", nil, true).Units()
	if u := tr[1]; u.Text != `Tschüss <pc id="2">jetzt</pc>` || u.Status != format.Reviewed || !u.HasStatus {
		t.Errorf("imported = %+v", u)
	}
}

func TestWrite20(t *testing.T) {
	d := formattest.Parse(t, Format{}, []byte(doc20), "a.xlf", map[string]any{"unixNewline": true}, false)
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de-CH"}, func(u *format.Unit) format.Output {
		switch u.Key {
		case "u1/s1":
			return format.Output{Text: `Hallo <ph id="1"/> <b>`, Status: format.Translated}
		case "u1/2":
			return format.Output{Text: `Ciao <pc id="2">]]></pc>`, Status: format.Validated}
		}
		return format.Output{Omit: true}
	}))
	want := "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\" trgLang=\"de-CH\">\n" +
		" <file id=\"f\">\n" +
		"  <unit id=\"u1\" name=\"greeting\">\n" +
		"   <notes><note>Shown &lt;once&gt;</note></notes>\n" +
		"   <segment id=\"s1\" state=\"translated\"><source>Hello <ph id=\"1\"/></source><target>Hallo <ph id=\"1\"/> &lt;b></target></segment>\n" +
		"   <ignorable><source> </source></ignorable>\n" +
		"   <segment state=\"final\"><source>Bye <pc id=\"2\">now</pc></source><target><![CDATA[Ciao <pc id=\"2\">]]]]><![CDATA[></pc>]]></target></segment>\n" +
		"  </unit>\n" +
		" </file>\n" +
		"</xliff>"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	lintIfPresent(t, "a.xlf", got)
}

func TestRefusedInput(t *testing.T) {
	for name, src := range map[string]string{
		"xxe":            `<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]><xliff version="1.2"><file><body><trans-unit id="1"><source>&x;</source></trans-unit></body></file></xliff>`,
		"billion laughs": `<!DOCTYPE xliff [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><xliff version="1.2"><file><body><trans-unit id="1"><source>&b;</source></trans-unit></body></file></xliff>`,
		"not xliff":      `<root/>`,
		"version":        `<xliff version="3.0"/>`,
		"no id":          `<xliff version="1.2"><file><body><trans-unit><source>x</source></trans-unit></body></file></xliff>`,
		"dup id":         `<xliff version="2.0"><file id="f"><unit id="a"><segment><source>x</source></segment></unit><unit id="a"><segment><source>y</source></segment></unit></file></xliff>`,
		"no source":      `<xliff version="1.2"><file><body><trans-unit id="a"/></body></file></xliff>`,
	} {
		s, _ := format.Resolve(Format{}, nil)
		_, err := Format{}.Parse([]byte(src), format.ParseOptions{Name: "x.xlf", Settings: s})
		if _, ok := format.AsParseError(err); !ok {
			t.Errorf("%s: err = %v, want a *format.ParseError", name, err)
		}
	}
}

func TestRegistered(t *testing.T) {
	for _, n := range []string{"xliff", "xlf", "XLF"} {
		if f, ok := format.Lookup(n); !ok || f.Name() != "xliff" {
			t.Errorf("Lookup(%q) = %v, %v", n, f, ok)
		}
	}
}

// lintIfPresent runs xmllint --noout when it is installed; the corpus test
// (TestCorpusXmllint) is the one that insists on it.
func lintIfPresent(t *testing.T, name, doc string) {
	t.Helper()
	if p := lookToolQuiet("xmllint"); p != "" {
		lint(t, p, name, []byte(doc))
	}
}

// TestHugeNestedRefused feeds a 50 MB document of nested inline elements:
// it must fail fast with a ParseError, not expand or recurse.
func TestHugeNestedRefused(t *testing.T) {
	head := `<xliff version="1.2"><file><body><trans-unit id="1"><source>`
	src := []byte(head + strings.Repeat("<g>", (50<<20)/3))
	s, _ := format.Resolve(Format{}, nil)
	start := time.Now()
	_, err := Format{}.Parse(src, format.ParseOptions{Name: "big.xlf", Settings: s})
	if _, ok := format.AsParseError(err); !ok {
		t.Fatalf("err = %v, want a ParseError", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusing took %v", d)
	}
}

// TestConcurrentWrites: a Document is written by many exports at once.
func TestConcurrentWrites(t *testing.T) {
	set := corpusSets[0]
	d := formattest.Parse(t, Format{}, readCorpus(t, set, set.source), set.source, nil, false)
	want := formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "fr"}, func(u *format.Unit) format.Output {
		return format.Output{Text: "fr " + u.Text, Status: format.Translated}
	})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got := formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "fr"}, func(u *format.Unit) format.Output {
				return format.Output{Text: "fr " + u.Text, Status: format.Translated}
			})
			if !bytes.Equal(got, want) {
				t.Error("concurrent write differs")
			}
		})
	}
	wg.Wait()
}

func TestSeveralFiles(t *testing.T) {
	src := `<xliff version="1.2"><file original="a.txt"><body><trans-unit id="1"><source>A</source></trans-unit></body></file>` +
		`<file original="b.txt" target-language="fr"><body><trans-unit id="1"><source>B</source></trans-unit></body></file></xliff>`
	d := formattest.Parse(t, Format{}, []byte(src), "m.xlf", nil, false)
	if u := d.Units(); len(u) != 2 || u[0].Key != "a.txt/1" || u[1].Key != "b.txt/1" {
		t.Fatalf("units = %+v", u)
	}
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindPseudo, Locale: "de"}, func(u *format.Unit) format.Output {
		return format.Output{Text: "[" + u.Text + "]", Status: format.Translated}
	}))
	want := `<xliff version="1.2"><file original="a.txt" target-language="de"><body><trans-unit id="1"><source>A</source><target state="translated">[A]</target></trans-unit></body></file>` +
		`<file original="b.txt" target-language="de"><body><trans-unit id="1"><source>B</source><target state="translated">[B]</target></trans-unit></body></file></xliff>`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestUntranslatedFromTarget: with sourceFromTarget an untranslated unit
// keeps the source text (Symfony would show the key), marked initial;
// without it the target goes.
func TestUntranslatedFromTarget(t *testing.T) {
	empty := func(*format.Unit) format.Output { return format.Output{Status: format.Untranslated} }
	symfony := formattest.Parse(t, Format{}, []byte(doc20), "a.xlf", map[string]any{SettingSourceFromTarget: true}, false)
	got := string(formattest.Write(t, symfony, format.Target{Kind: format.KindTarget, Locale: "de"}, empty))
	for _, want := range []string{
		`<segment id="s1" state="initial"><source>Hello <ph id="1"/></source><target>Hello <ph id="1"/></target></segment>`,
		`<unit id="u2"><segment state="initial"><source>key.two</source><target>Two &amp; more</target></segment></unit>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("sourceFromTarget output lacks %s:\n%s", want, got)
		}
	}
	plain := formattest.Parse(t, Format{}, []byte(doc20), "a.xlf", nil, false)
	if got := string(formattest.Write(t, plain, format.Target{Kind: format.KindTarget, Locale: "de"}, empty)); strings.Contains(got, "<target") {
		t.Errorf("untranslated=empty without sourceFromTarget kept a target:\n%s", got)
	}
}
