package resx

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

const corpusDir = "../../../../shared/corpus/resx/humanizer/src/Humanizer/Properties"

var translations = map[string]string{"Resources.de.resx": "de", "Resources.ru.resx": "ru", "Resources.ar.resx": "ar"}

func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	return b
}

func TestCorpusRoundTrip(t *testing.T) {
	names := []string{"Resources.resx"}
	for n := range translations {
		names = append(names, n)
	}
	for _, name := range names {
		src := readCorpus(t, name)
		doc := formattest.Parse(t, Format{}, src, name, nil, false)
		for _, kind := range []format.Kind{format.KindSource, format.KindTarget} {
			if got := formattest.Write(t, doc, format.Target{Kind: kind, Locale: "en"}, formattest.AllSource); !bytes.Equal(got, src) {
				t.Errorf("%s: written file differs from the source", name)
			}
		}
		t.Logf("%s: %d units round-tripped", name, len(doc.Units()))
	}
}

// stdValues reads a RESX file with encoding/xml, independently of this
// package: name -> value of every string <data>.
func stdValues(t *testing.T, b []byte) map[string]string {
	t.Helper()
	var root struct {
		Data []struct {
			Name     string `xml:"name,attr"`
			Type     string `xml:"type,attr"`
			MimeType string `xml:"mimetype,attr"`
			Value    string `xml:"value"`
		} `xml:"data"`
	}
	if err := xml.Unmarshal(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), &root); err != nil {
		t.Fatalf("encoding/xml cannot read the file: %v", err)
	}
	m := map[string]string{}
	for _, d := range root.Data {
		if d.Type == "" && d.MimeType == "" {
			m[d.Name] = d.Value
		}
	}
	return m
}

// exportCorpus imports each translation onto the neutral file and exports
// it: file name -> exported bytes, with the imported texts.
func exportCorpus(t *testing.T, source format.Document) map[string][]byte {
	out := map[string][]byte{}
	for name, locale := range translations {
		tr := importTexts(t, name)
		out[name] = formattest.Write(t, source, format.Target{Kind: format.KindTarget, Locale: locale}, func(u *format.Unit) format.Output {
			if v, ok := tr[u.Key]; ok {
				return format.Output{Text: v, Status: format.Translated}
			}
			return format.Output{Text: u.Text, Status: format.Untranslated, Source: true}
		})
	}
	return out
}

func importTexts(t *testing.T, name string) map[string]string {
	tr := map[string]string{}
	for _, u := range formattest.Parse(t, Format{}, readCorpus(t, name), name, nil, true).Units() {
		tr[u.Key] = u.Text
	}
	return tr
}

// TestCorpusImportExport checks each export by reading it back with
// encoding/xml: every translated entry has its translation, the others
// their source text, and outside <value> every byte is the source's.
func TestCorpusImportExport(t *testing.T) {
	src := readCorpus(t, "Resources.resx")
	source := formattest.Parse(t, Format{}, src, "Resources.resx", nil, false)
	srcValues := stdValues(t, src)
	for name, got := range exportCorpus(t, source) {
		tr := importTexts(t, name)
		want := map[string]string{}
		translated := 0
		for k, v := range srcValues {
			want[k] = v
			if tv, ok := tr[k]; ok {
				want[k] = tv
				translated++
			}
		}
		gotValues := stdValues(t, got)
		for k, v := range want {
			if gotValues[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, gotValues[k], v)
			}
		}
		if len(gotValues) != len(want) {
			t.Errorf("%s: %d values, want %d", name, len(gotValues), len(want))
		}
		if a, b := stripValues(t, got), stripValues(t, src); !bytes.Equal(a, b) {
			t.Errorf("%s: outside values, the export differs from the source: %s", name, formattest.FirstDiff(b, a))
		}
		t.Logf("%s: %d of %d entries translated", name, translated, len(source.Units()))
	}
}

// TestCorpusXmllint checks every export with xmllint --noout.
func TestCorpusXmllint(t *testing.T) {
	xmllint := formattest.RequireTool(t, "xmllint") // Debian: libxml2-utils
	source := formattest.Parse(t, Format{}, readCorpus(t, "Resources.resx"), "Resources.resx", nil, false)
	for name, got := range exportCorpus(t, source) {
		lint(t, xmllint, name, got)
	}
}

// stripValues empties every <value> so that the rest can be compared.
func stripValues(t *testing.T, src []byte) []byte {
	t.Helper()
	doc, err := xmlscan.Parse(src, xmlscan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ed xmlscan.Edits
	for _, data := range doc.Root.ChildrenNamed("data") {
		if v := data.Child("value"); v != nil {
			ed.Replace(v.Inner(), "")
		}
	}
	out, err := ed.Apply(src)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func lint(t *testing.T, xmllint, name string, b []byte) {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--nonet", f).CombinedOutput(); err != nil {
		t.Errorf("%s: xmllint: %v\n%s", name, err, out)
	}
}

const small = "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root>\n" +
	"  <resheader name=\"resmimetype\">\n    <value>text/microsoft-resx</value>\n  </resheader>\n" +
	"  <data name=\"A\" xml:space=\"preserve\">\n    <value>Tom &amp; \"Jerry\" &gt; 1</value>\n    <comment>cartoon</comment>\n  </data>\n" +
	"  <data name=\"Icon\" type=\"System.Drawing.Icon, System.Drawing\" mimetype=\"application/x-microsoft.net.object.bytearray.base64\">\n    <value>AAAA</value>\n  </data>\n" +
	"  <data name=\"S\" type=\"System.String, mscorlib\"><value/></data>\n" +
	"  <data name=\"B\"><value>b</value></data>\n" +
	"</root>"

func TestParseSmall(t *testing.T) {
	units := formattest.Parse(t, Format{}, []byte(small), "s.resx", nil, false).Units()
	var keys []string
	for _, u := range units {
		keys = append(keys, u.Key+"="+u.Text)
	}
	if got := strings.Join(keys, "|"); got != `A=Tom & "Jerry" > 1|S=|B=b` {
		t.Errorf("units = %s", got)
	}
	if n := units[0].Notes; len(n) != 1 || n[0] != "cartoon" {
		t.Errorf("notes = %q", n)
	}
}

func TestWriteSmall(t *testing.T) {
	doc := formattest.Parse(t, Format{}, []byte(small), "s.resx", nil, false)
	got := string(formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		switch u.Key {
		case "A":
			return format.Output{Text: `Tom < "Jerry" > 2`, Status: format.Translated}
		case "S":
			return format.Output{Text: "s", Status: format.Translated}
		}
		return format.Output{Omit: true}
	}))
	want := strings.Replace(small, `Tom &amp; "Jerry" &gt; 1`, `Tom &lt; "Jerry" &gt; 2`, 1)
	want = strings.Replace(want, "<value/>", "<value>s</value>", 1)
	want = strings.Replace(want, "\n  <data name=\"B\"><value>b</value></data>", "", 1)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if p, err := exec.LookPath("xmllint"); err == nil {
		lint(t, p, "s.resx", []byte(got))
	}
}

func TestRefused(t *testing.T) {
	for name, src := range map[string]string{
		"xxe":       `<!DOCTYPE root [<!ENTITY x SYSTEM "file:///etc/passwd">]><root><data name="a"><value>&x;</value></data></root>`,
		"laughs":    `<!DOCTYPE root [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><root><data name="a"><value>&b;</value></data></root>`,
		"not resx":  `<resources/>`,
		"duplicate": `<root><data name="a"><value/></data><data name="a"><value/></data></root>`,
		"markup":    `<root><data name="a"><value>x<b/></value></data></root>`,
	} {
		s, _ := format.Resolve(Format{}, nil)
		_, err := Format{}.Parse([]byte(src), format.ParseOptions{Name: "x.resx", Settings: s})
		if _, ok := format.AsParseError(err); !ok {
			t.Errorf("%s: err = %v, want a *format.ParseError", name, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"Resources.resx", "Resources.de.resx", "Resources.ru.resx", "Resources.ar.resx"} {
		f.Add(readCorpus(f, n))
	}
	f.Add([]byte(small))
	f.Fuzz(func(t *testing.T, src []byte) {
		formattest.Fuzz(t, Format{}, src)
		s, _ := format.Resolve(Format{}, nil)
		opts := format.ParseOptions{Name: "f.resx", Settings: s}
		doc, err := Format{}.Parse(src, opts)
		if err != nil {
			_ = err.Error()
			return
		}
		var b bytes.Buffer
		if err := doc.Write(&b, format.Target{Kind: format.KindSource}, formattest.AllSource); err != nil || !bytes.Equal(b.Bytes(), src) {
			t.Fatalf("unchanged write differs from the input (%v)", err)
		}
		b.Reset()
		out := func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text + "<&>\"", Status: format.Translated}
		}
		if err := doc.Write(&b, format.Target{Kind: format.KindTarget, Locale: "de"}, out); err != nil {
			t.Fatal(err)
		}
		back, err := Format{}.Parse(b.Bytes(), opts)
		if err != nil {
			t.Fatalf("written file does not parse: %v", err)
		}
		units := doc.Units()
		for i, u := range back.Units() {
			if want := units[i].Text + "<&>\""; u.Text != want {
				t.Fatalf("unit %q = %q, want %q", u.Key, u.Text, want)
			}
		}
	})
}

// TestHugeNestedRefused: a 50 MB document of nested elements fails fast.
func TestHugeNestedRefused(t *testing.T) {
	src := []byte(`<root><data name="a"><value>` + strings.Repeat("<b>", (50<<20)/3))
	s, _ := format.Resolve(Format{}, nil)
	start := time.Now()
	_, err := Format{}.Parse(src, format.ParseOptions{Name: "big.resx", Settings: s})
	if _, ok := format.AsParseError(err); !ok {
		t.Fatalf("err = %v, want a ParseError", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusing took %v", d)
	}
}

func TestUnixNewlineAndEmpty(t *testing.T) {
	src := "<root>\r\n  <data name=\"a\"><value>x</value></data>\r\n  <data name=\"b\"><value>y</value></data>\r\n</root>"
	s, _ := format.Resolve(Format{}, map[string]any{"unixNewline": true})
	doc, err := Format{}.Parse([]byte(src), format.ParseOptions{Name: "a.resx", Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	got := string(formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		if u.Key == "a" {
			return format.Output{Status: format.Untranslated} // untranslated=empty
		}
		return format.Output{Text: u.Text, Source: true}
	}))
	if want := "<root>\n  <data name=\"a\"><value></value></data>\n  <data name=\"b\"><value>y</value></data>\n</root>"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
