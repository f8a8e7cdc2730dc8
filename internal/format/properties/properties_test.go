package properties

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

const corpusDir = "../../../../shared/corpus/java-properties/jspwiki/jspwiki-main/src/main/resources/templates"

var corpusFiles = []string{"default.properties", "default_de.properties", "default_ru.properties", "default_zh_CN.properties"}

func corpusPath(name string) string { return filepath.Join(corpusDir, name) }

func TestRoundTripCorpus(t *testing.T) {
	for _, name := range corpusFiles {
		t.Run(name, func(t *testing.T) {
			doc := formattest.RoundTrip(t, Format{}, corpusPath(name))
			d := doc.(*Document)
			t.Logf("%s: %d units round-tripped (%d definitions)", name, len(d.Units()), len(d.entries))
			if n := len(d.Units()); n != 512 {
				t.Errorf("got %d distinct keys, want 512 (corpus README)", n)
			}
		})
	}
}

// TestParseMatchesJava loads every corpus file with java.util.Properties
// and compares the map with tolk's units.
func TestParseMatchesJava(t *testing.T) {
	var args []string
	var want []map[string]string
	for _, name := range corpusFiles {
		_, doc := formattest.ParseFile(t, Format{}, corpusPath(name), true)
		args = append(args, "ISO-8859-1", corpusPath(name))
		want = append(want, formattest.Texts(doc.Units()))
	}
	got := javaLoad(t, args...)
	for i := range want {
		compareMaps(t, corpusFiles[i], want[i], got[i])
	}
}

func TestDuplicatesRu(t *testing.T) {
	src, doc := formattest.ParseFile(t, Format{}, corpusPath("default_ru.properties"), true)
	dups := doc.(*Document).Duplicates()
	if len(dups) != 15 {
		t.Fatalf("got %d duplicate keys, want 15: %q", len(dups), dups)
	}
	units := formattest.Texts(doc.Units())
	for _, k := range dups {
		// The last definition must win: find it in the raw file.
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(k) + `\s*[=:]`)
		locs := re.FindAllIndex(src, -1)
		if len(locs) != 2 {
			t.Fatalf("key %q: %d definitions in the file, want 2", k, len(locs))
		}
		last, err := Format{}.Parse(src[locs[1][0]:], format.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if w := last.Units()[0].Text; units[k] != w {
			t.Errorf("key %q: text %q, want the last definition %q", k, units[k], w)
		}
	}
}

// exportTarget imports translation onto the source and writes a target.
func exportTarget(t *testing.T, source format.Document, tr map[string]string) []byte {
	t.Helper()
	return formattest.Write(t, source, format.Target{Kind: format.KindTarget, Locale: "xx"}, func(u *format.Unit) format.Output {
		if s, ok := tr[u.Key]; ok {
			return format.Output{Text: s, Status: format.Translated, Source: s == u.Text}
		}
		return formattest.AllSource(u)
	})
}

func TestImportExport(t *testing.T) {
	srcBytes, source := formattest.ParseFile(t, Format{}, corpusPath("default.properties"), false)
	dir := t.TempDir()
	var args []string
	var want []map[string]string
	for _, name := range corpusFiles[1:] {
		_, tdoc := formattest.ParseFile(t, Format{}, corpusPath(name), true)
		tr := formattest.Texts(tdoc.Units())
		out := exportTarget(t, source, tr)
		back, err := Format{}.Parse(out, format.ParseOptions{Name: name})
		if err != nil {
			t.Fatalf("%s: re-parse export: %v", name, err)
		}
		compareMaps(t, name, tr, formattest.Texts(back.Units()))
		checkLayout(t, name, srcBytes, source.(*Document), out, back.(*Document))
		if hasNonASCII(out) {
			t.Errorf("%s: export of an ASCII source must use \\u escapes", name)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "ISO-8859-1", path)
		want = append(want, tr)
	}
	got := javaLoad(t, args...)
	for i := range want {
		compareMaps(t, "java: "+corpusFiles[i+1], want[i], got[i])
	}
}

// checkLayout requires the export to keep the source's comments, blank lines
// and key order, and every entry whose text is unchanged byte for byte.
// The one difference allowed: a changed value is written on one line after
// the entry's original key and separator, so its \ continuations go.
func checkLayout(t *testing.T, name string, src []byte, sd *Document, out []byte, od *Document) {
	t.Helper()
	if len(sd.entries) != len(od.entries) {
		t.Fatalf("%s: %d entries, source has %d", name, len(od.entries), len(sd.entries))
	}
	prevS, prevO, changed, joined := 0, 0, 0, 0
	for i, se := range sd.entries {
		oe := od.entries[i]
		if se.value != oe.value {
			changed++
			if bytes.Contains(src[se.valueStart:se.end], []byte("\\\n")) {
				joined++
			}
		}
		if !bytes.Equal(src[prevS:se.start], out[prevO:oe.start]) {
			t.Fatalf("%s: text before key %q differs from the source", name, se.key)
		}
		if se.key != oe.key {
			t.Fatalf("%s: entry %d is %q, source has %q", name, i, oe.key, se.key)
		}
		if se.value == oe.value && !bytes.Equal(src[se.start:se.end], out[oe.start:oe.end]) {
			t.Errorf("%s: unchanged entry %q not written byte for byte", name, se.key)
		}
		if !bytes.Equal(src[se.start:se.valueStart], out[oe.start:oe.valueStart]) {
			t.Errorf("%s: key and separator of %q differ from the source", name, se.key)
		}
		prevS, prevO = se.end, oe.end
	}
	if !bytes.Equal(src[prevS:], out[prevO:]) {
		t.Errorf("%s: end of file differs from the source", name)
	}
	t.Logf("%s: %d values rewritten, %d of them continued lines now on one line", name, changed, joined)
}

// javaLoad runs testdata/LoadProps.java on pairs of charset and path.
func javaLoad(t *testing.T, args ...string) []map[string]string {
	t.Helper()
	java := formattest.RequireTool(t, "java")
	abs := make([]string, len(args))
	for i, a := range args {
		abs[i] = a
		if i%2 == 1 {
			p, err := filepath.Abs(a)
			if err != nil {
				t.Fatal(err)
			}
			abs[i] = p
		}
	}
	cmd := exec.Command(java, append([]string{"LoadProps.java"}, abs...)...)
	cmd.Dir = "testdata"
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("java LoadProps: %v\n%s", err, stderr.String())
	}
	var maps []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		m := map[string]string{}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("decode java output: %v", err)
		}
		maps = append(maps, m)
	}
	if len(maps) != len(args)/2 {
		t.Fatalf("java printed %d maps for %d files", len(maps), len(args)/2)
	}
	return maps
}

func compareMaps(t *testing.T, name string, want, got map[string]string) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: key %q missing", name, k)
		} else if g != w {
			t.Errorf("%s: key %q = %q, want %q", name, k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected key %q", name, k)
		}
	}
}

var messageArg = regexp.MustCompile(`\{\d+(,[^{}]*)?\}`)

// TestPseudoKeepsPlaceholders pseudo-translates every corpus file and checks
// that each MessageFormat argument survives.
func TestPseudoKeepsPlaceholders(t *testing.T) {
	syn := Format{}.Syntax(nil)
	for _, name := range corpusFiles {
		_, doc := formattest.ParseFile(t, Format{}, corpusPath(name), false)
		out := formattest.Write(t, doc, format.Target{Kind: format.KindPseudo, Locale: "en-XA"}, func(u *format.Unit) format.Output {
			return format.Output{Text: pseudo(u.Text, syn), Status: format.Translated}
		})
		back, err := Format{}.Parse(out, format.ParseOptions{Name: name})
		if err != nil {
			t.Fatalf("%s: re-parse pseudo: %v", name, err)
		}
		got := formattest.Texts(back.Units())
		n := 0
		for _, u := range doc.Units() {
			want := messageArg.FindAllString(u.Text, -1)
			n += len(want)
			if g := messageArg.FindAllString(got[u.Key], -1); strings.Join(g, " ") != strings.Join(want, " ") {
				t.Errorf("%s: key %q: placeholders %q, want %q", name, u.Key, g, want)
			}
			if got[u.Key] == u.Text && strings.ContainsAny(u.Text, "aeiou") {
				t.Errorf("%s: key %q not pseudo-translated", name, u.Key)
			}
		}
		t.Logf("%s: %d MessageFormat arguments kept", name, n)
	}
}

// pseudo accents the vowels of every unprotected segment.
func pseudo(s string, syn placeholder.Syntax) string {
	r := strings.NewReplacer("a", "á", "e", "é", "i", "í", "o", "ó", "u", "ú")
	var sb strings.Builder
	for _, seg := range placeholder.Split(s, syn) {
		if seg.Protected {
			sb.WriteString(seg.Text)
		} else {
			sb.WriteString(r.Replace(seg.Text))
		}
	}
	return "[" + sb.String() + "]"
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		src       string
		line, col int
	}{
		{"a=1\nkey=caf\\u00g9\n", 2, 8},
		{"# c\n\nkey = \\\n  more \\u12", 4, 8},
	}
	for _, c := range cases {
		_, err := Format{}.Parse([]byte(c.src), format.ParseOptions{Name: "bad.properties"})
		pe, ok := format.AsParseError(err)
		if !ok {
			t.Fatalf("%q: got %v, want a ParseError", c.src, err)
		}
		if pe.File != "bad.properties" || pe.Line != c.line || pe.Column != c.col {
			t.Errorf("%q: error at %s:%d:%d, want %d:%d", c.src, pe.File, pe.Line, pe.Column, c.line, c.col)
		}
	}
}
