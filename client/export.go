package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Kind is an export kind of the process API.
type Kind string

// The three exports.
const (
	Targets Kind = "targets" // translated files at their target-rule paths
	Sources Kind = "sources" // source files with every text wrapped in its token
	Pseudo  Kind = "pseudo"  // pseudo-translated files for the pseudo locale
)

// Event returns the name of the Socket.IO event that announces the end of
// an export of this kind.
func (k Kind) Event() string {
	switch k {
	case Targets:
		return "process_export_target"
	case Sources:
		return "process_export_source"
	case Pseudo:
		return "process_export_pseudo"
	}
	return ""
}

// ExportOptions select what to export and where the ZIP goes. Exactly one
// of Writer and File must be set.
type ExportOptions struct {
	Locales  []string // target locales (targets); empty: all of the project's
	FileIDs  []string // workspace files; empty: all
	NoTokens bool     // pseudo: leave string tokens out (tokens=false)

	// Writer receives the ZIP once it is downloaded and verified; nothing
	// is written to it on failure.
	Writer io.Writer
	// File is the path the ZIP is written to, atomically: an existing file
	// is replaced only by a complete, verified download.
	File string

	// Progress, when set, is called as the export advances.
	Progress func(Progress)
}

// Stages of an export, in order.
const (
	StageConnecting  = "connecting"
	StageQueued      = "queued"
	StageRunning     = "running"
	StageDownloading = "downloading"
	StageDone        = "done"
)

// Progress reports an export's advance.
type Progress struct {
	Stage string
	JobID int64
	Step  string // StageRunning: the server's stage (collecting, rendering, zipping), when it tells
	Files int    // files built so far, when the server tells
	Total int    // files to build, 0 when unknown
	Bytes int64
	Size  int64 // bytes to download, 0 when unknown
}

// ExportResult describes a downloaded export.
type ExportResult struct {
	JobID      int64
	DownloadID string
	Size       int64
	SHA256     string // hex, computed from the bytes received
	FileName   string // from Content-Disposition, when given
	// Notified says how the end of the job was learnt: "socket" (the
	// completion event) or "poll" (the job status over HTTP).
	Notified string
}

// Export runs an export job and downloads its ZIP: it joins the project's
// process room over Socket.IO, starts the job, waits for the completion
// event of this job (or, without a socket, polls the job status), then
// downloads and verifies the ZIP. A failed job is a *JobError; an HTTP error
// is a *Error.
func (c *Client) Export(ctx context.Context, projectID int64, kind Kind, opts ExportOptions) (*ExportResult, error) {
	if kind.Event() == "" {
		return nil, fmt.Errorf("unknown export kind %q", kind)
	}
	if (opts.Writer == nil) == (opts.File == "") {
		return nil, errors.New("export: set exactly one of ExportOptions.Writer and ExportOptions.File")
	}
	report := opts.Progress
	if report == nil {
		report = func(Progress) {}
	}
	report(Progress{Stage: StageConnecting})
	w := c.openWatch(ctx, projectID, kind, report)
	defer w.close()
	ans, err := c.startExportFallback(ctx, projectID, kind, opts, w.socketID())
	if err != nil {
		return nil, err
	}
	report(Progress{Stage: StageQueued, JobID: ans.JobID})
	end, err := w.wait(ctx, ans.JobID)
	if err != nil {
		return nil, err
	}
	target := end.url
	if target == "" {
		target = projectPath(projectID, "/downloads/"+url.PathEscape(end.downloadID))
	}
	res, err := c.download(ctx, target, end.size, end.sha256, opts, func(n, size int64) {
		report(Progress{Stage: StageDownloading, JobID: ans.JobID, Bytes: n, Size: size})
	})
	if err != nil {
		return nil, fmt.Errorf("downloading export %d: %w", ans.JobID, err)
	}
	res.JobID, res.DownloadID, res.Notified = ans.JobID, end.downloadID, end.via
	report(Progress{Stage: StageDone, JobID: ans.JobID, Bytes: res.Size, Size: res.Size})
	return res, nil
}

// startExportFallback starts the export naming the socket; a server that
// refuses the socket ID (400: it dropped between the join and the POST)
// is asked again without it, so that the job is announced to the room the
// socket re-joins on reconnection, and polling covers the rest.
func (c *Client) startExportFallback(ctx context.Context, projectID int64, kind Kind, opts ExportOptions, socketID string) (*processAnswer, error) {
	ans, err := c.startExport(ctx, projectID, kind, opts, socketID)
	var e *Error
	if socketID != "" && errors.As(err, &e) && e.Status == http.StatusBadRequest {
		c.log.Warn("the server refused the socket ID, starting the export without it", slog.Any("error", err))
		return c.startExport(ctx, projectID, kind, opts, "")
	}
	return ans, err
}

// startExport POSTs the process request, naming the socket (if any) so
// that the server may answer on it alone.
func (c *Client) startExport(ctx context.Context, projectID int64, kind Kind, opts ExportOptions, socketID string) (*processAnswer, error) {
	q := url.Values{}
	if len(opts.Locales) > 0 {
		q.Set("locales", strings.Join(opts.Locales, ","))
	}
	if len(opts.FileIDs) > 0 {
		q.Set("fileIds", strings.Join(opts.FileIDs, ","))
	}
	if opts.NoTokens {
		q.Set("tokens", "false")
	}
	req, err := c.newRequest(ctx, http.MethodPost, c.endpoint(projectPath(projectID, "/process/"+string(kind)), q), nil)
	if err != nil {
		return nil, err
	}
	if socketID != "" {
		req.Header.Set("X-Socket-Id", socketID)
	}
	var ans processAnswer
	if _, err := c.send(req, &ans); err != nil {
		return nil, fmt.Errorf("starting the %s export of project %d: %w", kind, projectID, err)
	}
	if ans.JobID == 0 {
		// A legacy answer carries only the download id.
		n, err := strconv.ParseInt(ans.DownloadID, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("starting the %s export of project %d: answer without a job id", kind, projectID)
		}
		ans.JobID = n
	}
	if ans.DownloadID == "" {
		ans.DownloadID = strconv.FormatInt(ans.JobID, 10)
	}
	return &ans, nil
}

// jobEnd is what the waiting learnt about a finished job.
type jobEnd struct {
	downloadID string
	url        string
	size       int64
	sha256     string
	via        string
}

// endFromJob turns an ended job's status into a jobEnd or a *JobError.
func endFromJob(j *Job) (*jobEnd, error) {
	if j.Status != JobDone {
		return nil, &JobError{JobID: j.JobID, Status: j.Status, Message: j.Error}
	}
	id := j.DownloadID
	if id == "" {
		id = strconv.FormatInt(j.JobID, 10)
	}
	return &jobEnd{downloadID: id, url: j.URL, size: j.Size, sha256: j.SHA256, via: "poll"}, nil
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
