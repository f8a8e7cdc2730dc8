package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/api"
	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/blob"
	_ "github.com/tolk-l10n/tolk/internal/format/all"
	"github.com/tolk-l10n/tolk/internal/jobs"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/store/sqlite"
)

const adminToken = "test-admin"

// nopNotifier stands in for Socket.IO, which these tests do not cover (the
// end-to-end tests in test/e2e do, with real clients).
type nopNotifier struct{}

func (nopNotifier) JobEnded(store.Job)         {}
func (nopNotifier) JobProgress(store.Job, any) {}
func (nopNotifier) Watch(store.Job, string)    {}

// server starts the real API on a real SQLite file with a working job
// runner.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlite.Open(ctx, filepath.Join(dir, "tolk.db"), logger)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"), logger)
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(ctx, jobs.Config{Workers: 1}, st, blobs, nopNotifier{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	authn := auth.NewAuthenticator(auth.Hash(adminToken), st)
	srv := httptest.NewServer(api.New(api.Config{Tenant: "127_0_0_1", TempDir: dir}, st, runner, blobs, authn, nil, logger))
	t.Cleanup(func() {
		srv.Close()
		stopCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		_ = runner.Stop(stopCtx)
		cancel()
		st.Close()
	})
	return srv
}

type client struct {
	t     *testing.T
	base  string
	token string
	spec  *openAPI
}

// do sends a request and checks the answer against the OpenAPI document.
func (c *client) do(method, path string, body []byte, want int) map[string]any {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	if c.spec != nil {
		c.spec.checkResponse(c.t, method, path, resp, data)
	}
	var m map[string]any
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && len(data) > 0 && data[0] == '{' {
		_ = json.Unmarshal(data, &m)
	}
	return m
}

func corpus(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", rel))
	if err != nil {
		t.Skipf("corpus not beside the checkout: %v", err)
	}
	return b
}

func TestFlow(t *testing.T) {
	srv := server(t)
	c := &client{t: t, base: srv.URL, token: adminToken, spec: loadOpenAPI(t)}
	en := corpus(t, "json-nested/excalidraw/packages/excalidraw/locales/en.json")
	de := corpus(t, "json-nested/excalidraw/packages/excalidraw/locales/de-DE.json")

	p := c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de-DE","ja-JP"]}`), 201)
	if p["id"] != 1.0 || p["pseudoLocale"] != "qps-ploc" {
		t.Fatalf("project = %v", p)
	}
	tok := c.do("POST", "/api/projects/1/tokens", []byte(`{"name":"ci","permissions":["upload-workspace","download-translations"]}`), 201)
	c.do("PUT", "/api/projects/1/targetrules/TR_json", []byte(`{"rule":"$(sourceFilePath)/$(targetLocale)$(sourceFileExt)"}`), 200)
	up := c.do("PUT", "/api/projects/1/files/main?path=locales/en.json&parser=json&targetRule=TR_json", en, 201)
	if up["strings"] != 610.0 {
		t.Errorf("strings = %v, want 610", up["strings"])
	}
	c.do("PUT", "/api/projects/1/files/main?path=locales/en.json", en, 200)
	tr := c.do("PUT", "/api/projects/1/files/main/translations/de-DE", de, 200)
	if tr["stored"] != 594.0 || tr["untranslated"] != 12.0 {
		t.Errorf("translation upload = %v, want 594 stored and 12 untranslated (empty in the corpus)", tr)
	}
	c.do("GET", "/api/projects/1/strings?locale=de-DE&limit=5", nil, 200)
	c.do("GET", "/api/projects/1/files", nil, 200)
	c.do("GET", "/api/projects/1/files/main/settings", nil, 200)
	c.do("PUT", "/api/projects/1/files/main/settings", []byte(`{"writeReviewed":false}`), 200)
	c.do("GET", "/api/projects/1/targetrules", nil, 200)
	c.do("GET", "/api/projects", nil, 200)

	acc := c.do("POST", "/api/projects/1/process/targets?locales=de-DE", nil, 202)
	job := waitJob(t, c, acc["statusUrl"].(string))
	if job["status"] != "done" {
		t.Fatalf("job = %v", job)
	}
	c.do("GET", job["url"].(string), nil, 200)
	c.do("DELETE", acc["statusUrl"].(string), nil, 200)

	// A project token works on its project and is refused elsewhere.
	ci := &client{t: t, base: srv.URL, token: tok["token"].(string), spec: c.spec}
	ci.do("POST", "/api/projects/1/process/targets", nil, 202)
	ci.do("POST", "/api/projects/1/process/sources", nil, 403)
	ci.do("POST", "/api/projects", []byte(`{"name":"x","sourceLocale":"en"}`), 403)
	c.do("POST", "/api/projects", []byte(`{"name":"other","sourceLocale":"en","targetLocales":["fr"]}`), 201)
	ci.do("GET", "/api/projects/2", nil, 403)
	anon := &client{t: t, base: srv.URL, spec: c.spec}
	anon.do("GET", "/api/projects/1", nil, 401)
}

func waitJob(t *testing.T, c *client, url string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		j := c.do("GET", url, nil, 200)
		if s := j["status"].(string); s != "queued" && s != "running" {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("job %s did not end", url)
	return nil
}

// TestErrors checks that refusals are problems that say what and where, and
// that a refused upload leaves the project as it was.
func TestErrors(t *testing.T) {
	srv := server(t)
	c := &client{t: t, base: srv.URL, token: adminToken, spec: loadOpenAPI(t)}
	c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de-DE"]}`), 201)
	c.do("PUT", "/api/projects/1/files/main?path=en.json&parser=json", []byte(`{"a": "A"}`), 201)

	bad := c.do("PUT", "/api/projects/1/files/main?path=en.json&parser=json", []byte("{\n  \"a\": \"A\",\n  \"b\" \"B\"\n}"), 400)
	if bad["file"] != "en.json" || bad["line"] != 3.0 || bad["column"] == nil {
		t.Errorf("parse error = %v, want file en.json, line 3 and a column", bad)
	}
	page := c.do("GET", "/api/projects/1/strings", nil, 200)
	if page["total"] != 1.0 {
		t.Errorf("a refused upload changed the project: %v", page)
	}
	c.do("PUT", "/api/projects/1/files/x?path=../x.json&parser=json", []byte(`{}`), 400)
	c.do("PUT", "/api/projects/1/files/x?path=x.json&parser=nope", []byte(`{}`), 400)
	c.do("PUT", "/api/projects/1/targetrules/TR", []byte(`{"rule":"$(nope)"}`), 400)
	c.do("POST", "/api/projects/1/process/targets?locales=fr", nil, 400)
	c.do("POST", "/api/projects/1/process/nothing", nil, 404)
	c.do("GET", "/api/projects/1/downloads/99", nil, 404)
	(&client{t: t, base: srv.URL, token: adminToken}).do("GET", "/api/nowhere", nil, 404)
	c.do("POST", "/api/projects", []byte(`{"name":"x","sourceLocale":"en us"}`), 400)
}

func TestIdempotencyKey(t *testing.T) {
	srv := server(t)
	c := &client{t: t, base: srv.URL, token: adminToken, spec: loadOpenAPI(t)}
	c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de-DE","fr"]}`), 201)
	c.do("PUT", "/api/projects/1/files/main?path=en.json&parser=json", []byte(`{"a": "A"}`), 201)
	post := func(query, key string, want int) map[string]any {
		req, _ := http.NewRequest("POST", srv.URL+"/api/projects/1/process/targets"+query, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		if resp.StatusCode != want {
			t.Fatalf("POST %s with key %s = %d, want %d: %v", query, key, resp.StatusCode, want, m)
		}
		return m
	}
	first := post("?locales=de-DE", "k1", 202)
	waitJob(t, c, first["statusUrl"].(string))
	if again := post("?locales=de-DE", "k1", 202); again["jobId"] != first["jobId"] {
		t.Errorf("a retry with the same key made job %v, want %v", again["jobId"], first["jobId"])
	}
	post("?locales=fr", "k1", 422)
	if other := post("?locales=fr", "k2", 202); other["jobId"] == first["jobId"] {
		t.Error("a new key must make a new job")
	}
}

// TestTokenizedUpload checks that re-uploading the sources export (what a
// pipeline commits) stores the clean source, not the tokens.
func TestTokenizedUpload(t *testing.T) {
	srv := server(t)
	c := &client{t: t, base: srv.URL, token: adminToken, spec: loadOpenAPI(t)}
	c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de"]}`), 201)
	src := []byte("{\n  \"a\": \"Open\",\n  \"b\": {\"c\": \"Close {{x}}\"}\n}\n")
	c.do("PUT", "/api/projects/1/files/main?path=en.json&parser=json", src, 201)
	zipped := c.raw("POST", "/api/projects/1/process/sources?returnZip=true")
	tokenized := unzipOne(t, zipped, "en.json")
	if !strings.Contains(string(tokenized), "\u206A") {
		t.Fatalf("sources export has no tokens: %s", tokenized)
	}
	up := c.do("PUT", "/api/projects/1/files/main", tokenized, 200)
	if up["changed"] != 0.0 || up["added"] != 0.0 {
		t.Errorf("re-uploading the tokenized file changed strings: %v", up)
	}
	if again := c.raw("POST", "/api/projects/1/process/targets?returnZip=true"); string(unzipOne(t, again, "de.json")) != string(src) {
		t.Errorf("target after the tokenized upload = %q, want the clean source", unzipOne(t, again, "de.json"))
	}
}

func (c *client) raw(method, path string) []byte {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		c.t.Fatalf("%s %s = %d: %s", method, path, resp.StatusCode, b)
	}
	return b
}

func unzipOne(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return b
		}
	}
	t.Fatalf("%s not in the archive", name)
	return nil
}

// TestEverythingIsJSON checks that no answer is one of the mux's text pages.
func TestEverythingIsJSON(t *testing.T) {
	srv := server(t)
	c := &client{t: t, base: srv.URL, token: adminToken}
	c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de-DE"]}`), 201)
	c.do("PUT", "/api/projects/1/files/main?path=en.json&parser=json", []byte(`{"a": "A"}`), 201)
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/nothing", 404, ""},
		{"PATCH", "/healthz", 405, "GET, HEAD"},
		{"DELETE", "/api/projects", 405, "POST, GET"},
		{"POST", "/api/projects/1/files/main", 405, "PUT"},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/problem+json" || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s = %d %q Allow %q; want %d problem+json Allow %q", tc.method, tc.path,
				resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Allow"), tc.status, tc.allow)
		}
	}
	// Locales are matched as BCP 47 does, ignoring case.
	acc := c.do("POST", "/api/projects/1/process/targets?locales=de-de", nil, 202)
	if j := waitJob(t, c, acc["statusUrl"].(string)); j["params"].(map[string]any)["locales"].([]any)[0] != "de-DE" {
		t.Errorf("params = %v, want the project's spelling de-DE", j["params"])
	}
	c.do("POST", "/api/projects/1/process/targets?fileIds=nope", nil, 400)
}

func TestCORSPreflight(t *testing.T) {
	srv := server(t)
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/api/projects/1/process/targets", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight = %d %v", resp.StatusCode, resp.Header)
	}
}

// TestTranslationImportCleans checks that tokens never become translations
// and that skipIdentical keeps a downloaded target's source texts out.
func TestTranslationImportCleans(t *testing.T) {
	srv := server(t)
	c := &client{t: t, base: srv.URL, token: adminToken, spec: loadOpenAPI(t)}
	c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de"]}`), 201)
	c.do("PUT", "/api/projects/1/files/main?path=en.json&parser=json", []byte(`{"a": "Open", "b": "Link"}`), 201)
	tokenized := unzipOne(t, c.raw("POST", "/api/projects/1/process/sources?returnZip=true"), "en.json")
	// A translator copied the tokenized source and translated one string.
	tr := strings.Replace(string(tokenized), "Open", "Öffnen", 1)
	if got := c.do("PUT", "/api/projects/1/files/main/translations/de?skipIdentical=true", []byte(tr), 200); got["stored"] != 1.0 || got["untranslated"] != 1.0 {
		t.Errorf("import = %v, want 1 stored (a) and 1 skipped as identical (b)", got)
	}
	page := c.do("GET", "/api/projects/1/strings?locale=de", nil, 200)
	for _, it := range page["items"].([]any) {
		item := it.(map[string]any)
		if tr, ok := item["translation"].(string); ok && strings.ContainsAny(tr, "\u206A\u200B\u200C\u200D") {
			t.Errorf("%v: translation keeps token characters: %q", item["key"], tr)
		}
	}
	if got := c.do("PUT", "/api/projects/1/files/main/translations/de", []byte(`{"a": "Öffnen", "b": "Link"}`), 200); got["stored"] != 2.0 {
		t.Errorf("by default an identical text is a translation: %v", got)
	}
}

func TestPathsAndRanges(t *testing.T) {
	srv := server(t)
	c := &client{t: t, base: srv.URL, token: adminToken, spec: loadOpenAPI(t)}
	c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de","DE"]}`), 400)
	c.do("POST", "/api/projects", []byte(`{"name":"web","sourceLocale":"en","targetLocales":["de"]}`), 201)
	for _, bad := range []string{"C:/x.json", "a%0Ab.json", "%E2%80%AEnosj.exe"} {
		c.do("PUT", "/api/projects/1/files/x?parser=json&path="+bad, []byte(`{}`), 400)
	}
	c.do("PUT", "/api/projects/1/files/one?parser=json&path=a/b.json", []byte(`{"k":"v"}`), 201)
	c.do("PUT", "/api/projects/1/files/two?parser=json&path=a/b.json", []byte(`{"k":"v"}`), 409)
	c.do("PUT", "/api/projects/1/files/two?parser=json&path=a/b.json/c.json", []byte(`{"k":"v"}`), 201)
	if p := c.do("POST", "/api/projects/1/process/sources?returnZip=true", nil, 422); !strings.Contains(p["detail"].(string), "both a file and the folder") {
		t.Errorf("detail = %v", p["detail"])
	}
	c.do("PUT", "/api/projects/1/files/two?path=c.json", []byte(`{"k":"v"}`), 200)
	acc := c.do("POST", "/api/projects/1/process/sources", nil, 202)
	job := waitJob(t, c, acc["statusUrl"].(string))
	req, _ := http.NewRequest("GET", srv.URL+job["url"].(string), nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Range", "bytes=999999-")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 416 || resp.Header.Get("Content-Type") != "application/problem+json" || resp.Header.Get("Content-Disposition") != "" {
		t.Errorf("range past the end = %d %q, disposition %q; want a 416 problem, no attachment",
			resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
}
