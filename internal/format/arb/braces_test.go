package arb

import (
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
)

func TestUnbalancedBracesRefused(t *testing.T) {
	for _, tc := range []struct {
		src       string
		key       string
		line, col int
	}{
		{"{\n  \"ok\": \"x\",\n  \"count\": \"{count, plural, one{x} other{y}\"\n}\n", "count", 3, 12},
		{"{\"a\": \"{n} and }\"}", "a", 1, 7},
		{"{\"@@locale\": \"en\",\n\"b\": \"{n, select, a{'{'} other{x}\"}", "b", 2, 6},
	} {
		_, err := Format{}.Parse([]byte(tc.src), format.ParseOptions{Name: "app_en.arb"})
		pe, ok := format.AsParseError(err)
		if !ok {
			t.Errorf("%q: got %v, want a ParseError", tc.src, err)
			continue
		}
		if pe.File != "app_en.arb" || pe.Key != tc.key || pe.Line != tc.line || pe.Column != tc.col || !strings.Contains(pe.Msg, "unbalanced") {
			t.Errorf("%q: %v (line %d col %d key %q), want %d:%d key %q", tc.src, pe, pe.Line, pe.Column, pe.Key, tc.line, tc.col, tc.key)
		}
	}
	for _, ok := range []string{
		`{"a": "{count, plural, =0{none} one{# item} other{# items}}"}`,
		`{"a": "Use '{' and '}' for args"}`,
		`{"a": "It''s {name}'s turn"}`,
		`{"a": "Don't {x}"}`,
		`{"a": "{x}", "@a": {"description": "a { lone brace in metadata"}}`,
	} {
		if _, err := (Format{}).Parse([]byte(ok), format.ParseOptions{Name: "ok.arb"}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestDuplicateKeys(t *testing.T) {
	d, err := parse([]byte(`{"a": "1", "@a": {}, "b": "2", "@a": {}, "a": "3", "a": "4"}`), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Duplicates(), ","); got != "a" {
		t.Errorf("Duplicates = %q", got)
	}
}
