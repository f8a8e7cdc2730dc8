package client

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestResponseHeaderTimeoutFailsPromptly talks to a server that accepts
// connections and never answers: the call fails with a network timeout long
// before the context's deadline.
func TestResponseHeaderTimeoutFailsPromptly(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never answered
		}
	}()
	c, err := New("http://"+l.Addr().String(), "tok", WithResponseHeaderTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Projects(ctx)
	var ne net.Error
	if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %v, want a network timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestResponseHeaderTimeoutSparesSlowBodies: a download whose body takes
// longer than the header timeout still succeeds.
func TestResponseHeaderTimeoutSparesSlowBodies(t *testing.T) {
	body := zipBytes(t, map[string]string{"a.json": "{}"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:10])
		w.(http.Flusher).Flush()
		time.Sleep(500 * time.Millisecond)
		_, _ = w.Write(body[10:])
	}))
	defer srv.Close()
	c, err := New(srv.URL, "tok", WithResponseHeaderTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := c.download(t.Context(), "/api/projects/1/downloads/7", 0, "", ExportOptions{Writer: &out}, func(int64, int64) {}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), body) {
		t.Error("body differs")
	}
}

func TestTokenOnlyForTheServer(t *testing.T) {
	c, err := New("http://127.0.0.1:8080/tolk", "tok")
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]bool{
		"/api/projects/1/downloads/7":                    true,
		"http://127.0.0.1:8080/tolk/api/downloads/7":     true,
		"http://127.0.0.1:9999/api/downloads/7":          false,
		"https://127.0.0.1:8080/api/downloads/7":         false,
		"http://storage.example/bucket/7.zip?sig=abc":    false,
		"http://127.0.0.1.evil.example:8080/downloads/7": false,
	} {
		req, err := c.newRequest(t.Context(), http.MethodGet, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get("Authorization") != ""; got != want {
			t.Errorf("%s: token sent %v, want %v", target, got, want)
		}
	}
}

// TestExportDownloadOnOtherHostGetsNoToken runs an export whose job names a
// download URL on another server: the ZIP is fetched without the token.
func TestExportDownloadOnOtherHostGetsNoToken(t *testing.T) {
	body := zipBytes(t, map[string]string{"a.json": "{}"})
	var auth atomic.Value
	auth.Store("unset")
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(body)
	}))
	defer storage.Close()
	job := doneJob(body)
	job.URL = storage.URL + "/bucket/7.zip"
	f := &fakeServer{job: job}
	c := f.start(t)
	var out bytes.Buffer
	if _, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &out}); err != nil {
		t.Fatal(err)
	}
	if got := auth.Load().(string); got != "" {
		t.Errorf("the storage host got Authorization %q", got)
	}
}

// TestSocketHTTPErrorFallsBackFast: a server answering the Engine.IO
// handshake with an HTTP error makes the export poll at once, not after the
// socket connect timeout.
func TestSocketHTTPErrorFallsBackFast(t *testing.T) {
	body := zipBytes(t, map[string]string{"a.json": "{}"})
	f := &fakeServer{job: doneJob(body), downloadCT: "application/zip", downloadSt: 200, body: body}
	noSock := f.start(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusServiceUnavailable, "no sockets here")
	})
	// Everything else goes to the fake server.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		u, _ := url.Parse(noSock.ServerURL())
		r.URL.Scheme, r.URL.Host, r.RequestURI = u.Scheme, u.Host, ""
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		_, _ = w.Write(b.Bytes())
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := New(srv.URL, "tok", WithSocketConnectTimeout(5*time.Second), WithPolling(0, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var out bytes.Buffer
	res, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &out})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second || res.Notified != "poll" {
		t.Errorf("export took %v, notified by %q: want a prompt fallback to polling", d, res.Notified)
	}
}

// TestStartExportRetriesWithoutRefusedSocketID: a socket that dropped
// between the join and the POST makes the server refuse its ID; the export
// is started again without it.
func TestStartExportRetriesWithoutRefusedSocketID(t *testing.T) {
	var withHeader, without atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Socket-Id") != "" {
			withHeader.Add(1)
			problem(w, http.StatusBadRequest, "X-Socket-Id names no connected socket")
			return
		}
		without.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"jobId":7,"downloadId":"7","status":"queued"}`))
	}))
	defer srv.Close()
	c, err := New(srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	ans, err := c.startExportFallback(t.Context(), 1, Targets, ExportOptions{}, "gone-socket")
	if err != nil || ans.JobID != 7 || withHeader.Load() != 1 || without.Load() != 1 {
		t.Errorf("answer %+v, %v; POSTs with the header %d, without %d", ans, err, withHeader.Load(), without.Load())
	}
}
