package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/store"
)

func insertJob(t *testing.T, s store.Store, projectID int64) store.Job {
	t.Helper()
	return must(s.JobInsert(context.Background(), store.JobInsertParams{ProjectID: projectID, Kind: store.JobTargets}, noEnqueue))(t)
}

func testJobInsert(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	yes := true
	params := store.JobInsertParams{ProjectID: p.ID, Tenant: "127_0_0_1", Kind: store.JobPseudo, SocketID: "sock1",
		Params: store.JobParams{Locales: []string{"qps-ploc"}, FileIDs: []string{"app", "b"}, Tokens: &yes}}
	before := time.Now()
	var seen store.Job
	job := must(s.JobInsert(ctx, params, func(ctx context.Context, tx *sql.Tx, j store.Job) error {
		seen = j
		// The transaction is usable, and sees the job row.
		var n int
		err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM jobs WHERE id = %d", j.ID)).Scan(&n)
		if err == nil && n != 1 {
			err = fmt.Errorf("job %d not visible in its transaction", j.ID)
		}
		return err
	}))(t)
	if job.ID <= 0 || seen.ID != job.ID || job.Status != store.JobQueued || job.ProjectID != p.ID ||
		job.Tenant != "127_0_0_1" || job.Kind != store.JobPseudo || job.SocketID != "sock1" {
		t.Errorf("inserted job = %+v (enqueue saw %+v)", job, seen)
	}
	recent(t, "CreatedAt", job.CreatedAt, before)
	if !job.StartedAt.IsZero() || !job.FinishedAt.IsZero() || !job.ExpiresAt.IsZero() {
		t.Errorf("new job has times set: %+v", job)
	}
	got := must(s.JobGet(ctx, job.ID))(t)
	if !equalStrings(got.Params.Locales, []string{"qps-ploc"}) || !equalStrings(got.Params.FileIDs, []string{"app", "b"}) ||
		got.Params.Tokens == nil || !*got.Params.Tokens || !got.CreatedAt.Equal(job.CreatedAt) || got.Status != store.JobQueued {
		t.Errorf("JobGet = %+v, want %+v", got, job)
	}
	_, err := s.JobGet(ctx, job.ID+100)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.JobInsert(ctx, store.JobInsertParams{ProjectID: p.ID + 100, Kind: store.JobTargets}, noEnqueue)
	wantErr(t, err, store.ErrNotFound)
}

func testJobInsertEnqueueFails(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	errQueue := errors.New("queue is down")
	var failedID int64
	_, err := s.JobInsert(ctx, store.JobInsertParams{ProjectID: p.ID, Kind: store.JobTargets},
		func(_ context.Context, _ *sql.Tx, j store.Job) error { failedID = j.ID; return errQueue })
	wantErr(t, err, errQueue)
	_, err = s.JobGet(ctx, failedID)
	wantErr(t, err, store.ErrNotFound)
	if jobs := must(s.JobListUnfinished(ctx, 0))(t); len(jobs) != 0 {
		t.Errorf("a job whose enqueue failed was recorded: %+v", jobs)
	}
	next := insertJob(t, s, p.ID)
	if next.ID <= 0 {
		t.Errorf("job id after a failed insert = %d", next.ID)
	}
}

func testJobLifecycle(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	job := insertJob(t, s, p.ID)
	before := time.Now()
	started := must(s.JobStart(ctx, job.ID))(t)
	if started.Status != store.JobRunning {
		t.Errorf("started job status = %s", started.Status)
	}
	recent(t, "StartedAt", started.StartedAt, before)
	// A retry starts a running job again.
	again := must(s.JobStart(ctx, job.ID))(t)
	if again.Status != store.JobRunning {
		t.Errorf("restarted job status = %s", again.Status)
	}
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	fin := store.JobFinishParams{ID: job.ID, Status: store.JobDone, BlobKey: "exports/1.zip", Size: 1234,
		SHA256: "abc", ExpiresAt: expires}
	done := must(s.JobFinish(ctx, fin))(t)
	if done.Status != store.JobDone || done.BlobKey != "exports/1.zip" || done.Size != 1234 || done.SHA256 != "abc" ||
		!done.ExpiresAt.Equal(expires) || done.FinishedAt.IsZero() || !done.StartedAt.Equal(again.StartedAt) {
		t.Errorf("finished job = %+v", done)
	}
	// Finishing again changes nothing.
	repeat := must(s.JobFinish(ctx, store.JobFinishParams{ID: job.ID, Status: store.JobFailed, Error: "late"}))(t)
	if repeat.Status != store.JobDone || repeat.Error != "" || !repeat.FinishedAt.Equal(done.FinishedAt) {
		t.Errorf("second finish changed the job: %+v", repeat)
	}
	// An ended job cannot start.
	_, err := s.JobStart(ctx, job.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.JobStart(ctx, job.ID+100)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.JobFinish(ctx, store.JobFinishParams{ID: job.ID + 100, Status: store.JobDone})
	wantErr(t, err, store.ErrNotFound)

	// A queued job cancelled before it starts.
	other := insertJob(t, s, p.ID)
	cancelled := must(s.JobFinish(ctx, store.JobFinishParams{ID: other.ID, Status: store.JobCancelled, Error: "cancelled by user"}))(t)
	if cancelled.Status != store.JobCancelled || cancelled.Error != "cancelled by user" || !cancelled.StartedAt.IsZero() {
		t.Errorf("cancelled job = %+v", cancelled)
	}
	_, err = s.JobStart(ctx, other.ID)
	wantErr(t, err, store.ErrNotFound)

	// A finish must name a final status.
	third := insertJob(t, s, p.ID)
	if _, err := s.JobFinish(ctx, store.JobFinishParams{ID: third.ID, Status: store.JobRunning}); err == nil {
		t.Error("JobFinish accepted status running")
	}
	if got := must(s.JobGet(ctx, third.ID))(t); got.Status != store.JobQueued {
		t.Errorf("job after a refused finish = %s", got.Status)
	}
}

func testJobIDsNeverReused(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	var last int64
	for range 3 {
		j := insertJob(t, s, p.ID)
		if j.ID <= last {
			t.Fatalf("job id %d after %d", j.ID, last)
		}
		last = j.ID
	}
	// Delete the newest row: its id must still not come back. The SQL is
	// plain enough for any dialect.
	if _, err := s.DB().ExecContext(ctx, fmt.Sprintf("DELETE FROM jobs WHERE id = %d", last)); err != nil {
		t.Fatal(err)
	}
	if j := insertJob(t, s, p.ID); j.ID <= last {
		t.Errorf("job id %d reused after deleting %d", j.ID, last)
	}
}

func testJobExpired(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	now := time.Now().UTC()
	finish := func(status store.JobStatus, expires time.Time) store.Job {
		j := insertJob(t, s, p.ID)
		return must(s.JobFinish(ctx, store.JobFinishParams{ID: j.ID, Status: status, ExpiresAt: expires}))(t)
	}
	old := finish(store.JobDone, now.Add(-2*time.Hour))
	older := finish(store.JobDone, now.Add(-3*time.Hour))
	finish(store.JobDone, now.Add(time.Hour))    // not yet expired
	finish(store.JobFailed, now.Add(-time.Hour)) // not done
	finish(store.JobDone, time.Time{})           // never expires
	running := insertJob(t, s, p.ID)             // not done
	must(s.JobStart(ctx, running.ID))(t)

	jobs := must(s.JobExpiredList(ctx, now, 0))(t)
	if len(jobs) != 2 || jobs[0].ID != older.ID || jobs[1].ID != old.ID {
		t.Fatalf("JobExpiredList = %+v, want jobs %d then %d", jobs, older.ID, old.ID)
	}
	if jobs := must(s.JobExpiredList(ctx, now, 1))(t); len(jobs) != 1 || jobs[0].ID != older.ID {
		t.Errorf("JobExpiredList limit 1 = %+v", jobs)
	}
	noErr(t, s.JobMarkExpired(ctx, older.ID))
	if got := must(s.JobGet(ctx, older.ID))(t); got.Status != store.JobExpired {
		t.Errorf("marked job status = %s", got.Status)
	}
	noErr(t, s.JobMarkExpired(ctx, older.ID)) // again: harmless
	noErr(t, s.JobMarkExpired(ctx, running.ID))
	if got := must(s.JobGet(ctx, running.ID))(t); got.Status != store.JobRunning {
		t.Errorf("JobMarkExpired changed a running job to %s", got.Status)
	}
	wantErr(t, s.JobMarkExpired(ctx, running.ID+100), store.ErrNotFound)
	if jobs := must(s.JobExpiredList(ctx, now, 0))(t); len(jobs) != 1 || jobs[0].ID != old.ID {
		t.Errorf("JobExpiredList after expiring one = %+v", jobs)
	}
}

func testJobListUnfinished(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	a := insertJob(t, s, p.ID)
	b := insertJob(t, s, p.ID)
	c := insertJob(t, s, p.ID)
	must(s.JobStart(ctx, b.ID))(t)
	must(s.JobFinish(ctx, store.JobFinishParams{ID: a.ID, Status: store.JobFailed, Error: "boom"}))(t)
	jobs := must(s.JobListUnfinished(ctx, 0))(t)
	if len(jobs) != 2 || jobs[0].ID != b.ID || jobs[1].ID != c.ID || jobs[0].Status != store.JobRunning {
		t.Errorf("JobListUnfinished = %+v, want %d (running) and %d", jobs, b.ID, c.ID)
	}
	if jobs := must(s.JobListUnfinished(ctx, 1))(t); len(jobs) != 1 || jobs[0].ID != b.ID {
		t.Errorf("JobListUnfinished limit 1 = %+v", jobs)
	}
}
