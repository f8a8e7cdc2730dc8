package client_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/client"
)

// excalidrawRel is the excalidraw project inside the shared corpus, laid
// out as in its repository.
var excalidrawRel = filepath.Join("json-nested", "excalidraw")

// corpusDir finds the excalidraw corpus project: under $TOLK_CORPUS (the
// corpus folder) first, else beside the checkout. Without it the test is
// skipped, unless $CI is set: then it fails.
func corpusDir(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, root := range []string{os.Getenv("TOLK_CORPUS"), filepath.Join("..", "..", "shared", "corpus")} {
		if root == "" {
			continue
		}
		d := filepath.Join(root, excalidrawRel)
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		tried = append(tried, d)
	}
	msg := fmt.Sprintf("corpus not found (tried %s); set TOLK_CORPUS to the corpus folder", strings.Join(tried, ", "))
	if os.Getenv("CI") == "" {
		t.Skip(msg)
	}
	t.Fatal(msg)
	return ""
}

const enPath = "packages/excalidraw/locales/en.json"

// project is a project on a started server, with a project token that has
// every permission.
type project struct {
	srv   *server
	id    int64
	token string
}

func allPermissions() []string {
	return []string{client.PermSettings, client.PermUploadWorkspace, client.PermDownloadWorkspace,
		client.PermUploadTranslations, client.PermDownloadTranslations, client.PermTokenize}
}

// setupProject creates the excalidraw project (en -> de-DE, ja-JP), its
// target rule, the source file and the German translation.
func setupProject(t *testing.T, s *server, rule, path string) project {
	t.Helper()
	ctx := testContext(t, 30*time.Second)
	admin, err := client.New(s.URL, adminToken)
	if err != nil {
		t.Fatal(err)
	}
	p, err := admin.CreateProject(ctx, client.ProjectCreate{Name: "excalidraw", SourceLocale: "en", TargetLocales: []string{"de-DE", "ja-JP"}})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := admin.CreateToken(ctx, p.ID, "ci", allPermissions())
	if err != nil {
		t.Fatal(err)
	}
	c, _ := client.New(s.URL, tok.Secret)
	if _, err := c.SetTargetRule(ctx, p.ID, "TR_json", rule); err != nil {
		t.Fatal(err)
	}
	en := readCorpus(t, enPath)
	res, err := c.UploadFile(ctx, p.ID, client.FileUpload{FileID: "en", Path: path, Parser: "json", TargetRule: "TR_json"}, bytes.NewReader(en))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Strings == 0 {
		t.Errorf("upload result %+v", res)
	}
	de := readCorpus(t, "packages/excalidraw/locales/de-DE.json")
	if _, err := c.UploadTranslation(ctx, p.ID, "en", "de-DE", "translated", bytes.NewReader(de)); err != nil {
		t.Fatal(err)
	}
	return project{srv: s, id: p.ID, token: tok.Secret}
}

// testLogger sends the client's diagnostics to the test log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func readCorpus(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatalf("reading the corpus: %v", err)
	}
	return b
}

// zipFiles returns the entries of a ZIP, name -> content.
func zipFiles(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(rc)
		rc.Close()
		out[f.Name] = buf.String()
	}
	return out
}

func names(m map[string]string) string {
	var ns []string
	for n := range m {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return strings.Join(ns, ",")
}

const rule = "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)"

func TestE2EExports(t *testing.T) {
	s := startServer(t)
	p := setupProject(t, s, rule, enPath)
	c, _ := client.New(s.URL, p.token, client.WithLogger(testLogger(t)))
	ctx := testContext(t, 60*time.Second)

	t.Run("targets", func(t *testing.T) {
		var buf bytes.Buffer
		res, err := c.Export(ctx, p.id, client.Targets, client.ExportOptions{Writer: &buf, Locales: []string{"de-DE", "ja-JP"}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Notified != "socket" {
			t.Errorf("job end learnt by %q, want the socket event", res.Notified)
		}
		files := zipFiles(t, buf.Bytes())
		if got := names(files); got != "packages/excalidraw/locales/de-DE.json,packages/excalidraw/locales/ja-JP.json" {
			t.Fatalf("targets ZIP holds %s", got)
		}
		if !strings.Contains(files["packages/excalidraw/locales/de-DE.json"], `"Einfügen"`) {
			t.Error("German export lacks a German translation")
		}
	})
	t.Run("sources", func(t *testing.T) {
		var buf bytes.Buffer
		if _, err := c.Export(ctx, p.id, client.Sources, client.ExportOptions{Writer: &buf}); err != nil {
			t.Fatal(err)
		}
		files := zipFiles(t, buf.Bytes())
		if !strings.Contains(files[enPath], "\u206a\u206a\u206a") {
			t.Errorf("sources ZIP %s: no tokens in %s", names(files), enPath)
		}
	})
	t.Run("pseudo", func(t *testing.T) {
		dest := filepath.Join(t.TempDir(), "pseudo.zip")
		res, err := c.Export(ctx, p.id, client.Pseudo, client.ExportOptions{File: dest})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(dest)
		files := zipFiles(t, b)
		if !strings.EqualFold(names(files), "packages/excalidraw/locales/qps-ploc.json") || int64(len(b)) != res.Size {
			t.Errorf("pseudo ZIP holds %s (%d bytes, result %+v)", names(files), len(b), res)
		}
	})
}

// TestE2ETwoClientsSameProject: two clients export the same project at
// once; each must get the ZIP of its own job, not the other's.
func TestE2ETwoClientsSameProject(t *testing.T) {
	s := startServer(t)
	p := setupProject(t, s, rule, enPath)
	ctx := testContext(t, 60*time.Second)
	locales := []string{"de-DE", "ja-JP"}
	var wg sync.WaitGroup
	results := make([]*client.ExportResult, 2)
	bufs := make([]bytes.Buffer, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			c, _ := client.New(s.URL, p.token)
			results[i], errs[i] = c.Export(ctx, p.id, client.Targets, client.ExportOptions{Writer: &bufs[i], Locales: locales[i : i+1]})
		})
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("client %d: %v", i, errs[i])
		}
		want := "packages/excalidraw/locales/" + locales[i] + ".json"
		if got := names(zipFiles(t, bufs[i].Bytes())); got != want {
			t.Errorf("client %d asked for %s and got %s", i, locales[i], got)
		}
	}
	if results[0].JobID == results[1].JobID {
		t.Errorf("both clients got job %d", results[0].JobID)
	}

	// Identical requests may share one job on the server: both clients
	// must still receive its end, and the same ZIP.
	for i := range 2 {
		bufs[i].Reset()
		wg.Go(func() {
			c, _ := client.New(s.URL, p.token)
			results[i], errs[i] = c.Export(ctx, p.id, client.Pseudo, client.ExportOptions{Writer: &bufs[i]})
		})
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("identical request, client %d: %v", i, errs[i])
		}
	}
	if results[0].SHA256 != results[1].SHA256 || !bytes.Equal(bufs[0].Bytes(), bufs[1].Bytes()) {
		t.Errorf("identical requests got different ZIPs (jobs %d and %d)", results[0].JobID, results[1].JobID)
	}
	t.Logf("identical requests: jobs %d and %d, notified by %s and %s", results[0].JobID, results[1].JobID, results[0].Notified, results[1].Notified)
}

// TestE2ESocketDroppedMidWait cuts the socket as the POST passes, so the
// completion event is lost: the client must reconnect, re-join, and learn
// the job's end over HTTP.
func TestE2ESocketDroppedMidWait(t *testing.T) {
	s := startServer(t)
	p := setupProject(t, s, rule, enPath)
	px := startProxy(t, s.Addr)
	px.dropOnProcess = true
	noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	c, _ := client.New(px.URL, p.token, client.WithHTTPClient(noKeepAlive), client.WithTenant(client.TenantID("127.0.0.1")))
	var buf bytes.Buffer
	start := time.Now()
	res, err := c.Export(testContext(t, 60*time.Second), p.id, client.Targets, client.ExportOptions{Writer: &buf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Notified != "poll" {
		t.Errorf("job end learnt by %q; with the event lost it must be the status read after the re-join", res.Notified)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("export took %v: the reconnect should have caught up long before the safety poll", d)
	}
	if len(zipFiles(t, buf.Bytes())) != 2 {
		t.Error("incomplete ZIP")
	}
}

// TestE2EPollingFallback points the socket at a path the server does not
// serve: no socket can be opened, so the client polls.
func TestE2EPollingFallback(t *testing.T) {
	s := startServer(t)
	p := setupProject(t, s, rule, enPath)
	c, _ := client.New(s.URL, p.token, client.WithSocketPath("/no-socket-here/"))
	var buf bytes.Buffer
	res, err := c.Export(testContext(t, 60*time.Second), p.id, client.Sources, client.ExportOptions{Writer: &buf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Notified != "poll" {
		t.Errorf("Notified %q, want poll", res.Notified)
	}
	if _, ok := zipFiles(t, buf.Bytes())[enPath]; !ok {
		t.Error("sources ZIP without the source file")
	}
}

// TestE2EWrongTenant: the server refuses the join for another tenant; the
// export must still end, through the event sent to its socket or polling.
func TestE2EWrongTenant(t *testing.T) {
	s := startServer(t)
	p := setupProject(t, s, rule, enPath)
	c, _ := client.New(s.URL, p.token, client.WithTenant("acme_example_com"), client.WithLogger(testLogger(t)))
	var buf bytes.Buffer
	start := time.Now()
	if _, err := c.Export(testContext(t, 60*time.Second), p.id, client.Targets, client.ExportOptions{Writer: &buf}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("export took %v", d)
	}
	if len(zipFiles(t, buf.Bytes())) != 2 {
		t.Error("incomplete ZIP")
	}
}

// TestE2EFailedJob uses a target rule that, for a file at the project
// root, climbs out of the project: the job fails and the error carries the
// server's message.
func TestE2EFailedJob(t *testing.T) {
	s := startServer(t)
	p := setupProject(t, s, "$(sourceFilePath)/../$(targetLocale).json", "en.json")
	c, _ := client.New(s.URL, p.token)
	var buf bytes.Buffer
	_, err := c.Export(testContext(t, 60*time.Second), p.id, client.Targets, client.ExportOptions{Writer: &buf})
	var je *client.JobError
	if !errors.As(err, &je) {
		t.Fatalf("got %v, want a *client.JobError", err)
	}
	if je.Status != client.JobFailed || je.Message == "" || !strings.Contains(je.Message, "outside") {
		t.Errorf("job error %+v: want the server's message about the path outside the project", je)
	}
	if buf.Len() != 0 {
		t.Error("bytes written for a failed job")
	}
}

// TestE2EContextDeadline runs a server that builds no job (--workers 0):
// the export waits until the deadline and must return promptly then.
func TestE2EContextDeadline(t *testing.T) {
	s := startServer(t, "--workers", "0")
	p := setupProject(t, s, rule, enPath)
	c, _ := client.New(s.URL, p.token)
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Export(ctx, p.id, client.Targets, client.ExportOptions{Writer: &bytes.Buffer{}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2500*time.Millisecond {
		t.Errorf("returned after %v with a 1.5s deadline", d)
	}
}

// TestE2EErrors checks typed errors of the real server.
func TestE2EErrors(t *testing.T) {
	s := startServer(t)
	p := setupProject(t, s, rule, enPath)
	ctx := testContext(t, 30*time.Second)
	bad, _ := client.New(s.URL, "not-a-token")
	_, err := bad.Export(ctx, p.id, client.Targets, client.ExportOptions{Writer: &bytes.Buffer{}})
	var e *client.Error
	if !errors.As(err, &e) || e.Status != http.StatusUnauthorized {
		t.Errorf("bad token: got %v, want a 401 *client.Error", err)
	}
	c, _ := client.New(s.URL, p.token)
	_, err = c.UploadFile(ctx, p.id, client.FileUpload{FileID: "broken", Path: "broken.json", Parser: "json", TargetRule: "TR_json"}, strings.NewReader("{\n  \"a\": \"b\",\n  \"c\" }\n"))
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Line != 3 {
		t.Errorf("broken JSON upload: got %#v, want a 400 with line 3", err)
	}
	files, err := c.Files(ctx, p.id)
	if err != nil || len(files) != 1 || files[0].Path != enPath {
		t.Errorf("Files: %+v, %v", files, err)
	}
}
