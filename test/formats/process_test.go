package formats

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// processZip runs an export synchronously (returnZip=true) and returns the
// ZIP.
func (p *project) processZip(t *testing.T, kind string, query ...string) []byte {
	t.Helper()
	q := strings.Join(append([]string{"returnZip=true"}, query...), "&")
	resp := p.s.call(t, "POST", p.path("/process/%s?%s", kind, q), nil, 200, nil)
	if ct := resp.Header.Get("Content-Type"); ct != "application/zip" {
		t.Errorf("process/%s?returnZip=true: Content-Type %q, want application/zip", kind, ct)
	}
	return resp.Body
}

// processAsync runs an export as a job, polls its status until it ends and
// downloads the result.
func (p *project) processAsync(t *testing.T, kind string) []byte {
	t.Helper()
	var started struct {
		JobID      int64  `json:"jobId"`
		DownloadID string `json:"downloadId"`
		StatusURL  string `json:"statusUrl"`
	}
	p.s.call(t, "POST", p.path("/process/%s", kind), nil, 202, &started)
	if started.JobID == 0 || started.DownloadID != fmt.Sprint(started.JobID) {
		t.Fatalf("process/%s answered job %d, download %q", kind, started.JobID, started.DownloadID)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var job struct {
			Status string `json:"status"`
			Error  string `json:"error"`
			Size   int    `json:"size"`
			SHA256 string `json:"sha256"`
		}
		p.s.call(t, "GET", p.path("/process/jobs/%d", started.JobID), nil, 200, &job)
		switch job.Status {
		case "done":
			resp := p.s.call(t, "GET", p.path("/downloads/%s", started.DownloadID), nil, 200, nil)
			if len(resp.Body) != job.Size {
				t.Errorf("download %s: %d bytes, job says size %d", started.DownloadID, len(resp.Body), job.Size)
			}
			if sum := fmt.Sprintf("%x", sha256.Sum256(resp.Body)); sum != job.SHA256 || resp.Header.Get("ETag") != `"`+sum+`"` {
				t.Errorf("download %s: sha256 %s, job says %s, ETag %s", started.DownloadID, sum, job.SHA256, resp.Header.Get("ETag"))
			}
			return resp.Body
		case "queued", "running":
		default:
			t.Fatalf("process/%s job %d ended %s: %s", kind, started.JobID, job.Status, job.Error)
		}
		if time.Now().After(deadline) {
			t.Fatalf("process/%s job %d still %s after 30s", kind, started.JobID, job.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// unzip reads every entry of an export and writes it below dir, so that
// command-line consumers can read it; it returns the entries by name.
func unzip(t *testing.T, data []byte, dir string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("reading the export ZIP: %v", err)
	}
	if keep := os.Getenv("TOLK_FORMATS_KEEP"); keep != "" {
		// Keep the exports for a look after the run.
		writeFile(t, filepath.Join(keep, filepath.Base(dir)+".zip"), data)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := files[f.Name]; dup {
			t.Errorf("ZIP holds %s twice", f.Name)
		}
		files[f.Name] = readEntry(t, f)
		disk := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(disk), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(disk, files[f.Name], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

func readEntry(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatalf("opening ZIP entry %s: %v", f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading ZIP entry %s: %v", f.Name, err)
	}
	return data
}

// checkNames compares the ZIP's entries with the expected paths.
func checkNames(t *testing.T, kind string, files map[string][]byte, want map[string]bool) {
	t.Helper()
	for name := range want {
		if _, ok := files[name]; !ok {
			t.Errorf("%s ZIP lacks %s", kind, name)
		}
	}
	for name := range files {
		if !want[name] {
			t.Errorf("%s ZIP holds unexpected %s", kind, name)
		}
	}
}
