package sqlite

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

// BenchmarkFilePut measures how long an upload of a 200,000-string file
// holds SQLite's write lock: the first upload, and a re-upload with one
// string changed.
func BenchmarkFilePut(b *testing.B) {
	const n = 200_000
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "tolk.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	p, _ := db.ProjectCreate(ctx, store.Project{Name: "big", SourceLocale: "en", TargetLocales: []string{"de"}})
	strs := make([]store.String, n)
	ts := make([]store.Translation, n)
	for i := range strs {
		key := fmt.Sprintf("section%d.key%d", i/100, i)
		strs[i] = store.String{FileID: "f", Key: key, Source: fmt.Sprintf("Source text number %d", i)}
		ts[i] = store.Translation{FileID: "f", Key: key, Locale: "de", Text: fmt.Sprintf("Quelltext Nummer %d", i), Status: format.Translated}
	}
	put := func(ss []store.String) {
		if _, err := db.FilePut(ctx, store.FilePutParams{File: store.File{ProjectID: p.ID, ID: "f", Path: "f.json", Parser: "json"}, Strings: ss}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := db.DB().Exec(`DELETE FROM files`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			put(strs)
		}
	})
	put(strs)
	b.Run("translations", func(b *testing.B) {
		for b.Loop() {
			if err := db.TranslationPut(ctx, p.ID, ts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reupload-one-change", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			strs[0].Source = fmt.Sprintf("changed %d", i)
			put(strs)
		}
	})
}
