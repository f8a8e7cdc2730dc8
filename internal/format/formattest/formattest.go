// Package formattest holds checks shared by the format packages' tests:
// corpus round-trips, fuzz bodies and diffs that say where two outputs part.
package formattest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// AllSource is an output func that keeps every unit's source text, so a
// writer must reproduce the parsed bytes.
func AllSource(u *format.Unit) format.Output {
	return format.Output{Text: u.Text, Plural: u.Plural, Status: format.Untranslated, Source: true}
}

// Settings resolves f's default settings, with user values on top.
func Settings(t testing.TB, f format.Format, user map[string]any) format.Settings {
	t.Helper()
	s, err := format.Resolve(f, user)
	if err != nil {
		t.Fatalf("resolve settings: %v", err)
	}
	return s
}

// Parse parses src as the file name with f's settings (defaults with user
// values on top), as a source file or a translation.
func Parse(t testing.TB, f format.Format, src []byte, name string, user map[string]any, translation bool) format.Document {
	t.Helper()
	doc, err := f.Parse(src, format.ParseOptions{Name: name, Settings: Settings(t, f, user), Translation: translation})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return doc
}

// ParseFile reads and parses path with f's default settings.
func ParseFile(t testing.TB, f format.Format, path string, translation bool) ([]byte, format.Document) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return src, Parse(t, f, src, path, nil, translation)
}

// Write renders doc for t with out and returns the bytes.
func Write(tb testing.TB, doc format.Document, t format.Target, out func(*format.Unit) format.Output) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := doc.Write(&buf, t, out); err != nil {
		tb.Fatalf("write: %v", err)
	}
	return buf.Bytes()
}

// RoundTrip parses path, writes it back with every text unchanged as a
// source export and fails unless the bytes are identical. It returns the
// document for further checks.
func RoundTrip(t testing.TB, f format.Format, path string) format.Document {
	t.Helper()
	src, doc := ParseFile(t, f, path, false)
	// Documents may be written concurrently: write it twice at once (the
	// race detector watches) and check both.
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range outs {
		wg.Go(func() {
			var buf bytes.Buffer
			errs[i] = doc.Write(&buf, format.Target{Kind: format.KindSource}, AllSource)
			outs[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for i, got := range outs {
		if errs[i] != nil {
			t.Fatalf("%s: write: %v", path, errs[i])
		}
		if d := FirstDiff(src, got); d != "" {
			t.Fatalf("%s: write-unchanged differs from input: %s", path, d)
		}
	}
	return doc
}

// FirstDiff describes where a and b first differ, or returns "" when they
// are equal.
func FirstDiff(a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	line, col := format.Position(a, i)
	return fmt.Sprintf("first difference at line %d column %d (byte %d): want %q, got %q",
		line, col, i, excerpt(a, i), excerpt(b, i))
}

func excerpt(b []byte, i int) string {
	end := min(i+40, len(b))
	return string(b[i:end])
}

// Fuzz is the body of a FuzzParse target: parsing must not panic; an error
// must be a *format.ParseError with a position; a document must write back
// unchanged and parse again to the same units.
func Fuzz(t *testing.T, f format.Format, data []byte) {
	opts := format.ParseOptions{Name: "fuzz", Settings: Settings(t, f, nil)}
	doc, err := f.Parse(data, opts)
	if err != nil {
		pe, ok := format.AsParseError(err)
		if !ok {
			t.Fatalf("error is not a ParseError: %v", err)
		}
		if pe.Line < 1 {
			t.Fatalf("ParseError without a line: %v", err)
		}
		_ = pe.Error()
		return
	}
	got := Write(t, doc, format.Target{Kind: format.KindSource}, AllSource)
	if d := FirstDiff(data, got); d != "" {
		t.Fatalf("write-unchanged differs: %s", d)
	}
	// Rewriting every text must give a file that parses to the same keys.
	changed := Write(t, doc, format.Target{Kind: format.KindSource}, func(u *format.Unit) format.Output {
		o := format.Output{Text: u.Text + "x", Status: format.Translated}
		if u.Plural != nil {
			o.Plural = format.Forms{}
			for c, s := range u.Plural {
				o.Plural[c] = s + "x"
			}
		}
		return o
	})
	doc2, err := f.Parse(changed, opts)
	if err != nil {
		t.Fatalf("re-parse of rewritten file: %v\n%s", err, changed)
	}
	CompareKeys(t, doc.Units(), doc2.Units())
}

// CompareKeys fails when two unit lists do not have the same keys in order.
func CompareKeys(t testing.TB, want, got []format.Unit) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("got %d units, want %d", len(got), len(want))
	}
	for i := range want {
		if want[i].Key != got[i].Key {
			t.Fatalf("unit %d: key %q, want %q", i, got[i].Key, want[i].Key)
		}
	}
}

// Texts maps each unit's key to its text.
func Texts(units []format.Unit) map[string]string {
	m := make(map[string]string, len(units))
	for _, u := range units {
		m[u.Key] = u.Text
	}
	return m
}

// RequireTool returns the path of an external program a test checks its
// output with. Without it the test is skipped, unless the CI environment
// variable is set: in CI a missing tool is a failure.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required in CI: %v", name, err)
	}
	t.Skipf("%s not found (install it to run this check): %v", name, err)
	return ""
}

// MalformedCase is an input a parser must refuse, and where the error is.
type MalformedCase struct {
	Src       string
	Line, Col int
}

// Malformed checks that parse refuses every case with a *format.ParseError
// that names file and the expected line and column.
func Malformed(t *testing.T, parse func([]byte, format.ParseOptions) (format.Document, error), file string, cases []MalformedCase) {
	t.Helper()
	for _, c := range cases {
		_, err := parse([]byte(c.Src), format.ParseOptions{Name: file})
		pe, ok := format.AsParseError(err)
		if !ok {
			t.Errorf("%q: error %v is not a ParseError", c.Src, err)
			continue
		}
		if pe.Line != c.Line || pe.Column != c.Col || pe.File != file {
			t.Errorf("%q: error at %s:%d:%d (%v), want %s:%d:%d", c.Src, pe.File, pe.Line, pe.Column, pe, file, c.Line, c.Col)
		}
	}
}

// ExportTarget writes src for a target of lang with the texts of tr, as the
// exporter does for fully trusted translations: a unit tr has gets its text
// and forms, the others keep their source. It returns the bytes and tr's
// units by key.
func ExportTarget(t testing.TB, src, tr format.Document, lang string) ([]byte, map[string]format.Unit) {
	t.Helper()
	want := map[string]format.Unit{}
	for _, u := range tr.Units() {
		want[u.Key] = u
	}
	tgt := format.Target{Kind: format.KindTarget, Locale: lang, SourceLocale: "en", Categories: plural.Categories(lang)}
	out := Write(t, src, tgt, func(u *format.Unit) format.Output {
		v, ok := want[u.Key]
		if !ok {
			return format.Output{Text: u.Text, Plural: u.Plural, Source: true}
		}
		return format.Output{Text: v.Text, Plural: v.Plural, Status: format.Translated}
	})
	return out, want
}
