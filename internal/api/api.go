// Package api is tolk's HTTP API. Every route is listed in routes below;
// handlers decode, authorize, make one call and respond, and return errors
// that writeError turns into application/problem+json.
package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/blob"
	"github.com/tolk-l10n/tolk/internal/export"
	"github.com/tolk-l10n/tolk/internal/store"
)

// MaxUploadBytes bounds an uploaded file.
const MaxUploadBytes = 64 << 20

// Runner is the job runner as the API uses it.
type Runner interface {
	Enqueue(ctx context.Context, p store.JobInsertParams) (store.Job, error)
	Build(ctx context.Context, project store.Project, kind store.JobKind, params store.JobParams, w io.Writer) error
	Healthy(ctx context.Context) error
	Cancel(ctx context.Context, id int64) (store.Job, error)
	Progress(id int64) (export.Progress, bool)
	Watch(id int64) (reports <-chan export.Progress, stop func())
}

// Sockets tells whether a Socket.IO socket is connected on this node, and
// whether its token sees a project (X-Socket-Id).
type Sockets interface {
	SocketSees(socketID string, projectID int64) (connected, sees bool)
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
	cfg     Config
	store   store.Store
	runner  Runner
	blobs   blob.Store
	auth    Authenticator
	sockets Sockets
	log     *slog.Logger
	handler http.Handler
	// closing is closed by Close; long-lived streams end on it.
	closing   chan struct{}
	closeOnce sync.Once
}

// New returns the API. sockets may be nil when there is no Socket.IO
// endpoint (tests); X-Socket-Id is then not checked.
func New(cfg Config, st store.Store, r Runner, blobs blob.Store, a Authenticator, sockets Sockets, logger *slog.Logger) *API {
	api := &API{cfg: cfg, store: st, runner: r, blobs: blobs, auth: a, sockets: sockets, log: logger, closing: make(chan struct{})}
	api.handler = api.routes()
	return api
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// Close ends the long-lived responses (Server-Sent Events), which
// http.Server.Shutdown would otherwise wait for.
func (a *API) Close() { a.closeOnce.Do(func() { close(a.closing) }) }

// route is one endpoint: a ServeMux pattern and its handler.
type route struct {
	method, path string
	fn           func(a *API) handlerFunc
}

// routes lists every authenticated endpoint; docs/openapi.yaml documents
// the same list, and a test holds the two together.
var routes = []route{
	{"POST", "/api/projects", func(a *API) handlerFunc { return a.projectCreate }},
	{"GET", "/api/projects", func(a *API) handlerFunc { return a.projectList }},
	{"GET", "/api/projects/{id}", func(a *API) handlerFunc { return a.projectGet }},
	{"POST", "/api/projects/{id}/tokens", func(a *API) handlerFunc { return a.tokenCreate }},
	{"PUT", "/api/projects/{id}/targetrules/{ruleId}", func(a *API) handlerFunc { return a.targetRulePut }},
	{"GET", "/api/projects/{id}/targetrules", func(a *API) handlerFunc { return a.targetRuleList }},
	{"PUT", "/api/projects/{id}/files/{fileId}", func(a *API) handlerFunc { return a.filePut }},
	{"GET", "/api/projects/{id}/files", func(a *API) handlerFunc { return a.fileList }},
	{"PUT", "/api/projects/{id}/files/{fileId}/settings", func(a *API) handlerFunc { return a.fileSettingsPut }},
	{"GET", "/api/projects/{id}/files/{fileId}/settings", func(a *API) handlerFunc { return a.fileSettingsGet }},
	{"PUT", "/api/projects/{id}/files/{fileId}/translations/{locale}", func(a *API) handlerFunc { return a.translationPut }},
	{"GET", "/api/projects/{id}/strings", func(a *API) handlerFunc { return a.stringList }},
	{"POST", "/api/projects/{id}/process/{kind}", func(a *API) handlerFunc { return a.processStart }},
	{"GET", "/api/projects/{id}/process/jobs/{jobId}", func(a *API) handlerFunc { return a.jobGet }},
	{"DELETE", "/api/projects/{id}/process/jobs/{jobId}", func(a *API) handlerFunc { return a.jobCancel }},
	{"GET", "/api/projects/{id}/process/jobs/{jobId}/events", func(a *API) handlerFunc { return a.jobEvents }},
	{"GET", "/api/projects/{id}/downloads/{downloadId}", func(a *API) handlerFunc { return a.download }},
}

func (a *API) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", a.health)
	for _, rt := range routes {
		mux.Handle(rt.method+" "+rt.path, a.handle(rt.fn(a)))
	}
	// Every other request is answered in JSON too, never with the mux's
	// text pages: 405 with Allow for a known path, else 404.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(r.URL.Path); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			a.writeError(w, r, errStatus(http.StatusMethodNotAllowed, "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", ")))
			return
		}
		a.writeError(w, r, errNotFound("no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return a.recoverPanics(cors(mux))
}

// allowedMethods lists the methods the routes serve on path.
func allowedMethods(path string) []string {
	var out []string
	for _, rt := range routes {
		if matchPattern(rt.path, path) && !slices.Contains(out, rt.method) {
			out = append(out, rt.method)
		}
	}
	return out
}

// matchPattern reports whether path fits a ServeMux pattern whose
// wildcards are whole segments.
func matchPattern(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// cors lets browser clients on other origins call the API. Requests are
// authorized by a bearer token, never by a cookie, so any origin may call.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Expose-Headers", "Location, ETag, Content-Disposition, Content-Length")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Socket-Id, Idempotency-Key, Range, If-Range, If-None-Match")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		a.writeError(w, r, errStatus(http.StatusMethodNotAllowed, "%s is not allowed on /healthz (allowed: GET, HEAD)", r.Method))
		return
	}
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

// Routes lists the authenticated endpoints as "METHOD /path" patterns.
func Routes() []string {
	out := make([]string, len(routes))
	for i, r := range routes {
		out[i] = r.method + " " + r.path
	}
	return out
}
