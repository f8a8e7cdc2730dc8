package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

func testStringList(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	in := []store.String{
		{Key: "z", Source: "Zed", Notes: []string{"first in file", "two notes"}},
		{Key: "a", Source: "{n} items", Plural: format.Forms{"one": "{n} item", "other": "{n} items"}},
		{Key: "m", Source: ""},
	}
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "x"), Strings: in}))(t)
	ss := must(s.StringList(ctx, p.ID, "app"))(t)
	if len(ss) != 3 {
		t.Fatalf("StringList = %+v, want 3 strings", ss)
	}
	for i, got := range ss {
		want := in[i]
		if got.FileID != "app" || got.Key != want.Key || got.Seq != i || got.Source != want.Source ||
			!equalStrings(got.Notes, want.Notes) || len(got.Plural) != len(want.Plural) || (got.Plural == nil) != (want.Plural == nil) {
			t.Errorf("string %d = %+v, want %+v at seq %d", i, got, want, i)
		}
		for cat, text := range want.Plural {
			if got.Plural[cat] != text {
				t.Errorf("string %q plural %s = %q, want %q", got.Key, cat, got.Plural[cat], text)
			}
		}
	}
	if ss := must(s.StringList(ctx, p.ID, "nope"))(t); len(ss) != 0 {
		t.Errorf("strings of an unknown file: %+v", ss)
	}
}

func testStringPage(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	var ss []store.String
	for i := range 5 {
		ss = append(ss, store.String{Key: fmt.Sprintf("k%d", i), Source: fmt.Sprintf("S%d", i)})
	}
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "1"), Strings: ss}))(t)
	other := store.File{ProjectID: p.ID, ID: "b", Path: "b.json", Parser: "json", Content: []byte("2")}
	must(s.FilePut(ctx, store.FilePutParams{File: other, Strings: []store.String{{Key: "only", Source: "Only"}}}))(t)
	noErr(t, s.TranslationPut(ctx, p.ID, []store.Translation{
		{FileID: "app", Key: "k1", Locale: "de-DE", Text: "D1", Status: format.Reviewed},
		{FileID: "app", Key: "k1", Locale: "ja-JP", Text: "J1", Status: format.Translated},
		{FileID: "app", Key: "k3", Locale: "ja-JP", Text: "J3", Status: format.Translated},
	}))

	rows, total := pageOf(t, s, store.StringListParams{ProjectID: p.ID, Locale: "de-DE"})
	if total != 6 || len(rows) != 6 || rows[0].FileID != "app" || rows[0].Key != "k0" || rows[5].FileID != "b" {
		t.Fatalf("full page: total %d, rows %+v", total, rows)
	}
	rows, total = pageOf(t, s, store.StringListParams{ProjectID: p.ID, FileID: "app", Locale: "de-DE", Offset: 1, Limit: 2})
	if total != 5 || len(rows) != 2 || rows[0].Key != "k1" || rows[1].Key != "k2" {
		t.Fatalf("page offset 1 limit 2: total %d, rows %+v", total, rows)
	}
	tr := rows[0].Translation
	if tr == nil || tr.Text != "D1" || tr.Locale != "de-DE" || tr.Status != format.Reviewed || tr.Key != "k1" || tr.UpdatedAt.IsZero() {
		t.Errorf("k1 translation = %+v, want D1 reviewed in de-DE", tr)
	}
	if rows[1].Translation != nil {
		t.Errorf("k2 has a translation: %+v", rows[1].Translation)
	}
	rows, _ = pageOf(t, s, store.StringListParams{ProjectID: p.ID, FileID: "app", Locale: "ja-JP", Offset: 3, Limit: 10})
	if len(rows) != 2 || rows[0].Key != "k3" || rows[0].Translation == nil || rows[0].Translation.Text != "J3" {
		t.Errorf("ja-JP page from 3 = %+v", rows)
	}
	rows, total = pageOf(t, s, store.StringListParams{ProjectID: p.ID, Offset: 10, Limit: 10})
	if total != 6 || len(rows) != 0 {
		t.Errorf("page past the end: total %d rows %+v", total, rows)
	}
	rows, _ = pageOf(t, s, store.StringListParams{ProjectID: p.ID, FileID: "app"})
	for _, r := range rows {
		if r.Translation != nil {
			t.Errorf("no locale asked, yet %q has translation %+v", r.Key, r.Translation)
		}
	}
}

func pageOf(t *testing.T, s store.Store, p store.StringListParams) ([]store.StringRow, int) {
	t.Helper()
	rows, total, err := s.StringPage(context.Background(), p)
	noErr(t, err)
	return rows, total
}

func testTranslationPut(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "x"), Strings: []store.String{
		{Key: "a", Source: "A"},
		{Key: "n", Source: "{n} files", Plural: format.Forms{"one": "{n} file", "other": "{n} files"}},
	}}))(t)
	before := time.Now()
	at := time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
	noErr(t, s.TranslationPut(ctx, p.ID, []store.Translation{
		{FileID: "app", Key: "a", Locale: "de-DE", Text: "A-de", Status: format.Translated},
		{FileID: "app", Key: "n", Locale: "ja-JP", Text: "{n} ファイル", Plural: format.Forms{"other": "{n} ファイル"},
			Status: format.Validated, UpdatedAt: at},
		{FileID: "app", Key: "a", Locale: "ja-JP", Text: "A-ja", Status: format.Translated},
	}))
	trs := must(s.TranslationList(ctx, p.ID, "app", []string{"ja-JP"}))(t)
	if len(trs) != 2 || trs[0].Key != "a" || trs[1].Key != "n" {
		t.Fatalf("ja-JP translations = %+v, want a then n", trs)
	}
	n := trs[1]
	if n.Text != "{n} ファイル" || n.Plural["other"] != "{n} ファイル" || len(n.Plural) != 1 || n.Status != format.Validated ||
		!n.UpdatedAt.Equal(at) || n.FileID != "app" || n.Locale != "ja-JP" {
		t.Errorf("plural translation = %+v", n)
	}
	if trs[0].Plural != nil {
		t.Errorf("plain translation has plural forms %#v", trs[0].Plural)
	}
	recent(t, "UpdatedAt", trs[0].UpdatedAt, before)
	all := must(s.TranslationList(ctx, p.ID, "app", nil))(t)
	if len(all) != 3 || all[0].Locale != "de-DE" || all[1].Locale != "ja-JP" {
		t.Errorf("all translations = %+v, want a@de, a@ja, n@ja", all)
	}
	two := must(s.TranslationList(ctx, p.ID, "app", []string{"de-DE", "fr-FR"}))(t)
	if len(two) != 1 || two[0].Text != "A-de" {
		t.Errorf("de-DE,fr-FR translations = %+v", two)
	}
	// Upsert replaces text and status.
	noErr(t, s.TranslationPut(ctx, p.ID, []store.Translation{
		{FileID: "app", Key: "a", Locale: "de-DE", Text: "A-de 2", Status: format.Reviewed}}))
	two = must(s.TranslationList(ctx, p.ID, "app", []string{"de-DE"}))(t)
	if len(two) != 1 || two[0].Text != "A-de 2" || two[0].Status != format.Reviewed {
		t.Errorf("after upsert = %+v", two)
	}
	noErr(t, s.TranslationPut(ctx, p.ID, nil))
}

func testTranslationPutAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	must(s.FilePut(ctx, store.FilePutParams{File: enFile(p.ID, "x"), Strings: []store.String{{Key: "a", Source: "A"}}}))(t)
	good := store.Translation{FileID: "app", Key: "a", Locale: "de-DE", Text: "A", Status: format.Translated}
	for name, bad := range map[string]struct {
		project int64
		tr      store.Translation
	}{
		"unknown key":     {p.ID, store.Translation{FileID: "app", Key: "zz", Locale: "de-DE", Text: "?"}},
		"unknown file":    {p.ID, store.Translation{FileID: "nope", Key: "a", Locale: "de-DE", Text: "?"}},
		"unknown project": {p.ID + 100, good},
	} {
		err := s.TranslationPut(ctx, bad.project, []store.Translation{good, bad.tr})
		wantErr(t, err, store.ErrNotFound)
		if trs := must(s.TranslationList(ctx, p.ID, "app", nil))(t); len(trs) != 0 {
			t.Errorf("%s: a failed batch stored %+v", name, trs)
		}
	}
}
