package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/testserver"
)

// server is one running tolk process, with request helpers.
type server struct{ *testserver.Server }

// startServer starts tolk serve on a free port with dataDir (a new temporary
// one when empty); see testserver.Start.
func startServer(t *testing.T, dataDir string, extraArgs ...string) *server {
	t.Helper()
	return &server{testserver.Start(t, tolkBin, adminToken, dataDir, extraArgs...)}
}

// stop sends SIGTERM, checks exit status 0, and returns how long it took.
func (s *server) stop(t *testing.T) time.Duration { t.Helper(); return s.Stop(t) }

// kill ends the process with SIGKILL, as a crash would.
func (s *server) kill() { s.Kill() }

// response is a fully read HTTP answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends one request; token "" sends no Authorization header.
func (s *server) do(t *testing.T, method, path, token string, body []byte) *response {
	t.Helper()
	return s.request(t, method, path, token, body, nil)
}

// doWith sends one request without a body and with extra headers.
func (s *server) doWith(t *testing.T, method, path, token string, headers map[string]string) *response {
	t.Helper()
	return s.request(t, method, path, token, nil, headers)
}

func (s *server) request(t *testing.T, method, path, token string, body []byte, headers map[string]string) *response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil && (bytes.HasPrefix(body, []byte("{")) || bytes.HasPrefix(body, []byte("["))) {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}
