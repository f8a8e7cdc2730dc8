package storetest

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

func testJobDedup(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	params := store.JobInsertParams{ProjectID: p.ID, Kind: store.JobTargets, DedupKey: "k1"}
	enqueued := 0
	count := func(context.Context, *sql.Tx, store.Job) error { enqueued++; return nil }

	first := must(s.JobInsert(ctx, params, count))(t)
	second := must(s.JobInsert(ctx, params, count))(t)
	if second.ID != first.ID || !second.Reused || first.Reused || enqueued != 1 {
		t.Fatalf("same dedup key while queued: first %d (reused %v), second %d (reused %v), enqueued %d; want one job",
			first.ID, first.Reused, second.ID, second.Reused, enqueued)
	}
	other := params
	other.DedupKey = "k2"
	if j := must(s.JobInsert(ctx, other, count))(t); j.ID == first.ID {
		t.Error("a different dedup key must make a new job")
	}
	must(s.JobFinish(ctx, store.JobFinishParams{ID: first.ID, Status: store.JobDone}))(t)
	if j := must(s.JobInsert(ctx, params, count))(t); j.ID == first.ID || j.Reused {
		t.Error("a job that ended must not be shared")
	}
}

func testJobDedupConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	params := store.JobInsertParams{ProjectID: p.ID, Kind: store.JobPseudo, DedupKey: "same"}
	ids := make(chan int64, 5)
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := s.JobInsert(ctx, params, noEnqueue)
			if err != nil {
				t.Error(err)
				return
			}
			ids <- j.ID
		}()
	}
	wg.Wait()
	close(ids)
	distinct := map[int64]bool{}
	for id := range ids {
		distinct[id] = true
	}
	if len(distinct) != 1 {
		t.Errorf("5 concurrent identical inserts made %d jobs, want 1", len(distinct))
	}
}

func testJobIdempotency(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	params := store.JobInsertParams{ProjectID: p.ID, Kind: store.JobTargets, IdempotencyKey: "retry-1"}
	first := must(s.JobInsert(ctx, params, noEnqueue))(t)
	must(s.JobFinish(ctx, store.JobFinishParams{ID: first.ID, Status: store.JobFailed, Error: "x"}))(t)
	again := must(s.JobInsert(ctx, params, noEnqueue))(t)
	if again.ID != first.ID || !again.Reused || again.Status != store.JobFailed {
		t.Errorf("a retried POST with the same key must return the job it created, ended or not: got %+v", again)
	}
	if again.IdempotencyKey != "retry-1" {
		t.Errorf("IdempotencyKey = %q", again.IdempotencyKey)
	}
	other := newProject(t, s)
	params.ProjectID = other.ID
	if j := must(s.JobInsert(ctx, params, noEnqueue))(t); j.ID == first.ID {
		t.Error("idempotency keys are per project")
	}
	if n := must(s.JobCountUnfinished(ctx, other.ID))(t); n != 1 {
		t.Errorf("JobCountUnfinished = %d, want 1", n)
	}
}

// testProjectRevision checks that every change an export reads moves the
// project's revision, so that dedup never merges requests across changes.
func testProjectRevision(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	rev := func() int64 { return must(s.ProjectGet(ctx, p.ID))(t).Revision }
	steps := []struct {
		name string
		do   func() error
	}{
		{"file upload", func() error {
			_, err := s.FilePut(ctx, store.FilePutParams{
				File:    store.File{ProjectID: p.ID, ID: "f", Path: "f.json", Parser: "json", Content: []byte(`{"a":"A"}`)},
				Strings: []store.String{{FileID: "f", Key: "a", Source: "A"}}})
			return err
		}},
		{"target rule", func() error {
			return s.TargetRulePut(ctx, store.TargetRule{ProjectID: p.ID, ID: "TR", Rule: "$(targetLocale).json"})
		}},
		{"translation", func() error {
			return s.TranslationPut(ctx, p.ID, []store.Translation{{FileID: "f", Key: "a", Locale: "de", Text: "Ä", Status: format.Translated}})
		}},
		{"file settings", func() error {
			return s.FileSettingsPut(ctx, p.ID, "f", map[string]any{"unixNewline": true})
		}},
	}
	for _, st := range steps {
		before := rev()
		noErr(t, st.do())
		if after := rev(); after <= before {
			t.Errorf("%s left the revision at %d", st.name, after)
		}
	}
}

// testJobIdempotencyShared checks that a key whose POST joined another
// request's job names that job on the retry.
func testJobIdempotencyShared(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	plain := store.JobInsertParams{ProjectID: p.ID, Kind: store.JobPseudo, DedupKey: "d"}
	first := must(s.JobInsert(ctx, plain, noEnqueue))(t)
	keyed := plain
	keyed.IdempotencyKey = "K2"
	shared := must(s.JobInsert(ctx, keyed, noEnqueue))(t)
	if shared.ID != first.ID {
		t.Fatalf("keyed request made job %d, want the shared %d", shared.ID, first.ID)
	}
	must(s.JobFinish(ctx, store.JobFinishParams{ID: first.ID, Status: store.JobDone}))(t)
	retry := must(s.JobInsert(ctx, keyed, noEnqueue))(t)
	if retry.ID != first.ID || retry.IdempotencyKey != "K2" {
		t.Errorf("retry with K2 got job %d (key %q), want the shared job %d", retry.ID, retry.IdempotencyKey, first.ID)
	}
	other := keyed
	other.Kind, other.DedupKey = store.JobSources, "e"
	if j := must(s.JobInsert(ctx, other, noEnqueue))(t); j.ID != first.ID || j.IdempotencyKey != "K2" {
		t.Errorf("K2 reused for another request: got job %d; the store must return K2's job for the API to refuse it", j.ID)
	}
}
