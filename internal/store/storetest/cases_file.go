package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

func enFile(projectID int64, content string) store.File {
	return store.File{ProjectID: projectID, ID: "app", Path: "locales/en.json", Parser: "json",
		TargetRule: "web", Content: []byte(content)}
}

func sum(content string) string {
	h := sha256.Sum256([]byte(content))
	return hex.EncodeToString(h[:])
}

func testFilePut(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	before := time.Now()
	content := `{"a":"A","b":"B"}`
	res := must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, content), Strings: []store.String{
		{Key: "a", Source: "A"}, {Key: "b", Source: "B"}}}))(t)
	if !res.Created || res.Added != 2 || res.Changed != 0 || res.Removed != 0 {
		t.Errorf("first FilePut = %+v, want created with 2 added", res)
	}
	f := res.File
	if f.SHA256 != sum(content) || f.Size != int64(len(content)) || f.Strings != 2 {
		t.Errorf("file = %+v, want sha256 %s size %d strings 2", f, sum(content), len(content))
	}
	recent(t, "UpdatedAt", f.UpdatedAt, before)

	got := must(s.FileGet(ctx, p.ID, "app"))(t)
	if got.Path != "locales/en.json" || got.Parser != "json" || got.TargetRule != "web" || !sameContent(got.Content, []byte(content)) ||
		got.SHA256 != f.SHA256 || got.Size != f.Size || got.Strings != 2 || !got.UpdatedAt.Equal(f.UpdatedAt) || got.ProjectID != p.ID {
		t.Errorf("FileGet = %+v, want %+v", got, f)
	}
	_, err := s.FileGet(ctx, p.ID, "nope")
	wantErr(t, err, store.ErrNotFound)

	// Replacing the file: same id, new content and path.
	content2 := `{"a":"A"}`
	f2 := enFile(p.ID, content2)
	f2.Path = "i18n/en.json"
	res = must(s.FilePut(ctx, store.FilePutParams{File: f2, Strings: []store.String{{Key: "a", Source: "A"}}}))(t)
	if res.Created || res.Added != 0 || res.Changed != 0 || res.Removed != 1 {
		t.Errorf("second FilePut = %+v, want replaced with 1 removed", res)
	}
	got = must(s.FileGet(ctx, p.ID, "app"))(t)
	if got.Path != "i18n/en.json" || string(got.Content) != content2 || got.Strings != 1 || got.SHA256 != sum(content2) {
		t.Errorf("FileGet after replace = %+v", got)
	}

	// Another file; the list is ordered by path.
	must(s.FilePut(ctx, store.FilePutParams{File: store.File{ProjectID: p.ID, ID: "android", Path: "app/strings.xml",
		Parser: "androidxml", Content: []byte("<resources/>")}}))(t)
	list := must(s.FileList(ctx, p.ID))(t)
	if len(list) != 2 || list[0].ID != "android" || list[1].ID != "app" || string(list[1].Content) != content2 ||
		string(list[0].Content) != "<resources/>" {
		t.Errorf("FileList = %+v, want android then app with contents", list)
	}
	other := newProject(t, s)
	if list := must(s.FileList(ctx, other.ID))(t); len(list) != 0 {
		t.Errorf("files leak into another project: %+v", list)
	}
}

func testFilePutErrors(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "{}")}))(t)

	// Another file id at the same path.
	clash := enFile(p.ID, "{}")
	clash.ID = "other"
	_, err := s.FilePut(ctx, store.FilePutParams{File: clash})
	wantErr(t, err, store.ErrConflict)
	_, err = s.FileGet(ctx, p.ID, "other")
	wantErr(t, err, store.ErrNotFound)

	// The same path in another project is fine.
	q := newProject(t, s)
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(q.ID, "{}")}))(t)

	// A key given twice stores nothing.
	dup := enFile(p.ID, `{"a":"A2"}`)
	_, err = s.FilePut(ctx, store.FilePutParams{File: dup, Strings: []store.String{{Key: "a", Source: "1"}, {Key: "a", Source: "2"}}})
	wantErr(t, err, store.ErrConflict)
	if got := must(s.FileGet(ctx, p.ID, "app"))(t); string(got.Content) != "{}" {
		t.Errorf("failed FilePut changed the file: %q", got.Content)
	}
	if ss := must(s.StringList(ctx, p.ID, "app"))(t); len(ss) != 0 {
		t.Errorf("failed FilePut stored strings: %+v", ss)
	}

	_, err = s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID+100, "{}")})
	wantErr(t, err, store.ErrNotFound)
}

// testFilePutTranslations checks the rule that a changed source invalidates
// its translations while unchanged keys keep theirs.
func testFilePutTranslations(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "v1"), Strings: []store.String{
		{Key: "same", Source: "Same"},
		{Key: "changed", Source: "Old"},
		{Key: "removed", Source: "Gone"},
		{Key: "plural", Source: "{n} files", Plural: format.Forms{"one": "{n} file", "other": "{n} files"}},
		{Key: "pluralSame", Source: "{n} days", Plural: format.Forms{"one": "{n} day", "other": "{n} days"}},
		{Key: "notes", Source: "Notes", Notes: []string{"old note"}},
	}}))(t)
	var ts []store.Translation
	for _, key := range []string{"same", "changed", "removed", "plural", "pluralSame", "notes"} {
		for _, loc := range []string{"de-DE", "ja-JP"} {
			ts = append(ts, store.Translation{FileID: "app", Key: key, Locale: loc, Text: key + "@" + loc, Status: format.Translated})
		}
	}
	noErr(t, s.TranslationPut(ctx, p.ID, ts))

	res := must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "v2"), Strings: []store.String{
		{Key: "added", Source: "New"},
		{Key: "same", Source: "Same"},
		{Key: "changed", Source: "New text"},
		{Key: "plural", Source: "{n} files", Plural: format.Forms{"one": "one file", "other": "{n} files"}},
		{Key: "pluralSame", Source: "{n} days", Plural: format.Forms{"other": "{n} days", "one": "{n} day"}},
		{Key: "notes", Source: "Notes", Notes: []string{"a new note does not change the source"}},
	}}))(t)
	if res.Added != 1 || res.Changed != 2 || res.Removed != 1 || res.Created {
		t.Errorf("FilePut = %+v, want 1 added, 2 changed (changed, plural), 1 removed", res)
	}
	kept := map[string]bool{}
	for _, tr := range must(s.TranslationList(ctx, p.ID, "app", nil))(t) {
		kept[tr.Key+"@"+tr.Locale] = true
		if tr.Text != tr.Key+"@"+tr.Locale {
			t.Errorf("translation %s@%s = %q", tr.Key, tr.Locale, tr.Text)
		}
	}
	for _, key := range []string{"same", "pluralSame", "notes"} {
		for _, loc := range []string{"de-DE", "ja-JP"} {
			if !kept[key+"@"+loc] {
				t.Errorf("translation %s@%s of an unchanged source was dropped", key, loc)
			}
		}
	}
	for _, key := range []string{"changed", "removed", "plural", "added"} {
		if kept[key+"@de-DE"] || kept[key+"@ja-JP"] {
			t.Errorf("translation of %q survived", key)
		}
	}
	if len(kept) != 6 {
		t.Errorf("%d translations left, want 6", len(kept))
	}
	// A removed key's translations stay gone when the key comes back.
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "v3"), Strings: []store.String{{Key: "removed", Source: "Gone"}}}))(t)
	if trs := must(s.TranslationList(ctx, p.ID, "app", nil))(t); len(trs) != 0 {
		t.Errorf("translations after removing every other key: %+v", trs)
	}
}

func testFileSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	f := enFile(p.ID, "{}")
	res := must(s.FilePut(ctx, store.FilePutParams{File: f}))(t)
	if res.File.Settings == nil || len(res.File.Settings) != 0 {
		t.Errorf("settings of a new file = %#v, want empty", res.File.Settings)
	}
	noErr(t, s.FileSettingsPut(ctx, p.ID, "app", map[string]any{"unixNewline": true, "indent": "  "}))
	got := must(s.FileGet(ctx, p.ID, "app"))(t)
	if got.Settings["unixNewline"] != true || got.Settings["indent"] != "  " || len(got.Settings) != 2 {
		t.Errorf("settings = %#v", got.Settings)
	}
	// A re-upload without settings keeps them.
	res = must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, `{"a":"b"}`)}))(t)
	got = must(s.FileGet(ctx, p.ID, "app"))(t)
	if got.Settings["unixNewline"] != true || res.File.Settings["unixNewline"] != true {
		t.Errorf("settings after re-upload = %#v (result %#v), want kept", got.Settings, res.File.Settings)
	}
	// Given settings replace them.
	f.Settings = map[string]any{"untranslated": "omit"}
	must(s.FilePut(ctx, store.FilePutParams{File: f}))(t)
	got = must(s.FileGet(ctx, p.ID, "app"))(t)
	if len(got.Settings) != 1 || got.Settings["untranslated"] != "omit" {
		t.Errorf("settings after upload with settings = %#v", got.Settings)
	}
	wantErr(t, s.FileSettingsPut(ctx, p.ID, "nope", map[string]any{}), store.ErrNotFound)
	wantErr(t, s.FileSettingsPut(ctx, p.ID+100, "app", map[string]any{}), store.ErrNotFound)
}
