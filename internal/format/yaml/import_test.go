package yaml

import (
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

// Strings written in flow style in a translation are imported like block
// ones; in a source they stay unoffered.
func TestTranslationFlowMappings(t *testing.T) {
	src := "ru:\n  greeting: {hello: Привет, bye: 'Пока'}\n  files: {one: '%{count} файл', few: '%{count} файла', many: '%{count} файлов', other: '%{count} файла'}\n  n: {a: {b: x, t: true, num: 3}}\n  plain: да\n"
	doc, err := Format{}.Parse([]byte(src), format.ParseOptions{Name: "ru.yml", Translation: true})
	if err != nil {
		t.Fatal(err)
	}
	got := formattest.Texts(doc.Units())
	want := map[string]string{"greeting.hello": "Привет", "greeting.bye": "Пока", "files": "%{count} файла", "n.a.b": "x", "plain": "да"}
	if len(got) != len(want) {
		t.Errorf("units %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, u := range doc.Units() {
		if u.Key == "files" && (u.Plural["few"] != "%{count} файла" || u.Plural["many"] != "%{count} файлов" || u.Line != 3) {
			t.Errorf("files = %+v", u)
		}
	}
	// Written back (nothing to export from a translation, but it must not
	// break), the flow mappings are kept as they are.
	out := formattest.Write(t, doc, format.Target{Kind: format.KindTarget, Locale: "ru"}, func(u *format.Unit) format.Output { return format.Output{Text: "T"} })
	if !strings.Contains(string(out), "{hello: Привет, bye: 'Пока'}") || !strings.Contains(string(out), "plain: T") {
		t.Errorf("written:\n%s", out)
	}
	source, err := Format{}.Parse([]byte(src), format.ParseOptions{Name: "ru.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if keys := formattest.Texts(source.Units()); len(keys) != 1 {
		t.Errorf("source units %v, want only plain", keys)
	}
}

func TestUnknownAliasPosition(t *testing.T) {
	for _, tc := range []struct {
		src       string
		line, col int
	}{
		{"en:\n  a: \"*nope\"\n  b: x # *nope\n  c: *nope\n", 4, 6},
		{"en:\n  list: [a, *gone]\n", 2, 13},
		{"en:\n  - *top\n", 2, 5},
	} {
		_, err := Format{}.Parse([]byte(tc.src), format.ParseOptions{Name: "a.yml"})
		pe, ok := format.AsParseError(err)
		if !ok || pe.Line != tc.line || pe.Column != tc.col || !strings.Contains(pe.Msg, "unknown anchor") {
			t.Errorf("%q: %v, want an unknown-anchor error at %d:%d", tc.src, err, tc.line, tc.col)
		}
	}
}

func TestDuplicateKeys(t *testing.T) {
	doc, err := Format{}.Parse([]byte("en:\n  a: 1x\n  b:\n    c: y\n  a: 2x\n  b:\n    c: z\n"), format.ParseOptions{Name: "d.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(doc.(*document).Duplicates(), ","); got != "a,b.c" {
		t.Errorf("Duplicates = %q", got)
	}
}
