package formats

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tolk-l10n/tolk/internal/plural"
)

// Locale markers and plural categories of target files, read with this
// test's own patterns.
var (
	reXLIFF12Target = regexp.MustCompile(`<file\s[^>]*target-language="([^"]*)"`)
	reXLIFF20Target = regexp.MustCompile(`<xliff\s[^>]*trgLang="([^"]*)"`)
	reAndroidPlural = regexp.MustCompile(`(?s)<plurals\s[^>]*name="([^"]+)"[^>]*>(.*?)</plurals>`)
	reQuantity      = regexp.MustCompile(`<item quantity="(\w+)"`)
)

// sameLocale compares locale spellings: case and "-" or "_" aside.
func sameLocale(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "-")) }
	return norm(a) == norm(b)
}

// checkXLIFFLanguage: a target file names its locale as target language.
func checkXLIFFLanguage(data []byte, loc string) error {
	m := reXLIFF12Target.FindSubmatch(data)
	if m == nil {
		m = reXLIFF20Target.FindSubmatch(data)
	}
	if m == nil {
		return fmt.Errorf("no target language, want %s", loc)
	}
	if !sameLocale(string(m[1]), loc) {
		return fmt.Errorf("target language %q, want %s", m[1], loc)
	}
	return nil
}

// checkAndroidPlurals: every <plurals> has exactly the locale's categories.
func checkAndroidPlurals(data []byte, loc string) error {
	want := plural.Categories(loc)
	for _, m := range reAndroidPlural.FindAllSubmatch(data, -1) {
		var got []string
		for _, q := range reQuantity.FindAllSubmatch(m[2], -1) {
			got = append(got, string(q[1]))
		}
		if !slices.Equal(sorted(got), sorted(want)) {
			return fmt.Errorf("plurals %s has %v, want %v", m[1], got, want)
		}
	}
	return nil
}

// checkStringsdictPlurals: every plural rule variable of the plist has
// exactly the locale's categories.
func checkStringsdictPlurals(data []byte, loc string) error {
	v, err := readPlist(data)
	if err != nil {
		return err
	}
	root, _ := v.(map[string]any)
	want := sorted(plural.Categories(loc))
	for key, entry := range root {
		e, _ := entry.(map[string]any)
		for name, variable := range e {
			vd, ok := variable.(map[string]any)
			if !ok || vd["NSStringFormatSpecTypeKey"] != "NSStringPluralRuleType" {
				continue
			}
			var got []string
			for k := range vd {
				if plural.Valid(k) {
					got = append(got, k)
				}
			}
			if !slices.Equal(sorted(got), want) {
				return fmt.Errorf("%s/%s has %v, want %v", key, name, sorted(got), want)
			}
		}
	}
	return nil
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
