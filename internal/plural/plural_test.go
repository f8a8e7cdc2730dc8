package plural

import (
	"slices"
	"testing"
)

func TestCategories(t *testing.T) {
	tests := []struct {
		locale string
		want   []string
	}{
		{"en", []string{"one", "other"}},
		{"en-US", []string{"one", "other"}},
		{"de-DE", []string{"one", "other"}},
		{"ru", []string{"one", "few", "many", "other"}},
		{"pl", []string{"one", "few", "many", "other"}},
		{"ar", []string{"zero", "one", "two", "few", "many", "other"}},
		{"ja-JP", []string{"other"}},
		{"zh-CN", []string{"other"}},
		{"cy", []string{"zero", "one", "two", "few", "many", "other"}},
		{"not a locale", []string{"other"}},
	}
	for _, tt := range tests {
		if got := Categories(tt.locale); !slices.Equal(got, tt.want) {
			t.Errorf("Categories(%q) = %v, want %v", tt.locale, got, tt.want)
		}
	}
}
