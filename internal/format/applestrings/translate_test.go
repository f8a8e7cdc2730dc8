package applestrings

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

// TestImportExportTranslations lays each translation onto the en source
// and checks that the target file carries every translated value in the
// source's layout.
func TestImportExportTranslations(t *testing.T) {
	enSrc, err := os.ReadFile(filepath.Join(corpusDir, "en.lproj", "Localizable.strings"))
	if err != nil {
		t.Fatal(err)
	}
	en := mustParse(t, enSrc, "en")
	var enKeys []string
	for _, u := range en.Units() {
		enKeys = append(enKeys, u.Key)
	}
	for _, lang := range []string{"de", "ru", "ar"} {
		raw, err := os.ReadFile(filepath.Join(corpusDir, lang+".lproj", "Localizable.strings"))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := Parse(raw, format.ParseOptions{Name: lang, Translation: true})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, u := range tr.Units() {
			want[u.Key] = u.Text
		}
		out := formattest.Write(t, en, format.Target{Kind: format.KindTarget, Locale: lang, SourceLocale: "en"}, func(u *format.Unit) format.Output {
			if v, ok := want[u.Key]; ok {
				return format.Output{Text: v, Status: format.Translated}
			}
			return format.Output{Text: u.Text, Source: true}
		})
		back := mustParse(t, out, lang+" target").Units()
		var keys []string
		matched := 0
		for _, u := range back {
			keys = append(keys, u.Key)
			if v, ok := want[u.Key]; ok {
				matched++
				if u.Text != v {
					t.Errorf("%s %s = %q, want %q", lang, u.Key, u.Text, v)
				}
			}
		}
		if !slices.Equal(keys, enKeys) {
			t.Errorf("%s: target keys are not the source's keys in order", lang)
		}
		if matched != len(want) {
			t.Errorf("%s: %d of %d translations came back", lang, matched, len(want))
		}
		// The corpus translations share the source's layout and escaping,
		// so the export must be exactly the translated file: no byte
		// difference is allowed.
		if !bytes.Equal(out, raw) {
			t.Errorf("%s: export differs from the corpus translation", lang)
		}
		t.Logf("%s: %d translated units exported and re-read; export equals the corpus file", lang, matched)
	}
}
