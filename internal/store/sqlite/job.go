package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tolk-l10n/tolk/internal/store"
)

const jobColumns = `id, project_id, tenant, kind, params, status, socket_id, error, blob_key, size, sha256,
	created_at, started_at, finished_at, expires_at, COALESCE(dedup_key, '')`

// JobInsert records a queued job and calls enqueue in the same
// transaction; when enqueue fails nothing is recorded and its error is
// returned wrapped. The transaction takes the write lock at BEGIN
// (_txlock=immediate), so concurrent identical requests are serialized and
// the second finds the first's job.
func (db *DB) JobInsert(ctx context.Context, p store.JobInsertParams, enqueue func(ctx context.Context, tx *sql.Tx, job store.Job) error) (store.Job, error) {
	params, err := toJSON(p.Params)
	if err != nil {
		return store.Job{}, fmt.Errorf("store: insert job: %w", err)
	}
	var job store.Job
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var found bool
		if job, found, err = existingJob(ctx, tx, p); err != nil {
			return err
		}
		if !found {
			row := tx.QueryRowContext(ctx, `INSERT INTO jobs (project_id, tenant, kind, params, status, socket_id, created_at,
				dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, '')) RETURNING `+jobColumns,
				p.ProjectID, p.Tenant, string(p.Kind), params, string(store.JobQueued), p.SocketID, millis(now()), p.DedupKey)
			if job, err = scanJob(row); err != nil {
				return interpretError(err)
			}
			if err := enqueue(ctx, tx, job); err != nil {
				return fmt.Errorf("enqueue job %d: %w", job.ID, err)
			}
		}
		// The key names the job this request got, new or shared, so that
		// its retry gets the same one.
		if p.IdempotencyKey != "" && job.IdempotencyKey == "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO job_keys (project_id, key, job_id) VALUES (?, ?, ?)`,
				p.ProjectID, p.IdempotencyKey, job.ID); err != nil {
				return interpretError(err)
			}
		}
		return nil
	})
	if err != nil {
		return store.Job{}, fmt.Errorf("store: insert job: %w", err)
	}
	return job, nil
}

// existingJob finds the job an Idempotency-Key created, or else a queued or
// running job with the same dedup key.
func existingJob(ctx context.Context, tx *sql.Tx, p store.JobInsertParams) (store.Job, bool, error) {
	if p.IdempotencyKey != "" {
		j, found, err := firstJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs
			WHERE id = (SELECT job_id FROM job_keys WHERE project_id = ? AND key = ?)`, p.ProjectID, p.IdempotencyKey))
		if found {
			j.IdempotencyKey = p.IdempotencyKey
		}
		if found || err != nil {
			return j, found, err
		}
	}
	if p.DedupKey == "" {
		return store.Job{}, false, nil
	}
	return firstJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs
		WHERE project_id = ? AND dedup_key = ? AND status IN (?, ?) ORDER BY id DESC LIMIT 1`,
		p.ProjectID, p.DedupKey, string(store.JobQueued), string(store.JobRunning)))
}

func firstJob(row *sql.Row) (store.Job, bool, error) {
	j, err := scanJob(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Job{}, false, nil
	}
	if err != nil {
		return store.Job{}, false, err
	}
	j.Reused = true
	return j, true, nil
}

// JobCountUnfinished counts a project's queued and running jobs.
func (db *DB) JobCountUnfinished(ctx context.Context, projectID int64) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE project_id = ? AND status IN (?, ?)`,
		projectID, string(store.JobQueued), string(store.JobRunning)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count unfinished jobs of project %d: %w", projectID, err)
	}
	return n, nil
}

// JobGet returns a job, or store.ErrNotFound.
func (db *DB) JobGet(ctx context.Context, id int64) (store.Job, error) {
	job, err := scanJob(db.db.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if err != nil {
		return store.Job{}, fmt.Errorf("store: get job %d: %w", id, interpretError(err))
	}
	return job, nil
}

// JobStart marks a queued or running job (a retry) running from now. A job
// that ended meanwhile (cancelled, say) is store.ErrNotFound.
func (db *DB) JobStart(ctx context.Context, id int64) (store.Job, error) {
	row := db.db.QueryRowContext(ctx, `UPDATE jobs SET status = ?, started_at = ?
		WHERE id = ? AND status IN (?, ?) RETURNING `+jobColumns,
		string(store.JobRunning), millis(now()), id, string(store.JobQueued), string(store.JobRunning))
	job, err := scanJob(row)
	if errors.Is(err, sql.ErrNoRows) {
		return db.jobNotIn(ctx, "start", id)
	}
	if err != nil {
		return store.Job{}, fmt.Errorf("store: start job %d: %w", id, err)
	}
	return job, nil
}

// jobNotIn explains why a job could not change state: it does not exist,
// or it is not in a state that allows the change.
func (db *DB) jobNotIn(ctx context.Context, action string, id int64) (store.Job, error) {
	job, err := db.JobGet(ctx, id)
	if err != nil {
		return store.Job{}, fmt.Errorf("store: %s job %d: %w", action, id, err)
	}
	return store.Job{}, fmt.Errorf("store: %s job %d: job is %s: %w", action, id, job.Status, store.ErrNotFound)
}

// JobFinish records a job's end. A job that already ended is returned
// unchanged, so that a finish repeated by a retry is harmless.
func (db *DB) JobFinish(ctx context.Context, p store.JobFinishParams) (store.Job, error) {
	if !p.Status.Ended() {
		return store.Job{}, fmt.Errorf("store: finish job %d: status %q is not final", p.ID, p.Status)
	}
	row := db.db.QueryRowContext(ctx, `UPDATE jobs SET status = ?, error = ?, blob_key = ?, size = ?, sha256 = ?,
			finished_at = ?, expires_at = ?
		WHERE id = ? AND status IN (?, ?) RETURNING `+jobColumns,
		string(p.Status), p.Error, p.BlobKey, p.Size, p.SHA256, millis(now()), nullMillis(p.ExpiresAt),
		p.ID, string(store.JobQueued), string(store.JobRunning))
	job, err := scanJob(row)
	if errors.Is(err, sql.ErrNoRows) {
		return db.JobGet(ctx, p.ID)
	}
	if err != nil {
		return store.Job{}, fmt.Errorf("store: finish job %d: %w", p.ID, err)
	}
	return job, nil
}

// JobMarkExpired moves a done job to expired; a job in another state is
// left alone. An unknown job is store.ErrNotFound.
func (db *DB) JobMarkExpired(ctx context.Context, id int64) error {
	res, err := db.db.ExecContext(ctx, `UPDATE jobs SET status = ? WHERE id = ? AND status = ?`,
		string(store.JobExpired), id, string(store.JobDone))
	if err == nil {
		err = mustAffect(res)
	}
	if errors.Is(err, sql.ErrNoRows) {
		_, err = db.JobGet(ctx, id)
		return err
	}
	if err != nil {
		return fmt.Errorf("store: expire job %d: %w", id, err)
	}
	return nil
}

// JobListUnfinished returns up to limit jobs still queued or running,
// oldest first. A limit of 0 or less means no limit.
func (db *DB) JobListUnfinished(ctx context.Context, limit int) ([]store.Job, error) {
	if limit <= 0 {
		limit = math.MaxInt32
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs
		WHERE status IN (?, ?) ORDER BY id LIMIT ?`,
		string(store.JobQueued), string(store.JobRunning), limit)
	if err != nil {
		return nil, fmt.Errorf("store: list unfinished jobs: %w", err)
	}
	jobs, err := collect(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("store: list unfinished jobs: %w", err)
	}
	return jobs, nil
}

// JobExpiredList returns up to limit done jobs whose artifacts expired
// before t, oldest expiry first. A limit of 0 or less means no limit.
func (db *DB) JobExpiredList(ctx context.Context, t time.Time, limit int) ([]store.Job, error) {
	if limit <= 0 {
		limit = math.MaxInt32
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs
		WHERE status = ? AND expires_at IS NOT NULL AND expires_at < ? ORDER BY expires_at, id LIMIT ?`,
		string(store.JobDone), millis(t), limit)
	if err != nil {
		return nil, fmt.Errorf("store: list expired jobs: %w", err)
	}
	jobs, err := collect(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("store: list expired jobs: %w", err)
	}
	return jobs, nil
}

func scanJob(s scanner) (store.Job, error) {
	var (
		j                            store.Job
		kind, status                 string
		params                       sql.NullString
		created                      int64
		started, finished, expiresAt sql.NullInt64
	)
	err := s.Scan(&j.ID, &j.ProjectID, &j.Tenant, &kind, &params, &status, &j.SocketID, &j.Error, &j.BlobKey,
		&j.Size, &j.SHA256, &created, &started, &finished, &expiresAt, &j.DedupKey)
	if err != nil {
		return j, err
	}
	j.Kind, j.Status = store.JobKind(kind), store.JobStatus(status)
	j.CreatedAt = fromMillis(created)
	j.StartedAt, j.FinishedAt, j.ExpiresAt = fromNullMillis(started), fromNullMillis(finished), fromNullMillis(expiresAt)
	return j, fromJSON(params, &j.Params)
}
