package formats

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/testserver"
)

// server is one running tolk process, with request helpers.
type server struct{ *testserver.Server }

// startServer starts tolk serve with a fresh data folder; see
// testserver.Start.
func startServer(t *testing.T) *server {
	t.Helper()
	return &server{testserver.Start(t, tolkBin, adminToken, "")}
}

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

var client = &http.Client{Timeout: 60 * time.Second}

// do sends one request with the admin token; body may be nil, []byte or a
// value encoded as JSON.
func (s *server) do(t *testing.T, method, path string, body any) response {
	t.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, contentType = bytes.NewReader(b), "application/octet-stream"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encoding %s %s body: %v", method, path, err)
		}
		rd, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// call sends a request, requires the status want and decodes a JSON answer
// into out (when out is not nil).
func (s *server) call(t *testing.T, method, path string, body any, want int, out any) response {
	t.Helper()
	resp := s.do(t, method, path, body)
	if resp.Status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.Status, want, clip(resp.Body))
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			t.Fatalf("%s %s: decoding %s: %v", method, path, clip(resp.Body), err)
		}
	}
	return resp
}

func clip(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}
