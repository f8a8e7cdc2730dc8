package po

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

const noHeaderPOT = "#: src/files.c:12\n#, c-format\nmsgid \"%d file\"\nmsgid_plural \"%d files\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n\nmsgid \"Size\"\nmsgstr \"\"\n"

// A template without a header entry gets one in targets and pseudo files,
// so that msgfmt -c accepts their plural entries and UTF-8 texts.
func TestTargetWithoutHeaderEntry(t *testing.T) {
	msgfmt := formattest.RequireTool(t, "msgfmt")
	pot := parseBytes(t, []byte(noHeaderPOT), false, nil)
	ru := map[string]format.Output{
		"%d file": {Text: "%d файла", Status: format.Translated,
			Plural: format.Forms{"one": "%d файл", "few": "%d файла", "many": "%d файлов", "other": "%d файла"}},
		"Size": {Text: "Размер", Status: format.Translated},
	}
	for _, tc := range []struct {
		name string
		tgt  format.Target
	}{
		{"ru", target("ru")},
		{"pseudo", format.Target{Kind: format.KindPseudo, Locale: "ru", Categories: target("ru").Categories}},
		{"ja", target("ja")},
	} {
		out := formattest.Write(t, pot, tc.tgt, func(u *format.Unit) format.Output { return ru[u.Key] })
		if !strings.HasPrefix(string(out), "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n") ||
			!strings.Contains(string(out), "\\n\"\n\n#: src/files.c:12\n#, c-format\nmsgid \"%d file\"\n") {
			t.Errorf("%s: header not in front of the entries:\n%s", tc.name, out)
		}
		back := parseBytes(t, out, true, nil)
		if back.header == nil || headerField(back.header.strs[0], "Language") != tc.tgt.Locale ||
			headerField(back.header.strs[0], "Plural-Forms") != wantPluralForms[tc.tgt.Locale] {
			t.Errorf("%s: header %+v", tc.name, back.header)
		}
		if u := byKey(back.Units())["%d file"]; tc.name == "ru" && (u.Plural["few"] != "%d файла" || u.Plural["many"] != "%d файлов") {
			t.Errorf("%s: plural read back as %v", tc.name, u.Plural)
		}
		path := filepath.Join(t.TempDir(), tc.name+".po")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if res, err := exec.Command(msgfmt, "-c", "-o", os.DevNull, path).CombinedOutput(); err != nil {
			t.Errorf("%s: msgfmt -c: %v\n%s\n%s", tc.name, err, res, out)
		}
	}
	// The source export stays the template as it was.
	if out := formattest.Write(t, pot, format.Target{Kind: format.KindSource, Locale: "en"}, formattest.AllSource); string(out) != noHeaderPOT {
		t.Errorf("source export changed:\n%s", out)
	}
}
