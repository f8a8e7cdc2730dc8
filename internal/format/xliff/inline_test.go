package xliff

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

const inline12Doc = `<xliff version='1.2'><file source-language='en'><body>` +
	`<trans-unit id='t1'><source>Click <g id='1'>here</g><x id='2' ctype='lb'/>now</source></trans-unit>` +
	`</body></file></xliff>`

const inline20Doc = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">` +
	`<file id="f"><unit id="u"><segment><source>Click <pc dataRefStart="d1" id="1">here</pc><ph id="2"/></source></segment></unit></file></xliff>`

// exportOne writes text as the translation of every unit of src.
func exportOne(t testing.TB, src, text string) string {
	t.Helper()
	d := formattest.Parse(t, Format{}, []byte(src), "i.xlf", nil, false)
	return string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "de"}, func(*format.Unit) format.Output {
		return format.Output{Text: text, Status: format.Translated}
	}))
}

// target returns the content of the first <target> of doc, raw.
func target(doc string) string {
	_, after, _ := strings.Cut(doc, "<target")
	_, after, _ = strings.Cut(after, ">")
	content, _, _ := strings.Cut(after, "</target>")
	return content
}

// TestInlineSpelling: inline elements of the XLIFF vocabulary are markup
// in a translation whatever their quoting, attribute order or spacing;
// unbalanced markup is escaped whole, never half.
func TestInlineSpelling(t *testing.T) {
	tests := []struct {
		name, src, text, want string
	}{
		{"1.2 quotes", inline12Doc, `Klicke <g id="1">hier</g>`, `Klicke <g id="1">hier</g>`},
		{"1.2 spacing", inline12Doc, `a<x id='2' ctype='lb' />b`, `a<x id='2' ctype='lb' />b`},
		{"1.2 exact", inline12Doc, `<g id='1'>hier</g><x id='2' ctype='lb'/>`, `<g id='1'>hier</g><x id='2' ctype='lb'/>`},
		{"1.2 new element", inline12Doc, `<ph id="9">{x}</ph> <g id="1">a</g>`, `<ph id="9">{x}</ph> <g id="1">a</g>`},
		{"1.2 not vocabulary", inline12Doc, `<b>fett</b> <g id="1">a</g>`, `&lt;b>fett&lt;/b> <g id="1">a</g>`},
		{"1.2 unbalanced", inline12Doc, `<g id="1">hier`, `&lt;g id="1">hier`},
		{"1.2 stray end", inline12Doc, `hier</g> <x id='2' ctype='lb'/>`, `hier&lt;/g> &lt;x id='2' ctype='lb'/>`},
		{"1.2 crossed", inline12Doc, `<g id="1"><mrk mtype="x">a</g></mrk>`, `&lt;g id="1">&lt;mrk mtype="x">a&lt;/g>&lt;/mrk>`},
		{"1.2 bad attribute", inline12Doc, `<g id=1>a</g>`, `&lt;g id=1>a&lt;/g>`},
		{"1.2 bad reference", inline12Doc, `<g id="&x;">a</g>`, `&lt;g id="&amp;x;">a&lt;/g>`},
		{"1.2 duplicate attribute", inline12Doc, `<x id="1" id="2"/>`, `&lt;x id="1" id="2"/>`},
		{"1.2 undeclared prefix", inline12Doc, `<x id="1" foo:bar="2"/>`, `&lt;x id="1" foo:bar="2"/>`},
		{"2.0 attribute order", inline20Doc, `Klicke <pc id="1" dataRefStart="d1">hier</pc><ph id="2" />`, `Klicke <pc id="1" dataRefStart="d1">hier</pc><ph id="2" />`},
		{"2.0 1.2 element", inline20Doc, `<g id="1">a</g>`, `&lt;g id="1">a&lt;/g>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := exportOne(t, tc.src, tc.text)
			if c := target(got); c != tc.want {
				t.Errorf("target content = %s, want %s", c, tc.want)
			}
			checkWellFormed(t, got)
			back := formattest.Parse(t, Format{}, []byte(got), "back.xlf", nil, true).Units()
			if back[0].Text != tc.text {
				t.Errorf("read back %q, want %q", back[0].Text, tc.text)
			}
		})
	}
}

// TestNewAttributeQuotes: attributes the writer adds follow the file's
// quote style.
func TestNewAttributeQuotes(t *testing.T) {
	got := exportOne(t, inline12Doc, "Hallo")
	for _, want := range []string{`<file source-language='en' target-language='de'>`, `<target state='translated'>Hallo</target>`} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %s:\n%s", want, got)
		}
	}
	src20 := `<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0' version='2.0' srcLang='en'><file id='f'>` +
		`<unit id='u'><segment><source>Hi</source></segment><segment><source>Yo</source><target/></segment></unit></file></xliff>`
	got = exportOne(t, src20, "Hallo")
	for _, want := range []string{`srcLang='en' trgLang='de'>`, `<segment state='translated'><source>Hi</source><target>Hallo</target>`,
		`<segment state='translated'><source>Yo</source><target>Hallo</target>`} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %s:\n%s", want, got)
		}
	}
	// A reopened 1.2 <target/> gets its state in the file's quotes too.
	got = exportOne(t, strings.Replace(inline12Doc, "</source>", "</source><target/>", 1), "Hallo")
	if want := `<target state='translated'>Hallo</target>`; !strings.Contains(got, want) {
		t.Errorf("output lacks %s:\n%s", want, got)
	}
}

// writeTexts are hostile translation texts: every export of them must be
// well-formed XML.
var writeTexts = []string{
	``, `plain`, `<`, `>`, `&`, `&amp;`, `]]>`, `<![CDATA[x]]>`, `<!-- c -->`, `<?pi x?>`,
	`<g id="1">`, `</g>`, `<g id="1"></g></g>`, `<g id="1"><g id="2">a</g>`, `<x id="1"/>`, `<x/>`, `<x id="1"/`,
	`<g id='1'>a</g>`, `<g id="1" >a</g >`, `<g	id="1"\n>a</g\n>`, `<g id="<">a</g>`, `<g id="a&amp;b">a</g>`,
	`<g id="1"x="2">a</g>`, `<ph id="1">&lt;b&gt;</ph>`, `<pc id="1"><mrk id="m">a</mrk></pc>`, `<sc id="1"/>a<ec startRef="1"/>`,
	`<script>alert(1)</script>`, `<g xmlns="x">a</g>`, `<g xml:lang="de">a</g>`, "a\x00b\x1fc\r\nd", "\xff\xfe", "\uFFFE\uFFFF",
	`<g id="` + "\x01" + `">a</g>`, `<x id="1"/></x>`, `<g>a</g><g>b</g>`, `<g id="1">]]></g>`,
}

// TestWriteWellFormed writes each hostile text into every kind of target
// of both versions and checks the result with encoding/xml.
func TestWriteWellFormed(t *testing.T) {
	for _, src := range writeSources {
		for _, text := range writeTexts {
			checkWriteText(t, src, text)
		}
	}
}

// writeSources are documents whose target a text may land in: a new
// target, an existing one, a self-closing one, a CDATA one.
var writeSources = []string{
	inline12Doc,
	inline20Doc,
	strings.Replace(inline12Doc, "</source>", "</source><target>alt</target>", 1),
	strings.Replace(inline12Doc, "</source>", "</source><target/>", 1),
	`<xliff version="1.2"><file><body><trans-unit id="c"><source><![CDATA[<b>x</b>]]></source></trans-unit></body></file></xliff>`,
	`<xliff version="2.0"><file id="f"><unit id="u"><segment><source>a &amp; b</source><target><![CDATA[a & b]]></target></segment></unit></file></xliff>`,
}

func checkWriteText(t testing.TB, src, text string) {
	t.Helper()
	got := exportOne(t, src, text)
	checkWellFormed(t, got)
	back := formattest.Parse(t, Format{}, []byte(got), "back.xlf", nil, true).Units()
	if want := xmlText(text); back[0].Text != want {
		t.Errorf("text %q read back as %q, want %q", text, back[0].Text, want)
	}
}

// xmlText is text as XML can carry it: invalid UTF-8 replaced, characters
// outside XML's range dropped, line ends normalized.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s { // an invalid byte ranges as U+FFFD
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func checkWellFormed(t testing.TB, doc string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
	}
}

// FuzzWrite writes arbitrary translation texts: the export must be
// well-formed and read back the text.
func FuzzWrite(f *testing.F) {
	for _, text := range writeTexts {
		f.Add(text, 0)
	}
	f.Fuzz(func(t *testing.T, text string, which int) {
		src := writeSources[uint(which)%uint(len(writeSources))]
		checkWriteText(t, src, text)
	})
}
