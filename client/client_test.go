package client

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeServer answers a process request with job 7 and serves its status and
// download as the fields say.
type fakeServer struct {
	job         Job    // status answer
	downloadCT  string // Content-Type of the download
	downloadSt  int    // status of the download
	body        []byte // download body
	lastSocket  string
	statusCalls int
}

func (f *fakeServer) start(t *testing.T) *Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/projects/1/process/{kind}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			problem(w, http.StatusUnauthorized, "invalid token")
			return
		}
		f.lastSocket = r.Header.Get("X-Socket-Id")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"jobId":7,"downloadId":"7","status":"queued","event":"process_export_target","statusUrl":"/api/projects/1/process/jobs/7"}`))
	})
	mux.HandleFunc("GET /api/projects/1/process/jobs/7", func(w http.ResponseWriter, r *http.Request) {
		f.statusCalls++
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f.job)
	})
	mux.HandleFunc("GET /api/projects/1/downloads/7", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", f.downloadCT)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.body)))
		w.Header().Set("Content-Disposition", `attachment; filename="web-targets-7.zip"`)
		w.WriteHeader(f.downloadSt)
		_, _ = w.Write(f.body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, "tok", WithoutSocket(), WithPolling(0, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail})
}

func zipBytes(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func doneJob(body []byte) Job {
	sum := sha256.Sum256(body)
	return Job{JobID: 7, ProjectID: 1, Kind: "targets", Status: JobDone, DownloadID: "7",
		URL: "/api/projects/1/downloads/7", Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
}

func TestExportPollingWritesVerifiedZIP(t *testing.T) {
	body := zipBytes(t, map[string]string{"lang/de-DE.json": `{"a":"b"}`})
	f := &fakeServer{job: doneJob(body), downloadCT: "application/zip", downloadSt: 200, body: body}
	c := f.start(t)
	var out bytes.Buffer
	var stages []string
	res, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &out, Progress: func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), body) {
		t.Error("the written ZIP differs from the served one")
	}
	if res.JobID != 7 || res.Size != int64(len(body)) || res.SHA256 != f.job.SHA256 || res.FileName != "web-targets-7.zip" || res.Notified != "poll" {
		t.Errorf("result %+v", res)
	}
	if f.lastSocket != "" {
		t.Errorf("X-Socket-Id %q sent without a socket", f.lastSocket)
	}
	want := []string{StageConnecting, StageQueued, StageDownloading, StageDone}
	if strings.Join(stages, ",") != strings.Join(want, ",") {
		t.Errorf("stages %v, want %v", stages, want)
	}
}

func TestExportProblemJSONIsTypedError(t *testing.T) {
	f := &fakeServer{}
	c := f.start(t)
	c.token = "wrong"
	_, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &bytes.Buffer{}})
	var e *Error
	if !errors.As(err, &e) || e.Status != 401 || e.Detail != "invalid token" || e.Title != "Unauthorized" {
		t.Fatalf("got %v, want a 401 *Error", err)
	}
}

func TestProblemJSONFields(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"type":"about:blank","title":"Bad Request","status":400,"detail":"locales/en.json:12:5: invalid character","file":"locales/en.json","line":12,"column":5,"key":"menu.open"}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "tok")
	_, err := c.UploadFile(t.Context(), 1, FileUpload{FileID: "en", Path: "locales/en.json"}, strings.NewReader("{"))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *Error", err)
	}
	want := Error{Status: 400, Type: "about:blank", Title: "Bad Request", Detail: "locales/en.json:12:5: invalid character", File: "locales/en.json", Line: 12, Column: 5, Key: "menu.open"}
	if *e != want {
		t.Errorf("got %+v\nwant %+v", *e, want)
	}
}

func TestHTMLErrorPageIsNeverWrittenAsZIP(t *testing.T) {
	html := []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")
	for _, tc := range []struct {
		name   string
		status int
		ct     string
	}{
		{"error status", http.StatusBadGateway, "text/html"},
		{"200 with HTML", http.StatusOK, "text/html; charset=utf-8"},
		{"200 zip type but HTML body", http.StatusOK, "application/zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job := doneJob(html)
			job.Size, job.SHA256 = 0, "" // nothing announced: the body checks alone must refuse it
			f := &fakeServer{job: job, downloadCT: tc.ct, downloadSt: tc.status, body: html}
			c := f.start(t)
			dest := filepath.Join(t.TempDir(), "out.zip")
			if err := os.WriteFile(dest, []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := c.Export(t.Context(), 1, Targets, ExportOptions{File: dest})
			var e *Error
			if !errors.As(err, &e) || e.Status != tc.status {
				t.Fatalf("got %v, want *Error with status %d", err, tc.status)
			}
			if got, _ := os.ReadFile(dest); string(got) != "previous" {
				t.Errorf("destination overwritten with %q", got)
			}
			assertNoTemps(t, filepath.Dir(dest))
		})
	}
}

func TestIntegrityMismatch(t *testing.T) {
	body := zipBytes(t, map[string]string{"a.json": "{}"})
	for _, tc := range []struct {
		name string
		edit func(*Job)
		what string
	}{
		{"size", func(j *Job) { j.Size++ }, "size"},
		{"sha256", func(j *Job) { j.SHA256 = strings.Repeat("0", 64) }, "sha256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job := doneJob(body)
			tc.edit(&job)
			f := &fakeServer{job: job, downloadCT: "application/zip", downloadSt: 200, body: body}
			c := f.start(t)
			var out bytes.Buffer
			_, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &out})
			var ie *IntegrityError
			if !errors.As(err, &ie) || ie.What != tc.what {
				t.Fatalf("got %v, want an IntegrityError on %s", err, tc.what)
			}
			if out.Len() != 0 {
				t.Errorf("%d bytes written despite the mismatch", out.Len())
			}
		})
	}
}

func TestFailedJobCarriesServerMessage(t *testing.T) {
	f := &fakeServer{job: Job{JobID: 7, Status: JobFailed, Error: `target rule "../../$(targetLocale).json" resolves outside the project`}}
	c := f.start(t)
	_, err := c.Export(t.Context(), 1, Targets, ExportOptions{Writer: &bytes.Buffer{}})
	var je *JobError
	if !errors.As(err, &je) || je.JobID != 7 || je.Status != JobFailed || !strings.Contains(je.Message, "outside the project") {
		t.Fatalf("got %v, want a JobError with the server's message", err)
	}
}

func TestContextDeadlineReturnsPromptly(t *testing.T) {
	f := &fakeServer{job: Job{JobID: 7, Status: JobRunning}}
	c := f.start(t)
	c.pollMax = time.Hour // the deadline, not the next poll, must end the wait
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Export(ctx, 1, Targets, ExportOptions{Writer: &bytes.Buffer{}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned %v after the start, deadline was 300ms", d)
	}
}

func TestExportOptionsValidation(t *testing.T) {
	c, _ := New("http://127.0.0.1:1", "t")
	if _, err := c.Export(t.Context(), 1, Targets, ExportOptions{}); err == nil {
		t.Error("no output accepted")
	}
	if _, err := c.Export(t.Context(), 1, "bogus", ExportOptions{Writer: &bytes.Buffer{}}); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := New("ftp://x", "t"); err == nil {
		t.Error("ftp URL accepted")
	}
}

func TestTenantID(t *testing.T) {
	c, _ := New("https://acme.example.com:8443/", "t")
	if c.Tenant() != "acme_example_com" {
		t.Errorf("tenant %q", c.Tenant())
	}
	c, _ = New("http://127.0.0.1:8080", "t", WithTenant("other"))
	if c.Tenant() != "other" {
		t.Errorf("tenant override ignored: %q", c.Tenant())
	}
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tolk-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

func TestFileJSON(t *testing.T) {
	var fs []File
	if err := json.Unmarshal([]byte(`[{"id":"en","path":"a/en.json","parser":"json","targetRule":"TR"},{"fileId":"x","path":"x.json"}]`), &fs); err != nil {
		t.Fatal(err)
	}
	if fs[0].FileID != "en" || fs[0].Path != "a/en.json" || fs[0].TargetRule != "TR" || fs[1].FileID != "x" {
		t.Errorf("files %+v", fs)
	}
	var r FileResult
	if err := json.Unmarshal([]byte(`{"fileId":"en","path":"en.json","strings":610,"added":610,"changed":2,"removed":1}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.FileID != "en" || r.Strings != 610 || r.Added != 610 || r.Changed != 2 || r.Removed != 1 {
		t.Errorf("result %+v", r)
	}
}
