// Package notify is tolk's Socket.IO endpoint: clients join the process room
// of a tenant and project, and receive the events that announce the end of
// export jobs. Events are built from the job row, the truth in the
// database, never from what a worker happened to have in memory.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zishang520/socket.io/servers/socket/v3"
	"github.com/zishang520/socket.io/v3/pkg/types"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/store"
)

// connectTimeout is how long a connection may take to join a namespace; the
// connect gate holds early packets no longer than that either.
const connectTimeout = 10 * time.Second

// Path is where the Socket.IO endpoint is served.
const Path = "/socket.io/"

// Authenticator resolves the handshake token.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (auth.Principal, error)
}

// Notifier serves Socket.IO and emits job events.
type Notifier struct {
	io     *socket.Server
	tenant string
	auth   Authenticator
	jobs   JobReader
	ledger *ledger
	log    *slog.Logger
	// handler is created in New: the connect gate needs the engine.
	handler http.Handler
	gate    *connectGate
}

// New returns a notifier for tenant.
func New(tenant string, a Authenticator, jobs JobReader, logger *slog.Logger) *Notifier {
	opts := socket.DefaultServerOptions()
	opts.SetServeClient(false)
	opts.SetConnectTimeout(connectTimeout)
	// Rigi clients connect with withCredentials: true from browsers too.
	opts.SetCors(&types.Cors{Origin: true, Credentials: true})
	n := &Notifier{io: socket.NewServer(nil, opts), tenant: tenant, auth: a, jobs: jobs, ledger: newLedger(), log: logger}
	n.io.Use(n.authenticate)
	n.handler = n.io.ServeHandler(nil) // creates the engine
	n.gate = newConnectGate(n.io, connectTimeout)
	n.io.On("connection", func(args ...any) {
		s := args[0].(*socket.Socket)
		// Let the socket's packets through once its handlers are set.
		defer n.gate.connected(s)
		s.On("joinProcessRoom", func(args ...any) { n.join(s, args) })
		s.On("leaveProcessRoom", func(args ...any) { n.leave(s, args) })
		s.On("watchJob", func(args ...any) { n.watch(s, args) })
		s.On("disconnect", func(args ...any) {
			n.ledger.forget(s.Id())
			// A client closing is routine; anything else (ping timeout,
			// transport error, parse error) is worth a line.
			// args are (reason string, description error): compare the reason
			// alone, fmt.Sprint(args...) gives "transport close<nil>".
			var reason string
			if len(args) > 0 {
				reason, _ = args[0].(string)
			}
			if reason != "client namespace disconnect" && reason != "transport close" && reason != "server shutting down" {
				n.log.Info("socket disconnected", "socket_id", s.Id(), "reason", reason, "detail", fmt.Sprint(args[1:]...))
			}
		})
	})
	return n
}

// Handler is the HTTP handler of the Socket.IO endpoint (WebSocket and
// long-polling), to be mounted at Path.
func (n *Notifier) Handler() http.Handler {
	return n.handler
}

// Close disconnects every client.
func (n *Notifier) Close() {
	done := make(chan struct{})
	n.io.Close(func(error) { close(done) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// Room is the room of a tenant's project.
func Room(tenant string, projectID int64) string {
	return tenant + "/" + strconv.FormatInt(projectID, 10)
}

// authenticate checks the handshake's auth.token; a refusal reaches the
// client as connect_error.
func (n *Notifier) authenticate(s *socket.Socket, next func(*socket.ExtendedError)) {
	token, _ := s.Handshake().Auth["token"].(string)
	p, err := n.auth.Authenticate(context.Background(), token)
	if err != nil {
		n.log.Info("socket refused", "socket_id", s.Id(), "error", err)
		next(socket.NewExtendedError("invalid token", nil))
		return
	}
	s.SetData(p)
	next(nil)
}

func (n *Notifier) join(s *socket.Socket, args []any) {
	payload, ack := splitAck(args)
	obj, _ := payload.(map[string]any)
	project, ok := projectID(obj["projectId"])
	tenant, _ := obj["tenantId"].(string)
	p, _ := s.Data().(auth.Principal)
	switch {
	case !ok:
		reply(ack, errorf("joinProcessRoom needs a numeric projectId"))
	case !strings.EqualFold(tenant, n.tenant):
		reply(ack, errorf("unknown tenant %q (this server is %q)", tenant, n.tenant))
	case !p.Sees(project):
		reply(ack, errorf("the token does not grant project %d", project))
	default:
		s.Join(socket.Room(Room(n.tenant, project)))
		n.log.Debug("socket joined", "socket_id", s.Id(), "project_id", project)
		reply(ack, nil)
	}
}

// leave takes the project id bare, as Rigi clients send it, or in an object.
func (n *Notifier) leave(s *socket.Socket, args []any) {
	payload, ack := splitAck(args)
	if obj, isObj := payload.(map[string]any); isObj {
		payload = obj["projectId"]
	}
	project, ok := projectID(payload)
	if !ok {
		reply(ack, errorf("leaveProcessRoom needs a project id"))
		return
	}
	s.Leave(socket.Room(Room(n.tenant, project)))
	reply(ack, nil)
}

// splitAck separates an event's payload from its acknowledgement callback.
func splitAck(args []any) (payload any, ack socket.Ack) {
	for _, a := range args {
		if f, ok := a.(socket.Ack); ok {
			ack = f
		} else if f, ok := a.(func([]any, error)); ok {
			ack = f
		} else if payload == nil {
			payload = a
		}
	}
	return payload, ack
}

func reply(ack socket.Ack, err error) {
	if ack == nil {
		return
	}
	if err != nil {
		ack([]any{map[string]any{"ok": false, "error": err.Error()}}, nil)
		return
	}
	ack([]any{map[string]any{"ok": true}}, nil)
}

// projectID accepts a JSON number or a numeric string.
func projectID(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) && x > 0 {
			return int64(x), true
		}
	case string:
		id, err := strconv.ParseInt(x, 10, 64)
		return id, err == nil && id > 0
	case int64:
		return x, x > 0
	case int:
		return int64(x), x > 0
	}
	return 0, false
}

// SocketSees reports whether the socket id is connected to this node, and
// whether its token may see project.
func (n *Notifier) SocketSees(id string, project int64) (connected, sees bool) {
	s, ok := n.io.Sockets().Sockets().Load(socket.SocketId(id))
	if !ok {
		return false, false
	}
	p, _ := s.Data().(auth.Principal)
	return true, p.Sees(project)
}

// JobEnded emits the completion event of job once to every socket that
// should have it: the socket the request named (else the project's room),
// and the sockets watching the job.
func (n *Notifier) JobEnded(job store.Job) {
	n.emitTo(n.ledger.claimAll(job.ID, n.recipients(job)), job.Kind.Event(), Completion(job))
}

// ProgressEvent is the event that reports a running job's progress.
const ProgressEvent = "process_progress"

// JobProgress emits a progress event to the audience of job's completion.
func (n *Notifier) JobProgress(job store.Job, progress any) {
	payload := JobState(job)
	payload["progress"] = progress
	sids := append(n.recipients(job), n.ledger.waiters(job.ID)...)
	n.emitTo(dedupe(sids), ProgressEvent, payload)
}

func dedupe(sids []socket.SocketId) []socket.SocketId {
	seen := map[socket.SocketId]bool{}
	out := sids[:0]
	for _, s := range sids {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// Completion is the payload of a job's completion event. downloadId stays a
// string, as Rigi clients parse it: the job id on success, the error
// message on failure.
func Completion(job store.Job) map[string]any {
	m := map[string]any{
		"jobId":     job.ID,
		"projectId": job.ProjectID,
		"kind":      string(job.Kind),
		"status":    string(job.Status),
	}
	if job.Status == store.JobDone {
		m["downloadId"] = strconv.FormatInt(job.ID, 10)
		m["url"] = DownloadPath(job)
		m["size"] = job.Size
		m["sha256"] = job.SHA256
		return m
	}
	msg := job.Error
	if msg == "" {
		msg = "export " + string(job.Status)
	}
	m["downloadId"] = msg
	m["error"] = map[string]any{"message": msg}
	return m
}

// DownloadPath is the API path of a job's ZIP.
func DownloadPath(job store.Job) string {
	return fmt.Sprintf("/api/projects/%d/downloads/%d", job.ProjectID, job.ID)
}
