package xliff

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

const corpus = "../../../../shared/corpus"

// corpusSet is one project of the corpus: a source file and translations.
type corpusSet struct {
	dir          string
	source       string
	translations map[string]string // file -> locale
	settings     map[string]any
}

var corpusSets = []corpusSet{
	{
		dir:    "xliff-1.2/symfony-validator/Resources/translations",
		source: "validators.en.xlf",
		translations: map[string]string{
			"validators.de.xlf": "de", "validators.ru.xlf": "ru", "validators.ja.xlf": "ja", "validators.ar.xlf": "ar",
		},
	},
	{
		dir:    "xliff-2.0/bolt-core/translations",
		source: "messages.en.xlf",
		translations: map[string]string{
			"messages.de.xlf": "de", "messages.ru.xlf": "ru", "messages.zh_CN.xlf": "zh-CN",
		},
		settings: map[string]any{SettingSourceFromTarget: true},
	},
}

func readCorpus(t testing.TB, set corpusSet, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(corpus, set.dir, name))
	if err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	return src
}

// TestCorpusRoundTrip writes every corpus file back unchanged and expects
// identical bytes.
func TestCorpusRoundTrip(t *testing.T) {
	for _, set := range corpusSets {
		names := []string{set.source}
		for n := range set.translations {
			names = append(names, n)
		}
		for _, name := range names {
			src := readCorpus(t, set, name)
			for _, translation := range []bool{false, true} {
				doc := formattest.Parse(t, Format{}, src, name, set.settings, translation)
				got := formattest.Write(t, doc, format.Target{Kind: format.KindSource, Locale: "en"}, formattest.AllSource)
				if !bytes.Equal(got, src) {
					t.Errorf("%s (translation=%v): written file differs from the source at byte %d", name, translation, firstDiff(got, src))
				}
				if !translation {
					t.Logf("%s: %d units round-tripped", name, len(doc.Units()))
				}
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// imported is what a translation file says about one unit.
type imported struct {
	text   string
	status format.Status
}

// importUnits reads a translation file the way an import does and keeps
// the translated units.
func importUnits(doc format.Document) map[string]imported {
	m := map[string]imported{}
	for _, u := range doc.Units() {
		if u.Text == "" || (u.HasStatus && u.Status == format.Untranslated) {
			continue
		}
		st := u.Status
		if !u.HasStatus {
			st = format.Translated
		}
		m[u.Key] = imported{u.Text, st}
	}
	return m
}

// export is one exported target file of the corpus.
type export struct {
	name string
	src  []byte // the source file
	got  []byte
	tr   map[string]imported
	set  corpusSet
}

// exportCorpus imports each translation onto its source and exports the
// target file for the translation's locale.
func exportCorpus(t *testing.T) []export {
	var exports []export
	for _, set := range corpusSets {
		src := readCorpus(t, set, set.source)
		source := formattest.Parse(t, Format{}, src, set.source, set.settings, false)
		for name, locale := range set.translations {
			tr := importUnits(formattest.Parse(t, Format{}, readCorpus(t, set, name), name, set.settings, true))
			out := func(u *format.Unit) format.Output {
				if im, ok := tr[u.Key]; ok {
					return format.Output{Text: im.text, Status: im.status}
				}
				return format.Output{Status: format.Untranslated}
			}
			got := formattest.Write(t, source, format.Target{Kind: format.KindTarget, Locale: locale, SourceLocale: "en"}, out)
			exports = append(exports, export{name, src, got, tr, set})
		}
	}
	return exports
}

// TestCorpusImportExport checks each exported target file: every
// translated unit has its text and state, the others have no target, and
// every other byte is the source's.
func TestCorpusImportExport(t *testing.T) {
	for _, ex := range exportCorpus(t) {
		source := formattest.Parse(t, Format{}, ex.src, ex.set.source, ex.set.settings, false)
		back := formattest.Parse(t, Format{}, ex.got, ex.name+" (exported)", ex.set.settings, true)
		checkExport(t, ex.name, source.Units(), back.Units(), ex.tr, ex.set.settings[SettingSourceFromTarget] == true)
		if a, b := stripTargets(t, ex.got), stripTargets(t, ex.src); !bytes.Equal(a, b) {
			i := firstDiff(a, b)
			t.Errorf("%s: outside targets, the export differs from the source at byte %d:\n%q\n%q", ex.name, i, around(a, i), around(b, i))
		}
		n := 0
		for _, u := range source.Units() {
			if _, ok := ex.tr[u.Key]; ok {
				n++
			}
		}
		t.Logf("%s: %d of %d source units translated (%d translated units in the file)", ex.name, n, len(source.Units()), len(ex.tr))
	}
}

// TestCorpusXmllint checks every exported file with xmllint: well-formed,
// and valid against the XLIFF schema when testdata holds it (see
// testdata/README.md for why it may not).
func TestCorpusXmllint(t *testing.T) {
	xmllint := formattest.RequireTool(t, "xmllint") // Debian: libxml2-utils
	for _, ex := range exportCorpus(t) {
		lint(t, xmllint, ex.name, ex.got)
	}
}

func around(b []byte, i int) []byte { return b[max(0, i-60):min(len(b), i+60)] }

// checkExport: an untranslated unit has no target, or with
// sourceFromTarget (Symfony would show the key) its source text.
func checkExport(t *testing.T, name string, src, back []format.Unit, tr map[string]imported, fromTarget bool) {
	t.Helper()
	if len(src) != len(back) {
		t.Fatalf("%s: export has %d units, source %d", name, len(back), len(src))
	}
	for i, u := range back {
		if u.Key != src[i].Key {
			t.Fatalf("%s: unit %d is %q, want %q", name, i, u.Key, src[i].Key)
		}
		im, ok := tr[u.Key]
		untranslated := ""
		if fromTarget {
			untranslated = src[i].Text
		}
		switch {
		case ok && (u.Text != im.text || u.Status != im.status || !u.HasStatus):
			t.Errorf("%s: %s = %q (%v), want %q (%v)", name, u.Key, u.Text, u.Status, im.text, im.status)
		case !ok && (u.Text != untranslated || !u.HasStatus || u.Status != format.Untranslated):
			t.Errorf("%s: untranslated %s exported as %q (%v)", name, u.Key, u.Text, u.Status)
		}
	}
}

// stripTargets removes what a target export may change: target elements
// with their lines, state attributes and the target-language values.
func stripTargets(t *testing.T, src []byte) []byte {
	t.Helper()
	doc, err := xmlscan.Parse(src, xmlscan.Options{})
	if err != nil {
		t.Fatalf("exported file: %v", err)
	}
	var ed xmlscan.Edits
	var walk func(e *xmlscan.Element)
	walk = func(e *xmlscan.Element) {
		if e.Local() == "target" {
			ed.Replace(xmlscan.Span{Start: xmlscan.LineStart(src, e.StartTag.Start), End: e.EndTag.End}, "")
			return
		}
		for _, a := range e.Attrs {
			switch a.Name {
			case "state":
				ed.Replace(xmlscan.Span{Start: a.Span.Start - 1, End: a.Span.End}, "")
			case "target-language", "trgLang":
				ed.Replace(a.ValueSpan, "X")
			}
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(doc.Root)
	out, err := ed.Apply(src)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// schemas maps an XLIFF namespace to its XSD in testdata, when present.
var schemas = map[string]string{
	"urn:oasis:names:tc:xliff:document:1.2": "testdata/xliff-core-1.2-strict.xsd",
	"urn:oasis:names:tc:xliff:document:2.0": "testdata/xliff_core_2.0.xsd",
}

// lint runs xmllint on an exported file: well-formedness always, the
// XLIFF schema when testdata holds it (see testdata/README.md).
func lint(t *testing.T, xmllint, name string, b []byte) {
	t.Helper()
	f := filepath.Join(t.TempDir(), filepath.Base(name))
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--noout", "--nonet"}
	for ns, xsd := range schemas {
		if bytes.Contains(b, []byte(`"`+ns+`"`)) {
			if _, err := os.Stat(xsd); err == nil {
				args = append(args, "--schema", xsd)
			}
		}
	}
	cmd := exec.Command(xmllint, append(args, f)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s: xmllint %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func lookToolQuiet(name string) string {
	p, _ := exec.LookPath(name)
	return p
}
