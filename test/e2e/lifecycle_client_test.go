package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// lcEvent is one event js/lifecycle.js received, with its arrival time (ms).
type lcEvent struct {
	Event   string         `json:"event"`
	At      int64          `json:"at"`
	Payload map[string]any `json:"payload"`
}

// lcListenResult is what "lifecycle.js listen" prints at its end.
type lcListenResult struct {
	WatchAck    map[string]any `json:"watchAck"`
	Completions []lcEvent      `json:"completions"`
	Progress    []lcEvent      `json:"progress"`
}

// lcListener is a running "lifecycle.js listen": a client in a project's
// room (and watching a job when asked).
type lcListener struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  *bufio.Scanner
	stderr *strings.Builder
	cancel context.CancelFunc
	Socket string
}

// lcListen starts a listening client and waits until it has joined. jobID 0
// listens to the room only; otherwise the client also emits watchJob.
func lcListen(t *testing.T, s *server, p project, jobID int64, timeout time.Duration) *lcListener {
	t.Helper()
	needNode(t)
	cfg, _ := json.Marshal(map[string]any{"url": s.URL, "tenant": s.Tenant, "token": p.Token,
		"projectId": p.ID, "jobId": jobID, "timeoutMs": timeout.Milliseconds(), "settleMs": 1000})
	ctx, cancel := context.WithTimeout(context.Background(), timeout+30*time.Second)
	l := &lcListener{t: t, cancel: cancel, stderr: &strings.Builder{}}
	l.cmd = exec.CommandContext(ctx, "node", "js/lifecycle.js", "listen", string(cfg))
	l.cmd.Stderr = l.stderr
	stdout, err := l.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := l.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = l.cmd.Wait()
	})
	l.lines = bufio.NewScanner(stdout)
	l.lines.Buffer(nil, 16<<20)
	var ready struct {
		Phase    string `json:"phase"`
		SocketID string `json:"socketId"`
	}
	l.line(&ready)
	if ready.Phase != "ready" || ready.SocketID == "" {
		t.Fatalf("lifecycle.js listen did not get ready: %+v", ready)
	}
	l.Socket = ready.SocketID
	return l
}

func (l *lcListener) line(v any) {
	l.t.Helper()
	if !l.lines.Scan() {
		l.cancel()
		_ = l.cmd.Wait()
		l.t.Fatalf("lifecycle.js ended early: %v\nstderr: %s", l.lines.Err(), l.stderr.String())
	}
	var head struct{ Phase, Fatal string }
	if err := json.Unmarshal(l.lines.Bytes(), &head); err != nil || head.Phase == "fatal" {
		l.t.Fatalf("lifecycle.js: %s (%v)\nstderr: %s", l.lines.Bytes(), err, l.stderr.String())
	}
	if err := json.Unmarshal(l.lines.Bytes(), v); err != nil {
		l.t.Fatalf("lifecycle.js: %v", err)
	}
}

// result waits for the client's end and returns what it received.
func (l *lcListener) result() lcListenResult {
	l.t.Helper()
	var r lcListenResult
	l.line(&r)
	return r
}

// lcCompletionsOf returns the completion payloads of one job.
func lcCompletionsOf(events []lcEvent, jobID int64) []map[string]any {
	var out []map[string]any
	for _, e := range events {
		if e.Payload["jobId"] == float64(jobID) {
			out = append(out, e.Payload)
		}
	}
	return out
}

// lcManyClient is one client of "lifecycle.js many".
type lcManyClient struct {
	Status      int            `json:"status"`
	Body        map[string]any `json:"body"`
	SocketID    string         `json:"socketId"`
	Completions []lcEvent      `json:"completions"`
	Zip         string         `json:"zip"`
	ZipStatus   int            `json:"zipStatus"`
}

// lcMany runs clients that each POST kind?query at once with their own
// X-Socket-Id and wait for their completion; the last old ones send no
// X-Socket-Id, as clients of the original protocol. With outDir they
// download their ZIP there.
func lcMany(t *testing.T, s *server, p project, queries []string, old int, kind, outDir string) []lcManyClient {
	t.Helper()
	needNode(t)
	var clients []map[string]any
	for i, q := range queries {
		clients = append(clients, map[string]any{"token": p.Token, "projectId": p.ID, "kind": kind, "query": q,
			"old": i >= len(queries)-old})
	}
	cfg, _ := json.Marshal(map[string]any{"url": s.URL, "tenant": s.Tenant, "timeoutMs": 20000,
		"settleMs": 1000, "outDir": outDir, "clients": clients})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "node", "js/lifecycle.js", "many", string(cfg)).Output()
	var r struct {
		Phase   string         `json:"phase"`
		Fatal   string         `json:"fatal"`
		Clients []lcManyClient `json:"clients"`
	}
	if jerr := json.Unmarshal(lastLine(out), &r); jerr != nil || r.Phase != "done" {
		t.Fatalf("lifecycle.js many: %v %v: %s", err, jerr, out)
	}
	return r.Clients
}

// lcBigLocales are the target locales of the big project: each file is
// rendered once per locale, which makes an export slow without making the
// upload slow.
var lcBigLocales = []string{"de-DE", "ja-JP", "fr-FR", "es-ES", "it-IT", "pt-BR", "pt-PT", "nl-NL",
	"sv-SE", "da-DK", "nb-NO", "fi-FI", "pl-PL", "cs-CZ", "sk-SK", "hu-HU", "ro-RO", "bg-BG", "el-GR",
	"tr-TR", "ru-RU", "uk-UA", "he-IL", "ar-SA", "fa-IR", "hi-IN", "th-TH", "vi-VN", "id-ID", "ms-MY",
	"ko-KR", "zh-CN", "zh-TW", "ca-ES", "eu-ES", "gl-ES", "hr-HR", "sl-SI", "lt-LT", "lv-LV"}

// lcBigProject creates a project with 40 target locales and files copies of
// the corpus's excalidraw en.json; a targets export holds files*40 entries.
func lcBigProject(t *testing.T, s *server, name string, files int) project {
	t.Helper()
	var created struct {
		ID int64 `json:"id"`
	}
	s.callJSON(t, "POST", "/api/projects", adminToken, map[string]any{
		"name": name, "sourceLocale": "en", "targetLocales": lcBigLocales,
	}, 201, &created)
	p := project{ID: created.ID, Token: createToken(t, s, created.ID, allPermissions)}
	p.putRule(t, s, "TR_json", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)")
	en := readCorpus(t, excalidrawDir+"/en.json")
	var wg sync.WaitGroup
	errs := make(chan string, files)
	sem := make(chan struct{}, 4)
	for i := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			q := url.Values{"path": {fmt.Sprintf("locales/f%d/en.json", i)}, "parser": {"json"}, "targetRule": {"TR_json"}}
			if err := lcPut(s.URL+p.path("/files/f%d?%s", i, q.Encode()), p.Token, en); err != nil {
				errs <- err.Error()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("uploading the big project: %s", e)
	}
	return p
}

// lcPut uploads body; unlike server.do it may run outside the test goroutine.
func lcPut(u, token string, body []byte) error {
	req, err := http.NewRequest("PUT", u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("PUT %s: %w", u, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 && resp.StatusCode != 201 {
		return fmt.Errorf("PUT %s: status %d: %s", u, resp.StatusCode, msg)
	}
	return nil
}
