package socketio_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// refServerDir holds the Node reference server built on the official
// socket.io package.
var refServerDir = filepath.Join("..", "testdata", "refserver")

var npmOnce sync.Once
var npmErr error

// startRefServer starts `node server.js` on a free 127.0.0.1 port with the
// given extra environment and returns its http:// URL. Without node or npm
// the test is skipped, unless CI is set: there their absence is a failure.
func startRefServer(t *testing.T, env ...string) string {
	t.Helper()
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		if os.Getenv("CI") == "" {
			t.Skip("node and npm are needed for the Socket.IO reference server tests; install Node.js to run them")
		}
		t.Fatalf("CI is set but node/npm are missing: %v %v", errNode, errNpm)
	}
	npmOnce.Do(func() {
		if _, err := os.Stat(filepath.Join(refServerDir, "node_modules", "socket.io")); err == nil {
			return
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
		cmd.Dir = refServerDir
		if out, err := cmd.CombinedOutput(); err != nil {
			npmErr = err
			t.Logf("npm ci: %s", out)
		}
	})
	if npmErr != nil {
		t.Fatalf("installing the reference server's packages: %v", npmErr)
	}
	cmd := exec.Command(node, "server.js")
	cmd.Dir = refServerDir
	cmd.Env = append(os.Environ(), append([]string{"PORT=0"}, env...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting node server.js: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p
	case <-time.After(20 * time.Second):
		t.Fatal("the reference server did not start within 20s")
		return ""
	}
}
