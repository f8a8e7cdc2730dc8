package e2e

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// excalidrawDir holds the corpus: a nested i18next JSON source and
// its Crowdin translations.
const excalidrawDir = "json-nested/excalidraw/packages/excalidraw/locales"

var (
	allPermissions = []string{"settings", "upload-workspace", "download-workspace",
		"upload-translations", "download-translations", "tokenize"}
	targetLocales = []string{"de-DE", "ja-JP"}
)

// project is a project set up on a server, with a token holding every
// permission on it.
type project struct {
	ID    int64
	Token string
}

// readCorpus reads a corpus file; the corpus is never written.
func readCorpus(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Fatalf("reading the corpus (expected at ../shared/corpus beside the checkout): %v", err)
	}
	return data
}

// setupExcalidraw runs the setup: a project en -> de-DE, ja-JP, a
// full token, rule TR_json, locales/en.json uploaded as file "main" and both
// translations aligned.
func setupExcalidraw(t *testing.T, s *server, name string) project {
	t.Helper()
	p := createProject(t, s, name)
	p.putRule(t, s, "TR_json", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)")
	p.upload(t, s, "main", "locales/en.json", "TR_json", readCorpus(t, excalidrawDir+"/en.json"))
	for _, loc := range targetLocales {
		p.putTranslation(t, s, "main", loc, readCorpus(t, excalidrawDir+"/"+loc+".json"))
	}
	return p
}

// createProject creates a project as admin and a token with every permission.
func createProject(t *testing.T, s *server, name string) project {
	t.Helper()
	var created struct {
		ID            int64    `json:"id"`
		SourceLocale  string   `json:"sourceLocale"`
		TargetLocales []string `json:"targetLocales"`
		PseudoLocale  string   `json:"pseudoLocale"`
	}
	s.callJSON(t, "POST", "/api/projects", adminToken, map[string]any{
		"name": name, "sourceLocale": "en", "targetLocales": targetLocales,
	}, 201, &created)
	if created.ID == 0 || created.SourceLocale != "en" || len(created.TargetLocales) != 2 {
		t.Fatalf("POST /api/projects answered %+v", created)
	}
	if created.PseudoLocale != "qps-ploc" {
		t.Errorf("default pseudoLocale = %q, want qps-ploc (api.md)", created.PseudoLocale)
	}
	return project{ID: created.ID, Token: createToken(t, s, created.ID, allPermissions)}
}

func createToken(t *testing.T, s *server, projectID int64, perms []string) string {
	t.Helper()
	var tok struct {
		Token       string   `json:"token"`
		Permissions []string `json:"permissions"`
	}
	s.callJSON(t, "POST", fmt.Sprintf("/api/projects/%d/tokens", projectID), adminToken,
		map[string]any{"name": "e2e", "permissions": perms}, 201, &tok)
	if tok.Token == "" || len(tok.Permissions) != len(perms) {
		t.Fatalf("POST tokens answered %+v", tok)
	}
	return tok.Token
}

func (p project) path(format string, args ...any) string {
	return fmt.Sprintf("/api/projects/%d", p.ID) + fmt.Sprintf(format, args...)
}

func (p project) putRule(t *testing.T, s *server, id, rule string) {
	t.Helper()
	var got struct{ ID, Rule string }
	s.callJSON(t, "PUT", p.path("/targetrules/%s", id), p.Token, map[string]string{"rule": rule}, 200, &got)
	if got.ID != id || got.Rule != rule {
		t.Fatalf("PUT targetrules/%s answered %+v", id, got)
	}
}

func (p project) upload(t *testing.T, s *server, fileID, path, rule string, content []byte) {
	t.Helper()
	q := url.Values{"path": {path}, "parser": {"json"}, "targetRule": {rule}}
	resp := s.do(t, "PUT", p.path("/files/%s?%s", fileID, q.Encode()), p.Token, content)
	if resp.Status != 201 && resp.Status != 200 {
		t.Fatalf("PUT files/%s: status %d: %s", fileID, resp.Status, resp.Body)
	}
	var got struct {
		FileID  string `json:"fileId"`
		Path    string `json:"path"`
		Strings int    `json:"strings"`
	}
	decode(t, resp, &got)
	if got.FileID != fileID || got.Path != path || got.Strings == 0 {
		t.Fatalf("PUT files/%s answered %s", fileID, resp.Body)
	}
}

func (p project) putTranslation(t *testing.T, s *server, fileID, locale string, content []byte) {
	t.Helper()
	resp := s.do(t, "PUT", p.path("/files/%s/translations/%s", fileID, locale), p.Token, content)
	if resp.Status != 200 {
		t.Fatalf("PUT translations/%s: status %d: %s", locale, resp.Status, resp.Body)
	}
	var got struct {
		Stored       *int `json:"stored"`
		Untranslated *int `json:"untranslated"`
	}
	decode(t, resp, &got)
	if got.Stored == nil || *got.Stored == 0 || got.Untranslated == nil {
		t.Fatalf("PUT translations/%s answered %s", locale, resp.Body)
	}
}

// callJSON sends body as JSON, requires status want and decodes the answer
// into out (when not nil).
func (s *server) callJSON(t *testing.T, method, path, token string, body any, want int, out any) *response {
	t.Helper()
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	resp := s.do(t, method, path, token, data)
	if resp.Status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.Status, want, resp.Body)
	}
	if out != nil {
		decode(t, resp, out)
	}
	return resp
}

func decode(t *testing.T, resp *response, out any) {
	t.Helper()
	if err := json.Unmarshal(resp.Body, out); err != nil {
		t.Fatalf("decoding %q: %v", resp.Body, err)
	}
}

// checkProblem requires an RFC 9457 problem answer with status want and a
// detail.
func checkProblem(t *testing.T, what string, resp *response, want int) {
	t.Helper()
	if resp.Status != want {
		t.Errorf("%s: status %d, want %d: %s", what, resp.Status, want, resp.Body)
		return
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "application/problem+json" {
		t.Errorf("%s: Content-Type %q, want application/problem+json", what, resp.Header.Get("Content-Type"))
	}
	var p struct {
		Status int    `json:"status"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(resp.Body, &p); err != nil {
		t.Errorf("%s: body is not JSON: %q", what, resp.Body)
		return
	}
	if p.Status != want || p.Detail == "" || p.Title == "" {
		t.Errorf("%s: problem %s lacks status %d, title or detail", what, resp.Body, want)
	}
}
