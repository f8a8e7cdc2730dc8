package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// runExtras runs js/extras.js and decodes its JSON line into out.
func runExtras(t *testing.T, out any, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{"js/extras.js"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("extras %s: %v\nstdout: %s\nstderr: %s", args[0], err, stdout.Bytes(), stderr.Bytes())
	}
	if err := json.Unmarshal(lastLine(stdout.Bytes()), out); err != nil {
		t.Fatalf("extras %s printed %q: %v", args[0], stdout.Bytes(), err)
	}
}

type socketEvent struct {
	Event   string         `json:"event"`
	Payload map[string]any `json:"payload"`
}

// eventsOf returns the events about job id, and how many were completions.
func eventsOf(evs []socketEvent, id float64) (all []socketEvent, completions int) {
	for _, e := range evs {
		if e.Payload["jobId"] != id {
			continue
		}
		all = append(all, e)
		if strings.HasPrefix(e.Event, "process_export_") {
			completions++
		}
	}
	return all, completions
}

// TestProtocolAdditions checks tolk's additions that keep results from being
// lost (api.md "tolk's additions") with the official JS client.
func TestProtocolAdditions(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	p := setupExcalidraw(t, s, "additions")
	other := createProject(t, s, "other")
	pid := strconv.FormatInt(p.ID, 10)

	var jobID float64
	t.Run("X-Socket-Id", func(t *testing.T) {
		var got struct {
			JobID float64       `json:"jobId"`
			A     []socketEvent `json:"a"`
			B     []socketEvent `json:"b"`
		}
		runExtras(t, &got, "socketid", s.URL, p.Token, pid, s.Tenant, "targets")
		jobID = got.JobID
		if _, n := eventsOf(got.A, jobID); n != 1 {
			t.Errorf("the posting socket got %d completions of job %v, want 1: %v", n, jobID, got.A)
		}
		if evs, _ := eventsOf(got.B, jobID); len(evs) != 0 {
			t.Errorf("the other socket in the room got %v; X-Socket-Id sends to one socket alone", evs)
		}
	})
	t.Run("watchJob after the end", func(t *testing.T) {
		if jobID == 0 {
			t.Skip("no job")
		}
		var got struct {
			Ack    map[string]any `json:"ack"`
			Events []socketEvent  `json:"events"`
		}
		runExtras(t, &got, "watch", s.URL, p.Token, strconv.Itoa(int(jobID)))
		job, _ := got.Ack["job"].(map[string]any)
		if got.Ack["ok"] != true || job["status"] != "done" {
			t.Errorf("watchJob ack %v, want ok with the done job", got.Ack)
		}
		evs, n := eventsOf(got.Events, jobID)
		if n != 1 || evs[len(evs)-1].Payload["downloadId"] != strconv.Itoa(int(jobID)) {
			t.Errorf("watchJob of an ended job delivered %v, want its completion once", got.Events)
		}
	})
	t.Run("watchJob of another project", func(t *testing.T) {
		if jobID == 0 {
			t.Skip("no job")
		}
		var got struct {
			Ack    map[string]any `json:"ack"`
			Events []socketEvent  `json:"events"`
		}
		runExtras(t, &got, "watch", s.URL, other.Token, strconv.Itoa(int(jobID)))
		if got.Ack["ok"] != false || got.Ack["error"] == nil {
			t.Errorf("watchJob with another project's token: ack %v, want ok:false with an error", got.Ack)
		}
		if evs, _ := eventsOf(got.Events, jobID); len(evs) != 0 {
			t.Errorf("a foreign token received %v", evs)
		}
	})
	t.Run("server-sent events", func(t *testing.T) {
		var acc struct {
			JobID int64 `json:"jobId"`
		}
		s.callJSON(t, "POST", p.path("/process/pseudo"), p.Token, nil, 202, &acc)
		names, end := readSSE(t, s, p, acc.JobID)
		if len(names) == 0 || names[len(names)-1] != "end" {
			t.Fatalf("SSE events %q, want an end event last", names)
		}
		if end.Status != "done" || end.JobID != acc.JobID {
			t.Errorf("SSE end event %+v, want job %d done", end, acc.JobID)
		}
	})
	t.Run("download headers", func(t *testing.T) {
		if jobID == 0 {
			t.Skip("no job")
		}
		checkDownloadHeaders(t, s, p, int64(jobID))
	})
}

// readSSE reads the job's event stream until the server closes it and returns
// the event names and the end event's job.
func readSSE(t *testing.T, s *server, p project, id int64) ([]string, job) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+p.path("/process/jobs/%d/events", id), nil)
	req.Header.Set("Authorization", "Bearer "+p.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("SSE: %v", err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("SSE: status %d, Content-Type %q", resp.StatusCode, ct)
	}
	var names []string
	var end job
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			names = append(names, event)
		case strings.HasPrefix(line, "data:") && event == "end":
			if err := json.Unmarshal([]byte(strings.TrimSpace(strings.TrimPrefix(line, "data:"))), &end); err != nil {
				t.Errorf("SSE end data %q: %v", line, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Errorf("SSE stream did not close cleanly: %v", err)
	}
	return names, end
}

// checkDownloadHeaders checks ETag, HEAD, Range and If-None-Match on a
// finished export.
func checkDownloadHeaders(t *testing.T, s *server, p project, id int64) {
	t.Helper()
	path := p.path("/downloads/%d", id)
	full := s.do(t, "GET", path, p.Token, nil)
	if full.Status != 200 {
		t.Fatalf("GET: status %d", full.Status)
	}
	sum := sha256.Sum256(full.Body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	if full.Header.Get("ETag") != etag {
		t.Errorf("ETag %q, want %s", full.Header.Get("ETag"), etag)
	}
	if cd := full.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".zip") {
		t.Errorf("Content-Disposition %q, want an attachment with a .zip name", cd)
	}
	head := s.do(t, "HEAD", path, p.Token, nil)
	if head.Status != 200 || len(head.Body) != 0 || head.Header.Get("Content-Length") != strconv.Itoa(len(full.Body)) {
		t.Errorf("HEAD: status %d, %d body bytes, Content-Length %q", head.Status, len(head.Body), head.Header.Get("Content-Length"))
	}
	part := s.doWith(t, "GET", path, p.Token, map[string]string{"Range": "bytes=4-13"})
	if part.Status != 206 || !bytes.Equal(part.Body, full.Body[4:14]) {
		t.Errorf("Range bytes=4-13: status %d, %d bytes", part.Status, len(part.Body))
	}
	cached := s.doWith(t, "GET", path, p.Token, map[string]string{"If-None-Match": etag})
	if cached.Status != 304 {
		t.Errorf("If-None-Match with the ETag: status %d, want 304", cached.Status)
	}
}

// TestDedupCancel uses a node without workers, where jobs stay queued, to
// check request deduplication, Idempotency-Key and cancellation.
func TestDedupCancel(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "", "--workers", "0")
	p := setupExcalidraw(t, s, "dedup")
	post := func(kind string, headers map[string]string) int64 {
		t.Helper()
		resp := s.doWith(t, "POST", p.path("/process/%s", kind), p.Token, headers)
		var acc struct {
			JobID int64 `json:"jobId"`
		}
		if resp.Status != 202 {
			t.Fatalf("POST %s: status %d: %s", kind, resp.Status, resp.Body)
		}
		decode(t, resp, &acc)
		return acc.JobID
	}
	first, second := post("targets", nil), post("targets", nil)
	if first != second {
		t.Errorf("two identical queued requests made jobs %d and %d, want one shared job", first, second)
	}

	room := startProbe(t, "hold", s, p.Token, p.ID)
	if ready := room.next(t, 20*time.Second); ready["ready"] != true {
		t.Fatalf("probe: %v", ready)
	}
	key := map[string]string{"Idempotency-Key": "e2e-key-1"}
	pseudo := post("pseudo", key)
	var cancelled job
	s.callJSON(t, "DELETE", p.path("/process/jobs/%d", pseudo), p.Token, nil, 200, &cancelled)
	if cancelled.Status != "cancelled" {
		t.Errorf("DELETE job: %+v, want status cancelled", cancelled)
	}
	ev := room.until(t, 20*time.Second, func(l map[string]any) bool { return l["event"] != "process_progress" })
	payload, _ := ev["payload"].(map[string]any)
	if ev["event"] != "process_export_pseudo" || payload["status"] != "cancelled" {
		t.Errorf("after DELETE the room got %v, want process_export_pseudo with status cancelled", ev)
	} else if msg, _ := payload["downloadId"].(string); msg == "" || integer.MatchString(msg) {
		t.Errorf("cancellation downloadId %q, want a message", msg)
	}
	if again := post("pseudo", key); again != pseudo {
		t.Errorf("a retry with the same Idempotency-Key made job %d, want %d", again, pseudo)
	}
	if fresh := post("pseudo", nil); fresh == pseudo {
		t.Errorf("without the key a new request got the cancelled job %d back", fresh)
	}
}
