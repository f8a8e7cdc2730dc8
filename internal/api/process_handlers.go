package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/blob"
	"github.com/tolk-l10n/tolk/internal/export"
	"github.com/tolk-l10n/tolk/internal/notify"
	"github.com/tolk-l10n/tolk/internal/store"
)

// Request headers of the process endpoints.
const (
	// SocketIDHeader names the Socket.IO socket that should alone receive
	// a job's events.
	SocketIDHeader = "X-Socket-Id"
	// IdempotencyHeader makes a retried POST return the job it created.
	IdempotencyHeader = "Idempotency-Key"
)

// dedupKey identifies an export request on one state of the project:
// requests with equal keys produce the same ZIP, so while one is queued or
// running, the others share it. Parameters are normalized (sorted lists),
// so that the order of locales does not matter; nothing else is merged.
//
// The audience is part of the key: a job announced to the project's room
// is never shared with a request that named its socket, nor the other way
// round, since the room's clients would then miss the event, or a socket
// would get events of a request it did not make. Requests that name
// sockets share a job, each socket watching it.
func dedupKey(p store.Project, kind store.JobKind, params store.JobParams, toSocket bool) string {
	norm := params
	norm.Locales = slices.Sorted(slices.Values(params.Locales))
	norm.FileIDs = slices.Sorted(slices.Values(params.FileIDs))
	h := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s\x00%d\x00%t", p.ID, kind, paramsJSON(norm), p.Revision, toSocket))
	return hex.EncodeToString(h[:])
}

func paramsJSON(p store.JobParams) string {
	b, _ := json.Marshal(p)
	return string(b)
}

func sameParams(a, b store.JobParams) bool { return paramsJSON(a) == paramsJSON(b) }

var kinds = map[string]store.JobKind{
	"targets": store.JobTargets, "sources": store.JobSources, "pseudo": store.JobPseudo,
}

type processResponse struct {
	JobID       int64  `json:"jobId"`
	DownloadID  string `json:"downloadId"`
	Status      string `json:"status"`
	Event       string `json:"event"`
	StatusURL   string `json:"statusUrl"`
	DownloadURL string `json:"downloadUrl"`
}

// processStart accepts an export: at once as a job (202), or built in the
// request with returnZip=true.
func (a *API) processStart(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	kind, ok := kinds[r.PathValue("kind")]
	if !ok {
		return errNotFound("unknown export %q: use targets, sources or pseudo", r.PathValue("kind"))
	}
	proj, err := a.project(r, p, auth.KindPermissions(kind)...)
	if err != nil {
		return err
	}
	params, returnZip, err := processParams(r, proj, kind)
	if err != nil {
		return err
	}
	for _, id := range params.FileIDs {
		if _, err := a.store.FileGet(r.Context(), proj.ID, id); errors.Is(err, store.ErrNotFound) {
			return errBadRequest("fileIds: project %d has no file %q", proj.ID, id)
		} else if err != nil {
			return err
		}
	}
	if returnZip {
		return a.processSync(w, r, proj, kind, params)
	}
	idem := r.Header.Get(IdempotencyHeader)
	if len(idem) > 255 {
		return errBadRequest("%s is longer than 255 characters", IdempotencyHeader)
	}
	socketID, err := a.audience(r, proj)
	if err != nil {
		return err
	}
	job, err := a.runner.Enqueue(r.Context(), store.JobInsertParams{
		ProjectID: proj.ID, Tenant: a.cfg.Tenant, Kind: kind, Params: params,
		SocketID: socketID, DedupKey: dedupKey(proj, kind, params, socketID != ""), IdempotencyKey: idem,
	})
	if err != nil {
		return fmt.Errorf("enqueue export: %w", err)
	}
	if idem != "" && job.IdempotencyKey == idem && (job.Kind != kind || !sameParams(job.Params, params)) {
		return errStatus(http.StatusUnprocessableEntity,
			"%s %q was used for job %d with other parameters (%s %s); use a new key for a new request",
			IdempotencyHeader, idem, job.ID, job.Kind, paramsJSON(job.Params))
	}
	statusURL := jobPath(job)
	w.Header().Set("Location", statusURL)
	writeJSON(w, http.StatusAccepted, processResponse{
		JobID: job.ID, DownloadID: strconv.FormatInt(job.ID, 10), Status: string(job.Status),
		Event: kind.Event(), StatusURL: statusURL, DownloadURL: notify.DownloadPath(job),
	})
	return nil
}

// audience returns the socket a job's events go to, "" for the project's
// room. A socket that is not connected (it dropped just before the POST, or
// the id is wrong) gets the room, as a request without the header does, so
// that the event reaches the room and watchJob after a reconnect; a
// connected socket whose token may not see the project is refused.
func (a *API) audience(r *http.Request, proj store.Project) (string, error) {
	id := r.Header.Get(SocketIDHeader)
	if id == "" || a.sockets == nil {
		return id, nil
	}
	connected, sees := a.sockets.SocketSees(id, proj.ID)
	switch {
	case !connected:
		a.log.Info("X-Socket-Id names no connected socket; the job is announced to the room", "socket_id", id, "project_id", proj.ID)
		return "", nil
	case !sees:
		return "", errStatus(http.StatusForbidden, "%s %q belongs to a connection whose token does not grant project %d", SocketIDHeader, id, proj.ID)
	}
	return id, nil
}

func processParams(r *http.Request, proj store.Project, kind store.JobKind) (store.JobParams, bool, error) {
	params := store.JobParams{FileIDs: queryList(r, "fileIds")}
	if kind == store.JobTargets {
		for _, l := range queryList(r, "locales") {
			loc, err := targetLocale(proj, l)
			if err != nil {
				return params, false, err
			}
			params.Locales = append(params.Locales, loc)
		}
	}
	if kind == store.JobPseudo {
		tokens, set, err := queryBool(r, "tokens")
		if err != nil {
			return params, false, err
		}
		if set {
			params.Tokens = &tokens
		}
	}
	returnZip, _, err := queryBool(r, "returnZip")
	return params, returnZip, err
}

// processSync builds the ZIP into a temporary file first, so that a failure
// is still answered with a problem rather than half an archive, and the
// answer carries Content-Length.
func (a *API) processSync(w http.ResponseWriter, r *http.Request, proj store.Project, kind store.JobKind, params store.JobParams) error {
	tmp, err := os.CreateTemp(a.cfg.TempDir, "sync-*.zip")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := a.runner.Build(r.Context(), proj, kind, params, tmp); err != nil {
		if export.IsPermanent(err) {
			return errStatus(http.StatusUnprocessableEntity, "export failed: %v", err)
		}
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="project-%d-%s.zip"`, proj.ID, kind))
	http.ServeContent(w, r, "", time.Time{}, tmp)
	return nil
}

// targetLocale finds l among the project's target locales, ignoring case
// as BCP 47 does, and returns the project's spelling.
func targetLocale(p store.Project, l string) (string, error) {
	for _, t := range p.TargetLocales {
		if strings.EqualFold(strings.ReplaceAll(l, "_", "-"), t) {
			return t, nil
		}
	}
	return "", errBadRequest("locale %q is not a target locale of project %d (%v)", l, p.ID, p.TargetLocales)
}

func jobPath(j store.Job) string {
	return fmt.Sprintf("/api/projects/%d/process/jobs/%d", j.ProjectID, j.ID)
}

type jobResponse struct {
	JobID      int64            `json:"jobId"`
	ProjectID  int64            `json:"projectId"`
	Kind       store.JobKind    `json:"kind"`
	Status     store.JobStatus  `json:"status"`
	DownloadID string           `json:"downloadId,omitempty"`
	Event      string           `json:"event"`
	Params     store.JobParams  `json:"params"`
	Error      string           `json:"error,omitempty"`
	Progress   *export.Progress `json:"progress,omitempty"`
	URL        string           `json:"url,omitempty"`
	Size       int64            `json:"size,omitempty"`
	SHA256     string           `json:"sha256,omitempty"`
	CreatedAt  time.Time        `json:"createdAt"`
	StartedAt  *time.Time       `json:"startedAt,omitempty"`
	FinishedAt *time.Time       `json:"finishedAt,omitempty"`
	ExpiresAt  *time.Time       `json:"expiresAt,omitempty"`
}

// job reads the job named by the path value and checks that p may see it.
func (a *API) job(r *http.Request, p auth.Principal, idName string) (store.Job, error) {
	projectID, err := pathID(r, "id")
	if err != nil {
		return store.Job{}, err
	}
	id, err := pathID(r, idName)
	if err != nil {
		return store.Job{}, err
	}
	if !p.Sees(projectID) {
		return store.Job{}, p.Check(projectID, store.Permissions...)
	}
	j, err := a.store.JobGet(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && j.ProjectID != projectID) {
		return store.Job{}, errNotFound("project %d has no job %d", projectID, id)
	}
	if err != nil {
		return store.Job{}, err
	}
	if err := p.Check(projectID, auth.KindPermissions(j.Kind)...); err != nil {
		return store.Job{}, err
	}
	// A done job whose artifact outlived its retention reads as expired
	// even before the sweeper has deleted it.
	if j.Status == store.JobDone && !j.ExpiresAt.IsZero() && time.Now().After(j.ExpiresAt) {
		j.Status = store.JobExpired
	}
	return j, nil
}

func (a *API) jobGet(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	j, err := a.job(r, p, "jobId")
	if err != nil {
		return err
	}
	resp := newJobResponse(j)
	if pr, ok := a.runner.Progress(j.ID); ok && !j.Status.Ended() {
		resp.Progress = &pr
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func newJobResponse(j store.Job) jobResponse {
	resp := jobResponse{JobID: j.ID, ProjectID: j.ProjectID, Kind: j.Kind, Status: j.Status,
		Event: j.Kind.Event(), Params: j.Params, Error: j.Error, CreatedAt: j.CreatedAt,
		StartedAt: optTime(j.StartedAt), FinishedAt: optTime(j.FinishedAt)}
	switch {
	case j.Status == store.JobDone:
		resp.DownloadID = strconv.FormatInt(j.ID, 10)
		resp.URL, resp.Size, resp.SHA256 = notify.DownloadPath(j), j.Size, j.SHA256
		resp.ExpiresAt = optTime(j.ExpiresAt)
	case j.Status.Ended():
		// As in the completion event: a legacy client reads the message
		// where it expects the download id.
		resp.DownloadID = notify.Completion(j)["downloadId"].(string)
	}
	return resp
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// download serves a job's ZIP. Expiry is checked here, when a download
// starts, never in the middle of one; Range and HEAD come with ServeContent.
func (a *API) download(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	j, err := a.job(r, p, "downloadId")
	if err != nil {
		return err
	}
	switch j.Status {
	case store.JobDone:
	case store.JobExpired:
		return errGone("download %d expired at %s; run the export again", j.ID, j.ExpiresAt.Format(time.RFC3339))
	case store.JobFailed, store.JobCancelled:
		return errStatus(http.StatusConflict, "job %d has no download: it %s (%s)", j.ID, j.Status, j.Error)
	default:
		return errStatus(http.StatusConflict, "job %d is %s; its download is not ready yet", j.ID, j.Status)
	}
	f, err := a.blobs.Open(r.Context(), j.BlobKey)
	if errors.Is(err, blob.ErrNotFound) {
		return errGone("download %d is no longer stored", j.ID)
	}
	if err != nil {
		return fmt.Errorf("open artifact of job %d: %w", j.ID, err)
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="project-%d-%s-%d.zip"`, j.ProjectID, j.Kind, j.ID))
	w.Header().Set("ETag", `"`+j.SHA256+`"`)
	w.Header().Set("Cache-Control", "private, no-transform")
	http.ServeContent(&problemWriter{ResponseWriter: w, a: a, r: r}, r, "", j.FinishedAt, f)
	return nil
}

// problemWriter turns the text errors http.ServeContent writes (416 for a
// range past the end, for one) into problems, so that no client saves an
// error as a ZIP.
type problemWriter struct {
	http.ResponseWriter
	a      *API
	r      *http.Request
	failed bool
}

func (p *problemWriter) WriteHeader(code int) {
	if code < 400 {
		p.ResponseWriter.WriteHeader(code)
		return
	}
	p.failed = true
	h := p.Header()
	for _, k := range []string{"Content-Disposition", "Content-Length", "ETag", "Cache-Control"} {
		h.Del(k)
	}
	msg := http.StatusText(code)
	if code == http.StatusRequestedRangeNotSatisfiable {
		msg = fmt.Sprintf("range %q is outside the download (%s)", p.r.Header.Get("Range"), h.Get("Content-Range"))
	}
	p.a.writeError(p.ResponseWriter, p.r, errStatus(code, "%s", msg))
}

func (p *problemWriter) Write(b []byte) (int, error) {
	if p.failed {
		return len(b), nil // the problem is written already
	}
	return p.ResponseWriter.Write(b)
}
