package android

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

const corpusDir = "../../../../shared/corpus/android-strings/etar-calendar/app/src/main/res"

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "values*", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s (err %v)", corpusDir, err)
	}
	return files
}

func readCorpus(t testing.TB, dir, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, dir, file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t testing.TB, src []byte, name string, settings format.Settings) *Document {
	t.Helper()
	d, err := Parse(src, format.ParseOptions{Name: name, Settings: settings})
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
		d := mustParse(t, src, f, nil)
		if got := formattest.Write(t, d, format.Target{Kind: format.KindSource}, formattest.AllSource); !bytes.Equal(got, src) {
			t.Errorf("%s: written file differs from the source", f)
		}
		same := func(u *format.Unit) format.Output { return format.Output{Text: u.Text, Plural: u.Plural} }
		if got := formattest.Write(t, d, format.Target{Kind: format.KindSource}, same); !bytes.Equal(got, src) {
			t.Errorf("%s: unchanged texts did not reproduce the source", f)
		}
		t.Logf("%s/%s: %d units round-tripped", filepath.Base(filepath.Dir(f)), filepath.Base(f), len(d.Units()))
	}
}

// decodingSrc exercises every decoding rule.
const decodingSrc = `<?xml version="1.0" encoding="utf-8"?>
<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2" xmlns:tools="http://schemas.android.com/tools" tools:locale="en">
    <!-- Header comment -->

    <!-- Greeting [CHAR LIMIT=30] -->
    <string name="hello">Hello, <xliff:g id="name" example="Bob">%s</xliff:g>!</string>
    <string name="esc">It\'s a \"test\"\nwith\ttab \\ and \u00e9 &amp; &lt;b&gt;</string>
    <string name="ws">  lots   of
        space  </string>
    <string name="quoted">"  keep   this  "</string>
    <string name="mixed">a "  b  " c</string>
    <string name="at">\@home</string>
    <string name="q">\?mark</string>
    <string name="ref">@string/hello</string>
    <string name="html">Tap <b>here</b> or <i>there</i></string>
    <string name="cdata"><![CDATA[<a href=\"https://example.com/?a=1&b=2\">Terms</a> don\'t]]></string>
    <string name="fixed" translatable="false">Fixed</string>
    <string name="empty"/>
    <string name="prod" product="tablet">Tablet</string>
    <plurals name="files" tools:ignore="UnusedQuantity">
        <!-- one file -->
        <item quantity="one">%d file</item>
        <item quantity="other">%d files</item>
    </plurals>
    <string-array name="planets">
        <item>Mercury</item>
        <item>@string/hello</item>
        <item>Venus</item>
    </string-array>
</resources>
`

func TestDecoding(t *testing.T) {
	src := decodingSrc
	d := mustParse(t, []byte(src), "values/strings.xml", nil)
	got := map[string]format.Unit{}
	var keys []string
	for _, u := range d.Units() {
		got[u.Key] = u
		keys = append(keys, u.Key)
	}
	want := map[string]string{
		"hello":       `Hello, <xliff:g id="name" example="Bob">%s</xliff:g>!`,
		"esc":         "It's a \"test\"\nwith\ttab \\ and é & <b>",
		"ws":          "lots of space",
		"quoted":      "  keep   this  ",
		"mixed":       "a   b   c",
		"at":          "@home",
		"q":           "?mark",
		"html":        "Tap <b>here</b> or <i>there</i>",
		"cdata":       `<a href="https://example.com/?a=1&b=2">Terms</a> don't`,
		"empty":       "",
		"prod#tablet": "Tablet",
		"files":       "%d files",
		"planets[0]":  "Mercury",
		"planets[2]":  "Venus",
	}
	if len(keys) != len(want) {
		t.Errorf("keys %v, want %d units", keys, len(want))
	}
	for k, v := range want {
		if u, ok := got[k]; !ok || u.Text != v {
			t.Errorf("%s = %q, want %q", k, u.Text, v)
		}
	}
	if n := strings.Join(got["hello"].Notes, "|"); n != "Greeting [CHAR LIMIT=30]" {
		t.Errorf("hello notes %q", n)
	}
	if n := strings.Join(got["files"].Notes, "|"); n != "one: one file" {
		t.Errorf("files notes %q", n)
	}
	if p := got["files"].Plural; len(p) != 2 || p["one"] != "%d file" {
		t.Errorf("files forms %v", p)
	}
	if got["hello"].Line != 6 || got["planets[2]"].Line != 28 {
		t.Errorf("lines %d %d", got["hello"].Line, got["planets[2]"].Line)
	}
}

func TestMalformed(t *testing.T) {
	cases := []formattest.MalformedCase{
		{Src: "<resources>\n  <string name=\"a\">x</strin>\n</resources>", Line: 2, Col: 21},
		{Src: "<resources>\n  <string>x</string>\n</resources>", Line: 2, Col: 3},
		{Src: "<resources>\n  <plurals name=\"p\">\n    <item quantity=\"several\">x</item>\n  </plurals>\n</resources>", Line: 3, Col: 5},
		{Src: "<strings/>", Line: 1, Col: 1},
		{Src: "<!DOCTYPE r [<!ENTITY a \"b\"><!ENTITY c \"&a;&a;\">]>\n<resources><string name=\"x\">&c;</string></resources>", Line: 1, Col: 14},
		{Src: "<!DOCTYPE r SYSTEM \"http://127.0.0.1/x.dtd\">\n<resources/>", Line: 1, Col: 13},
		{Src: "<resources>\n<string name=\"x\">&xxe;</string></resources>", Line: 2, Col: 18},
	}
	formattest.Malformed(t, Format{}.Parse, "bad.xml", cases)
}

func TestSettings(t *testing.T) {
	s, err := format.Resolve(Format{}, map[string]any{"writeNonTranslatable": true, "untranslated": "omit"})
	if err != nil || !s.Bool("writeNonTranslatable") {
		t.Fatalf("resolve: %v %v", s, err)
	}
	if f, ok := format.Lookup("android"); !ok || f.Name() != Name {
		t.Error("parser android is not registered")
	}
}
