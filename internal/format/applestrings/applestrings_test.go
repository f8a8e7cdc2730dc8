package applestrings

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/pseudo"
)

const corpusDir = "../../../../shared/corpus/apple-strings/mastodon-ios/MastodonSDK/Sources/MastodonLocalization/Resources"

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.lproj", "*.strings"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s (err %v)", corpusDir, err)
	}
	return files
}

func mustParse(t testing.TB, src []byte, name string) *Document {
	t.Helper()
	d, err := Parse(src, format.ParseOptions{Name: name})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return d
}

func TestRoundTripCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := mustParse(t, src, f)
		if got := formattest.Write(t, d, format.Target{}, formattest.AllSource); !bytes.Equal(got, src) {
			t.Errorf("%s: written file differs from the source", f)
		}
		// Same text without the Source flag must also reproduce the bytes.
		same := func(u *format.Unit) format.Output { return format.Output{Text: u.Text} }
		if got := formattest.Write(t, d, format.Target{}, same); !bytes.Equal(got, src) {
			t.Errorf("%s: unchanged texts did not reproduce the source", f)
		}
		t.Logf("%s: %d units round-tripped", filepath.Base(filepath.Dir(f)), len(d.Units()))
		if n := len(d.Units()); n != 614 {
			t.Errorf("%s: %d units, want 614", f, n)
		}
	}
}

func TestCorpusTexts(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpusDir, "en.lproj", "Localizable.strings"))
	if err != nil {
		t.Fatal(err)
	}
	units := mustParse(t, src, "en").Units()
	byKey := map[string]string{}
	for _, u := range units {
		byKey[u.Key] = u.Text
	}
	want := map[string]string{
		"Common.Alerts.MediaMissingAltText.Message":      "%d of your images are missing alt text.\nPost Anyway?",
		"Common.Controls.Timeline.Header.BlockedWarning": "You can’t view this user’s profile\nuntil they unblock you.",
	}
	for k, v := range want {
		if byKey[k] != v {
			t.Errorf("%s = %q, want %q", k, byKey[k], v)
		}
	}
	var quoted int
	for _, u := range units {
		if strings.Contains(u.Text, `"`) {
			quoted++
		}
		if strings.Contains(u.Text, `\"`) {
			t.Errorf("%s: escape left in decoded text %q", u.Key, u.Text)
		}
	}
	if quoted == 0 {
		t.Error("no decoded text holds a double quote, though en has \\\" escapes")
	}
}

func TestSyntheticFile(t *testing.T) {
	src := "/* Licence header */\n\n" +
		"/* Greeting on the home screen */\n\"greeting\" = \"Hello, %@!\";\n" +
		"// first line\n// second line\n\"esc\" = \"a\\\"b\\\\c\\nd\\te\\U00e9\\u00E8\\UD83D\\UDE00\";\n" +
		"bare_key = bare.value;\n" +
		"\"multi\" = \"one\ntwo\";\n" +
		"\"short\";\n" +
		"\"last\" = \"no newline\";"
	d := mustParse(t, []byte(src), "syn.strings")
	units := d.Units()
	want := []struct {
		key, text, note string
	}{
		{"greeting", "Hello, %@!", "Greeting on the home screen"},
		{"esc", "a\"b\\c\nd\teéè😀", "first line\nsecond line"},
		{"bare_key", "bare.value", ""},
		{"multi", "one\ntwo", ""},
		{"short", "short", ""},
		{"last", "no newline", ""},
	}
	if len(units) != len(want) {
		t.Fatalf("got %d units, want %d", len(units), len(want))
	}
	for i, w := range want {
		u := units[i]
		note := strings.Join(u.Notes, "|")
		if u.Key != w.key || u.Text != w.text || note != w.note {
			t.Errorf("unit %d = %q %q note %q, want %q %q note %q", i, u.Key, u.Text, note, w.key, w.text, w.note)
		}
	}
	if units[5].Line != 12 {
		t.Errorf("last unit on line %d, want 12", units[5].Line)
	}
	if got := formattest.Write(t, d, format.Target{}, formattest.AllSource); string(got) != src {
		t.Errorf("round trip differs:\n%s", got)
	}
	tr := map[string]string{"greeting": "Hallo, %@!", "esc": "x\"y\\z\nw", "bare_key": "neu", "multi": "eins \"zwei\"", "short": "kurz", "last": "Ende"}
	got := formattest.Write(t, d, format.Target{Locale: "de"}, func(u *format.Unit) format.Output { return format.Output{Text: tr[u.Key]} })
	wantOut := "/* Licence header */\n\n" +
		"/* Greeting on the home screen */\n\"greeting\" = \"Hallo, %@!\";\n" +
		"// first line\n// second line\n\"esc\" = \"x\\\"y\\\\z\\nw\";\n" +
		"bare_key = neu;\n" +
		"\"multi\" = \"eins \\\"zwei\\\"\";\n" +
		"\"short\" = \"kurz\";\n" +
		"\"last\" = \"Ende\";"
	if string(got) != wantOut {
		t.Errorf("translated file:\n%s\nwant:\n%s", got, wantOut)
	}
	back := mustParse(t, got, "back")
	for _, u := range back.Units() {
		if u.Text != tr[u.Key] {
			t.Errorf("re-parsed %s = %q, want %q", u.Key, u.Text, tr[u.Key])
		}
	}
}

func TestOmit(t *testing.T) {
	src := "/* a */\n\"a\" = \"1\";\n\"b\" = \"2\"; \r\n  \"c\" = \"3\";"
	d := mustParse(t, []byte(src), "omit")
	omit := func(keys ...string) func(u *format.Unit) format.Output {
		return func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text, Source: true, Omit: slices.Contains(keys, u.Key)}
		}
	}
	cases := []struct {
		keys []string
		want string
	}{
		{[]string{"a"}, "\"b\" = \"2\"; \r\n  \"c\" = \"3\";"},
		{[]string{"b"}, "/* a */\n\"a\" = \"1\";\n  \"c\" = \"3\";"},
		{[]string{"c"}, "/* a */\n\"a\" = \"1\";\n\"b\" = \"2\"; "},
		{[]string{"a", "b", "c"}, ""},
	}
	for _, c := range cases {
		if got := string(formattest.Write(t, d, format.Target{}, omit(c.keys...))); got != c.want {
			t.Errorf("omit %v = %q, want %q", c.keys, got, c.want)
		}
	}
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	enc := encUTF16LE
	var out []byte
	if bigEndian {
		enc = encUTF16BE
	}
	if bom {
		out = map[encoding][]byte{encUTF16LE: bomUTF16LE, encUTF16BE: bomUTF16BE}[enc]
	}
	return append(append([]byte(nil), out...), encodeUTF16([]byte(s), enc)...)
}

func TestUTF16(t *testing.T) {
	text := "/* Ünïcode */\r\n\"key\" = \"Grüße 😀\";\r\n\"other\" = \"x\";\r\n"
	for _, c := range []struct {
		name     string
		be, bom  bool
		wantHead []byte
	}{
		{"LE BOM", false, true, []byte{0xFF, 0xFE, '/', 0}},
		{"BE BOM", true, true, []byte{0xFE, 0xFF, 0, '/'}},
		{"LE no BOM", false, false, []byte{'/', 0}},
		{"BE no BOM", true, false, []byte{0, '/'}},
	} {
		src := utf16Bytes(text, c.be, c.bom)
		d := mustParse(t, src, c.name)
		units := d.Units()
		if len(units) != 2 || units[0].Text != "Grüße 😀" || units[0].Notes[0] != "Ünïcode" {
			t.Fatalf("%s: units %+v", c.name, units)
		}
		if got := formattest.Write(t, d, format.Target{}, formattest.AllSource); !bytes.Equal(got, src) {
			t.Errorf("%s: round trip differs", c.name)
		}
		got := formattest.Write(t, d, format.Target{Locale: "ja"}, func(u *format.Unit) format.Output {
			return format.Output{Text: "日本語 " + u.Key}
		})
		if !bytes.HasPrefix(got, c.wantHead) {
			t.Errorf("%s: output starts % x, want % x", c.name, got[:4], c.wantHead)
		}
		want := utf16Bytes("/* Ünïcode */\r\n\"key\" = \"日本語 key\";\r\n\"other\" = \"日本語 other\";\r\n", c.be, c.bom)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: translated output is not the expected UTF-16", c.name)
		}
	}
}

func TestUnixNewline(t *testing.T) {
	src := "\"a\" = \"1\";\r\n\"b\" = \"2\";\r\n"
	d, err := Parse([]byte(src), format.ParseOptions{Settings: format.Settings{"unixNewline": true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(formattest.Write(t, d, format.Target{}, formattest.AllSource)); got != "\"a\" = \"1\";\n\"b\" = \"2\";\n" {
		t.Errorf("got %q", got)
	}
}

func TestMalformed(t *testing.T) {
	cases := []formattest.MalformedCase{
		{Src: "\"a\" = \"1\";\n\"b\" = \"2\"\n\"c\" = \"3\";", Line: 3, Col: 1},
		{Src: "\"a\" = \"1\";\n  \"b\" \"2\";", Line: 2, Col: 7},
		{Src: "\"a\" = \"unterminated;\n", Line: 1, Col: 7},
		{Src: "\"a\" = \"1\";\n/* open comment", Line: 2, Col: 1},
		{Src: "\"a\" = ;", Line: 1, Col: 7},
		{Src: "\"ü\" = \"1\"", Line: 1, Col: 10},
	}
	formattest.Malformed(t, Format{}.Parse, "bad.strings", cases)
}

// printfRE matches the placeholders a translation must keep.
var printfRE = regexp.MustCompile(`%#@[A-Za-z0-9_]+@|%(\d+\$)?[-+ #0']*\d*(\.\d+)?(hh|h|ll|l|q|z|t|j|L)?[@dDiuUxXoOfeEgGcCsSpaA%]`)

// pseudoText is the pseudo-translation the exporter makes.
func pseudoText(s string) string { return pseudo.Translate(s, Format{}.Syntax(nil)) }

func TestPseudoKeepsPlaceholders(t *testing.T) {
	src := "\"a\" = \"Hello %@ and %1$@, %lld items\";\n\"b\" = \"%#@count@ left, 100%%\";\n"
	files := append(corpusFiles(t)[:1], "synthetic")
	for _, f := range files {
		raw := []byte(src)
		if f != "synthetic" {
			var err error
			if raw, err = os.ReadFile(f); err != nil {
				t.Fatal(err)
			}
		}
		d := mustParse(t, raw, f)
		got := formattest.Write(t, d, format.Target{Kind: format.KindPseudo, Locale: "qps"}, func(u *format.Unit) format.Output {
			return format.Output{Text: pseudoText(u.Text)}
		})
		back := mustParse(t, got, "pseudo").Units()
		orig := d.Units()
		var n int
		for i, u := range back {
			want := printfRE.FindAllString(orig[i].Text, -1)
			n += len(want)
			if have := printfRE.FindAllString(u.Text, -1); !slices.Equal(have, want) {
				t.Errorf("%s: placeholders %v, want %v", u.Key, have, want)
			}
			if u.Text != pseudoText(orig[i].Text) {
				t.Errorf("%s: re-parsed %q, want %q", u.Key, u.Text, pseudoText(orig[i].Text))
			}
		}
		if n == 0 {
			t.Errorf("%s: no placeholder checked", f)
		}
	}
}

func TestSettings(t *testing.T) {
	s, err := format.Resolve(Format{}, map[string]any{"untranslated": "omit"})
	if err != nil || s.String("untranslated") != "omit" {
		t.Fatalf("resolve: %v %v", s, err)
	}
	if _, err := format.Resolve(Format{}, map[string]any{"untranslated": "bogus"}); err == nil {
		t.Error("bogus untranslated value accepted")
	}
	if f, ok := format.Lookup("strings"); !ok || f.Name() != "strings" {
		t.Error("parser strings is not registered")
	}
}

func TestTrailingComment(t *testing.T) {
	src := "\"a\" = \"1\"; // about a\n/* b note */\n\"b\" = \"2\"; /* about b */\n\"c\" = \"3\";\n"
	d := mustParse(t, []byte(src), "trail")
	units := d.Units()
	if len(units[0].Notes) != 0 || strings.Join(units[1].Notes, "") != "b note" || len(units[2].Notes) != 0 {
		t.Errorf("notes %q %q %q", units[0].Notes, units[1].Notes, units[2].Notes)
	}
	for key, want := range map[string]string{
		"a": "/* b note */\n\"b\" = \"2\"; /* about b */\n\"c\" = \"3\";\n",
		"b": "\"a\" = \"1\"; // about a\n\"c\" = \"3\";\n",
	} {
		got := formattest.Write(t, d, format.Target{}, func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text, Source: true, Omit: u.Key == key}
		})
		if string(got) != want {
			t.Errorf("omit %s = %q, want %q", key, got, want)
		}
	}
}

func TestUTF8BOM(t *testing.T) {
	src := "\uFEFF\"a\" = \"ä\";\n"
	d := mustParse(t, []byte(src), "bom")
	if u := d.Units(); len(u) != 1 || u[0].Key != "a" {
		t.Fatalf("units %+v", u)
	}
	got := formattest.Write(t, d, format.Target{}, func(*format.Unit) format.Output { return format.Output{Text: "ö"} })
	if string(got) != "\uFEFF\"a\" = \"ö\";\n" {
		t.Errorf("got %q", got)
	}
}
