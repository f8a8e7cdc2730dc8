package yaml

import (
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
)

// TestFoldedReadsBack writes texts as folded blocks and has yaml/v3 read
// them back: every text foldedSafe accepts must come back unchanged.
func TestFoldedReadsBack(t *testing.T) {
	texts := []string{
		"a", "a\n", "a\n\n", "a\n\n\n", "a b", "a\nb", "a\n\nb", "a\n\n\nb\n", "a  b\nc\t", "x\ny\nz\n\n",
		"Hello, %{name}!\nSee <b>you</b>.\n", "Привет\n\nмир",
	}
	n := 0
	for _, text := range texts {
		if !foldedSafe(text) {
			t.Errorf("%q: not folded-safe", text)
			continue
		}
		for _, atEOF := range []bool{false, true} {
			if atEOF && strings.HasSuffix(text, "\n") {
				continue // a file ending without a line break cannot end the text with one
			}
			src := "k: " + folded(text, 2, "\n", atEOF)
			if !atEOF {
				src += "z: end\n"
			}
			var m map[string]string
			if err := yamlv3.Unmarshal([]byte(src), &m); err != nil {
				t.Fatalf("%q: %v\n%s", text, err, src)
			}
			if m["k"] != text {
				t.Errorf("%q (atEOF %v) read back as %q from\n%s", text, atEOF, m["k"], src)
			}
			n++
		}
	}
	for _, text := range []string{" lead", "a\n b", "\na", "a\n\tb", "", "\n"} {
		if foldedSafe(text) {
			t.Errorf("%q: folded-safe, but folding would change it", text)
		}
	}
	if !strings.HasPrefix(folded("a\nb", 2, "\n", false), ">-\n") {
		t.Error("strip indicator missing")
	}
	t.Logf("%d folded blocks read back", n)
}
