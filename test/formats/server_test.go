package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// server is one running tolk process.
type server struct {
	URL    string
	cmd    *exec.Cmd
	output *syncBuffer
	exited chan struct{}
}

// startServer starts tolk serve with a fresh data directory on a free port
// and waits until /healthz answers; the server gets SIGTERM at cleanup.
func startServer(t *testing.T) *server {
	t.Helper()
	var lastErr error
	for range 3 { // the free port may be taken between picking and binding it
		s, err := launch(t)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("starting tolk: %v", lastErr)
	return nil
}

func launch(t *testing.T) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("picking a free port: %w", err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	s := &server{URL: "http://" + addr, output: &syncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(tolkBin, "serve", "--addr", addr, "--data", t.TempDir())
	s.cmd.Env = append(s.cmd.Environ(), "TOLK_ADMIN_TOKEN="+adminToken)
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", tolkBin, err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitHealthy(); err != nil {
		_ = s.cmd.Process.Kill()
		<-s.exited
		return nil, err
	}
	t.Cleanup(func() { s.stop(t) })
	return s, nil
}

func (s *server) waitHealthy() error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("tolk exited before it was healthy:\n%s", s.output.String())
		default:
		}
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("tolk not healthy after 30s:\n%s", s.output.String())
}

func (s *server) stop(t *testing.T) {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		t.Errorf("tolk did not exit within 10s of SIGTERM")
	}
	if t.Failed() {
		t.Logf("tolk output:\n%s", s.output.String())
	}
}

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

var client = &http.Client{Timeout: 60 * time.Second}

// do sends one request with the admin token; body may be nil, []byte or a
// value encoded as JSON.
func (s *server) do(t *testing.T, method, path string, body any) response {
	t.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, contentType = bytes.NewReader(b), "application/octet-stream"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encoding %s %s body: %v", method, path, err)
		}
		rd, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// call sends a request, requires the status want and decodes a JSON answer
// into out (when out is not nil).
func (s *server) call(t *testing.T, method, path string, body any, want int, out any) response {
	t.Helper()
	resp := s.do(t, method, path, body)
	if resp.Status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.Status, want, clip(resp.Body))
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			t.Fatalf("%s %s: decoding %s: %v", method, path, clip(resp.Body), err)
		}
	}
	return resp
}

func clip(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// syncBuffer collects the server's output from two pipes.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
