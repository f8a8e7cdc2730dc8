// Package testserver builds the tolk binary and runs it as a real process
// for end-to-end tests: a free loopback port, a temporary data folder, a
// wait for /healthz, and at the end SIGTERM with a check that the process
// exits 0. Only tests import it.
package testserver

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
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
	stopTimeout  = 10 * time.Second // SIGTERM to exit; the spine asks for a few seconds
)

// Build builds ./cmd/tolk of the module at repoRoot into out, with the race
// detector when race is set (so a data race in the server fails its exit
// status check).
func Build(repoRoot, out string, race bool) error {
	args := []string{"build", "-o", out}
	if race {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./cmd/tolk")...)
	cmd.Dir = repoRoot
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building ./cmd/tolk: %w", err)
	}
	return nil
}

// Server is one running tolk process.
type Server struct {
	URL     string // http://127.0.0.1:PORT
	Tenant  string // the tenant id of the default public URL: 127_0_0_1
	DataDir string

	cmd    *exec.Cmd
	output *syncBuffer
	exited chan struct{} // closed when the process has exited
	err    error         // Wait's result, valid once exited is closed
}

// Start runs bin serve with the admin token on a free port with dataDir (a
// new temporary one when empty) and waits for /healthz. The server is
// stopped with SIGTERM at the end of the test, which must make it exit 0;
// its output goes to the test log when the test fails.
func Start(t testing.TB, bin, adminToken, dataDir string, extraArgs ...string) *Server {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	var lastErr error
	for range 3 { // the free port may be taken between picking and binding it
		s, err := launch(t, bin, adminToken, dataDir, extraArgs)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("starting tolk: %v", lastErr)
	return nil
}

func launch(t testing.TB, bin, adminToken, dataDir string, extraArgs []string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := &Server{URL: "http://" + addr, Tenant: "127_0_0_1", DataDir: dataDir,
		output: &syncBuffer{}, exited: make(chan struct{})}
	args := append([]string{"serve", "--addr", addr, "--data", dataDir}, extraArgs...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = append(s.cmd.Environ(), "TOLK_ADMIN_TOKEN="+adminToken)
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
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
		s.Kill()
		return nil, fmt.Errorf("%w; output:\n%s", err, s.output.String())
	}
	t.Cleanup(func() {
		select {
		case <-s.exited: // stopped by the test
		default:
			s.Stop(t)
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

func (s *Server) waitHealthy() error {
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

// Stop sends SIGTERM, fails the test unless the process exits 0 within
// stopTimeout, and returns how long it took.
func (s *Server) Stop(t testing.TB) time.Duration {
	t.Helper()
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		s.Kill()
		t.Errorf("tolk did not exit within %v of SIGTERM", stopTimeout)
		return time.Since(start)
	}
	took := time.Since(start)
	if s.err != nil {
		t.Errorf("tolk exited with %v after SIGTERM, want exit status 0", s.err)
	}
	return took
}

// Kill ends the process with SIGKILL, as a crash or an OOM kill would.
func (s *Server) Kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// Output is what the process has written so far.
func (s *Server) Output() string { return s.output.String() }

// syncBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
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
