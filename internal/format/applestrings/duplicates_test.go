package applestrings

import (
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
)

func TestDuplicates(t *testing.T) {
	d, err := Parse([]byte("\"a\" = \"1\";\n\"b\" = \"2\";\n\"a\" = \"3\";\nc = d;\n\"a\" = \"4\";\n\"c\" = \"5\";\n"), format.ParseOptions{Name: "x.strings"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Duplicates(), ","); got != "a,c" {
		t.Errorf("Duplicates = %q", got)
	}
	d, err = Parse([]byte("\"a\" = \"1\";\n\"b\" = \"2\";\n"), format.ParseOptions{})
	if err != nil || len(d.Duplicates()) != 0 {
		t.Errorf("no duplicates: %q, %v", d.Duplicates(), err)
	}
}
