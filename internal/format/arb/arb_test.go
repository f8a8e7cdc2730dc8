package arb

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/placeholder"
	"github.com/tolk-l10n/tolk/internal/pseudo"
)

// The Aves ARB files, copied byte for byte from the shared corpus
// (flutter-arb/aves/lib/l10n).
var corpus = []string{"en", "de", "ru", "ja"}

func corpusPath(locale string) string { return "testdata/corpus/app_" + locale + ".arb" }

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode reads a file with encoding/json.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return m
}

// messages returns the string members whose keys do not start with "@".
func messages(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok && !strings.HasPrefix(k, "@") {
			out[k] = s
		}
	}
	return out
}

func TestCorpusRoundTrip(t *testing.T) {
	for _, loc := range corpus {
		doc := formattest.RoundTrip(t, Format{}, corpusPath(loc))
		want := messages(decode(t, mustRead(t, corpusPath(loc))))
		got := formattest.Texts(doc.Units())
		if !maps.Equal(got, want) {
			t.Errorf("%s: units differ from encoding/json's messages (%d vs %d)", loc, len(got), len(want))
		}
		notes, plurals := 0, 0
		for _, u := range doc.Units() {
			notes += len(u.Notes)
			if strings.Contains(u.Text, ", plural,") {
				plurals++
			}
		}
		t.Logf("app_%s.arb: %d messages (%d ICU plurals), %d notes", loc, len(got), plurals, notes)
	}
}

// TestCorpusImport aligns each translation with app_en.arb by key, writes
// the target and checks it with encoding/json: translated messages carry
// the translation, the others the source text, metadata is the source's,
// and the members keep the source's order and blank lines.
func TestCorpusImport(t *testing.T) {
	_, src := formattest.ParseFile(t, Format{}, corpusPath("en"), false)
	enJSON := decode(t, mustRead(t, corpusPath("en")))
	for _, loc := range corpus[1:] {
		t.Run(loc, func(t *testing.T) {
			_, tr := formattest.ParseFile(t, Format{}, corpusPath(loc), true)
			trTexts := formattest.Texts(tr.Units())
			want := maps.Clone(enJSON)
			translated := 0
			got := formattest.Write(t, src, format.Target{Kind: format.KindTarget, Locale: loc, SourceLocale: "en"}, func(u *format.Unit) format.Output {
				s, ok := trTexts[u.Key]
				if !ok {
					return format.Output{Text: u.Text, Source: true}
				}
				translated++
				want[u.Key] = s
				return format.Output{Text: s, Status: format.Translated}
			})
			if have := decode(t, got); !reflect.DeepEqual(have, want) {
				for k := range want {
					if !reflect.DeepEqual(have[k], want[k]) {
						t.Errorf("%s = %#v, want %#v", k, have[k], want[k])
					}
				}
			}
			doc, err := Format{}.Parse(got, format.ParseOptions{Name: loc})
			if err != nil {
				t.Fatalf("re-parse: %v", err)
			}
			formattest.CompareKeys(t, src.Units(), doc.Units())
			if a, b := blankLines(mustRead(t, corpusPath("en"))), blankLines(got); a != b {
				t.Errorf("%d blank lines, source has %d", b, a)
			}
			t.Logf("%s: %d of %d messages translated", loc, translated, len(src.Units()))
		})
	}
}

func blankLines(b []byte) int { return bytes.Count(b, []byte("\n\n")) }

func TestCorpusPseudo(t *testing.T) {
	syn := Format{}.Syntax(nil)
	for _, loc := range corpus {
		_, doc := formattest.ParseFile(t, Format{}, corpusPath(loc), false)
		got := formattest.Write(t, doc, format.Target{Kind: format.KindPseudo, Locale: "en-XA"}, func(u *format.Unit) format.Output {
			return format.Output{Text: pseudo.Translate(u.Text, syn), Status: format.Translated}
		})
		re, err := Format{}.Parse(got, format.ParseOptions{Name: loc + " pseudo"})
		if err != nil {
			t.Fatalf("%s: re-parse pseudo: %v", loc, err)
		}
		decode(t, got)
		count, icu := 0, 0
		for i, u := range doc.Units() {
			p := re.Units()[i]
			want, have := placeholder.Find(u.Text, syn), placeholder.Find(p.Text, syn)
			count += len(want)
			if strings.Contains(u.Text, ", plural,") {
				icu++
			}
			if !slices.Equal(want, have) {
				t.Errorf("%s: %s placeholders %q, want %q", loc, u.Key, have, want)
			}
			if p.Text == u.Text && u.Text != "" {
				t.Errorf("%s: %s not pseudo-translated", loc, u.Key)
			}
		}
		if icu == 0 || count < icu {
			t.Errorf("%s: %d placeholders in %d ICU messages: nothing checked", loc, count, icu)
		}
		t.Logf("%s: %d placeholders kept (%d ICU plural messages)", loc, count, icu)
	}
}

const small = `{
  "@@locale": "en",
  "@@x-generator": "hand",
  "a": "A",
  "@a": {"description": "first letter", "placeholders": {"n": {"example": "3"}, "m": {"description": "count"}}},

  "b": "Say \"\u0042\"\n",
  "@b": {},
  "c": "{n, plural, =1{one} other{{n} many}}"
}
`

func writeSmall(t *testing.T, tg format.Target, out func(*format.Unit) format.Output) string {
	t.Helper()
	doc, err := Format{}.Parse([]byte(small), format.ParseOptions{Name: "small.arb"})
	if err != nil {
		t.Fatal(err)
	}
	got := formattest.Write(t, doc, tg, out)
	if !json.Valid(got) {
		t.Fatalf("invalid JSON written:\n%s", got)
	}
	return string(got)
}

func TestUnitsAndNotes(t *testing.T) {
	doc, err := Format{}.Parse([]byte(small), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u := doc.Units()
	if len(u) != 3 || u[0].Key != "a" || u[1].Text != "Say \"B\"\n" || u[2].Line != 9 {
		t.Fatalf("units %+v", u)
	}
	if !slices.Equal(u[0].Notes, []string{"first letter", "{m}: count", "{n}: (example: 3)"}) || u[1].Notes != nil {
		t.Errorf("notes %q %q", u[0].Notes, u[1].Notes)
	}
}

func TestLocaleAndEscapes(t *testing.T) {
	got := writeSmall(t, format.Target{Kind: format.KindTarget, Locale: "pt-BR"}, func(u *format.Unit) format.Output {
		if u.Key == "a" {
			return format.Output{Text: "Ä \"q\"\t<b>"}
		}
		return format.Output{Text: u.Text, Source: true}
	})
	want := strings.Replace(strings.Replace(small, `"en"`, `"pt_BR"`, 1), `"A"`, `"Ä \"q\"\t<b>"`, 1)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A source export keeps the locale.
	got = writeSmall(t, format.Target{Kind: format.KindSource, Locale: "en"}, func(u *format.Unit) format.Output {
		return format.Output{Text: "[" + u.Text + "]"}
	})
	if !strings.Contains(got, `"@@locale": "en"`) || !strings.Contains(got, `"b": "[Say \"B\"\n]"`) {
		t.Errorf("source export:\n%s", got)
	}
}

func TestASCIIOnlyFile(t *testing.T) {
	in := "{\"a\": \"caf\\u00e9\", \"b\": \"x\"}"
	doc, err := Format{}.Parse([]byte(in), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		return format.Output{Text: u.Text + "ü😀"}
	})
	if want := `{"a": "caf\u00e9\u00fc\ud83d\ude00", "b": "x\u00fc\ud83d\ude00"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestOmit(t *testing.T) {
	cases := map[string]string{
		"a":   "{\n  \"@@locale\": \"de\",\n  \"@@x-generator\": \"hand\",\n\n  \"b\": \"Say \\\"\\u0042\\\"\\n\",\n  \"@b\": {},\n  \"c\": \"{n, plural, =1{one} other{{n} many}}\"\n}\n",
		"c":   "{\n  \"@@locale\": \"de\",\n  \"@@x-generator\": \"hand\",\n  \"a\": \"A\",\n  \"@a\": {\"description\": \"first letter\", \"placeholders\": {\"n\": {\"example\": \"3\"}, \"m\": {\"description\": \"count\"}}},\n\n  \"b\": \"Say \\\"\\u0042\\\"\\n\",\n  \"@b\": {}\n}\n",
		"abc": "{\n  \"@@locale\": \"de\",\n  \"@@x-generator\": \"hand\"\n}\n",
	}
	for omit, want := range cases {
		got := writeSmall(t, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text, Source: true, Omit: strings.Contains(omit, u.Key)}
		})
		if got != want {
			t.Errorf("omit %s: got\n%s\nwant\n%s", omit, got, want)
		}
	}
	doc, err := Format{}.Parse([]byte("{\"a\": \"x\", \"@a\": {}}\n"), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		return format.Output{Omit: true}
	})
	if string(got) != "{}\n" {
		t.Errorf("all omitted: %q", got)
	}
}

func TestUnixNewline(t *testing.T) {
	in := "{\r\n  \"a\": \"x\"\r\n}\r\n"
	s := formattest.Settings(t, Format{}, map[string]any{"unixNewline": true})
	doc, err := Format{}.Parse([]byte(in), format.ParseOptions{Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	if got := formattest.Write(t, doc, format.Target{Kind: format.KindSource}, formattest.AllSource); string(got) != "{\n  \"a\": \"x\"\n}\n" {
		t.Errorf("got %q", got)
	}
}

func TestDuplicateKeyLaterWins(t *testing.T) {
	doc, err := Format{}.Parse([]byte(`{"a": "1", "a": "2"}`), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		return format.Output{Text: "zwei"}
	})
	if want := `{"a": "1", "a": "zwei"}`; string(got) != want {
		t.Errorf("got %s", got)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, in  string
		line, col int
	}{
		{"missing comma", "{\n  \"a\": \"x\"\n  \"b\": \"y\"\n}", 3, 3},
		{"unterminated string", "{\n  \"a\": \"x\n}", 2, 8},
		{"trailing comma", "{\n  \"a\": \"x\",\n}", 3, 1},
		{"not an object", "[\"a\"]", 1, 1},
		{"bad escape", "{\"a\": \"\\q\"}", 1, 8},
		{"after the object", "{}\n{}", 2, 1},
		{"bad literal", "{\"a\": tru}", 1, 7},
		{"empty", "", 1, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Format{}.Parse([]byte(c.in), format.ParseOptions{Name: "bad.arb"})
			pe, ok := format.AsParseError(err)
			if !ok {
				t.Fatalf("error %v is not a ParseError", err)
			}
			if pe.File != "bad.arb" || pe.Line != c.line || pe.Column != c.col {
				t.Errorf("error at %d:%d (%v), want %d:%d", pe.Line, pe.Column, err, c.line, c.col)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, loc := range corpus {
		f.Add(mustRead(f, corpusPath(loc)))
	}
	f.Add([]byte(small))
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Fuzz(t, Format{}, data)
		// The scanner must agree with encoding/json on what is JSON.
		_, err := Format{}.Parse(data, format.ParseOptions{})
		if err == nil && !json.Valid(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))) {
			t.Fatalf("accepted invalid JSON")
		}
		var obj map[string]json.RawMessage
		// Only a message with unbalanced ICU braces may refuse it.
		if err != nil && json.Unmarshal(data, &obj) == nil && obj != nil && !strings.Contains(err.Error(), "unbalanced") {
			t.Fatalf("rejected a JSON object: %v", err)
		}
	})
}

// FuzzWrite writes an arbitrary text into every message and checks that
// encoding/json reads it back, in a plain file and in one that escapes
// every non-ASCII character.
func FuzzWrite(f *testing.F) {
	for _, s := range []string{"", "a", "\"\\/\b\f\n\r\t\x00\x1f", "ü😀", "\u2028</script>&", "{n, plural, =1{x} other{y}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		for _, in := range []string{small, `{"a": "caf\u00e9"}`} {
			doc, err := Format{}.Parse([]byte(in), format.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
				return format.Output{Text: text}
			})
			for k, v := range messages(decode(t, got)) {
				if v != text {
					t.Fatalf("%s = %q, want %q\n%s", k, v, text, got)
				}
			}
		}
	})
}
