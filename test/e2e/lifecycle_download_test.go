package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lcSSEEvent is one Server-Sent Event.
type lcSSEEvent struct {
	name, data string
}

func (e lcSSEEvent) String() string { return e.name + ":" + e.data }

// lcSSE reads a job's event stream to its end.
func lcSSE(t *testing.T, s *server, p project, id int64) []lcSSEEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+p.path("/process/jobs/%d/events", id), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+p.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET events: %v", err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("GET events: status %d, Content-Type %q", resp.StatusCode, ct)
	}
	var events []lcSSEEvent
	var cur lcSSEEvent
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.name != "" || cur.data != "" {
				events = append(events, cur)
			}
			cur = lcSSEEvent{}
		case strings.HasPrefix(line, "event:"):
			cur.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			cur.data += strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the event stream of job %d (did it end?): %v; events so far %v", id, err, events)
	}
	return events
}

// TestLifecycleDownloadResume interrupts a download and resumes it with
// Range and If-Range: the pieces make the ZIP the completion event names.
func TestLifecycleDownloadResume(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	p := setupExcalidraw(t, s, "resume")
	l := lcListen(t, s, p, 0, 30*time.Second)
	id := lcPost(t, s, p, "targets", nil)
	got := lcCompletionsOf(l.result().Completions, id)
	if len(got) != 1 || got[0]["status"] != "done" {
		t.Fatalf("completions of job %d: %v", id, got)
	}
	ev := got[0]
	size := int(ev["size"].(float64))
	u := s.URL + ev["url"].(string)

	head := lcRequest(t, "HEAD", u, p.Token, nil)
	etag := head.Header.Get("ETag")
	if head.Status != 200 || head.Header.Get("Content-Length") != strconv.Itoa(size) || etag != `"`+ev["sha256"].(string)+`"` || len(head.Body) != 0 {
		t.Fatalf("HEAD: status %d, Content-Length %q, ETag %q, %d body bytes; want 200, %d, the quoted sha256 %v, none",
			head.Status, head.Header.Get("Content-Length"), etag, len(head.Body), size, ev["sha256"])
	}

	// Read part of the body, then drop the connection.
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+p.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part := make([]byte, size/3)
	if _, err := io.ReadFull(resp.Body, part); err != nil {
		t.Fatalf("reading the first %d bytes: %v", len(part), err)
	}
	resp.Body.Close()

	rest := lcRequest(t, "GET", u, p.Token, http.Header{
		"Range": {fmt.Sprintf("bytes=%d-", len(part))}, "If-Range": {etag}})
	wantRange := fmt.Sprintf("bytes %d-%d/%d", len(part), size-1, size)
	if rest.Status != 206 || rest.Header.Get("Content-Range") != wantRange {
		t.Fatalf("resumed GET: status %d, Content-Range %q; want 206, %q", rest.Status, rest.Header.Get("Content-Range"), wantRange)
	}
	whole := append(part, rest.Body...)
	if lcSHA(whole) != ev["sha256"] || len(whole) != size {
		t.Errorf("resumed ZIP: %d bytes sha256 %s; the event says %d bytes %v", len(whole), lcSHA(whole), size, ev["sha256"])
	}
	checkTargetsZip(t, whole)

	stale := lcRequest(t, "GET", u, p.Token, http.Header{"Range": {"bytes=10-"}, "If-Range": {`"not-the-etag"`}})
	if stale.Status != 200 || len(stale.Body) != size {
		t.Errorf("Range with a stale If-Range: status %d, %d bytes; want the whole ZIP (200, %d bytes)", stale.Status, len(stale.Body), size)
	}
}

// TestLifecycleDownloadExpired: with --retention 1s, a download two seconds
// after the end answers 410 with a problem.
func TestLifecycleDownloadExpired(t *testing.T) {
	t.Parallel()
	s := startServer(t, "", "--retention", "1s")
	p := setupExcalidraw(t, s, "expired")
	id := lcPost(t, s, p, "targets", nil)
	lcWaitStatus(t, s, p, id, 50*time.Millisecond, "done")
	time.Sleep(2 * time.Second)
	resp := s.do(t, "GET", p.path("/downloads/%d", id), p.Token, nil)
	checkProblem(t, "download after the retention", resp, 410)
	if j := lcGetJob(t, s, p, id); j.Status != "expired" {
		t.Errorf("GET job %d after the retention: status %q, want expired", id, j.Status)
	}
}

// lcRequest sends one request with headers and reads the whole answer.
func lcRequest(t *testing.T, method, u, token string, header http.Header) *response {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+token)
	r, err := lcSend(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	return r
}
