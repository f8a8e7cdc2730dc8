package client_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// The real server, built once per test binary from ../cmd/tolk.
var (
	buildOnce sync.Once
	tolkBin   string
	buildErr  error
	buildDir  string
)

const adminToken = "admin-secret"

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	// Every Export must have closed its socket and stopped its goroutines;
	// idle keep-alive connections of the HTTP clients may remain.
	http.DefaultClient.CloseIdleConnections()
	if code == 0 {
		if err := goleak.Find(goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// tolkBinary builds cmd/tolk. A build failure skips the end-to-end tests
// when CI is unset (the server may be half-written in a working tree) and
// fails them in CI.
func tolkBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "tolk-e2e-")
		if buildErr != nil {
			return
		}
		tolkBin = filepath.Join(buildDir, "tolk")
		cmd := exec.Command("go", "build", "-o", tolkBin, "./cmd/tolk")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/tolk: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("the server does not build, end-to-end test skipped: %v", buildErr)
		}
		t.Fatal(buildErr)
	}
	return tolkBin
}

// server is a running `tolk serve`.
type server struct {
	URL  string
	Addr string
	cmd  *exec.Cmd
}

// startServer starts `tolk serve` on a free 127.0.0.1 port with a fresh data
// folder and waits for /healthz.
func startServer(t *testing.T, extra ...string) *server {
	t.Helper()
	bin := tolkBinary(t)
	addr := freeAddr(t)
	args := append([]string{"serve", "--addr", addr, "--data", t.TempDir()}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TOLK_ADMIN_TOKEN="+adminToken, "TOLK_LOG_LEVEL=warn")
	logs, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go relay(t, logs)
	s := &server{URL: "http://" + addr, Addr: addr, cmd: cmd}
	t.Cleanup(s.stop)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("tolk serve on %s not healthy within 20s", addr)
	return nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

var logMu sync.Mutex

// relay copies the server's log into the test log while the test runs.
func relay(t *testing.T, r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		logMu.Lock()
		if !t.Failed() {
			func() {
				defer func() { _ = recover() }() // t.Log after the test ended panics
				t.Log("server: " + sc.Text())
			}()
		}
		logMu.Unlock()
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// proxy is a TCP proxy in front of the server that can cut the Socket.IO
// connections when a process request passes, and stall downloads.
type proxy struct {
	URL     string
	target  string
	l       net.Listener
	mu      sync.Mutex
	sockets []net.Conn
	// dropOnProcess cuts every socket connection just before a POST
	// .../process/ is forwarded, so that its completion event is lost.
	dropOnProcess bool
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{URL: "http://" + l.Addr().String(), target: target, l: l}
	t.Cleanup(func() { _ = l.Close() })
	go p.serve()
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *proxy) handle(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil {
		return
	}
	p.mu.Lock()
	switch {
	case strings.Contains(line, "/socket.io/"):
		p.sockets = append(p.sockets, c)
	case strings.HasPrefix(line, "POST ") && strings.Contains(line, "/process/") && p.dropOnProcess:
		for _, s := range p.sockets {
			_ = s.Close()
		}
		p.sockets = nil
	}
	p.mu.Unlock()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	if _, err := io.WriteString(up, line); err != nil {
		return
	}
	go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
	_, _ = io.Copy(up, br)
}

func testContext(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
