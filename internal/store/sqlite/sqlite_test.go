package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/store/storetest"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "tolk.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Exercise(t, func(t *testing.T) store.Store { return openTest(t) })
}

// TestConcurrentWriters checks that writers sharing one *DB wait for each
// other instead of failing with SQLITE_BUSY.
func TestConcurrentWriters(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	p, err := db.ProjectCreate(ctx, store.Project{Name: "web", SourceLocale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			errs <- writeRounds(ctx, db, p.ID, w, rounds)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	files, err := db.FileList(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != workers {
		t.Errorf("%d files, want %d", len(files), workers)
	}
	jobs, err := db.JobListUnfinished(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != workers*rounds {
		t.Errorf("%d jobs, want %d", len(jobs), workers*rounds)
	}
}

// writeRounds uploads a file, translates it, inserts a job and reads the
// strings back, rounds times.
func writeRounds(ctx context.Context, db *DB, projectID int64, w, rounds int) error {
	fileID := fmt.Sprintf("f%d", w)
	for r := range rounds {
		ss := []store.String{{Key: "a", Source: "A"}, {Key: "b", Source: fmt.Sprintf("B%d", r)}}
		f := store.File{ProjectID: projectID, ID: fileID, Path: fileID + ".json", Parser: "json", Content: []byte(fmt.Sprint(r))}
		if _, err := db.FilePut(ctx, store.FilePutParams{File: f, Strings: ss}); err != nil {
			return err
		}
		err := db.TranslationPut(ctx, projectID, []store.Translation{{FileID: fileID, Key: "a", Locale: "de", Text: "x"}})
		if err != nil {
			return err
		}
		if _, err := db.JobInsert(ctx, store.JobInsertParams{ProjectID: projectID, Kind: store.JobTargets},
			func(context.Context, *sql.Tx, store.Job) error { return nil }); err != nil {
			return err
		}
		if _, _, err := db.StringPage(ctx, store.StringListParams{ProjectID: projectID, Locale: "de"}); err != nil {
			return err
		}
	}
	return nil
}

func TestReopenKeepsDataAndMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tolk.db")
	db, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.ProjectCreate(ctx, store.Project{Name: "web", SourceLocale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ProjectGet(ctx, p.ID); err != nil {
		t.Errorf("project lost on reopen: %v", err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n, maxVersion int
	err = db.DB().QueryRowContext(ctx, `SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &maxVersion)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || maxVersion != ms[len(ms)-1].version {
		t.Errorf("schema_migrations has %d rows up to %d, want %d up to %d", n, maxVersion, len(ms), ms[len(ms)-1].version)
	}
	var mode string
	if err := db.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestPathWithSpecialCharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a dir?#%")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tolk.db")
	db, err := Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not created at %s: %v", path, err)
	}
}
