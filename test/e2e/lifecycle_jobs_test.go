package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// lcJob is the part of GET .../process/jobs/{id} these tests read.
type lcJob struct {
	JobID      int64          `json:"jobId"`
	Status     string         `json:"status"`
	DownloadID string         `json:"downloadId"`
	Error      string         `json:"error"`
	URL        string         `json:"url"`
	Size       int            `json:"size"`
	SHA256     string         `json:"sha256"`
	Progress   map[string]any `json:"progress"`
}

func lcGetJob(t *testing.T, s *server, p project, id int64) lcJob {
	t.Helper()
	var j lcJob
	s.callJSON(t, "GET", p.path("/process/jobs/%d", id), p.Token, nil, 200, &j)
	return j
}

// lcPost starts an export and returns the 202's job id.
func lcPost(t *testing.T, s *server, p project, kindQuery string, header http.Header) int64 {
	t.Helper()
	resp := lcDo(t, s, "POST", p.path("/process/%s", kindQuery), p.Token, header)
	if resp.Status != 202 {
		t.Fatalf("POST process/%s: status %d: %s", kindQuery, resp.Status, resp.Body)
	}
	var a struct {
		JobID int64 `json:"jobId"`
	}
	decode(t, resp, &a)
	if a.JobID <= 0 {
		t.Fatalf("POST process/%s answered %s", kindQuery, resp.Body)
	}
	return a.JobID
}

// lcDo is server.do with request headers.
func lcDo(t *testing.T, s *server, method, path, token string, header http.Header) *response {
	t.Helper()
	return lcRequest(t, method, s.URL+path, token, header)
}

func lcSend(req *http.Request) (*response, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body strings.Builder
	if _, err := io.Copy(&body, resp.Body); err != nil {
		return nil, err
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: []byte(body.String())}, nil
}

// lcWaitStatus polls a job until its status is one of want.
func lcWaitStatus(t *testing.T, s *server, p project, id int64, poll time.Duration, want ...string) lcJob {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		j := lcGetJob(t, s, p, id)
		for _, w := range want {
			if j.Status == w {
				return j
			}
		}
		if lcEnded(j.Status) {
			t.Fatalf("job %d ended %q (%s) while waiting for %v", id, j.Status, j.Error, want)
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still %q, want %v", id, j.Status, want)
		}
		time.Sleep(poll)
	}
}

func lcEnded(status string) bool {
	switch status {
	case "done", "failed", "cancelled", "expired":
		return true
	}
	return false
}

func lcSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestLifecycleTwoLocales exports one project twice at once, de-DE and
// ja-JP, each client naming its socket: each gets its own ZIP and only its
// own completion.
func TestLifecycleTwoLocales(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	p := setupExcalidraw(t, s, "two-locales")
	dir := t.TempDir()
	clients := lcMany(t, s, p, []string{"locales=de-DE", "locales=ja-JP"}, 0, "targets", dir)
	jobs := map[float64]bool{}
	for i, want := range []string{"de-DE", "ja-JP"} {
		c := clients[i]
		if c.Status != 202 {
			t.Fatalf("%s client: POST status %d: %v", want, c.Status, c.Body)
		}
		id, _ := c.Body["jobId"].(float64)
		jobs[id] = true
		if len(c.Completions) != 1 || c.Completions[0].Payload["jobId"] != id {
			t.Errorf("%s client (job %v) received %d completions, want exactly its own one: %+v", want, id, len(c.Completions), c.Completions)
			continue
		}
		ev := c.Completions[0].Payload
		if c.ZipStatus != 200 {
			t.Fatalf("%s client: download status %d", want, c.ZipStatus)
		}
		zip, err := os.ReadFile(c.Zip)
		if err != nil {
			t.Fatal(err)
		}
		if ev["sha256"] != lcSHA(zip) {
			t.Errorf("%s client: event sha256 %v, ZIP %s", want, ev["sha256"], lcSHA(zip))
		}
		requireNames(t, readZip(t, zip), "locales/"+want+".json")
	}
	if len(jobs) != 2 {
		t.Errorf("two exports with different locales share a job: %v", jobs)
	}
}

// TestLifecycleDedup checks that identical concurrent requests share one
// job, that Idempotency-Key returns the first job even after it ended, and
// that other parameters make another job. The node builds nothing
// (--workers 0), so jobs stay queued while the requests arrive.
func TestLifecycleDedup(t *testing.T) {
	t.Parallel()
	s := startServer(t, "", "--workers", "0")
	p := setupExcalidraw(t, s, "dedup")
	ids := make([]int64, 5)
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = lcPostAsync(s, p, "targets", nil)
		}()
	}
	wg.Wait()
	distinct := map[int64]bool{}
	for i, id := range ids {
		if errs[i] != nil {
			t.Fatalf("concurrent POST %d: %v", i, errs[i])
		}
		distinct[id] = true
	}
	fmt.Printf("dedup: 5 identical concurrent requests -> %d job(s)\n", len(distinct))
	t.Logf("dedup: 5 identical concurrent requests -> %d job(s): %v", len(distinct), ids)
	if len(distinct) != 1 {
		t.Errorf("5 identical concurrent POSTs created %d jobs %v, want 1", len(distinct), ids)
	}
	other := lcPost(t, s, p, "targets?locales=de-DE", nil)
	if distinct[other] {
		t.Errorf("POST targets?locales=de-DE answered job %d, the job of POST targets: different parameters must make another job", other)
	}
	if again := lcPost(t, s, p, "sources", nil); distinct[again] || again == other {
		t.Errorf("POST sources answered job %d, a job of another export", again)
	}
}

// lcPostAsync is lcPost for goroutines.
func lcPostAsync(s *server, p project, kindQuery string, header http.Header) (int64, error) {
	req, err := http.NewRequest("POST", s.URL+p.path("/process/%s", kindQuery), nil)
	if err != nil {
		return 0, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+p.Token)
	resp, err := lcSend(req)
	if err != nil {
		return 0, err
	}
	var a struct {
		JobID int64 `json:"jobId"`
	}
	if resp.Status != 202 {
		return 0, fmt.Errorf("status %d: %s", resp.Status, resp.Body)
	}
	if err := json.Unmarshal(resp.Body, &a); err != nil || a.JobID <= 0 {
		return 0, fmt.Errorf("answer %s: %v", resp.Body, err)
	}
	return a.JobID, nil
}

// TestLifecycleIdempotencyKey: a retry with the same Idempotency-Key gets the
// first POST's job, even once it is done; without a key, an identical
// request after the end is a new job.
func TestLifecycleIdempotencyKey(t *testing.T) {
	t.Parallel()
	s := startServer(t, "")
	p := setupExcalidraw(t, s, "idempotency")
	key := http.Header{"Idempotency-Key": {"lc-retry-7f3a"}}
	first := lcPost(t, s, p, "targets", key)
	lcWaitStatus(t, s, p, first, 50*time.Millisecond, "done")
	if again := lcPost(t, s, p, "targets", key); again != first {
		t.Errorf("POST with the same Idempotency-Key after the job ended answered job %d, want %d", again, first)
	}
	if other := lcPost(t, s, p, "targets", http.Header{"Idempotency-Key": {"lc-retry-other"}}); other == first {
		t.Errorf("POST with another Idempotency-Key answered the first job %d", first)
	}
	if plain := lcPost(t, s, p, "targets", nil); plain == first {
		t.Errorf("an identical POST after job %d ended answered it again; dedup is only for queued or running jobs", first)
	}
}

// TestLifecycleDedupDelivery: five clients POST the same export at once,
// each naming its socket, and a sixth, of the original protocol, without
// X-Socket-Id; whether or not they share a job, each socket gets its job's
// completion exactly once.
func TestLifecycleDedupDelivery(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	p := setupExcalidraw(t, s, "dedup-delivery")
	q := make([]string, 6)
	clients := lcMany(t, s, p, q, 1, "targets", "")
	jobs := map[float64]bool{}
	for i, c := range clients {
		if c.Status != 202 {
			t.Fatalf("client %d: POST status %d: %v", i, c.Status, c.Body)
		}
		id, _ := c.Body["jobId"].(float64)
		jobs[id] = true
		var mine int
		for _, e := range c.Completions {
			if e.Payload["jobId"] == id {
				mine++
			}
		}
		if mine != 1 {
			t.Errorf("client %d (socket %s, job %v) received its completion %d times, want 1", i, c.SocketID, id, mine)
		}
	}
	t.Logf("6 concurrent identical POSTs (5 with their own X-Socket-Id) shared %d job(s)", len(jobs))
}

// TestLifecycleWorkerKilled kills the server while a job is running and
// restarts it on the same data: the job is resumed, a client that connects
// after the restart and watches the job gets its completion, and the ZIP is
// whole.
func TestLifecycleWorkerKilled(t *testing.T) {
	t.Parallel()
	needNode(t)
	dir := t.TempDir()
	s := startServer(t, dir)
	const files = 4
	p := lcBigProject(t, s, "killed", files)
	id := lcPost(t, s, p, "targets", nil)
	j := lcWaitStatus(t, s, p, id, 5*time.Millisecond, "running")
	s.kill()
	t.Logf("killed the server while job %d was running (progress %v)", id, j.Progress)

	s2 := startServer(t, dir)
	l := lcListen(t, s2, p, id, 60*time.Second)
	r := l.result()
	if r.WatchAck["ok"] != true {
		t.Fatalf("watchJob %d after the restart: ack %v", id, r.WatchAck)
	}
	got := lcCompletionsOf(r.Completions, id)
	if len(got) != 1 {
		t.Fatalf("after the restart the client received %d completions of job %d, want 1: %+v", len(got), id, r.Completions)
	}
	ev := got[0]
	if ev["status"] != "done" {
		t.Fatalf("job %d after the restart: completion %v, want status done", id, ev)
	}
	resp := s2.do(t, "GET", p.path("/downloads/%d", id), p.Token, nil)
	if resp.Status != 200 {
		t.Fatalf("download: status %d: %s", resp.Status, resp.Body)
	}
	if ev["sha256"] != lcSHA(resp.Body) || ev["size"] != float64(len(resp.Body)) {
		t.Errorf("ZIP of %d bytes sha256 %s; event says %v bytes %v", len(resp.Body), lcSHA(resp.Body), ev["size"], ev["sha256"])
	}
	if names := readZip(t, resp.Body); len(names) != files*len(lcBigLocales) {
		t.Errorf("ZIP holds %d files, want %d", len(names), files*len(lcBigLocales))
	}
}

// TestLifecycleDeadline runs a job on a node whose --job-timeout is 1ms: the
// client in the room learns of the failure and its reason.
func TestLifecycleDeadline(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "", "--job-timeout", "1ms")
	p := lcBigProject(t, s, "deadline", 1)
	l := lcListen(t, s, p, 0, 60*time.Second)
	id := lcPost(t, s, p, "targets", nil)
	r := l.result()
	got := lcCompletionsOf(r.Completions, id)
	if len(got) != 1 {
		t.Fatalf("the room received %d completions of job %d, want 1: %+v", len(got), id, r.Completions)
	}
	ev := got[0]
	msg, _ := ev["downloadId"].(string)
	if ev["status"] != "failed" || !strings.Contains(msg, "deadline") || integer.MatchString(msg) {
		t.Errorf("completion %v: want status failed and a downloadId message naming the deadline", ev)
	}
	if e, _ := ev["error"].(map[string]any); e == nil || e["message"] != msg {
		t.Errorf("completion %v: want error.message equal to downloadId", ev)
	}
	if j := lcGetJob(t, s, p, id); j.Status != "failed" || !strings.Contains(j.Error, "deadline") {
		t.Errorf("GET job %d = %+v, want failed with the deadline", id, j)
	}
	t.Logf("deadline failure: %s", msg)
}

// TestLifecycleCancel cancels a queued job (the node builds nothing): the
// job reads cancelled and the room hears of it with a message in downloadId.
func TestLifecycleCancel(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "", "--workers", "0")
	p := setupExcalidraw(t, s, "cancel")
	l := lcListen(t, s, p, 0, 30*time.Second)
	id := lcPost(t, s, p, "targets", nil)
	if j := lcGetJob(t, s, p, id); j.Status != "queued" {
		t.Fatalf("job %d is %q before the DELETE, want queued", id, j.Status)
	}
	var j lcJob
	s.callJSON(t, "DELETE", p.path("/process/jobs/%d", id), p.Token, nil, 200, &j)
	if j.Status != "cancelled" {
		t.Errorf("DELETE answered %+v, want status cancelled", j)
	}
	r := l.result()
	got := lcCompletionsOf(r.Completions, id)
	if len(got) != 1 {
		t.Fatalf("the room received %d completions of job %d, want 1: %+v", len(got), id, r.Completions)
	}
	msg, _ := got[0]["downloadId"].(string)
	if got[0]["status"] != "cancelled" || msg == "" || integer.MatchString(msg) {
		t.Errorf("completion %v: want status cancelled and a message in downloadId", got[0])
	}
	if j := lcGetJob(t, s, p, id); j.Status != "cancelled" {
		t.Errorf("GET job %d after the DELETE: %q", id, j.Status)
	}
	resp := s.do(t, "DELETE", p.path("/process/jobs/%d", id), p.Token, nil)
	if resp.Status != 200 || !strings.Contains(string(resp.Body), `"cancelled"`) {
		t.Errorf("a second DELETE: status %d: %s", resp.Status, resp.Body)
	}
}

// TestLifecycleProgress: a client in the room sees process_progress events
// of a job on a big project, and its SSE stream ends with an end event.
func TestLifecycleProgress(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	p := lcBigProject(t, s, "progress", 3)
	l := lcListen(t, s, p, 0, 60*time.Second)
	id := lcPost(t, s, p, "targets", nil)
	events := lcSSE(t, s, p, id)
	if len(events) == 0 || events[len(events)-1].name != "end" {
		t.Fatalf("SSE stream of job %d: %v, want it to end with an end event", id, events)
	}
	var end lcJob
	if err := json.Unmarshal([]byte(events[len(events)-1].data), &end); err != nil || end.JobID != id || end.Status != "done" {
		t.Errorf("SSE end event %q: want job %d done (%v)", events[len(events)-1].data, id, err)
	}
	var progress, status int
	for _, e := range events {
		switch e.name {
		case "progress":
			progress++
		case "status":
			status++
		}
	}
	t.Logf("SSE: %d events (%d status, %d progress)", len(events), status, progress)

	r := l.result()
	var mine []lcEvent
	stages := map[string]int{}
	for _, e := range r.Progress {
		if e.Payload["jobId"] == float64(id) {
			mine = append(mine, e)
			pr, _ := e.Payload["progress"].(map[string]any)
			stage, _ := pr["stage"].(string)
			stages[stage]++
		}
	}
	if len(mine) == 0 {
		t.Fatalf("the client in the room received no process_progress event of job %d", id)
	}
	for stage := range stages {
		switch stage {
		case "queued", "collecting", "rendering", "zipping":
		default:
			t.Errorf("progress stage %q is not one of api.md's", stage)
		}
	}
	span := float64(mine[len(mine)-1].At-mine[0].At) / 1000
	if limit := 4*span + 4; float64(len(mine)) > limit {
		t.Errorf("%d progress events in %.1f s: more than four per second", len(mine), span)
	}
	if got := lcCompletionsOf(r.Completions, id); len(got) != 1 || got[0]["status"] != "done" {
		t.Errorf("completions of job %d: %v, want one done", id, got)
	}
	t.Logf("progress events of job %d: %d over %.1f s, by stage %v", id, len(mine), span, stages)
}
