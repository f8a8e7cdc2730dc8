package json

import (
	"bytes"
	stdjson "encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/pseudo"
)

func parseFile(t testing.TB, path string, translation bool) (*Document, []byte) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Format{}.Parse(src, format.ParseOptions{Name: path, Translation: translation})
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return doc.(*Document), src
}

// TestCorpusRoundTrip: every corpus file written back with all-source
// outputs is byte-identical.
func TestCorpusRoundTrip(t *testing.T) {
	for _, f := range corpusFiles(t) {
		d, src := parseFile(t, f, false)
		out := write(t, d, format.Target{}, sourceOut)
		if out != string(src) {
			t.Errorf("%s: round trip differs", f)
		}
		want := countStrings(t, src)
		if len(d.Units()) != want {
			t.Errorf("%s: %d units, encoding/json sees %d strings", f, len(d.Units()), want)
		}
		t.Logf("%s: %d units", strings.TrimPrefix(f, corpusDir(t)+"/"), len(d.Units()))
	}
}

// flatten decodes JSON with encoding/json (independently of the parser)
// into key -> string using the package's key scheme (the corpus has no
// dots in nested keys and no arrays).
func flatten(t testing.TB, b []byte) map[string]string {
	var v map[string]any
	if err := stdjson.Unmarshal(b, &v); err != nil {
		t.Fatalf("encoding/json rejects output: %v", err)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case string:
			out[prefix] = x
		case map[string]any:
			for k, e := range x {
				if prefix != "" {
					k = prefix + "." + k
				}
				walk(k, e)
			}
		}
	}
	walk("", v)
	return out
}

func countStrings(t testing.TB, b []byte) int { return len(flatten(t, b)) }

// skeleton blanks the contents of every string literal, leaving the bytes
// that a translation must not change.
var stringRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

func skeleton(b string) string {
	return stringRE.ReplaceAllStringFunc(b, func(s string) string { return `""` })
}

func translationPairs(t *testing.T) [][2]string {
	dir := corpusDir(t)
	ex := filepath.Join(dir, "json-nested/excalidraw/packages/excalidraw/locales")
	ov := filepath.Join(dir, "json-flat-icu/overseerr/src/i18n/locale")
	var pairs [][2]string
	for _, l := range []string{"de-DE", "ar-SA", "ja-JP"} {
		pairs = append(pairs, [2]string{filepath.Join(ex, "en.json"), filepath.Join(ex, l+".json")})
	}
	for _, l := range []string{"de", "ru", "ja"} {
		pairs = append(pairs, [2]string{filepath.Join(ov, "en.json"), filepath.Join(ov, l+".json")})
	}
	return pairs
}

// TestCorpusImportExport aligns each translation onto its source by key
// and writes the target: translated keys carry the translation, the others
// the source text, and nothing but string contents differs from the source.
func TestCorpusImportExport(t *testing.T) {
	for _, pair := range translationPairs(t) {
		src, srcBytes := parseFile(t, pair[0], false)
		tr, _ := parseFile(t, pair[1], true)
		trans := map[string]format.Unit{}
		for _, u := range tr.Units() {
			trans[u.Key] = u
		}
		translated := 0
		out := write(t, src, format.Target{Locale: "xx"}, func(u *format.Unit) format.Output {
			if tu, ok := trans[u.Key]; ok && !(tu.HasStatus && tu.Status == format.Untranslated) {
				return format.Output{Text: tu.Text, Status: format.Translated}
			}
			return format.Output{Text: u.Text, Source: true}
		})
		got := flatten(t, []byte(out))
		for _, u := range src.Units() {
			want := u.Text
			if tu, ok := trans[u.Key]; ok && tu.Text != "" {
				want = tu.Text
				translated++
			}
			if got[u.Key] != want {
				t.Errorf("%s: key %q = %q, want %q", pair[1], u.Key, got[u.Key], want)
			}
		}
		re, err := Format{}.Parse([]byte(out), format.ParseOptions{})
		if err != nil {
			t.Fatalf("%s: output does not parse: %v", pair[1], err)
		}
		if strings.Join(keys(re), "\n") != strings.Join(keys(src), "\n") {
			t.Errorf("%s: key order differs from the source", pair[1])
		}
		if skeleton(out) != skeleton(string(srcBytes)) {
			t.Errorf("%s: bytes outside string values changed", pair[1])
		}
		if translated < 500 && !strings.HasSuffix(pair[1], "ja.json") || translated < 300 {
			t.Errorf("%s: only %d translated units aligned", pair[1], translated)
		}
		t.Logf("%s: %d of %d units translated, %d units in the translation", filepath.Base(pair[1]), translated, len(src.Units()), len(tr.Units()))
	}
}

// argRE finds {{x}}, tags, {x} and ICU heads; group 1 is set when the
// braces are a plural branch ("one {Season}"), which is text.
var argRE = regexp.MustCompile(`\{\{[^{}]+\}\}|</?\w+>|((?:\b(?:zero|one|two|few|many|other)|=\d+) ?)?\{\w+(?:\}|, ?(?:plural|number|select))`)

// TestCorpusPseudo: every {{x}}, ICU argument and tag survives pseudo.
func TestCorpusPseudo(t *testing.T) {
	syn := Format{}.Syntax(nil)
	for _, f := range corpusFiles(t) {
		if !strings.HasSuffix(f, "en.json") {
			continue
		}
		d, srcBytes := parseFile(t, f, false)
		out := write(t, d, format.Target{Kind: format.KindPseudo, Locale: "en-XA"}, func(u *format.Unit) format.Output {
			return format.Output{Text: pseudo.Translate(u.Text, syn)}
		})
		got := flatten(t, []byte(out))
		for _, u := range d.Units() {
			p := got[u.Key]
			if u.Text != "" && p == u.Text {
				t.Errorf("%s: %q not pseudo-translated", f, u.Key)
			}
			for _, m := range argRE.FindAllStringSubmatch(u.Text, -1) {
				a := m[0]
				if m[1] != "" {
					continue
				}
				if strings.Count(p, a) < strings.Count(u.Text, a) {
					t.Errorf("%s: %q lost %q: %q", f, u.Key, a, p)
				}
			}
		}
		if skeleton(out) != skeleton(string(srcBytes)) {
			t.Errorf("%s: pseudo changed bytes outside strings", f)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range corpusFiles(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte(`{"a_one": "x", "a_other": "y", "b": [1, "z"]}`), true)
	f.Add([]byte("\uFEFF{\r\n\"k\": \"\\u00e9\\/\"}"), false)
	f.Fuzz(func(t *testing.T, src []byte, plurals bool) {
		set := format.Settings{"plurals": PluralsNone}
		if plurals {
			set["plurals"] = PluralsI18next
		}
		doc, err := Format{}.Parse(src, format.ParseOptions{Settings: set})
		if err != nil {
			if _, ok := format.AsParseError(err); !ok {
				t.Fatalf("error is not a ParseError: %v", err)
			}
			return
		}
		var b bytes.Buffer
		if err := doc.Write(&b, format.Target{}, sourceOut); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), src) {
			t.Fatalf("round trip differs:\n%q\n%q", src, b.Bytes())
		}
		// Change every text and omit every other unit: the result parses.
		n := 0
		b.Reset()
		err = doc.Write(&b, format.Target{Categories: []string{"one", "few", "other"}}, func(u *format.Unit) format.Output {
			n++
			return format.Output{Text: u.Text + "\"é\\\n", Omit: n%2 == 0, Plural: format.Forms{"one": "1"}}
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (Format{}).Parse(b.Bytes(), format.ParseOptions{Settings: set}); err != nil {
			t.Fatalf("output does not parse: %v\n%q", err, b.Bytes())
		}
	})
}

// BenchmarkParseWrite parses overseerr's en.json and writes it back with
// every text changed.
func BenchmarkParseWrite(b *testing.B) {
	path := filepath.Join(corpusDir(b), "json-flat-icu/overseerr/src/i18n/locale/en.json")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := Format{}.Parse(src, format.ParseOptions{})
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		err = doc.Write(&buf, format.Target{}, func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text + "!"}
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
