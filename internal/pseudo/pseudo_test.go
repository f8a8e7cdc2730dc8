package pseudo

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/placeholder"
)

func TestTranslate(t *testing.T) {
	tests := []struct {
		in   string
		syn  placeholder.Syntax
		want string
	}{
		{"", 0, ""},
		{"Save", 0, "[Šåṽé one]"},
		{"Hello {{name}}", placeholder.I18next, "[Ĥéļļö {{name}} one]"},
		{"{{count}}", placeholder.I18next, "[{{count}}]"},
		{"<b>Bold</b> & co", placeholder.Markup, "[<b>Ɓöļð</b> & çö one]"},
	}
	for _, tt := range tests {
		if got := Translate(tt.in, tt.syn); got != tt.want {
			t.Errorf("Translate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpansion(t *testing.T) {
	for _, n := range []int{1, 5, 10, 20, 30, 50, 100, 400} {
		text := strings.Repeat("x", n)
		got := utf8.RuneCountInString(Translate(text, 0)) - 2 - n
		lo, hi := n/6, n/2+len(" seventeen")
		if got < lo || got > hi {
			t.Errorf("length %d expanded by %d, want %d..%d", n, got, lo, hi)
		}
	}
}

func TestDeterministic(t *testing.T) {
	s := "{n, plural, one {# file} other {# files}} in <b>{dir}</b>"
	a := Translate(s, placeholder.ICU|placeholder.Markup)
	for range 5 {
		if b := Translate(s, placeholder.ICU|placeholder.Markup); a != b {
			t.Fatalf("not deterministic: %q vs %q", a, b)
		}
	}
}

// icuShape reduces an ICU message to its structure (arguments, selectors,
// '#' in plurals), dropping literal text. It is written independently of
// package placeholder so the test can catch that package's mistakes.
func icuShape(s string) (string, error) {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '{':
			depth++
			b.WriteByte('{')
		case '}':
			depth--
			if depth < 0 {
				return "", fmt.Errorf("unbalanced } at %d", i)
			}
			b.WriteByte('}')
		case '#':
			if depth > 0 {
				b.WriteByte('#')
			}
		default:
			// Inside an argument head (odd nesting: "{name, plural, one "),
			// the words are structure; text in branches is not.
			if depth%2 == 1 && c != ' ' {
				b.WriteByte(c)
			}
		}
	}
	if depth != 0 {
		return "", fmt.Errorf("unbalanced {")
	}
	return b.String(), nil
}

func loadStrings(t *testing.T, rel string) []string {
	t.Helper()
	path := rel
	if _, err := os.Stat(path); err != nil {
		path = strings.Replace(rel, "../../../shared", "/work/shared", 1)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("corpus missing: %v", err)
	}
	var v any
	if err := json.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// placeholderRE finds {{x}}, tags and simple ICU arguments; group 1 is set
// when the braces are a plural branch ("one {day}"), which is text.
var placeholderRE = regexp.MustCompile(`\{\{[^}]*\}\}|</?[a-zA-Z]+>|((?:\b(?:zero|one|two|few|many|other)|=\d+) ?)?\{\w+(?:, ?number)?\}`)

func TestCorpusPlaceholdersSurvive(t *testing.T) {
	cases := []struct {
		file string
		syn  placeholder.Syntax
		icu  bool
	}{
		{"../../../shared/corpus/json-flat-icu/overseerr/src/i18n/locale/en.json", placeholder.ICU | placeholder.Markup, true},
		{"../../../shared/corpus/json-nested/excalidraw/packages/excalidraw/locales/en.json", placeholder.I18next | placeholder.ICU | placeholder.Markup, false},
	}
	for _, c := range cases {
		texts := loadStrings(t, c.file)
		plurals := 0
		for _, text := range texts {
			p := Translate(text, c.syn)
			for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
				ph := m[0]
				if m[1] != "" {
					continue
				}
				if strings.Count(p, ph) < strings.Count(text, ph) {
					t.Errorf("%q lost %q: %q", text, ph, p)
				}
			}
			if text != "" && (!strings.HasPrefix(p, "[") || !strings.HasSuffix(p, "]")) {
				t.Errorf("%q not bracketed: %q", text, p)
			}
			if !c.icu {
				continue
			}
			if strings.Contains(text, "plural,") {
				plurals++
			}
			want, err := icuShape(text)
			if err != nil {
				t.Fatalf("source %q: %v", text, err)
			}
			got, err := icuShape(p)
			if err != nil || got != want {
				t.Errorf("ICU structure changed: %q -> %q (%s vs %s, %v)", text, p, want, got, err)
			}
		}
		if c.icu && plurals < 30 {
			t.Errorf("only %d plural strings seen in %s", plurals, c.file)
		}
	}
}
