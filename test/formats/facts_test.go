package formats

import "testing"

// corpusFact is a figure the corpus README states about a translation file,
// which its alignment must reproduce.
type corpusFact struct {
	file, locale string
	stored       int // -1: not stated
	untranslated int // -1: not stated
	duplicates   int
}

// corpusFacts come from shared/corpus/README.md: excalidraw's Crowdin
// exports hold "" for untranslated entries (de 12, ar 72, ja 28); jspwiki's
// translations have exactly the source's 512 keys and ru defines 15 twice;
// overseerr's de lacks 21 of 1,259 keys; Symfony's ru/ja/ar have 6 units
// still marked needs-translation.
var corpusFacts = []corpusFact{
	{"excalidraw", "de", -1, 12, 0},
	{"excalidraw", "ar", -1, 72, 0},
	{"excalidraw", "ja", -1, 28, 0},
	{"jspwiki", "de", 512, 0, 0},
	{"jspwiki", "ru", 512, 0, 15},
	{"jspwiki", "zh-CN", 512, 0, 0},
	{"overseerr", "de", 1238, 0, 0},
	{"symfony", "de", 116, 0, 0},
	{"symfony", "ru", 110, 6, 0},
	{"symfony", "ja", 110, 6, 0},
	{"symfony", "ar", 110, 6, 0},
}

func checkCorpusFacts(t *testing.T, results map[string]*setResult) {
	t.Helper()
	aligned := map[string]alignAnswer{}
	for _, r := range results {
		for k, v := range r.aligned {
			aligned[k] = v
		}
	}
	for _, f := range corpusFacts {
		got, ok := aligned[f.file+"/"+f.locale]
		switch {
		case !ok:
			t.Errorf("%s -> %s was not aligned", f.file, f.locale)
		case f.stored >= 0 && got.Stored != f.stored,
			f.untranslated >= 0 && got.Untranslated != f.untranslated,
			len(got.DuplicateKeys) != f.duplicates,
			len(got.UnknownKeys) != 0:
			t.Errorf("%s -> %s: stored %d, untranslated %d, %d duplicate and %d unknown keys; the corpus README says stored %d, untranslated %d, %d duplicates, no unknown key",
				f.file, f.locale, got.Stored, got.Untranslated, len(got.DuplicateKeys), len(got.UnknownKeys), f.stored, f.untranslated, f.duplicates)
		}
	}
}
