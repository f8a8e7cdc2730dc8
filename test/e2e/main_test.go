// Package e2e runs the real tolk binary and drives it with clients nobody in
// this project wrote: the official Socket.IO JavaScript client (npm
// socket.io-client@4) and Debian's python3-socketio.
//
// TestMain builds ./cmd/tolk once; each test starts its own server process on a
// free loopback port with a temporary --data directory.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tolk-l10n/tolk/internal/testserver"
)

// adminToken is the TOLK_ADMIN_TOKEN every test server runs with.
const adminToken = "e2e-admin-secret"

var (
	tolkBin   string // the built server binary
	corpusDir string // shared/corpus beside the checkout
	repoRoot  string
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tolk-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if repoRoot, err = filepath.Abs("../.."); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	corpusDir = filepath.Join(repoRoot, "..", "shared", "corpus")
	// TOLK_E2E_BIN tests a binary built elsewhere instead of building one.
	if tolkBin = os.Getenv("TOLK_E2E_BIN"); tolkBin != "" {
		return m.Run()
	}
	tolkBin = filepath.Join(dir, "tolk")
	if err := buildTolk(tolkBin); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	return m.Run()
}

// buildTolk builds the server, with the race detector when this test binary
// has it, so that a data race in the server fails its exit-status check.
func buildTolk(out string) error {
	return testserver.Build(repoRoot, out, raceEnabled && os.Getenv("TOLK_E2E_RACE") != "0")
}

// needTool skips a test whose client is missing on a developer machine; in CI
// (CI=true, where .ci/run installs every client) a missing client fails it.
func needTool(t *testing.T, what, hint string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing: %s", what, hint)
	}
	t.Skipf("%s is missing (%s)", what, hint)
}

func needNode(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath("node")
	needTool(t, "node", "install node 20", err == nil)
	_, err = os.Stat("js/node_modules/socket.io-client")
	needTool(t, "socket.io-client", "run npm ci in test/e2e/js", err == nil)
}

func needPython(t *testing.T) {
	t.Helper()
	err := exec.Command(debianPython, "-c", "import socketio, requests, websocket").Run()
	needTool(t, "python3-socketio", "apt-get install python3-socketio python3-requests python3-websocket", err == nil)
}

// debianPython is Debian's interpreter, where python3-socketio is installed;
// the python3 first on PATH may be another one.
const debianPython = "/usr/bin/python3"
