package all_test

import (
	"slices"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	_ "github.com/tolk-l10n/tolk/internal/format/all"
)

func TestRegistered(t *testing.T) {
	want := []string{"android", "arb", "json", "po", "properties", "resx", "strings", "stringsdict", "xliff", "yaml"}
	if got := format.Names(); !slices.Equal(got, want) {
		t.Errorf("format.Names() = %v, want %v", got, want)
	}
	for _, alias := range []string{"PO", "pot", "yml", "xlf"} {
		if _, ok := format.Lookup(alias); !ok {
			t.Errorf("alias %q not registered", alias)
		}
	}
}
