package android

import (
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// A <string> and a <plurals> of one name are two resources, so two units;
// a ru export writes each its own translation.
func TestStringAndPluralsSameName(t *testing.T) {
	src := "<resources>\n  <string name=\"x\">Files</string>\n  <plurals name=\"x\">\n    <item quantity=\"one\">%d file</item>\n    <item quantity=\"other\">%d files</item>\n  </plurals>\n  <plurals name=\"y\">\n    <item quantity=\"other\">%d y</item>\n  </plurals>\n</resources>\n"
	d := mustParse(t, []byte(src), "x.xml", nil)
	var keys []string
	for _, u := range d.Units() {
		keys = append(keys, u.Key)
	}
	if got := strings.Join(keys, ","); got != "x,x@plurals,y" {
		t.Fatalf("keys = %s", got)
	}
	if len(d.Duplicates()) != 0 {
		t.Errorf("Duplicates = %q", d.Duplicates())
	}
	tr := map[string]format.Output{
		"x":         {Text: "Файлы"},
		"x@plurals": {Text: "%d файла", Plural: format.Forms{"one": "%d файл", "few": "%d файла", "many": "%d файлов", "other": "%d файла"}},
		"y@plurals": {Text: "wrong"},
		"y":         {Text: "%d y", Plural: format.Forms{"one": "%d y", "few": "%d y", "many": "%d y", "other": "%d y"}},
	}
	got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: "ru", Categories: plural.Categories("ru")}, func(u *format.Unit) format.Output {
		return tr[u.Key]
	}))
	for _, want := range []string{
		"<string name=\"x\">Файлы</string>",
		"<item quantity=\"one\">%d файл</item>\n    <item quantity=\"few\">%d файла</item>\n    <item quantity=\"many\">%d файлов</item>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("ru target lacks %q:\n%s", want, got)
		}
	}
	if out := string(formattest.Write(t, d, format.Target{}, formattest.AllSource)); out != src {
		t.Errorf("round trip:\n%s", out)
	}
}

func TestDuplicateNames(t *testing.T) {
	src := "<resources>\n  <string name=\"a\">1</string>\n  <string name=\"b\">2</string>\n  <string name=\"a\">3</string>\n  <string name=\"a\" product=\"tablet\">4</string>\n  <plurals name=\"p\"><item quantity=\"other\">o</item></plurals>\n  <plurals name=\"p\"><item quantity=\"other\">o</item></plurals>\n</resources>\n"
	d := mustParse(t, []byte(src), "d.xml", nil)
	if got := strings.Join(d.Duplicates(), ","); got != "a,p" {
		t.Errorf("Duplicates = %q", got)
	}
}
