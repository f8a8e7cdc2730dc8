package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/tolk-l10n/tolk/client/socketio"
)

// progressEvent is the event a server sends while a job runs; its payload
// has jobId and progress {stage, done, total}.
const progressEvent = "process_progress"

// watch waits for the end of an export job: through the Socket.IO events of
// the project's process room when a socket could be opened, through the
// job status over HTTP otherwise (and, as a safety net, also with a socket).
type watch struct {
	c         *Client
	projectID int64
	kind      Kind
	report    func(Progress)
	sock      *socketio.Client // nil: polling only

	mu          sync.Mutex
	events      []processEvent // completion events not yet examined
	joined      bool           // the room was joined once: later connections are reconnections
	joinedID    string         // the socket ID the room was last joined with
	jobID       int64          // the job waited for, once known
	reconnected bool           // a new socket ID that has not re-joined yet
	roomless    bool           // the server refused the join
	wake        chan struct{}  // capacity 1: something above changed
}

// openWatch connects and joins the room. Any failure there only means the
// export will poll: it is logged, not returned.
func (c *Client) openWatch(ctx context.Context, projectID int64, kind Kind, report func(Progress)) *watch {
	w := &watch{c: c, projectID: projectID, kind: kind, report: report, wake: make(chan struct{}, 1)}
	if c.noSocket {
		return w
	}
	sock, err := socketio.New(c.base.String(), socketio.Options{
		Path:       c.socketPath,
		Auth:       map[string]string{"token": c.token},
		HTTPClient: c.http,
		Logger:     c.log,
	})
	if err != nil {
		c.log.Warn("no socket, polling the job status", slog.Any("error", err))
		return w
	}
	sock.On(kind.Event(), w.onEvent)
	sock.On(progressEvent, w.onProgress)
	sock.OnConnect(w.onConnect)
	cctx, cancel := context.WithTimeout(ctx, c.socketConnectTimeout)
	defer cancel()
	if err := sock.Connect(cctx); err != nil {
		c.log.Warn("cannot open a socket, polling the job status", slog.Any("error", err))
		_ = sock.Close()
		return w
	}
	id := sock.ID()
	roomless := false
	if err := w.join(cctx, sock); err != nil {
		// Keep the socket: a server that delivers by X-Socket-Id or
		// watchJob still reaches it; polling covers one that does not.
		c.log.Warn("cannot join the process room, polling the job status besides", slog.Any("error", err))
		roomless = true
	}
	w.mu.Lock()
	w.sock, w.joined, w.joinedID, w.roomless = sock, true, id, roomless
	w.mu.Unlock()
	return w
}

func (w *watch) join(ctx context.Context, sock *socketio.Client) error {
	ack, err := sock.EmitWithAck(ctx, "joinProcessRoom", map[string]any{"projectId": w.projectID, "tenantId": w.c.tenant})
	if err != nil {
		return fmt.Errorf("joining the process room of project %d: %w", w.projectID, err)
	}
	var ans struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if len(ack) == 0 || json.Unmarshal(ack[0], &ans) != nil {
		return nil // a legacy server acknowledges without a body
	}
	if !ans.OK {
		return fmt.Errorf("joining the process room of project %d (tenant %s): refused: %s", w.projectID, w.c.tenant, ans.Error)
	}
	return nil
}

func (w *watch) socketID() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sock == nil {
		return ""
	}
	return w.sock.ID()
}

func (w *watch) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// onEvent buffers completion events: one may arrive before the POST that
// started the job has answered, so before the job id is known.
func (w *watch) onEvent(args []json.RawMessage) {
	if len(args) == 0 {
		return
	}
	var ev processEvent
	if err := json.Unmarshal(args[0], &ev); err != nil {
		w.c.log.Debug("undecodable process event", slog.Any("error", err))
		return
	}
	w.mu.Lock()
	w.events = append(w.events, ev)
	w.mu.Unlock()
	w.signal()
}

func (w *watch) onProgress(args []json.RawMessage) {
	var ev processEvent
	if len(args) == 0 || json.Unmarshal(args[0], &ev) != nil {
		return
	}
	w.mu.Lock()
	mine := ev.JobID != 0 && int64(ev.JobID) == w.jobID
	w.mu.Unlock()
	if mine {
		w.report(running(w.jobID, ev.Progress))
	}
}

// running is the Progress of a running job.
func running(jobID int64, p *JobProgress) Progress {
	if p == nil {
		return Progress{Stage: StageRunning, JobID: jobID}
	}
	return Progress{Stage: StageRunning, JobID: jobID, Step: p.Stage, Files: p.Done, Total: p.Total}
}

func (w *watch) onConnect(id string) {
	w.mu.Lock()
	if w.joined && id != w.joinedID {
		w.reconnected = true
	}
	w.mu.Unlock()
	w.signal()
}

// close leaves the room and closes the socket.
func (w *watch) close() {
	w.mu.Lock()
	sock := w.sock
	w.mu.Unlock()
	if sock == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// The legacy form: the bare project id. The ack tells the server has
	// read it before the socket goes away.
	_, _ = sock.EmitWithAck(ctx, "leaveProcessRoom", w.projectID)
	_ = sock.Close()
}

// wait returns when job jobID has ended.
func (w *watch) wait(ctx context.Context, jobID int64) (*jobEnd, error) {
	if w.sock == nil {
		return w.poll(ctx, jobID)
	}
	w.mu.Lock()
	w.jobID = jobID
	w.mu.Unlock()
	// The job may be shared with an identical request of another client
	// (the server deduplicates), whose socket the event was meant for:
	// watching it makes the server send the end to this socket too.
	w.watchJob(ctx, jobID)
	next := time.Now().Add(w.interval())
	for {
		if end, err, ok := w.takeEvent(jobID); ok {
			return end, err
		}
		if w.takeReconnect() {
			// The new socket is in no room and watches nothing: re-join,
			// ask the job's state over HTTP, and watch it again.
			jctx, cancel := context.WithTimeout(ctx, w.c.socketConnectTimeout)
			err := w.join(jctx, w.sock)
			if err != nil {
				w.c.log.Warn("re-joining the process room", slog.Any("error", err))
			}
			w.mu.Lock()
			w.roomless = err != nil
			w.mu.Unlock()
			cancel()
			if end, err, ok := w.check(ctx, jobID); ok {
				return end, err
			}
			w.watchJob(ctx, jobID)
			next = time.Now().Add(w.interval())
		}
		if !time.Now().Before(next) {
			if end, err, ok := w.check(ctx, jobID); ok {
				return end, err
			}
			next = time.Now().Add(w.interval())
		}
		if err := w.sleep(ctx, time.Until(next)); err != nil {
			return nil, fmt.Errorf("waiting for export job %d: %w", jobID, err)
		}
	}
}

// watchJob asks the server for the end of jobID on this socket. Its
// acknowledgement carries the job's state; an ended job's state is taken
// as its completion event. Servers without watchJob are tolerated.
func (w *watch) watchJob(ctx context.Context, jobID int64) {
	ctx, cancel := context.WithTimeout(ctx, w.c.socketConnectTimeout)
	defer cancel()
	ack, err := w.sock.EmitWithAck(ctx, "watchJob", map[string]any{"jobId": jobID})
	if err != nil || len(ack) == 0 {
		w.c.log.Debug("watchJob", slog.Any("error", err))
		return
	}
	var ans struct {
		OK    bool            `json:"ok"`
		Error string          `json:"error"`
		Job   json.RawMessage `json:"job"`
	}
	if json.Unmarshal(ack[0], &ans) != nil || !ans.OK || len(ans.Job) == 0 {
		w.c.log.Debug("watchJob refused", slog.String("error", ans.Error))
		return
	}
	w.onEvent([]json.RawMessage{ans.Job})
}

// interval is the time between two status checks while a socket exists:
// long while it is connected (the event will come), short while it is not.
func (w *watch) interval() time.Duration {
	w.mu.Lock()
	roomless := w.roomless
	w.mu.Unlock()
	if w.sock.Connected() && !roomless {
		return w.c.safetyPoll
	}
	return w.c.pollMax
}

func (w *watch) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(max(d, 0))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-w.wake:
	case <-t.C:
	}
	return nil
}

func (w *watch) takeReconnect() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.reconnected
	w.reconnected = false
	if r {
		w.joinedID = w.sock.ID()
	}
	return r
}

// takeEvent looks for the completion event of jobID among the buffered
// ones; events of other jobs (another client's export) are dropped.
func (w *watch) takeEvent(jobID int64) (*jobEnd, error, bool) {
	w.mu.Lock()
	evs := w.events
	w.events = nil
	w.mu.Unlock()
	want := strconv.FormatInt(jobID, 10)
	for _, ev := range evs {
		if int64(ev.JobID) != jobID && !(ev.JobID == 0 && ev.DownloadID == want) {
			continue
		}
		switch ev.Status {
		case JobDone:
		case "": // legacy: downloadId is the job id on success, the message on failure
			if ev.DownloadID != want {
				return nil, &JobError{JobID: jobID, Status: JobFailed, Message: ev.errorMessage()}, true
			}
		case JobFailed, JobCancelled, JobExpired:
			return nil, &JobError{JobID: jobID, Status: ev.Status, Message: ev.errorMessage()}, true
		default:
			w.report(running(jobID, ev.Progress))
			continue
		}
		id := ev.DownloadID
		if id == "" {
			id = want
		}
		return &jobEnd{downloadID: id, url: ev.URL, size: ev.Size, sha256: ev.SHA256, via: "socket"}, nil, true
	}
	return nil, nil, false
}

// check reads the job status once. Transient failures are logged and
// skipped (ok false); a refusal of the server ends the wait.
func (w *watch) check(ctx context.Context, jobID int64) (*jobEnd, error, bool) {
	j, err := w.c.Job(ctx, w.projectID, jobID)
	if err != nil {
		if fatal(err) || ctx.Err() != nil {
			return nil, err, true
		}
		w.c.log.Warn("reading the job status", slog.Any("error", err))
		return nil, nil, false
	}
	if !j.Ended() {
		if j.Progress != nil || j.Status == JobRunning {
			w.report(running(jobID, j.Progress))
		}
		return nil, nil, false
	}
	end, err := endFromJob(j)
	return end, err, true
}

// fatal tells an error answer that waiting longer will not change (4xx)
// from a transient one (5xx, network).
func fatal(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests
}

// poll waits for the job by reading its status with backoff.
func (w *watch) poll(ctx context.Context, jobID int64) (*jobEnd, error) {
	delay := 100 * time.Millisecond
	for {
		if end, err, ok := w.check(ctx, jobID); ok {
			return end, err
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return nil, fmt.Errorf("waiting for export job %d: %w", jobID, err)
		}
		delay = min(delay*3/2, w.c.pollMax)
	}
}
