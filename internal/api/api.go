// Package api is tolk's HTTP API. Every route is listed in routes below;
// handlers decode, authorize, make one call and respond, and return errors
// that writeError turns into application/problem+json.
package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/blob"
	"github.com/tolk-l10n/tolk/internal/store"
)

// MaxUploadBytes bounds an uploaded file.
const MaxUploadBytes = 64 << 20

// Runner is the job runner as the API uses it.
type Runner interface {
	Enqueue(ctx context.Context, p store.JobInsertParams) (store.Job, error)
	Build(ctx context.Context, project store.Project, kind store.JobKind, params store.JobParams, w io.Writer) error
	Healthy(ctx context.Context) error
}

// Authenticator resolves bearer tokens.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (auth.Principal, error)
}

// Config is what the API needs to know about the deployment.
type Config struct {
	// Tenant is the tenant id of this server, recorded with each job.
	Tenant string
	// TempDir holds synchronous exports while they are built.
	TempDir string
}

// API serves the REST endpoints.
type API struct {
	cfg    Config
	store  store.Store
	runner Runner
	blobs  blob.Store
	auth   Authenticator
	log    *slog.Logger
}

// New returns the API's handler.
func New(cfg Config, st store.Store, r Runner, blobs blob.Store, a Authenticator, logger *slog.Logger) http.Handler {
	api := &API{cfg: cfg, store: st, runner: r, blobs: blobs, auth: a, log: logger}
	return api.routes()
}

func (a *API) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.health)

	h := func(pattern string, fn handlerFunc) { mux.Handle(pattern, a.handle(fn)) }
	h("POST /api/projects", a.projectCreate)
	h("GET /api/projects", a.projectList)
	h("GET /api/projects/{id}", a.projectGet)
	h("POST /api/projects/{id}/tokens", a.tokenCreate)
	h("PUT /api/projects/{id}/targetrules/{ruleId}", a.targetRulePut)
	h("GET /api/projects/{id}/targetrules", a.targetRuleList)
	h("PUT /api/projects/{id}/files/{fileId}", a.filePut)
	h("GET /api/projects/{id}/files", a.fileList)
	h("PUT /api/projects/{id}/files/{fileId}/settings", a.fileSettingsPut)
	h("GET /api/projects/{id}/files/{fileId}/settings", a.fileSettingsGet)
	h("PUT /api/projects/{id}/files/{fileId}/translations/{locale}", a.translationPut)
	h("GET /api/projects/{id}/strings", a.stringList)
	h("POST /api/projects/{id}/process/{kind}", a.processStart)
	h("GET /api/projects/{id}/process/jobs/{jobId}", a.jobGet)
	h("GET /api/projects/{id}/downloads/{downloadId}", a.download)

	// Anything else under /api is a JSON 404, never the mux's text page.
	mux.Handle("/api/", a.handle(func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		return errNotFound("no such endpoint: %s %s", r.Method, r.URL.Path)
	}))
	return a.recoverPanics(mux)
}

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	if err := a.runner.Healthy(r.Context()); err != nil {
		a.writeError(w, r, errUnavailable("not healthy: %v", err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// recoverPanics turns a handler's panic into a 500 problem.
func (a *API) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", p)
				a.writeError(w, r, errInternal("internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
