package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeSocketServer is a minimal Socket.IO server with a process API whose
// POST emits completion events before it answers: first one of another
// client's job, then the caller's own.
type fakeSocketServer struct {
	events      []string // EVENT payloads the POST emits, in order
	zips        map[string][]byte
	mu          sync.Mutex
	ws          *websocket.Conn
	joined      chan string // joinProcessRoom payloads
	left        chan string // leaveProcessRoom payloads
	statusCalls atomic.Int32
	socketID    atomic.Value // the X-Socket-Id of the POST
}

func (f *fakeSocketServer) start(t *testing.T) *Client {
	t.Helper()
	f.joined, f.left = make(chan string, 4), make(chan string, 4)
	mux := http.NewServeMux()
	mux.HandleFunc("/socket.io/", f.serveSocket)
	mux.HandleFunc("POST /api/projects/1/process/targets", func(w http.ResponseWriter, r *http.Request) {
		f.socketID.Store(r.Header.Get("X-Socket-Id"))
		f.mu.Lock()
		ws := f.ws
		f.mu.Unlock()
		for _, ev := range f.events {
			_ = ws.Write(r.Context(), websocket.MessageText, []byte(`42["process_export_target",`+ev+`]`))
		}
		time.Sleep(50 * time.Millisecond) // let the events reach the client before the answer
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"jobId":7,"downloadId":"7","status":"queued"}`))
	})
	mux.HandleFunc("GET /api/projects/1/process/jobs/7", func(w http.ResponseWriter, r *http.Request) {
		f.statusCalls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"jobId":7,"status":"running"}`))
	})
	mux.HandleFunc("GET /api/projects/1/downloads/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(f.zips[r.PathValue("id")])
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fakeSocketServer) serveSocket(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer ws.CloseNow()
	ctx := r.Context()
	_ = ws.Write(ctx, websocket.MessageText, []byte(`0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`))
	if _, msg, err := ws.Read(ctx); err != nil || string(msg) != `40{"token":"tok"}` {
		_ = ws.Write(ctx, websocket.MessageText, []byte(`44{"message":"invalid token"}`))
		return
	}
	f.mu.Lock()
	f.ws = ws
	f.mu.Unlock()
	_ = ws.Write(ctx, websocket.MessageText, []byte(`40{"sid":"S1"}`))
	for {
		_, msg, err := ws.Read(ctx)
		if err != nil {
			return
		}
		p, err := decodePacketForTest(string(msg))
		if err != nil {
			continue
		}
		var args []json.RawMessage
		_ = json.Unmarshal(p.data, &args)
		var name string
		_ = json.Unmarshal(args[0], &name)
		answer := `[{"ok":true}]`
		switch name {
		case "joinProcessRoom":
			f.joined <- string(args[1])
		case "leaveProcessRoom":
			f.left <- string(args[1])
		default:
			answer = `[{"ok":false,"error":"unknown event"}]`
		}
		if p.ackID >= 0 {
			_ = ws.Write(ctx, websocket.MessageText, []byte(fmt.Sprintf("43%d%s", p.ackID, answer)))
		}
	}
}

// decodePacketForTest strips the Engine.IO message prefix.
func decodePacketForTest(msg string) (struct {
	ackID int64
	data  []byte
}, error) {
	var out struct {
		ackID int64
		data  []byte
	}
	if !strings.HasPrefix(msg, "42") {
		return out, errors.New("not an event")
	}
	rest := msg[2:]
	i := strings.IndexByte(rest, '[')
	out.ackID = -1
	if i > 0 {
		_, _ = fmt.Sscan(rest[:i], &out.ackID)
	}
	out.data = []byte(rest[i:])
	return out, nil
}

func TestExportTakesOwnEventBeforePOSTAnswer(t *testing.T) {
	mine := zipBytes(t, map[string]string{"mine.json": "{}"})
	theirs := zipBytes(t, map[string]string{"theirs.json": "{}"})
	f := &fakeSocketServer{
		events: []string{
			`{"downloadId":"8","jobId":8,"projectId":1,"kind":"targets","status":"done","url":"/api/projects/1/downloads/8"}`,
			`{"downloadId":"7","jobId":7,"projectId":1,"kind":"targets","status":"done","url":"/api/projects/1/downloads/7"}`,
		},
		zips: map[string][]byte{"7": mine, "8": theirs},
	}
	c := f.start(t)
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	res, err := c.Export(ctx, 1, Targets, ExportOptions{Writer: &out})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), mine) || res.JobID != 7 || res.Notified != "socket" {
		t.Errorf("got job %d by %s, own ZIP %v", res.JobID, res.Notified, bytes.Equal(out.Bytes(), mine))
	}
	if n := f.statusCalls.Load(); n != 0 {
		t.Errorf("job status read %d times; the buffered event should have sufficed", n)
	}
	if id := f.socketID.Load(); id != "S1" {
		t.Errorf("X-Socket-Id %v, want S1", id)
	}
	if got := <-f.joined; got != `{"projectId":1,"tenantId":"127_0_0_1"}` {
		t.Errorf("joinProcessRoom payload %s", got)
	}
	select {
	case got := <-f.left:
		if got != "1" {
			t.Errorf("leaveProcessRoom payload %s, want the bare project id", got)
		}
	case <-time.After(2 * time.Second):
		t.Error("the client did not leave the room")
	}
}

func TestExportFailureEvent(t *testing.T) {
	f := &fakeSocketServer{events: []string{
		`{"downloadId":"file \"en\": rule resolves outside the project","jobId":7,"projectId":1,"kind":"targets","status":"failed","error":{"message":"file \"en\": rule resolves outside the project"}}`,
	}}
	c := f.start(t)
	_, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &bytes.Buffer{}})
	var je *JobError
	if !errors.As(err, &je) || je.Message != `file "en": rule resolves outside the project` {
		t.Fatalf("got %v, want a JobError with the event's message", err)
	}
}

func TestExportLegacyEvents(t *testing.T) {
	body := zipBytes(t, map[string]string{"a.json": "{}"})
	// A legacy server sends downloadId alone: the failure of another
	// client's job (a message) must not be taken for ours.
	f := &fakeSocketServer{
		events: []string{`{"downloadId":"export failed for someone else"}`, `{"downloadId":"7"}`},
		zips:   map[string][]byte{"7": body},
	}
	c := f.start(t)
	var out bytes.Buffer
	if _, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &out}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), body) {
		t.Error("wrong ZIP")
	}
}
