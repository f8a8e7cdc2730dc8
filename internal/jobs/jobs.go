// Package jobs runs exports in River, a durable job queue in the same
// database as the data, so that an export accepted before a crash runs after
// the restart.
//
// River's job row says whether work must still be done; tolk's own job row
// (store.Job) says what the client sees: its status, its artifact, its
// error. Notifications are built from tolk's row after it is committed.
//
// Timeouts, chosen deliberately rather than River's defaults:
//   - an export runs at most Config.JobTimeout (default 10 minutes) before
//     its context is cancelled and the attempt fails;
//   - an attempt that runs past its timeout fails the job with that reason:
//     a build too big for the timeout would only time out again;
//   - a job whose process died stays "running" in River until the rescuer
//     frees it: that happens Config.JobTimeout + RescueGrace after it
//     started (River's default would be an hour after the timeout). On
//     SQLite, which has one node by construction, Start frees such jobs at
//     once: the process that ran them is gone.
//   - an attempt that fails for a reason retrying may fix (I/O, a panic, a
//     dead worker) is retried up to MaxAttempts times in all; one that fails
//     because of the project (a bad target rule, a file that no longer
//     parses) fails at once.
package jobs

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/tolk-l10n/tolk/internal/blob"
	"github.com/tolk-l10n/tolk/internal/export"
	"github.com/tolk-l10n/tolk/internal/store"
)

// Defaults of Config.
const (
	JobTimeoutDefault = 10 * time.Minute
	RetentionDefault  = 24 * time.Hour
	// RescueGrace is how long past its timeout a running job is presumed
	// dead and handed to another attempt.
	RescueGrace = 30 * time.Second
	// MaxAttempts bounds the attempts of one export.
	MaxAttempts = 3
)

// Config configures a Runner. Zero values mean the defaults.
type Config struct {
	// Workers is how many exports this node builds at once; 0 makes the
	// node accept jobs without working any.
	Workers    int
	JobTimeout time.Duration
	// Retention is how long a finished ZIP stays downloadable.
	Retention time.Duration
	// PerProject bounds the exports of one project built at once on this
	// node; further ones wait in the queue. 0 means half the workers, at
	// least 1, so that one project never holds every worker.
	PerProject int
}

// Notifier is told about every job that ended, after its row is committed,
// and about the progress of running ones.
type Notifier interface {
	JobEnded(job store.Job)
	JobProgress(job store.Job, progress any)
	// Watch makes a socket receive job's events, as watchJob does; it is
	// how a request that joined an existing job (dedup) still hears of it.
	Watch(job store.Job, socketID string)
}

// Runner enqueues and works export jobs.
type Runner struct {
	cfg    Config
	store  store.Store
	blobs  blob.Store
	notify Notifier
	log    *slog.Logger
	river  *river.Client[*sql.Tx]
	now    func() time.Time
	slots  projectSlots
	active running
	hub    *hub
}

// ExportArgs are River's arguments of an export job: only tolk's job id;
// everything else is read from tolk's job row.
type ExportArgs struct {
	JobID int64 `json:"job_id"`
}

// Kind is River's job kind.
func (ExportArgs) Kind() string { return "tolk_export" }

// New migrates River's tables and builds a runner. Call Start to work jobs.
func New(ctx context.Context, cfg Config, st store.Store, blobs blob.Store, n Notifier, logger *slog.Logger) (*Runner, error) {
	if cfg.JobTimeout == 0 {
		cfg.JobTimeout = JobTimeoutDefault
	}
	if cfg.Retention == 0 {
		cfg.Retention = RetentionDefault
	}
	if cfg.PerProject == 0 {
		cfg.PerProject = max(1, cfg.Workers/2)
	}
	r := &Runner{cfg: cfg, store: st, blobs: blobs, notify: n, log: logger, now: time.Now,
		slots:  projectSlots{limit: cfg.PerProject, active: map[int64]int{}},
		active: running{cancel: map[int64]func(){}}, hub: newHub()}
	driver := riversqlite.New(st.DB())
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quiet(logger)})
	if err != nil {
		return nil, fmt.Errorf("jobs: set up queue migrations: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("jobs: migrate queue tables: %w", err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &exportWorker{r: r})
	rc := &river.Config{
		Logger:               quiet(logger),
		Workers:              workers,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.JobTimeout + min(RescueGrace, cfg.JobTimeout),
		MaxAttempts:          MaxAttempts,
		RetryPolicy:          retryPolicy{},
		// SQLite has no LISTEN/NOTIFY; River polls. One second keeps the
		// time from POST to start short at a negligible cost.
		FetchPollInterval: time.Second,
		FetchCooldown:     50 * time.Millisecond,
	}
	if cfg.Workers > 0 {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
	}
	r.river, err = river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: create queue client: %w", err)
	}
	return r, nil
}

// quiet keeps River's routine logging out of the server log.
func quiet(l *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{l.Handler(), slog.LevelWarn})
}

// Start begins working jobs (when the node has workers) and the artifact
// sweeper. It returns at once.
func (r *Runner) Start(ctx context.Context) error {
	if r.cfg.Workers > 0 {
		if err := r.freeOrphans(ctx); err != nil {
			return err
		}
		if err := r.river.Start(ctx); err != nil {
			return fmt.Errorf("jobs: start queue: %w", err)
		}
	}
	go r.sweep(ctx)
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish until ctx
// ends; jobs still running then are cancelled and left for River to retry
// after the restart.
func (r *Runner) Stop(ctx context.Context) error {
	if r.cfg.Workers == 0 {
		return nil
	}
	err := r.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = r.river.StopAndCancel(hard)
	}
	return err
}

// Healthy reports whether the queue can take and work jobs.
func (r *Runner) Healthy(ctx context.Context) error {
	if err := r.store.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if r.cfg.Workers > 0 {
		select {
		case <-r.river.Stopped():
			return errors.New("job queue stopped")
		default:
		}
	}
	return nil
}

// Enqueue records a job and queues it in one transaction. A project with
// many jobs waiting gets a lower priority for its new ones, so that one
// project's backlog does not starve the others.
func (r *Runner) Enqueue(ctx context.Context, p store.JobInsertParams) (store.Job, error) {
	backlog, err := r.store.JobCountUnfinished(ctx, p.ProjectID)
	if err != nil {
		return store.Job{}, err
	}
	job, err := r.store.JobInsert(ctx, p, func(ctx context.Context, tx *sql.Tx, job store.Job) error {
		_, err := r.river.InsertTx(ctx, tx, ExportArgs{JobID: job.ID}, &river.InsertOpts{Priority: priority(backlog)})
		return err
	})
	switch {
	case err != nil:
		return job, err
	case job.Reused && p.SocketID != "" && p.SocketID != job.SocketID:
		r.notify.Watch(job, p.SocketID)
	case !job.Reused:
		r.notify.JobProgress(job, export.Progress{Stage: "queued"})
	}
	return job, nil
}

// priority maps a project's backlog to River's priorities (1 is first).
func priority(backlog int) int {
	switch {
	case backlog < 2:
		return 1
	case backlog < 10:
		return 2
	case backlog < 100:
		return 3
	}
	return 4
}

// Cancel ends a queued or running job as cancelled and stops its build if
// this node runs it. Cancelling an ended job changes nothing.
func (r *Runner) Cancel(ctx context.Context, id int64) (store.Job, error) {
	job, err := r.store.JobFinish(ctx, store.JobFinishParams{ID: id, Status: store.JobCancelled, Error: "cancelled by request"})
	if err != nil {
		return job, err
	}
	r.active.stop(id)
	if job.Status == store.JobCancelled {
		r.notify.JobEnded(job)
	}
	return job, nil
}

// Build runs an export synchronously into w (returnZip=true). It writes the
// same bytes a job would.
func (r *Runner) Build(ctx context.Context, project store.Project, kind store.JobKind, params store.JobParams, w io.Writer) error {
	return export.Build(ctx, r.store, export.Request{Project: project, Kind: kind, Params: params}, w, nil)
}

type exportWorker struct {
	river.WorkerDefaults[ExportArgs]
	r *Runner
}

// Work builds one export. It never leaves tolk's job row unfinished on the
// last attempt: whatever the error, the client hears of it.
func (w *exportWorker) Work(ctx context.Context, rj *river.Job[ExportArgs]) (err error) {
	r := w.r
	id := rj.Args.JobID
	// The job's deadline bounds the build, not the bookkeeping around it:
	// a deadline hit while reading the row would end the job without its
	// reason.
	bg := context.WithoutCancel(ctx)
	queued, err := r.store.JobGet(bg, id)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("job %d has no row: %w", id, err))
	}
	if err != nil {
		return fmt.Errorf("read job %d: %w", id, err)
	}
	if queued.Status.Ended() {
		return nil
	}
	if !r.slots.acquire(queued.ProjectID) {
		// The project has its share of workers; let other jobs go first.
		return river.JobSnooze(time.Second)
	}
	defer r.slots.release(queued.ProjectID)
	job, err := r.store.JobStart(bg, id)
	if errors.Is(err, store.ErrNotFound) {
		r.log.Info("export skipped: job no longer pending", "job_id", id)
		return nil
	}
	if err != nil {
		return fmt.Errorf("start job %d: %w", id, err)
	}
	log := r.log.With("job_id", id, "project_id", job.ProjectID, "kind", job.Kind, "attempt", rj.Attempt)
	defer func() {
		// A panic is a job error like any other, retried up to the limit.
		if p := recover(); p != nil {
			err = fmt.Errorf("export panicked: %v", p)
		}
		if err != nil {
			err = r.failed(job, rj, err, log)
		}
	}()
	start := r.now()
	buildCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.active.add(id, cancel)
	defer r.active.remove(id)
	res, err := r.build(buildCtx, job)
	if err != nil {
		if deadline, ok := ctx.Deadline(); ok && !r.now().Before(deadline) {
			return export.Permanent(fmt.Errorf("export exceeded its deadline of %s", r.cfg.JobTimeout))
		}
		return err
	}
	done, err := r.store.JobFinish(bg, store.JobFinishParams{
		ID: id, Status: store.JobDone, BlobKey: res.key, Size: res.size, SHA256: res.sha256,
		ExpiresAt: r.now().Add(r.cfg.Retention),
	})
	if err != nil {
		return fmt.Errorf("record end of job %d: %w", id, err)
	}
	log.Info("export done", "bytes", res.size, "duration_ms", r.now().Sub(start).Milliseconds())
	r.notify.JobEnded(done)
	return nil
}

// failed records a failure when it is final and tells River what to do.
func (r *Runner) failed(job store.Job, rj *river.Job[ExportArgs], cause error, log *slog.Logger) error {
	permanent := export.IsPermanent(cause)
	if !permanent && rj.Attempt < rj.MaxAttempts {
		log.Warn("export attempt failed; will retry", "error", cause)
		return cause
	}
	log.Warn("export failed", "error", cause)
	ended, err := r.store.JobFinish(context.Background(), store.JobFinishParams{
		ID: job.ID, Status: store.JobFailed, Error: failureMessage(cause),
	})
	if err != nil {
		return fmt.Errorf("record failure of job %d: %w (export failed with: %v)", job.ID, err, cause)
	}
	// A job cancelled meanwhile stays cancelled and was announced then.
	if ended.Status == store.JobFailed {
		r.notify.JobEnded(ended)
	}
	return river.JobCancel(cause)
}

// failureMessage is what the client reads in downloadId. Rigi clients tell a
// failure from a success by whether it parses as an integer, so it never
// does.
func failureMessage(err error) string {
	msg := err.Error()
	if _, numErr := strconv.ParseInt(msg, 10, 64); numErr == nil {
		msg = "export failed: " + msg
	}
	return msg
}

type artifact struct {
	key    string
	size   int64
	sha256 string
}

// build streams the export into a new blob while hashing it.
func (r *Runner) build(ctx context.Context, job store.Job) (artifact, error) {
	project, err := r.store.ProjectGet(ctx, job.ProjectID)
	if err != nil {
		return artifact{}, fmt.Errorf("read project %d: %w", job.ProjectID, err)
	}
	key := fmt.Sprintf("exports/%d/%d.zip", job.ProjectID, job.ID)
	bw, err := r.blobs.Create(ctx, key)
	if err != nil {
		return artifact{}, fmt.Errorf("create artifact: %w", err)
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(bw, h)}
	req := export.Request{Project: project, Kind: job.Kind, Params: job.Params}
	t := &throttle{job: job, n: r.notify, hub: r.hub}
	defer r.hub.done(job.ID)
	if err := export.Build(ctx, r.store, req, cw, t.report); err != nil {
		_ = bw.Abort()
		return artifact{}, err
	}
	if err := bw.Commit(); err != nil {
		return artifact{}, fmt.Errorf("store artifact: %w", err)
	}
	return artifact{key: key, size: cw.n, sha256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
