package formattest

import (
	"strings"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	if d := FirstDiff([]byte("same"), []byte("same")); d != "" {
		t.Errorf("equal inputs: %q", d)
	}
	d := FirstDiff([]byte("a\nbcd"), []byte("a\nbXd"))
	if !strings.Contains(d, "line 2 column 2") || !strings.Contains(d, `"cd"`) || !strings.Contains(d, `"Xd"`) {
		t.Errorf("got %q", d)
	}
	if d := FirstDiff([]byte("ab"), []byte("a")); !strings.Contains(d, "byte 1") {
		t.Errorf("shorter output: %q", d)
	}
}
