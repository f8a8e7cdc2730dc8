package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/tolk-l10n/tolk/internal/store"
)

// SweepInterval is how often expired artifacts are deleted and job rows are
// reconciled with the queue.
const SweepInterval = 30 * time.Second

func (r *Runner) sweep(ctx context.Context) {
	t := time.NewTicker(SweepInterval)
	defer t.Stop()
	for {
		if err := r.SweepOnce(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("sweep failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SweepOnce deletes the artifacts of expired jobs and ends the jobs whose
// queue entry ended without them (a worker that died on its last attempt).
func (r *Runner) SweepOnce(ctx context.Context) error {
	expired, err := r.store.JobExpiredList(ctx, r.now(), 100)
	if err != nil {
		return fmt.Errorf("list expired jobs: %w", err)
	}
	for _, j := range expired {
		if err := r.blobs.Delete(ctx, j.BlobKey); err != nil {
			return fmt.Errorf("delete artifact of job %d: %w", j.ID, err)
		}
		if err := r.store.JobMarkExpired(ctx, j.ID); err != nil {
			return fmt.Errorf("expire job %d: %w", j.ID, err)
		}
		r.log.Info("artifact expired", "job_id", j.ID)
	}
	return r.reconcile(ctx)
}

// reconcile ends tolk jobs whose River job is finished, discarded or gone
// while tolk's row still says queued or running.
func (r *Runner) reconcile(ctx context.Context) error {
	pending, err := r.store.JobListUnfinished(ctx, 500)
	if err != nil {
		return fmt.Errorf("list unfinished jobs: %w", err)
	}
	if len(pending) == 0 {
		return nil
	}
	states, err := r.queueStates(ctx)
	if err != nil {
		return err
	}
	for _, j := range pending {
		state, ok := states[j.ID]
		if ok && !finalState(state) {
			continue
		}
		reason := "the export was lost by the job queue"
		if ok {
			reason = fmt.Sprintf("the export ended in the job queue as %s without a result (its worker died or timed out on every attempt)", state)
		}
		ended, err := r.store.JobFinish(ctx, store.JobFinishParams{ID: j.ID, Status: store.JobFailed, Error: reason})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("fail job %d: %w", j.ID, err)
		}
		if err == nil && ended.Status == store.JobFailed {
			r.notify.JobEnded(ended)
		}
	}
	return nil
}

func finalState(s rivertype.JobState) bool {
	return s == rivertype.JobStateCompleted || s == rivertype.JobStateDiscarded || s == rivertype.JobStateCancelled
}

// queueStates maps tolk job ids to the state of their River jobs.
func (r *Runner) queueStates(ctx context.Context) (map[int64]rivertype.JobState, error) {
	rows, err := r.store.DB().QueryContext(ctx,
		`SELECT json_extract(args, '$.job_id'), state FROM river_job WHERE kind = ?`, ExportArgs{}.Kind())
	if err != nil {
		return nil, fmt.Errorf("read queue states: %w", err)
	}
	defer rows.Close()
	out := map[int64]rivertype.JobState{}
	for rows.Next() {
		var id int64
		var state string
		if err := rows.Scan(&id, &state); err != nil {
			return nil, fmt.Errorf("read queue states: %w", err)
		}
		out[id] = rivertype.JobState(state)
	}
	return out, rows.Err()
}

// freeOrphans makes exports that River still counts as running available
// again. It runs before this node starts working, and only on SQLite, where
// no other node can be running them: they belong to a process that died.
func (r *Runner) freeOrphans(ctx context.Context) error {
	// scheduled_at of a job that ran is in the past already, so available
	// makes it the next to be fetched.
	res, err := r.store.DB().ExecContext(ctx,
		`UPDATE river_job SET state = 'available' WHERE state = 'running' AND kind = ?`, ExportArgs{}.Kind())
	if err != nil {
		return fmt.Errorf("free exports of a dead process: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		r.log.Info("resuming exports interrupted by a restart", "jobs", n)
	}
	return nil
}
