package sqlite_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/blob"
	"github.com/tolk-l10n/tolk/internal/jobs"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/store/sqlite"
)

type nopNotifier struct{}

func (nopNotifier) JobEnded(store.Job)         {}
func (nopNotifier) JobProgress(store.Job, any) {}

func TestProbeFirstInsert(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	for round := range 2 {
		t0 := time.Now()
		st, err := sqlite.Open(ctx, filepath.Join(dir, "tolk.db"), logger)
		if err != nil {
			t.Fatal(err)
		}
		bl, _ := blob.NewDir(filepath.Join(dir, "blobs"), nil)
		r, err := jobs.New(ctx, jobs.Config{Workers: 2}, st, bl, nopNotifier{}, logger)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("round %d open+migrate %v", round, time.Since(t0))
		t0 = time.Now()
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("start %v", time.Since(t0))
		p, err := st.ProjectCreate(ctx, store.Project{Name: "w", SourceLocale: "en"})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 10 {
			t0 = time.Now()
			if _, err := r.Enqueue(ctx, store.JobInsertParams{ProjectID: p.ID, Kind: store.JobSources}); err != nil {
				t.Fatal(err)
			}
			t.Logf("enqueue %d: %v", i, time.Since(t0))
			time.Sleep(100 * time.Millisecond)
		}
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		r.Stop(sctx)
		cancel()
		st.Close()
	}
}
