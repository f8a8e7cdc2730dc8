package yaml

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

// styleCases change one value each and say what the file must become.
var styleCases = []struct {
	name, in  string
	key, text string
	want      string
}{
	{"plain stays plain", "en:\n  a: Hello # hi\n", "a", "Hallo Welt", "de:\n  a: Hallo Welt # hi\n"},
	{"plain needs quotes", "en:\n  a: Hello\n", "a", "%{n}: yes", "de:\n  a: \"%{n}: yes\"\n"},
	{"plain that would be a bool", "en:\n  a: Hello\n", "a", "true", "de:\n  a: \"true\"\n"},
	{"single keeps single", "en:\n  a: 'it''s'\n", "a", "c'est", "de:\n  a: 'c''est'\n"},
	{"single with newline", "en:\n  a: 'x'\n", "a", "a\nb", "de:\n  a: \"a\\nb\"\n"},
	{"double escapes", "en:\n  a: \"x\"\n", "a", "say \"hi\"\\\n\tü", "de:\n  a: \"say \\\"hi\\\"\\\\\\n\\tü\"\n"},
	{"literal block", "en:\n  a: |\n      one\n      two\n  b: x\n", "a", "eins\nzwei\ndrei\n", "de:\n  a: |\n      eins\n      zwei\n      drei\n  b: x\n"},
	{"literal strip", "en:\n  a: |-\n    one\n  b: x\n", "a", "eins", "de:\n  a: |-\n    eins\n  b: x\n"},
	{"folded stays folded", "en:\n  a: >\n    one\n    two\n", "a", "eins zwei\n", "de:\n  a: >\n    eins zwei\n"},
	{"folded keep", "en:\n  a: >+\n    one\n    two\n\n  b: x\n", "a", "eins\nzwei\n\ndrei\n\n", "de:\n  a: >+\n    eins\n\n    zwei\n\n\n    drei\n\n  b: x\n"},
	{"folded strip", "en:\n  a: >-\n    one\n  b: x\n", "a", "eins zwei", "de:\n  a: >-\n    eins zwei\n  b: x\n"},
	{"folded to literal", "en:\n  a: >\n    one\n", "a", "eins\n  zwei\n", "de:\n  a: |\n    eins\n      zwei\n"},
	{"block to quotes", "en:\n  a: |\n    one\n  b: x\n", "a", " lead", "de:\n  a: \" lead\"\n  b: x\n"},
	{"multi-line plain", "en:\n  a: one\n    two\n  b: x\n", "a", "eins", "de:\n  a: eins\n  b: x\n"},
	{"string tag kept", "en:\n  a: ! 'x'\n", "a", "y", "de:\n  a: ! 'y'\n"},
	{"dotted key", "en:\n  a.b:\n    c: x\n", `a\.b.c`, "why", "de:\n  a.b:\n    c: why\n"},
	{"ruby yes", "en:\n  a: x\n", "a", "yes", "de:\n  a: \"yes\"\n"},
	{"crlf", "en:\r\n  a: |\r\n    x\r\n  b: y\r\n", "a", "1\n2\n", "de:\r\n  a: |\r\n    1\r\n    2\r\n  b: y\r\n"},
	{"multibyte key", "en:\n  ключ: Wert\n  ä: 'x'\n", "ä", "Ü", "de:\n  ключ: Wert\n  ä: 'Ü'\n"},
	{"bom", "\ufeffen:\n  a: x\n", "a", "why", "\ufeffde:\n  a: why\n"},
	{"tagged root value", "en:\n  a: !!str 12\n", "a", "13", "de:\n  a: !!str \"13\"\n"},
	{"no final newline", "en:\n  a: |-\n    x", "a", "y\nz", "de:\n  a: |-\n    y\n    z"},
}

func TestStyles(t *testing.T) {
	for _, c := range styleCases {
		t.Run(c.name, func(t *testing.T) {
			got := writeWith(t, c.in, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
				if u.Key == c.key {
					return format.Output{Text: c.text, Status: format.Translated}
				}
				return format.Output{Text: u.Text, Source: true}
			})
			if got != c.want {
				t.Errorf("got\n%q\nwant\n%q", got, c.want)
			}
			doc, err := Format{}.Parse([]byte(got), format.ParseOptions{})
			if err != nil {
				t.Fatalf("re-parse: %v", err)
			}
			if texts := formattest.Texts(doc.Units()); texts[c.key] != c.text {
				t.Errorf("re-read %q, want %q", texts[c.key], c.text)
			}
		})
	}
}

func writeWith(t *testing.T, in string, tg format.Target, out func(*format.Unit) format.Output) string {
	t.Helper()
	doc, err := Format{}.Parse([]byte(in), format.ParseOptions{Name: "t.yml"})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return string(formattest.Write(t, doc, tg, out))
}

func TestUnits(t *testing.T) {
	in := `en:
  # Shown on the button.
  save: Save
  n: 3
  b: true
  z: ~
  sym: :year
  list: [~, Jan]
  order:
    - :day
  base: &base
    x: X
  other: *base
  anchored: &v Value
  count:
    one: "1 item"
    other: "%{count} items"
  notplural:
    one: a
    two: 2
    other: b
  flow: {a: b}
`
	doc, err := Format{}.Parse([]byte(in), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, u := range doc.Units() {
		keys = append(keys, u.Key)
	}
	if got, want := strings.Join(keys, " "), "save count notplural.one notplural.other"; got != want {
		t.Errorf("keys %q, want %q", got, want)
	}
	u := doc.Units()
	if len(u[0].Notes) != 1 || u[0].Notes[0] != "Shown on the button." {
		t.Errorf("notes %q", u[0].Notes)
	}
	if u[1].Plural["one"] != "1 item" || u[1].Text != "%{count} items" {
		t.Errorf("plural %+v", u[1])
	}
}

func TestPluralTarget(t *testing.T) {
	in := "en:\n  x:\n    one:   \"1 day\"\n    other: \"%{count} days\"\n  y: z\n"
	ru := []string{"one", "few", "many", "other"}
	got := writeWith(t, in, format.Target{Kind: format.KindTarget, Locale: "ru", Categories: ru}, func(u *format.Unit) format.Output {
		if u.Plural == nil {
			return format.Output{Text: u.Text, Source: true}
		}
		return format.Output{Text: "O", Plural: format.Forms{"one": "1 день", "few": "F", "many": "M", "other": "O"}}
	})
	want := "ru:\n  x:\n    one:   \"1 день\"\n    few:   \"F\"\n    many:  \"M\"\n    other: \"O\"\n  y: z\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// ja has only "other".
	got = writeWith(t, in, format.Target{Kind: format.KindTarget, Locale: "ja", Categories: []string{"other"}}, func(u *format.Unit) format.Output {
		return format.Output{Text: u.Text, Plural: format.Forms{"other": u.Text}}
	})
	if want := "ja:\n  x:\n    other: \"%{count} days\"\n  y: z\n"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestOmit(t *testing.T) {
	in := "en:\n  a:\n    b: x\n    # about c\n    c: |\n      y\n  d: 1\n  e:\n    one: o\n    other: p\n  f: g\n"
	got := writeWith(t, in, format.Target{Kind: format.KindTarget, Locale: "fr"}, func(u *format.Unit) format.Output {
		return format.Output{Text: u.Text, Source: true, Omit: u.Key != "f"}
	})
	if want := "fr:\n  d: 1\n  f: g\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestUnixNewline(t *testing.T) {
	in := "en:\r\n  a: x\r\n  b: y\r\n"
	s := formattest.Settings(t, Format{}, map[string]any{"unixNewline": true})
	doc, err := Format{}.Parse([]byte(in), format.ParseOptions{Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	got := formattest.Write(t, doc, format.Target{Kind: format.KindSource, Locale: "en"}, formattest.AllSource)
	if want := "en:\n  a: x\n  b: y\n"; string(got) != want {
		t.Errorf("got %q", got)
	}
}

func TestDuplicateKeyLaterWins(t *testing.T) {
	in := "en:\n  a: first\n  a: second\n"
	doc, err := Format{}.Parse([]byte(in), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if u := doc.Units(); len(u) != 1 || u[0].Text != "second" {
		t.Fatalf("units %+v", u)
	}
	got := formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "de"}, func(u *format.Unit) format.Output {
		return format.Output{Text: "zweite"}
	})
	if want := "de:\n  a: first\n  a: zweite\n"; string(got) != want {
		t.Errorf("got %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, in  string
		line, col int
	}{
		{"unterminated double", "en:\n  a: \"open\n  b: c\n", 2, 6},
		{"unterminated single", "en:\n  a: x\n  b: 'open\n", 3, 6},
		{"tab indentation", "en:\n\ta: x\n", 2, 1},
		{"bad indentation", "en:\n  a: x\n b: y\n", 3, 2},
		{"two roots", "en:\n  a: x\nde:\n  a: y\n", 1, 1},
		{"root not a mapping", "en: hello\n", 1, 5},
		{"two documents", "en:\n  a: x\n---\nde:\n  a: y\n", 3, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Format{}.Parse([]byte(c.in), format.ParseOptions{Name: "bad.yml"})
			pe, ok := format.AsParseError(err)
			if !ok {
				t.Fatalf("error %v is not a ParseError", err)
			}
			if pe.File != "bad.yml" || pe.Line != c.line || pe.Column != c.col {
				t.Errorf("error at %s:%d:%d (%v), want line %d column %d", pe.File, pe.Line, pe.Column, err, c.line, c.col)
			}
		})
	}
}

func TestRegistered(t *testing.T) {
	for _, n := range []string{"yaml", "yml"} {
		if f, ok := format.Lookup(n); !ok || f.Name() != "yaml" {
			t.Errorf("Lookup(%q) = %v, %v", n, f, ok)
		}
	}
}

// FuzzWrite writes an arbitrary text into every value of a document in
// each scalar style and checks that a YAML reader gets that text back.
func FuzzWrite(f *testing.F) {
	doc := "en:\n  p: plain\n  s: 'single'\n  d: \"double\"\n  l: |\n    literal\n  k: |+\n    keep\n\n  f: >-\n    folded\n  x:\n    one: a\n    other: b\n  z: end"
	for _, s := range []string{"", "a", "true", "yes", " lead", "trail ", "a\nb", "a\n", "a\n\n", "\n", "#x", "a: b", "%{n}", "'q' \"q\"", "\t\x01\u2028\ufeff", "- x", "1.5", "~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		d, err := Format{}.Parse([]byte(doc), format.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cats := []string{"one", "few", "other"}
		got := formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "ru", Categories: cats}, func(u *format.Unit) format.Output {
			o := format.Output{Text: text}
			if u.Plural != nil {
				o.Plural = format.Forms{"one": text, "few": text + "f", "other": text}
			}
			return o
		})
		var tree map[string]map[string]any
		if err := yamlv3.Unmarshal(got, &tree); err != nil {
			t.Fatalf("written file does not load: %v\n%s", err, got)
		}
		for k, v := range tree["ru"] {
			if k == "x" {
				want := map[string]any{"one": text, "few": text + "f", "other": text}
				if !reflect.DeepEqual(v, want) {
					t.Fatalf("x = %#v, want %#v\n%s", v, want, got)
				}
				continue
			}
			if v != text {
				t.Fatalf("%s = %#v, want %q\n%s", k, v, text, got)
			}
		}
		if len(tree["ru"]) != 8 {
			t.Fatalf("%d keys\n%s", len(tree["ru"]), got)
		}
	})
}

// A source export keeps the source's categories, Rails' "zero" included,
// whatever the source locale's CLDR categories are.
func TestPluralSourceExport(t *testing.T) {
	in := "en:\n  x:\n    zero:  none\n    one:   one\n    other: many\n"
	got := writeWith(t, in, format.Target{Kind: format.KindSource, Locale: "en", Categories: []string{"one", "other"}}, func(u *format.Unit) format.Output {
		o := format.Output{Text: "[" + u.Text + "]", Plural: format.Forms{}}
		for c, s := range u.Plural {
			o.Plural[c] = "[" + s + "]"
		}
		return o
	})
	if want := "en:\n  x:\n    zero:  \"[none]\"\n    one:   \"[one]\"\n    other: \"[many]\"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
