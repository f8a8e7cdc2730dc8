package e2e

import (
	"bytes"
	"context"
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

const (
	startTimeout = 30 * time.Second // a race-built server migrating a fresh database
	stopTimeout  = 10 * time.Second // SIGTERM to exit; the issue asks for "a few seconds"
)

// server is one running tolk process.
type server struct {
	URL     string // http://127.0.0.1:PORT
	Tenant  string // the tenant id of the default public URL: 127_0_0_1
	DataDir string

	cmd    *exec.Cmd
	output *syncBuffer
	exited chan struct{} // closed when the process has exited
	err    error         // Wait's result, valid once exited is closed
}

// startServer starts tolk serve on a free port with dataDir (a new temporary
// one when empty) and waits for /healthz. The server is stopped with SIGTERM
// at the end of the test, which must make it exit 0; its output goes to the
// test log when the test fails.
func startServer(t *testing.T, dataDir string, extraArgs ...string) *server {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	var lastErr error
	for range 3 { // the free port may be taken between picking and binding it
		s, err := launch(t, dataDir, extraArgs)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("starting tolk: %v", lastErr)
	return nil
}

func launch(t *testing.T, dataDir string, extraArgs []string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := &server{URL: "http://" + addr, Tenant: "127_0_0_1", DataDir: dataDir,
		output: &syncBuffer{}, exited: make(chan struct{})}
	args := append([]string{"serve", "--addr", addr, "--data", dataDir}, extraArgs...)
	s.cmd = exec.Command(tolkBin, args...)
	s.cmd.Env = append(s.cmd.Environ(), "TOLK_ADMIN_TOKEN="+adminToken)
	s.cmd.Stdout = s.output
	s.cmd.Stderr = s.output
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", tolkBin, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("tolk %s output:\n%s", strings.Join(args, " "), s.output.String())
		}
	})
	if err := s.waitHealthy(); err != nil {
		s.kill()
		return nil, fmt.Errorf("%w; output:\n%s", err, s.output.String())
	}
	t.Cleanup(func() {
		select {
		case <-s.exited: // stopped by the test
		default:
			s.stop(t)
		}
	})
	return s, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("picking a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *server) waitHealthy() error {
	deadline := time.Now().Add(startTimeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("tolk exited before it was healthy: %v", s.err)
		default:
		}
		resp, err := client.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("tolk not healthy after %v", startTimeout)
}

// stop sends SIGTERM, fails the test unless the process exits 0 within
// stopTimeout, and returns how long it took.
func (s *server) stop(t *testing.T) time.Duration {
	t.Helper()
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		s.kill()
		t.Errorf("tolk did not exit within %v of SIGTERM", stopTimeout)
		return time.Since(start)
	}
	took := time.Since(start)
	if s.err != nil {
		t.Errorf("tolk exited with %v after SIGTERM, want exit status 0", s.err)
	}
	return took
}

// kill ends the process with SIGKILL, as a crash or an OOM kill would.
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// response is a fully read HTTP answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends one request; token "" sends no Authorization header.
func (s *server) do(t *testing.T, method, path, token string, body []byte) *response {
	t.Helper()
	return s.request(t, method, path, token, body, nil)
}

// doWith sends one request without a body and with extra headers.
func (s *server) doWith(t *testing.T, method, path, token string, headers map[string]string) *response {
	t.Helper()
	return s.request(t, method, path, token, nil, headers)
}

func (s *server) request(t *testing.T, method, path, token string, body []byte, headers map[string]string) *response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil && (bytes.HasPrefix(body, []byte("{")) || bytes.HasPrefix(body, []byte("["))) {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// syncBuffer collects the server's output from its two pipes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
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
