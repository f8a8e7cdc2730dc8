package po

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/plural"
)

const corpusDir = "../../../../shared/corpus/gettext-po/mypaint/po"

var corpusFiles = []string{"mypaint.pot", "de.po", "ru.po", "ja.po"}

func corpusPath(name string) string { return filepath.Join(corpusDir, name) }

func TestRoundTripCorpus(t *testing.T) {
	for _, name := range corpusFiles {
		t.Run(name, func(t *testing.T) {
			doc := formattest.RoundTrip(t, Format{}, corpusPath(name))
			t.Logf("%s: %d units round-tripped", name, len(doc.Units()))
			if n := len(doc.Units()); n != 1273 {
				t.Errorf("got %d units, want 1273 (corpus README)", n)
			}
		})
	}
}

func parseBytes(t *testing.T, b []byte, translation bool, user map[string]any) *Document {
	t.Helper()
	doc, err := Format{}.Parse(b, format.ParseOptions{Name: "test.po", Translation: translation,
		Settings: formattest.Settings(t, Format{}, user)})
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, b)
	}
	return doc.(*Document)
}

func byKey(units []format.Unit) map[string]format.Unit {
	m := map[string]format.Unit{}
	for _, u := range units {
		m[u.Key] = u
	}
	return m
}

// translate is the exporter's job for these tests: translated units get
// their text, the rest the PO default policy "empty".
func translate(tr map[string]format.Unit) func(u *format.Unit) format.Output {
	return func(u *format.Unit) format.Output {
		if tu, ok := tr[u.Key]; ok && tu.Status == format.Translated {
			return format.Output{Text: tu.Text, Plural: tu.Plural, Status: format.Translated}
		}
		return format.Output{Status: format.Untranslated}
	}
}

func target(locale string) format.Target {
	return format.Target{Kind: format.KindTarget, Locale: locale, SourceLocale: "en", Categories: plural.Categories(locale)}
}

// TestImportExport imports each translation onto the template, exports the
// target and checks texts, layout and gettext's acceptance.
func TestImportExport(t *testing.T) {
	potBytes, pot := formattest.ParseFile(t, Format{}, corpusPath("mypaint.pot"), false)
	dir := t.TempDir()
	for _, lang := range []string{"de", "ru", "ja"} {
		t.Run(lang, func(t *testing.T) {
			_, tdoc := formattest.ParseFile(t, Format{}, corpusPath(lang+".po"), true)
			tr := byKey(tdoc.Units())
			out := formattest.Write(t, pot, target(lang), translate(tr))
			back := parseBytes(t, out, true, nil)
			n := compareTranslations(t, tr, back.Units())
			t.Logf("%s: %d translated units exported and read back", lang, n)
			checkLayout(t, potBytes, pot.(*Document), out, back)
			checkHeader(t, back, lang)
			path := filepath.Join(dir, lang+".po")
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			checkMsgfmt(t, path, tr)
			checkMsgcat(t, path, out)
		})
	}
}

// compareTranslations requires every translated unit of tr to come back
// with the same text (all plural forms the target has), and every other
// unit to come back untranslated.
func compareTranslations(t *testing.T, tr map[string]format.Unit, got []format.Unit) int {
	t.Helper()
	n := 0
	for _, g := range got {
		w, ok := tr[g.Key]
		if !ok || w.Status != format.Translated {
			if g.Status != format.Untranslated || g.Text != "" {
				t.Errorf("key %q: untranslated unit written as %q", g.Key, g.Text)
			}
			continue
		}
		n++
		if g.Text != w.Text || g.Status != format.Translated {
			t.Errorf("key %q: got %q (%v), want %q", g.Key, g.Text, g.Status, w.Text)
		}
		for c, s := range w.Plural {
			if g.Plural[c] != s {
				t.Errorf("key %q: form %s = %q, want %q", g.Key, c, g.Plural[c], s)
			}
		}
	}
	if n == 0 {
		t.Error("no translated unit")
	}
	return n
}

// checkLayout requires the export to be the template with only msgstr,
// the header and fuzzy flags changed. Allowed differences: the header
// entry (Language, Plural-Forms, fuzzy flag) and the msgstr lines.
func checkLayout(t *testing.T, src []byte, sd *Document, out []byte, od *Document) {
	t.Helper()
	if len(sd.entries) != len(od.entries) {
		t.Fatalf("%d entries, template has %d", len(od.entries), len(sd.entries))
	}
	prevS, prevO := 0, 0
	for i, se := range sd.entries {
		oe := od.entries[i]
		if !bytes.Equal(src[prevS:se.start], out[prevO:oe.start]) {
			t.Fatalf("text before entry %q differs from the template", se.key())
		}
		prevS, prevO = se.end, oe.end
		if se == sd.header {
			continue
		}
		if !bytes.Equal(src[se.start:se.strStart], out[oe.start:oe.strStart]) {
			t.Errorf("comments or msgid of %q differ from the template", se.key())
		}
		if equal(se.strs, oe.strs) && !bytes.Equal(src[se.start:se.end], out[oe.start:oe.end]) {
			t.Errorf("unchanged entry %q not written byte for byte", se.key())
		}
	}
	if !bytes.Equal(src[prevS:], out[prevO:]) {
		t.Error("end of file differs from the template")
	}
}

var wantPluralForms = map[string]string{
	"de": "nplurals=2; plural=(n != 1);",
	"ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
	"ja": "nplurals=1; plural=0;",
	"ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}

func checkHeader(t *testing.T, d *Document, lang string) {
	t.Helper()
	h := d.header.strs[0]
	if got := headerField(h, "Language"); got != lang {
		t.Errorf("Language: %q, want %q", got, lang)
	}
	if got := headerField(h, "Plural-Forms"); got != wantPluralForms[lang] {
		t.Errorf("Plural-Forms: %q, want %q", got, wantPluralForms[lang])
	}
	if got := headerField(h, "POT-Creation-Date"); got != "2021-04-17 23:27+0200" {
		t.Errorf("POT-Creation-Date not kept: %q", got)
	}
	if d.header.fuzzy() {
		t.Error("target header still fuzzy")
	}
	for _, e := range d.entries {
		if e.hasPlural && len(e.strs) != wantForms(lang) {
			t.Errorf("plural %q: %d forms, want %d", e.id, len(e.strs), wantForms(lang))
		}
	}
}

// wantForms returns the number of forms the test expects for lang.
func wantForms(lang string) int {
	n := strings.TrimPrefix(strings.Split(wantPluralForms[lang], ";")[0], "nplurals=")
	return int(n[0] - '0')
}

// checkMsgfmt compiles path with msgfmt -c and decompiles it with
// msgunfmt: gettext itself must read every translation as tolk meant it.
func checkMsgfmt(t *testing.T, path string, tr map[string]format.Unit) {
	t.Helper()
	msgfmt := formattest.RequireTool(t, "msgfmt")
	mo := path + ".mo"
	if out, err := exec.Command(msgfmt, "-c", "-o", mo, path).CombinedOutput(); err != nil {
		t.Fatalf("msgfmt -c %s: %v\n%s", path, err, out)
	}
	if out, err := exec.Command(msgfmt, "-c", "-o", os.DevNull, path).CombinedOutput(); err != nil {
		t.Fatalf("msgfmt -c -o /dev/null: %v\n%s", err, out)
	}
	msgunfmt := formattest.RequireTool(t, "msgunfmt")
	out, err := exec.Command(msgunfmt, mo).Output()
	if err != nil {
		t.Fatalf("msgunfmt: %v", err)
	}
	got := byKey(parseBytes(t, out, true, nil).Units())
	n := 0
	for k, w := range tr {
		if w.Status != format.Translated {
			continue
		}
		n++
		if g := got[k]; g.Text != w.Text {
			t.Errorf("gettext reads %q as %q, want %q", k, g.Text, w.Text)
		}
	}
	if len(got) != n {
		t.Errorf("the .mo holds %d messages, want %d", len(got), n)
	}
}

func TestFuzzyImport(t *testing.T) {
	src, err := os.ReadFile(corpusPath("de.po"))
	if err != nil {
		t.Fatal(err)
	}
	// The line of each fuzzy entry's msgid, found without the parser.
	fuzzyLines := map[int]bool{}
	re := regexp.MustCompile(`(?m)^#, fuzzy\n(?:msgctxt .*\n)?(msgid )`)
	for _, m := range re.FindAllSubmatchIndex(src, -1) {
		fuzzyLines[bytes.Count(src[:m[2]], []byte("\n"))+1] = true
	}
	if len(fuzzyLines) != 8 {
		t.Fatalf("found %d fuzzy entries in de.po, want 8", len(fuzzyLines))
	}
	for _, importFuzzy := range []bool{false, true} {
		d := parseBytes(t, src, true, map[string]any{"importFuzzy": importFuzzy})
		n := 0
		for _, u := range d.Units() {
			if !fuzzyLines[u.Line] {
				continue
			}
			n++
			want := format.Untranslated
			if importFuzzy {
				want = format.Translated
			}
			if !u.HasStatus || u.Status != want {
				t.Errorf("importFuzzy=%v: %q has status %v (set %v), want %v", importFuzzy, u.Key, u.Status, u.HasStatus, want)
			}
		}
		if n != len(fuzzyLines) {
			t.Errorf("matched %d fuzzy units, want %d", n, len(fuzzyLines))
		}
	}
}

// checkMsgcat requires gettext's msgcat to leave the export unchanged: each
// rewritten msgstr is wrapped exactly as gettext wraps it.
func checkMsgcat(t *testing.T, path string, out []byte) {
	t.Helper()
	msgcat := formattest.RequireTool(t, "msgcat")
	got, err := exec.Command(msgcat, path).Output()
	if err != nil {
		t.Fatalf("msgcat: %v", err)
	}
	if d := formattest.FirstDiff(out, got); d != "" {
		t.Errorf("msgcat rewraps the export: %s", d)
	}
}

// TestExportSourcePolicyArabic exports the template to Arabic with every
// text left in English (policy "source"): six plural forms, and msgfmt -c
// must accept the file, format strings included.
func TestExportSourcePolicyArabic(t *testing.T) {
	_, pot := formattest.ParseFile(t, Format{}, corpusPath("mypaint.pot"), false)
	out := formattest.Write(t, pot, target("ar"), formattest.AllSource)
	back := parseBytes(t, out, true, nil)
	checkHeader(t, back, "ar")
	for _, u := range back.Units() {
		if u.Status != format.Translated {
			t.Fatalf("%q: msgstr not filled with the source text", u.Key)
		}
	}
	path := filepath.Join(t.TempDir(), "ar.po")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	msgfmt := formattest.RequireTool(t, "msgfmt")
	if res, err := exec.Command(msgfmt, "-c", "-o", os.DevNull, path).CombinedOutput(); err != nil {
		t.Fatalf("msgfmt -c: %v\n%s", err, res)
	}
	checkMsgcat(t, path, out)
}
