package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// runProbe runs js/probe.js in mode connect or join and returns its JSON line.
func runProbe(t *testing.T, mode string, s *server, token string, projectID int64, tenant string) map[string]any {
	t.Helper()
	return probeOnce(t, mode, s, token, projectID, tenant)
}

func probeOnce(t *testing.T, mode string, s *server, token string, projectID int64, tenant string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "js/probe.js", mode, s.URL, token, strconv.FormatInt(projectID, 10), tenant)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("probe %s: %v\nstdout: %s\nstderr: %s", mode, err, stdout.Bytes(), stderr.Bytes())
	}
	var out map[string]any
	if err := json.Unmarshal(lastLine(stdout.Bytes()), &out); err != nil {
		t.Fatalf("probe %s printed %q: %v", mode, stdout.Bytes(), err)
	}
	return out
}

func TestSocketRefusals(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	a := createProject(t, s, "a")
	b := createProject(t, s, "b")

	t.Run("bad token at handshake", func(t *testing.T) {
		got := runProbe(t, "connect", s, "not-a-token", a.ID, s.Tenant)
		if got["connected"] != false {
			t.Fatalf("a bad token connected: %v", got)
		}
		if msg, _ := got["error"].(string); !strings.Contains(strings.ToLower(msg), "token") {
			t.Errorf("connect_error message %q does not name the token", msg)
		}
	})
	t.Run("own room", func(t *testing.T) {
		got := runProbe(t, "join", s, a.Token, a.ID, s.Tenant)
		if ack, _ := got["ack"].(map[string]any); ack["ok"] != true {
			t.Errorf("joining its own project's room: %v", got)
		}
	})
	t.Run("admin joins any room", func(t *testing.T) {
		got := runProbe(t, "join", s, adminToken, b.ID, s.Tenant)
		if ack, _ := got["ack"].(map[string]any); ack["ok"] != true {
			t.Errorf("admin joining project B's room: %v", got)
		}
	})
	refused := map[string]struct {
		project int64
		tenant  string
	}{
		"other project's room": {b.ID, s.Tenant},
		"other tenant":         {a.ID, "acme_example_com"},
		"unknown project":      {b.ID + 1000, s.Tenant},
	}
	for name, c := range refused {
		t.Run(name, func(t *testing.T) {
			got := runProbe(t, "join", s, a.Token, c.project, c.tenant)
			ack, _ := got["ack"].(map[string]any)
			if ack["ok"] != false {
				t.Fatalf("join %d/%s with project A's token: %v, want ack {ok:false}", c.project, c.tenant, got)
			}
			if msg, _ := ack["error"].(string); msg == "" {
				t.Errorf("refusal ack %v has no error message", ack)
			}
		})
	}
}

func TestRESTRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t, "")
	a := setupExcalidraw(t, s, "a")
	b := setupExcalidraw(t, s, "b")
	targetsOnly := createToken(t, s, a.ID, []string{"download-translations"})

	cases := []struct {
		name, method, path, token string
		body                      []byte
		want                      int
	}{
		{"no token, project", "GET", a.path(""), "", nil, 401},
		{"no token, process", "POST", a.path("/process/targets"), "", nil, 401},
		{"no token, download", "GET", a.path("/downloads/1"), "", nil, 401},
		{"unknown token", "GET", a.path(""), "nope", nil, 401},
		{"no token, projects", "GET", "/api/projects", "", nil, 401},
		{"A's token on B", "GET", b.path(""), a.Token, nil, 403},
		{"A's token on B's targets", "POST", b.path("/process/targets"), a.Token, nil, 403},
		{"A's token on B's sources", "POST", b.path("/process/sources?returnZip=true"), a.Token, nil, 403},
		{"A's token on B's files", "GET", b.path("/files"), a.Token, nil, 403},
		{"A's token uploads to B", "PUT", b.path("/files/x?path=x.json&parser=json"), a.Token, []byte(`{"a":"b"}`), 403},
		{"A's token on B's rule", "PUT", b.path("/targetrules/TR_x"), a.Token, []byte(`{"rule":"$(targetLocale).json"}`), 403},
		{"project token lists projects", "GET", "/api/projects", a.Token, nil, 403},
		{"project token creates a token", "POST", a.path("/tokens"), a.Token, []byte(`{"name":"x","permissions":["settings"]}`), 403},
		{"targets-only token exports sources", "POST", a.path("/process/sources"), targetsOnly, nil, 403},
		{"targets-only token exports pseudo", "POST", a.path("/process/pseudo"), targetsOnly, nil, 403},
		{"targets-only token uploads", "PUT", a.path("/files/main?path=locales/en.json&parser=json"), targetsOnly, []byte(`{"a":"b"}`), 403},
		{"unknown job", "GET", a.path("/process/jobs/999999"), a.Token, nil, 404},
		{"unknown download", "GET", a.path("/downloads/999999"), a.Token, nil, 404},
		{"unknown export kind", "POST", a.path("/process/everything"), a.Token, nil, 404},
		{"malformed upload", "PUT", a.path("/files/bad?path=bad.json&parser=json"), a.Token, []byte(`{"a": }`), 400},
		{"unknown API path", "GET", "/api/nothing", a.Token, nil, 404},
		{"unknown path outside the API", "GET", "/nothing", "", nil, 404},
		{"wrong method on healthz", "PATCH", "/healthz", "", nil, 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkProblem(t, fmt.Sprintf("%s %s", c.method, c.path), s.do(t, c.method, c.path, c.token, c.body), c.want)
		})
	}
	t.Run("downloads stay with their project and kind", func(t *testing.T) {
		var acc struct {
			JobID int64 `json:"jobId"`
		}
		s.callJSON(t, "POST", a.path("/process/sources"), a.Token, nil, 202, &acc)
		if j := waitJob(t, s, a, acc.JobID); j.Status != "done" {
			t.Fatalf("sources job %+v", j)
		}
		checkProblem(t, "targets-only token downloads a sources export",
			s.do(t, "GET", a.path("/downloads/%d", acc.JobID), targetsOnly, nil), 403)
		checkProblem(t, "targets-only token reads a sources job",
			s.do(t, "GET", a.path("/process/jobs/%d", acc.JobID), targetsOnly, nil), 403)
		checkProblem(t, "B's token fetches A's download through project B",
			s.do(t, "GET", b.path("/downloads/%d", acc.JobID), b.Token, nil), 404)
		checkProblem(t, "B's token reads A's job through project B",
			s.do(t, "GET", b.path("/process/jobs/%d", acc.JobID), b.Token, nil), 404)
	})
	t.Run("parse error says where", func(t *testing.T) {
		resp := s.do(t, "PUT", a.path("/files/bad?path=locales/bad.json&parser=json"), a.Token, []byte("{\n  \"a\": \"b\",\n  \"c\": }\n"))
		checkProblem(t, "malformed upload", resp, 400)
		var p struct {
			File         string
			Line, Column int
			Key          string
		}
		decode(t, resp, &p)
		if p.File != "locales/bad.json" || p.Line != 3 || p.Column == 0 {
			t.Errorf("problem %s, want file locales/bad.json, line 3 and a column", resp.Body)
		}
	})
	t.Run("targets-only token exports targets", func(t *testing.T) {
		resp := s.do(t, "POST", a.path("/process/targets?returnZip=true"), targetsOnly, nil)
		if resp.Status != 200 {
			t.Fatalf("status %d: %s", resp.Status, resp.Body)
		}
		checkTargetsZip(t, resp.Body)
	})
}
