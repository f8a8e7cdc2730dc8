package xmlscan

import (
	"strings"
	"testing"
	"time"
)

func TestEncodeInline(t *testing.T) {
	g := map[string]bool{"g": true, "x": true}
	tests := []struct {
		name, text string
		in         Inline
		want       string
	}{
		{"any spelling", `<g id="1">a</g><x id='2' />`, Inline{Elements: g}, `<g id="1">a</g><x id='2' />`},
		{"fragment", `<b>a</b>`, Inline{Fragments: []string{"<b>", "</b>"}}, `<b>a</b>`},
		{"fragment unbalanced", `</b>a<b>`, Inline{Fragments: []string{"<b>", "</b>"}}, `&lt;/b>a&lt;b>`},
		{"unknown element", `<h>a</h>`, Inline{Elements: g}, `&lt;h>a&lt;/h>`},
		{"unclosed is all escaped", `<g>a</g><g>`, Inline{Elements: g}, `&lt;g>a&lt;/g>&lt;g>`},
		{"malformed start", `<g id="1>a</g>`, Inline{Elements: g}, `&lt;g id="1>a&lt;/g>`},
		{"no space between attributes", `<g a="1"b="2">a</g>`, Inline{Elements: g}, `&lt;g a="1"b="2">a&lt;/g>`},
		{"xml prefix", `<g xml:space="preserve">a</g>`, Inline{Elements: g}, `<g xml:space="preserve">a</g>`},
		{"non-XML characters", "a\uFFFEb\xffc", Inline{}, "ab\uFFFDc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Style{}.EncodeInline(tc.text, tc.in, false)
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if _, err := Parse([]byte("<r>"+got+"</r>"), Options{}); err != nil {
				t.Errorf("encoded text does not parse: %v", err)
			}
		})
	}
}

func TestAttrQuote(t *testing.T) {
	for src, want := range map[string]byte{
		`<r a='1'><s b='2' c="3"/></r>`: '\'',
		`<r a="1"><s b='2'/></r>`:       '"',
		`<r><s/></r>`:                   '"',
	} {
		doc, err := Parse([]byte(src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.AttrQuote(); got != want {
			t.Errorf("%s: quote %c, want %c", src, got, want)
		}
	}
}

// TestEncodeInlineLinear: a text of many unclosed tags must not take
// quadratic time.
func TestEncodeInlineLinear(t *testing.T) {
	text := strings.Repeat(`<g a='x `, 200_000)
	start := time.Now()
	got := Style{}.EncodeInline(text, Inline{Elements: map[string]bool{"g": true}}, false)
	if d := time.Since(start); d > 2*time.Second*slowdown {
		t.Errorf("took %v", d)
	}
	if !strings.HasPrefix(got, "&lt;g a='x ") {
		t.Errorf("got %.40s", got)
	}
}
