package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"testing"
	"time"
)

// job is the part of GET .../process/jobs/{id} the tests read.
type job struct {
	JobID      int64  `json:"jobId"`
	Status     string `json:"status"`
	DownloadID string `json:"downloadId"`
	Error      string `json:"error"`
	URL        string `json:"url"`
	Size       int    `json:"size"`
	SHA256     string `json:"sha256"`
}

func getJob(t *testing.T, s *server, p project, id int64) job {
	t.Helper()
	var j job
	s.callJSON(t, "GET", p.path("/process/jobs/%d", id), p.Token, nil, 200, &j)
	return j
}

// waitJob polls the job until it has ended.
func waitJob(t *testing.T, s *server, p project, id int64) job {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j := getJob(t, s, p, id)
		switch j.Status {
		case "done", "failed", "cancelled", "expired":
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still %q after 60 s", id, j.Status)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

var integer = regexp.MustCompile(`^[0-9]+$`)

// TestFailedExport checks that a target rule escaping the project fails the
// export, and that legacy clients learn it from a non-integer downloadId.
func TestFailedExport(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	p := createProject(t, s, "escape")
	rule := "../../../$(targetLocale).json"
	if resp := s.do(t, "PUT", p.path("/targetrules/TR_bad"), p.Token, []byte(`{"rule":"`+rule+`"}`)); resp.Status != 200 {
		// Refusing an obviously escaping rule up front is fine; this one only
		// escapes for a file near the root, so it must be accepted.
		checkProblem(t, "PUT an escaping target rule", resp, 400)
		rule = "$(sourceFilePath)/../../$(targetLocale).json"
		p.putRule(t, s, "TR_bad", rule)
	}
	p.upload(t, s, "main", "locales/en.json", "TR_bad", readCorpus(t, excalidrawDir+"/en.json"))

	r := runFlow(t, "js", s, p, "targets", "websocket")
	if r.exitCode != exitExportFailed {
		t.Fatalf("the export with rule %q did not fail: exit %d, payload %v", rule, r.exitCode, r.Payload)
	}
	checkAccept(t, p, "targets", r)
	if r.Error == "" || integer.MatchString(r.Error) {
		t.Errorf("downloadId %q, want an error message that is not an integer", r.Error)
	}
	if r.Payload["status"] != "failed" || r.Payload["jobId"] != r.AcceptBody["jobId"] {
		t.Errorf("failure payload %v, want status failed and the job id", r.Payload)
	}
	if e, _ := r.Payload["error"].(map[string]any); e == nil || e["message"] == "" || e["message"] == nil {
		t.Errorf("failure payload %v has no error.message", r.Payload)
	}
	if r.LeaveAck["ok"] != true {
		t.Errorf("leaveProcessRoom ack %v", r.LeaveAck)
	}
	t.Logf("failure message: %s", r.Error)

	id := int64(r.AcceptBody["jobId"].(float64))
	if j := getJob(t, s, p, id); j.Status != "failed" || j.Error == "" {
		t.Errorf("GET job %d = %+v, want status failed with an error", id, j)
	}
	resp := s.do(t, "GET", p.path("/downloads/%d", id), p.Token, nil)
	if resp.Status < 400 {
		t.Errorf("download of a failed job: status %d, want an error", resp.Status)
	} else {
		checkProblem(t, "download of a failed job", resp, resp.Status)
	}
	sync := s.do(t, "POST", p.path("/process/targets?returnZip=true"), p.Token, nil)
	if sync.Status < 400 {
		t.Errorf("returnZip=true of a failing export: status %d, want an error", sync.Status)
	} else {
		checkProblem(t, "returnZip=true of a failing export", sync, sync.Status)
	}
}

// TestRestartCompletesJob accepts an export on a node that builds nothing,
// kills it, and checks that a restarted node on the same data finishes it.
func TestRestartCompletesJob(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir, "--workers", "0")
	p := setupExcalidraw(t, s, "restart")
	var accepted struct {
		JobID  int64  `json:"jobId"`
		Status string `json:"status"`
	}
	s.callJSON(t, "POST", p.path("/process/targets"), p.Token, nil, 202, &accepted)
	if j := getJob(t, s, p, accepted.JobID); j.Status != "queued" {
		t.Fatalf("with --workers 0 the job is %q, want queued", j.Status)
	}
	s.kill()

	s2 := startServer(t, dir)
	j := waitJob(t, s2, p, accepted.JobID)
	if j.Status != "done" {
		t.Fatalf("after a restart job %d ended %q: %s", j.JobID, j.Status, j.Error)
	}
	resp := s2.do(t, "GET", p.path("/downloads/%s", j.DownloadID), p.Token, nil)
	if resp.Status != 200 {
		t.Fatalf("download after restart: status %d: %s", resp.Status, resp.Body)
	}
	sum := sha256.Sum256(resp.Body)
	if hex.EncodeToString(sum[:]) != j.SHA256 || len(resp.Body) != j.Size {
		t.Errorf("ZIP has %d bytes sha256 %x, job says %d bytes %s", len(resp.Body), sum, j.Size, j.SHA256)
	}
	checkTargetsZip(t, resp.Body)
}

// TestGracefulShutdown stops a server that has a Socket.IO client connected
// and an export just accepted, and checks it exits 0 within a few seconds,
// that the client is told, and that the data and the export survive.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	needNode(t)
	dir := t.TempDir()
	s := startServer(t, dir)
	p := createProject(t, s, "shutdown")
	p.putRule(t, s, "TR_json", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)")
	p.upload(t, s, "main", "locales/en.json", "TR_json", readCorpus(t, excalidrawDir+"/en.json"))

	probe := startProbe(t, "hold", s, p.Token, p.ID)
	if ready := probe.next(t, 20*time.Second); ready["ready"] != true {
		t.Fatalf("probe: %v", ready)
	}

	// An export accepted just before SIGTERM must not be lost: it finishes
	// now or after the restart.
	var accepted struct {
		JobID int64 `json:"jobId"`
	}
	s.callJSON(t, "POST", p.path("/process/sources"), p.Token, nil, 202, &accepted)
	took := s.stop(t)
	t.Logf("SIGTERM to exit with a socket connected and an export just accepted: %v", took)
	if took > 5*time.Second {
		t.Errorf("shutdown took %v, want a few seconds at most", took)
	}
	gone := probe.until(t, 10*time.Second, func(l map[string]any) bool { return l["event"] == nil })
	if gone["disconnected"] != true {
		t.Errorf("the connected client was not disconnected: %v", gone)
	}

	s2 := startServer(t, dir)
	var files []struct {
		FileID string `json:"fileId"`
		ID     string `json:"id"`
	}
	s2.callJSON(t, "GET", p.path("/files"), p.Token, nil, 200, &files)
	if len(files) != 1 {
		t.Errorf("after a restart the project has files %+v, want main", files)
	}
	if j := waitJob(t, s2, p, accepted.JobID); j.Status != "done" {
		t.Errorf("the export accepted before SIGTERM ended %q after the restart: %s", j.Status, j.Error)
	}
}
