package json

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

var i18nextOn = format.Settings{"plurals": PluralsI18next}

const pluralSrc = "{\n" +
	"  \"title\": \"Files\",\n" +
	"  \"files\": {\n" +
	"    \"count_one\": \"{{count}} file\",\n" +
	"    \"count_other\": \"{{count}} files\",\n" +
	"    \"size\": \"Size\"\n" +
	"  },\n" +
	"  \"item_one\": \"One item\",\n" +
	"  \"item_other\": \"{{count}} items\"\n" +
	"}\n"

func TestI18nextPluralUnits(t *testing.T) {
	d := parse(t, pluralSrc, i18nextOn)
	us := d.Units()
	if got := strings.Join(keys(d), ","); got != "title,files.count,files.size,item" {
		t.Fatalf("keys = %s", got)
	}
	if us[1].Text != "{{count}} files" || us[1].Plural["one"] != "{{count}} file" || len(us[1].Plural) != 2 || us[1].Line != 4 {
		t.Errorf("files.count = %+v", us[1])
	}
	if us[3].Plural["other"] != "{{count}} items" {
		t.Errorf("item = %+v", us[3])
	}
	if out := write(t, d, format.Target{}, sourceOut); out != pluralSrc {
		t.Errorf("round trip gave %q", out)
	}
	off := parse(t, pluralSrc, nil)
	if got := strings.Join(keys(off), ","); got != "title,files.count_one,files.count_other,files.size,item_one,item_other" {
		t.Errorf("setting off: keys = %s", got)
	}
}

func TestI18nextPluralWriteRussian(t *testing.T) {
	d := parse(t, pluralSrc, i18nextOn)
	ru := map[string]format.Forms{
		"files.count": {"one": "{{count}} файл", "few": "{{count}} файла", "many": "{{count}} файлов", "other": "{{count}} файла"},
	}
	tgt := format.Target{Kind: format.KindTarget, Locale: "ru", Categories: plural.Categories("ru")}
	out := write(t, d, tgt, func(u *format.Unit) format.Output {
		if f, ok := ru[u.Key]; ok {
			return format.Output{Text: f["other"], Plural: f, Status: format.Translated}
		}
		if u.Key == "item" {
			// Untranslated plural: the source forms, spread over ru's categories.
			return format.Output{Text: u.Text, Plural: format.Forms{"one": u.Plural["one"]}}
		}
		return sourceOut(u)
	})
	want := "{\n" +
		"  \"title\": \"Files\",\n" +
		"  \"files\": {\n" +
		"    \"count_one\": \"{{count}} файл\",\n" +
		"    \"count_few\": \"{{count}} файла\",\n" +
		"    \"count_many\": \"{{count}} файлов\",\n" +
		"    \"count_other\": \"{{count}} файла\",\n" +
		"    \"size\": \"Size\"\n" +
		"  },\n" +
		"  \"item_one\": \"One item\",\n" +
		"  \"item_few\": \"{{count}} items\",\n" +
		"  \"item_many\": \"{{count}} items\",\n" +
		"  \"item_other\": \"{{count}} items\"\n" +
		"}\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	re := parse(t, out, i18nextOn)
	if f := re.Units()[1].Plural; len(f) != 4 || f["many"] != "{{count}} файлов" {
		t.Errorf("re-parsed forms = %v", f)
	}
}

func TestI18nextPluralWriteJapaneseAndOmit(t *testing.T) {
	d := parse(t, pluralSrc, i18nextOn)
	tgt := format.Target{Locale: "ja", Categories: plural.Categories("ja")}
	out := write(t, d, tgt, func(u *format.Unit) format.Output {
		switch u.Key {
		case "files.count":
			return format.Output{Text: "{{count}} ファイル", Plural: format.Forms{"other": "{{count}} ファイル"}}
		case "item":
			return format.Output{Omit: true}
		}
		return sourceOut(u)
	})
	want := "{\n" +
		"  \"title\": \"Files\",\n" +
		"  \"files\": {\n" +
		"    \"count_other\": \"{{count}} ファイル\",\n" +
		"    \"size\": \"Size\"\n" +
		"  }\n" +
		"}\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestI18nextGroupRules(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		// No _other: ordinary keys.
		{`{"a_one": "x", "a_many": "y"}`, "a_one,a_many"},
		// Non-string member: not part of a group.
		{`{"a_one": 1, "a_other": "y"}`, "a"},
		// A repeated category makes the stem ordinary.
		{`{"a_one": "x", "a_other": "y", "a_other": "z"}`, "a_one,a_other"},
		// Not adjacent, still one group at the first member.
		{`{"a_one": "x", "b": "b", "a_other": "y"}`, "a,b"},
		// "_" alone or no stem.
		{`{"_other": "x", "other": "y"}`, "_other,other"},
	}
	for _, tt := range tests {
		d := parse(t, tt.src, i18nextOn)
		if got := strings.Join(keys(d), ","); got != tt.want {
			t.Errorf("%s: keys %s, want %s", tt.src, got, tt.want)
		}
		if out := write(t, d, format.Target{}, sourceOut); out != tt.src {
			t.Errorf("%s: round trip %s", tt.src, out)
		}
	}
}

// The excalidraw keys that look like plural suffixes stay ordinary keys,
// with the setting off and, lacking "_other", with it on too.
func TestExcalidrawLookalikeKeys(t *testing.T) {
	path := filepath.Join(corpusDir(t), "json-nested/excalidraw/packages/excalidraw/locales/en.json")
	for _, set := range []format.Settings{nil, i18nextOn} {
		d, err := Format{}.Parse(mustRead(t, path), format.ParseOptions{Settings: set})
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, u := range d.Units() {
			found[u.Key] = true
			if u.Plural != nil {
				t.Errorf("settings %v: %q became a plural", set, u.Key)
			}
		}
		for _, k := range []string{"labels.arrowhead_cardinality_one", "labels.arrowhead_cardinality_many", "labels.arrowhead_crowfoot_one"} {
			if !found[k] {
				t.Errorf("settings %v: key %q missing", set, k)
			}
		}
	}
}
