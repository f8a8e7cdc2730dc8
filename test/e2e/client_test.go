package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// flowResult is the JSON line js/flow.js and py/flow.py print.
type flowResult struct {
	Kind            string         `json:"kind"`
	Transport       string         `json:"transport"`
	Event           string         `json:"event"`
	SocketTransport string         `json:"socketTransport"`
	FirstTransport  string         `json:"firstTransport"`
	UpgradedTo      string         `json:"upgradedTo"`
	JoinAck         map[string]any `json:"joinAck"`
	AcceptMs        float64        `json:"acceptMs"`
	AcceptStatus    int            `json:"acceptStatus"`
	AcceptLocation  string         `json:"acceptLocation"`
	AcceptBody      map[string]any `json:"acceptBody"`
	EventMs         float64        `json:"eventMs"`
	Payload         map[string]any `json:"payload"`
	DownloadID      any            `json:"downloadId"`
	DownloadMs      float64        `json:"downloadMs"`
	DownloadStatus  int            `json:"downloadStatus"`
	DownloadType    string         `json:"downloadType"`
	DownloadLength  string         `json:"downloadLength"`
	Size            int            `json:"size"`
	LeaveAck        map[string]any `json:"leaveAck"`
	Error           string         `json:"error"` // the failure message carried in downloadId
	Fatal           string         `json:"fatal"`

	zip      []byte
	exitCode int
}

// exitExportFailed is the flow scripts' exit code for a failed export.
const exitExportFailed = 3

var eventOf = map[string]string{
	"targets": "process_export_target",
	"sources": "process_export_source",
	"pseudo":  "process_export_pseudo",
}

// runFlow runs a flow script ("js" or "py") for one export and returns what
// it printed and the ZIP it saved. A script that cannot complete the flow
// (exit code other than 0 and 3) fails the test.
func runFlow(t *testing.T, lang string, s *server, p project, kind, transport string) *flowResult {
	t.Helper()
	out := filepath.Join(t.TempDir(), kind+".zip")
	args := []string{s.URL, p.Token, strconv.FormatInt(p.ID, 10), s.Tenant, kind, transport, out}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var cmd *exec.Cmd
	if lang == "js" {
		cmd = exec.CommandContext(ctx, "node", append([]string{"js/flow.js"}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, debianPython, append([]string{"py/flow.py"}, args...)...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := &flowResult{}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		res.exitCode = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s flow: %v", lang, err)
	}
	if jerr := json.Unmarshal(lastLine(stdout.Bytes()), res); jerr != nil {
		t.Fatalf("%s flow %s/%s printed no result (exit %d): %v\nstdout: %s\nstderr: %s",
			lang, kind, transport, res.exitCode, jerr, stdout.Bytes(), stderr.Bytes())
	}
	if res.exitCode != 0 && res.exitCode != exitExportFailed {
		t.Fatalf("%s flow %s/%s failed (exit %d): %s\nstdout: %s\nstderr: %s",
			lang, kind, transport, res.exitCode, res.Fatal, stdout.Bytes(), stderr.Bytes())
	}
	if res.exitCode == 0 {
		if res.zip, err = os.ReadFile(out); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

// checkFlow checks everything the client saw of a successful export except
// the ZIP's content, and returns the ZIP's SHA-256.
func checkFlow(t *testing.T, p project, kind, transport string, r *flowResult) string {
	t.Helper()
	if r.exitCode != 0 {
		t.Fatalf("export failed: downloadId %q, payload %v", r.Error, r.Payload)
	}
	if transport != "default" && r.SocketTransport != transport {
		t.Errorf("socket used transport %q, want %q", r.SocketTransport, transport)
	}
	if r.AcceptMs >= 1000 {
		t.Errorf("202 took %.1f ms; the contract says well under a second", r.AcceptMs)
	}
	checkAccept(t, p, kind, r)
	sum := sha256.Sum256(r.zip)
	hexSum := hex.EncodeToString(sum[:])
	pl := r.Payload
	want := map[string]any{"downloadId": r.AcceptBody["downloadId"], "jobId": r.AcceptBody["jobId"],
		"projectId": float64(p.ID), "kind": kind, "status": "done", "size": float64(len(r.zip)), "sha256": hexSum}
	for k, v := range want {
		if pl[k] != v {
			t.Errorf("event payload %s = %v (%T), want %v (%T); payload %v", k, pl[k], pl[k], v, v, pl)
		}
	}
	if u, _ := pl["url"].(string); u != fmt.Sprintf("/api/projects/%d/downloads/%s", p.ID, r.DownloadID) {
		t.Errorf("event payload url = %q", pl["url"])
	}
	if mt, _, _ := mime.ParseMediaType(r.DownloadType); mt != "application/zip" {
		t.Errorf("download Content-Type %q, want application/zip", r.DownloadType)
	}
	if r.DownloadLength != strconv.Itoa(len(r.zip)) {
		t.Errorf("download Content-Length %q, body has %d bytes", r.DownloadLength, len(r.zip))
	}
	if r.DownloadID != r.AcceptBody["downloadId"] {
		t.Errorf("event downloadId = %#v, want the 202's %#v", r.DownloadID, r.AcceptBody["downloadId"])
	}
	if r.LeaveAck["ok"] != true {
		t.Errorf("leaveProcessRoom with the bare project id: ack %v, want {ok:true}", r.LeaveAck)
	}
	return hexSum
}

// checkAccept checks the 202 answer: the job id, the legacy string download
// id, the event name and the URLs.
func checkAccept(t *testing.T, p project, kind string, r *flowResult) {
	t.Helper()
	b := r.AcceptBody
	jobID, ok := b["jobId"].(float64)
	if !ok || jobID <= 0 || jobID != float64(int64(jobID)) {
		t.Fatalf("202 body jobId = %v, want a positive integer; body %v", b["jobId"], b)
	}
	id := strconv.FormatInt(int64(jobID), 10)
	if b["downloadId"] != id {
		t.Errorf("202 downloadId = %#v, want the string %q", b["downloadId"], id)
	}
	if b["event"] != eventOf[kind] {
		t.Errorf("202 event = %v, want %s", b["event"], eventOf[kind])
	}
	if s, _ := b["status"].(string); s != "queued" && s != "running" && s != "done" {
		t.Errorf("202 status = %v", b["status"])
	}
	statusURL := fmt.Sprintf("/api/projects/%d/process/jobs/%s", p.ID, id)
	if b["statusUrl"] != statusURL || !strings.HasSuffix(r.AcceptLocation, statusURL) {
		t.Errorf("202 statusUrl = %v, Location = %q, want %s", b["statusUrl"], r.AcceptLocation, statusURL)
	}
	if b["downloadUrl"] != fmt.Sprintf("/api/projects/%d/downloads/%s", p.ID, id) {
		t.Errorf("202 downloadUrl = %v", b["downloadUrl"])
	}
}

// checkZip checks the content of an export of the excalidraw project.
func checkZip(t *testing.T, kind string, zip []byte) {
	t.Helper()
	switch kind {
	case "targets":
		checkTargetsZip(t, zip)
	case "sources":
		checkSourcesZip(t, zip)
	case "pseudo":
		checkPseudoZip(t, zip)
	}
}

// returnZip asks for the same export synchronously and returns its SHA-256.
func returnZip(t *testing.T, s *server, p project, kind string) string {
	t.Helper()
	resp := s.do(t, "POST", p.path("/process/%s?returnZip=true", kind), p.Token, nil)
	if resp.Status != 200 {
		t.Fatalf("POST process/%s?returnZip=true: status %d: %s", kind, resp.Status, resp.Body)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/zip" {
		t.Errorf("returnZip Content-Type %q, want application/zip", resp.Header.Get("Content-Type"))
	}
	sum := sha256.Sum256(resp.Body)
	return hex.EncodeToString(sum[:])
}

// testFlows runs every export over both transports with one client, checks
// each ZIP and the returnZip twin, and logs the figures.
func testFlows(t *testing.T, lang string) {
	s := startServer(t, "")
	p := setupExcalidraw(t, s, "excalidraw-"+lang)
	var figures []string
	for _, kind := range []string{"targets", "sources", "pseudo"} {
		sums := map[string]string{}
		for _, transport := range []string{"websocket", "polling"} {
			t.Run(kind+"/"+transport, func(t *testing.T) {
				r := runFlow(t, lang, s, p, kind, transport)
				sums[transport] = checkFlow(t, p, kind, transport, r)
				checkZip(t, kind, r.zip)
				figures = append(figures, fmt.Sprintf("%s %-9s %-7s accept %6.1f ms  event %6.1f ms  download %5.1f ms  %6d bytes",
					lang, transport, kind, r.AcceptMs, r.EventMs, r.DownloadMs, len(r.zip)))
			})
		}
		t.Run(kind+"/returnZip", func(t *testing.T) {
			if sums["websocket"] == "" || sums["polling"] == "" {
				t.Skip("an asynchronous export failed")
			}
			if sums["websocket"] != sums["polling"] {
				t.Errorf("two asynchronous %s exports of the same state differ: %s vs %s", kind, sums["websocket"], sums["polling"])
			}
			if got := returnZip(t, s, p, kind); got != sums["websocket"] {
				t.Errorf("returnZip=true ZIP sha256 %s, asynchronous ZIP %s: not byte-identical", got, sums["websocket"])
			}
		})
	}
	if lang == "js" {
		t.Run("targets/default transports", func(t *testing.T) {
			r := runFlow(t, lang, s, p, "targets", "default")
			checkFlow(t, p, "targets", "default", r)
			checkTargetsZip(t, r.zip)
			if r.FirstTransport != "polling" || r.UpgradedTo != "websocket" {
				t.Errorf("the client opened over %q and upgraded to %q, want polling upgraded to websocket", r.FirstTransport, r.UpgradedTo)
			}
		})
	}
	t.Run("targets/locales=de-DE", func(t *testing.T) {
		resp := s.do(t, "POST", p.path("/process/targets?returnZip=true&locales=de-DE"), p.Token, nil)
		if resp.Status != 200 {
			t.Fatalf("status %d: %s", resp.Status, resp.Body)
		}
		requireNames(t, readZip(t, resp.Body), "locales/de-DE.json")
	})
	t.Run("pseudo/tokens=false", func(t *testing.T) {
		resp := s.do(t, "POST", p.path("/process/pseudo?returnZip=true&tokens=false"), p.Token, nil)
		if resp.Status != 200 {
			t.Fatalf("status %d: %s", resp.Status, resp.Body)
		}
		for name, body := range readZip(t, resp.Body) {
			if bytes.ContainsRune(body, '\u206A') || bytes.Contains(body, []byte(`\u206a`)) || bytes.Contains(body, []byte(`\u206A`)) {
				t.Errorf("%s still carries string tokens with tokens=false", name)
			}
		}
	})
	for _, f := range figures {
		t.Logf("figures: %s", f)
	}
}

func TestJSClientFlow(t *testing.T) {
	t.Parallel()
	needNode(t)
	testFlows(t, "js")
}

func TestPythonClientFlow(t *testing.T) {
	t.Parallel()
	needPython(t)
	testFlows(t, "py")
}
