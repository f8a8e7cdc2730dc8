package stringsdict

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// exportTranslation lays the lang file's texts onto the en source as an
// exporter would for a target of that locale.
func exportTranslation(t *testing.T, lang string) (out []byte, want map[string]format.Unit) {
	t.Helper()
	en := mustParse(t, readCorpus(t, "en"), "en")
	tr := formattest.Parse(t, Format{}, readCorpus(t, lang), lang, nil, true)
	return formattest.ExportTarget(t, en, tr, lang)
}

func TestImportExportTranslations(t *testing.T) {
	wantCats := map[string][]string{
		"de": {"one", "other"},
		"ru": {"one", "few", "many", "other"},
		"ar": {"zero", "one", "two", "few", "many", "other"},
	}
	for _, lang := range []string{"de", "ru", "ar"} {
		out, want := exportTranslation(t, lang)
		back := mustParse(t, out, lang+" target")
		var matched int
		for _, u := range back.Units() {
			w, ok := want[u.Key]
			if !ok {
				t.Errorf("%s: unit %s is not in the translation", lang, u.Key)
				continue
			}
			matched++
			if u.Text != w.Text || !reflect.DeepEqual(u.Plural, w.Plural) {
				t.Errorf("%s %s = %q %v, want %q %v", lang, u.Key, u.Text, u.Plural, w.Text, w.Plural)
			}
			if u.Plural != nil && !slices.Equal(sortedCats(u.Plural), wantCats[lang]) {
				t.Errorf("%s %s: categories %v, want %v", lang, u.Key, sortedCats(u.Plural), wantCats[lang])
			}
		}
		if matched != len(want) {
			t.Errorf("%s: %d of %d units came back", lang, matched, len(want))
		}
		// The corpus translations come from the same source through a tool
		// that lays plural rules out as we do, except where the source puts
		// a category key before NSStringFormatSpecTypeKey ("names" in
		// plural.count.followed_by_and_mutual, and "count" in ar's
		// suggested-people entry): we write the locale's categories where
		// the source's run began, the tool wrote them after the spec keys.
		// Those lines are the only allowed difference: same lines, other
		// order, inside one variable dict.
		corpusLines, exportLines := lineDiff(readCorpus(t, lang), out)
		t.Logf("%s: %d units exported and re-read; %d lines differ from the corpus translation (key order in a variable dict)", lang, matched, len(corpusLines))
		if len(corpusLines) != allowedDiff[lang] {
			t.Errorf("%s: %d lines differ from the corpus translation, want %d:\n%s", lang, len(corpusLines), allowedDiff[lang], strings.Join(exportLines, "\n"))
		}
		slices.Sort(corpusLines)
		slices.Sort(exportLines)
		if !slices.Equal(corpusLines, exportLines) {
			t.Errorf("%s: differing lines are not a reordering:\n%v\n%v", lang, corpusLines, exportLines)
		}
	}
}

func sortedCats(f format.Forms) []string {
	var out []string
	for _, c := range plural.Order {
		if _, ok := f[c]; ok {
			out = append(out, c)
		}
	}
	return out
}

// allowedDiff is how many lines of each export may differ from the
// corpus translation (see TestImportExportTranslations).
var allowedDiff = map[string]int{"de": 0, "ru": 6, "ar": 12}

// lineDiff returns the lines of a and of b that differ, position by
// position.
func lineDiff(a, b []byte) (as, bs []string) {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			as, bs = append(as, x), append(bs, y)
		}
	}
	return as, bs
}

// readPlist is a small independent plist reader built on encoding/xml, as
// a consumer of the file would read it: dicts become maps, strings strings.
func readPlist(t *testing.T, src []byte) map[string]any {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(src)))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("plist: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			v, err := plistDict(dec)
			if err != nil {
				t.Fatalf("plist: %v", err)
			}
			return v
		}
	}
}

func plistDict(dec *xml.Decoder) (map[string]any, error) {
	m := map[string]any{}
	var key string
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch tt := tok.(type) {
		case xml.EndElement:
			return m, nil
		case xml.StartElement:
			v, err := plistValue(dec, tt)
			if err != nil {
				return nil, err
			}
			if tt.Name.Local == "key" {
				key = v.(string)
			} else {
				m[key] = v
			}
		}
	}
}

func plistValue(dec *xml.Decoder, se xml.StartElement) (any, error) {
	switch se.Name.Local {
	case "dict":
		return plistDict(dec)
	case "key", "string":
		var s string
		err := dec.DecodeElement(&s, &se)
		return s, err
	}
	return nil, errors.New("unexpected <" + se.Name.Local + ">")
}

func TestConsumerPlistReader(t *testing.T) {
	for _, lang := range []string{"de", "ru", "ar"} {
		out, _ := exportTranslation(t, lang)
		got, want := readPlist(t, out), readPlist(t, readCorpus(t, lang))
		if len(got) != 30 {
			t.Errorf("%s: %d entries read, want 30", lang, len(got))
		}
		if !reflect.DeepEqual(got, want) {
			for k := range want {
				if !reflect.DeepEqual(got[k], want[k]) {
					t.Errorf("%s %s: %v, want %v", lang, k, got[k], want[k])
				}
			}
		}
		checkXMLLint(t, lang, out)
	}
}

// checkXMLLint runs xmllint --noout on an exported file.
func checkXMLLint(t *testing.T, name string, data []byte) {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing (apt-get install -y libxml2-utils)")
		}
		t.Skip("xmllint is missing")
	}
	f := filepath.Join(t.TempDir(), name+".stringsdict")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "--noout", "--nonet", f)
	cmd.Stdin = io.LimitReader(nil, 0)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("xmllint %s: %v\n%s", name, err, msg)
	}
}
