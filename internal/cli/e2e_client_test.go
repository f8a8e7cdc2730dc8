package cli

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const e2eAdminToken = "admin-secret"

// corpusProject finds the excalidraw project of the shared corpus, laid
// out as in its repository: under $TOLK_CORPUS (the corpus folder) first,
// else beside the checkout. Without it the test is skipped, unless $CI is
// set: then it fails.
func corpusProject(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, root := range []string{os.Getenv("TOLK_CORPUS"), filepath.Join("..", "..", "..", "shared", "corpus")} {
		if root == "" {
			continue
		}
		d := filepath.Join(root, "json-nested", "excalidraw")
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		tried = append(tried, d)
	}
	msg := "corpus not found (tried " + strings.Join(tried, ", ") + "); set TOLK_CORPUS to the corpus folder"
	if os.Getenv("CI") == "" {
		t.Skip(msg)
	}
	t.Fatal(msg)
	return ""
}

// startTolkServer builds cmd/tolk and starts `tolk serve` on a free
// 127.0.0.1 port with a fresh data folder. A build failure skips the test
// when CI is unset and fails it in CI.
func startTolkServer(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "tolk")
	build := exec.Command("go", "build", "-o", bin, "./cmd/tolk")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("the server does not build, end-to-end test skipped: %v\n%s", err, out)
		}
		t.Fatalf("go build ./cmd/tolk: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data", t.TempDir())
	cmd.Env = append(os.Environ(), "TOLK_ADMIN_TOKEN="+e2eAdminToken, "TOLK_LOG_LEVEL=warn")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	url := "http://" + addr
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
	}
	t.Fatalf("tolk serve on %s not healthy within 20s", addr)
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// tolk runs a client mode in process and returns its exit code, stdout and
// stderr.
func tolk(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(args, &stdout, &stderr)
	t.Logf("tolk %s: exit %d in %v", args[0], code, time.Since(start).Round(time.Millisecond))
	return code, stdout.String(), stderr.String()
}

func mustTolk(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := tolk(t, args...)
	if code != ExitOK {
		t.Fatalf("tolk %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// copyTree copies the corpus project into a temporary repository.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatalf("copying the corpus project: %v", err)
	}
}

// TestClientModesE2E drives the CLI against a real server on the
// excalidraw corpus project laid out as a repository: admin modes, upload,
// a skipped second upload, align, download, pseudo, and exit codes.
func TestClientModesE2E(t *testing.T) {
	corpus := corpusProject(t)
	server := startTolkServer(t)
	admin := []string{"-server", server, "-admin-token", e2eAdminToken}

	// Administration.
	idText := mustTolk(t, append([]string{"projects", "create"}, append(admin, "-name", "excalidraw", "-source", "en", "-targets", "de-DE,ja-JP")...)...)
	project, err := strconv.ParseInt(strings.TrimSpace(idText), 10, 64)
	if err != nil {
		t.Fatalf("projects create printed %q", idText)
	}
	var list struct {
		OK       bool
		Projects []struct {
			ID   int64
			Name string
		}
	}
	if err := json.Unmarshal([]byte(mustTolk(t, append([]string{"projects", "list", "-json"}, admin...)...)), &list); err != nil || !list.OK || len(list.Projects) != 1 || list.Projects[0].ID != project {
		t.Fatalf("projects list -json: %+v, %v", list, err)
	}
	secret := strings.TrimSpace(mustTolk(t, append([]string{"tokens", "create"}, append(admin, "-project", idText[:len(idText)-1], "-name", "ci",
		"-permissions", "settings,upload-workspace,download-workspace,upload-translations,download-translations,tokenize")...)...))
	mustTolk(t, append([]string{"rules", "set"}, append(admin, "--project", strconv.FormatInt(project, 10), "--id", "TR_json", "--rule", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)")...)...)
	work := t.TempDir()
	tokenFile := filepath.Join(work, "token")
	if err := os.WriteFile(tokenFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	projectURL := server + "/projects/" + strconv.FormatInt(project, 10)
	auth := []string{"-url", projectURL, "-token", tokenFile}

	// The repository and its manifest.
	repo := filepath.Join(work, "repo")
	copyTree(t, corpus, repo)
	en := filepath.Join(repo, "packages", "excalidraw", "locales", "en.json")
	original, _ := os.ReadFile(en)
	manifest := filepath.Join(work, "manifest.json")
	_ = os.WriteFile(manifest, []byte(`[{"filepath":"packages/excalidraw/locales/en.json","fileId":"en","parserId":"json","targetRule":"TR_json"}]`), 0o644)

	t.Run("upload", func(t *testing.T) {
		out := mustTolk(t, append([]string{"upload", "-repo", repo, "-manifest", manifest}, auth...)...)
		tokenized, _ := os.ReadFile(en)
		if bytes.Equal(tokenized, original) || !bytes.Contains(tokenized, []byte("\u206a\u206a\u206a")) {
			t.Errorf("en.json not replaced by its tokenized form (%s)", out)
		}
		if _, err := os.Stat(filepath.Join(repo, ".tolk", "upload.sha256")); err != nil {
			t.Error("no checksum stored")
		}
		out = mustTolk(t, append([]string{"upload", "-repo", repo, "-manifest", manifest}, auth...)...)
		if strings.TrimSpace(out) != "nothing changed since the last upload; skipped" {
			t.Errorf("second upload: %q", out)
		}
		again, _ := os.ReadFile(en)
		if !bytes.Equal(again, tokenized) {
			t.Error("the skipped upload changed en.json")
		}
	})

	t.Run("align", func(t *testing.T) {
		list := filepath.Join(repo, "targets.txt")
		_ = os.WriteFile(list, []byte("# translations\npackages/excalidraw/locales/de-DE.json\npackages/excalidraw/locales/ja-JP.json\n"), 0o644)
		var res struct {
			OK     bool
			Stored int
			Files  []struct{ Locale string }
		}
		out := mustTolk(t, append([]string{"align", "-targetfiles", list, "-json", "-alignstate", "translated"}, auth...)...)
		if err := json.Unmarshal([]byte(out), &res); err != nil || !res.OK || len(res.Files) != 2 || res.Stored < 1000 {
			t.Errorf("align result %s (%v)", out, err)
		}
		_ = os.WriteFile(list, []byte("packages/excalidraw/locales/fr-FR.json\n"), 0o644)
		if code, _, _ := tolk(t, append([]string{"align", "-targetfiles", list}, auth...)...); code != ExitBadInput {
			t.Errorf("align of an unmatched file: exit %d, want %d", code, ExitBadInput)
		}
	})

	t.Run("download", func(t *testing.T) {
		dir := filepath.Join(work, "targets")
		mustTolk(t, append([]string{"download", "-targetfolder", dir, "-locales", "de-DE,ja-JP"}, auth...)...)
		ja, err := os.ReadFile(filepath.Join(dir, "packages", "excalidraw", "locales", "ja-JP.json"))
		if err != nil || !bytes.Contains(ja, []byte("貼り付け")) {
			t.Errorf("ja-JP.json missing or without the aligned Japanese: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "packages", "excalidraw", "locales", "de-DE.json")); err != nil {
			t.Error(err)
		}
	})

	t.Run("pseudo", func(t *testing.T) {
		dir := filepath.Join(work, "pseudo")
		out := mustTolk(t, append([]string{"pseudo", "--targetfolder", dir, "--json"}, auth...)...)
		var res struct {
			OK    bool
			Files []string
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || !res.OK || len(res.Files) != 1 {
			t.Fatalf("pseudo result %s", out)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(res.Files[0]))); err != nil {
			t.Error(err)
		}
	})

	t.Run("upload redoes deleted outputs", func(t *testing.T) {
		out := filepath.Join(work, "out-sources")
		args := append([]string{"upload", "-repo", repo, "-manifest", manifest, "-targetfolder", out, "-force"}, auth...)
		mustTolk(t, args...)
		args = args[:len(args)-len(auth)-1] // without -force
		args = append(args, auth...)
		if got := strings.TrimSpace(mustTolk(t, args...)); got != "nothing changed since the last upload; skipped" {
			t.Errorf("second upload: %q", got)
		}
		if err := os.RemoveAll(out); err != nil {
			t.Fatal(err)
		}
		if got := mustTolk(t, args...); strings.Contains(got, "skipped") {
			t.Errorf("upload after deleting its output: %q", got)
		}
		if _, err := os.Stat(filepath.Join(out, "packages", "excalidraw", "locales", "en.json")); err != nil {
			t.Errorf("the tokenized file was not written again: %v", err)
		}
	})

	t.Run("symlinks outside are refused", func(t *testing.T) {
		secretFile := filepath.Join(work, "secret.json")
		_ = os.WriteFile(secretFile, []byte(`{"password":"hunter2"}`), 0o644)
		repo3 := filepath.Join(work, "repo3")
		_ = os.MkdirAll(repo3, 0o755)
		if err := os.Symlink(secretFile, filepath.Join(repo3, "en.json")); err != nil {
			t.Skip("no symbolic links:", err)
		}
		m := filepath.Join(work, "manifest3.json")
		_ = os.WriteFile(m, []byte(`[{"filepath":"en.json","fileId":"secret","parserId":"json","targetRule":"TR_json"}]`), 0o644)
		if code, _, errOut := tolk(t, append([]string{"upload", "-repo", repo3, "-manifest", m, "-targetfolder", filepath.Join(work, "tok3")}, auth...)...); code != ExitBadInput {
			t.Errorf("upload of a link to a file outside the repository: exit %d, want %d (%s)", code, ExitBadInput, errOut)
		}
		dir, elsewhere := filepath.Join(work, "linked"), filepath.Join(work, "elsewhere")
		_ = os.MkdirAll(dir, 0o755)
		_ = os.MkdirAll(elsewhere, 0o755)
		_ = os.Symlink(elsewhere, filepath.Join(dir, "packages"))
		if code, _, errOut := tolk(t, append([]string{"download", "-targetfolder", dir}, auth...)...); code != ExitBadInput {
			t.Errorf("download through a link to a folder outside: exit %d, want %d (%s)", code, ExitBadInput, errOut)
		}
		if des, _ := os.ReadDir(elsewhere); len(des) != 0 {
			t.Errorf("download wrote through the link: %v", des)
		}
		list := filepath.Join(repo, "escape.txt")
		_ = os.WriteFile(list, []byte("../repo/packages/excalidraw/locales/de-DE.json\n"), 0o644)
		if code, _, errOut := tolk(t, append([]string{"align", "-targetfiles", list}, auth...)...); code != ExitBadInput || !strings.Contains(errOut, "outside the list's folder") {
			t.Errorf("align of a ../ path: exit %d, want %d (%s)", code, ExitBadInput, errOut)
		}
	})

	t.Run("unknown locale and duplicates", func(t *testing.T) {
		list := filepath.Join(repo, "dup.txt")
		_ = os.WriteFile(list, []byte("packages/excalidraw/locales/de-DE.json\npackages/excalidraw/locales/de-DE.json\n"), 0o644)
		var res struct {
			OK    bool
			Files []struct{ Locale string }
		}
		out := mustTolk(t, append([]string{"align", "-targetfiles", list, "-json"}, auth...)...)
		if err := json.Unmarshal([]byte(out), &res); err != nil || !res.OK || len(res.Files) != 1 {
			t.Errorf("align of a list naming a file twice: %s", out)
		}
		a, _, _ := tolk(t, append([]string{"align", "-targetfiles", list, "-locales", "fr-FR"}, auth...)...)
		d, _, _ := tolk(t, append([]string{"download", "-targetfolder", filepath.Join(work, "fr"), "-locales", "fr-FR"}, auth...)...)
		if a != ExitBadInput || d != ExitBadInput {
			t.Errorf("unknown locale: align exit %d, download exit %d, want %d for both", a, d, ExitBadInput)
		}
	})

	t.Run("local errors are not network errors", func(t *testing.T) {
		file := filepath.Join(work, "a-file")
		_ = os.WriteFile(file, nil, 0o644)
		code, _, errOut := tolk(t, append([]string{"download", "-targetfolder", filepath.Join(file, "sub")}, auth...)...)
		if code != ExitFailure {
			t.Errorf("download into a folder below a file: exit %d, want %d (%s)", code, ExitFailure, errOut)
		}
	})

	t.Run("exit codes", func(t *testing.T) {
		dir := filepath.Join(work, "x")
		cases := []struct {
			name string
			args []string
			want int
		}{
			{"bad token", []string{"download", "-targetfolder", dir, "-url", projectURL, "-token", "nope"}, ExitAuth},
			{"unknown project", []string{"download", "-targetfolder", dir, "-url", server + "/projects/9999", "-token", e2eAdminToken}, ExitNotFound},
			{"server down", []string{"download", "-targetfolder", dir, "-url", "http://" + freeAddr(t) + "/projects/1", "-token", "t"}, ExitUnavailable},
			{"missing option", []string{"download", "-url", projectURL, "-token", "t"}, ExitUsage},
			{"bad manifest", []string{"upload", "-repo", repo, "-manifest", tokenFile, "-url", projectURL, "-token", tokenFile}, ExitBadInput},
			{"admin with a project token", []string{"projects", "list", "-server", server, "-admin-token", secret}, ExitAuth},
		}
		for _, c := range cases {
			code, _, errOut := tolk(t, c.args...)
			if code != c.want {
				t.Errorf("%s: exit %d, want %d (%s)", c.name, code, c.want, errOut)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("failed downloads wrote %d entries", len(entries))
		}
	})

	t.Run("failed job", func(t *testing.T) {
		// For a file at the project root this rule climbs out of the project:
		// the server stores it (it is fine for files in folders) and the
		// targets job fails.
		mustTolk(t, append([]string{"rules", "set"}, append(admin, "-project", strconv.FormatInt(project, 10), "-id", "TR_up", "-rule", "$(sourceFilePath)/../$(targetLocale).json")...)...)
		repo2 := filepath.Join(work, "repo2")
		_ = os.MkdirAll(repo2, 0o755)
		_ = os.WriteFile(filepath.Join(repo2, "root.json"), original, 0o644)
		m := filepath.Join(work, "manifest2.json")
		_ = os.WriteFile(m, []byte(`[{"filepath":"root.json","fileId":"root","parserId":"json","targetRule":"TR_up"}]`), 0o644)
		mustTolk(t, append([]string{"upload", "-repo", repo2, "-manifest", m, "-targetfolder", filepath.Join(work, "tok2")}, auth...)...)
		code, _, errOut := tolk(t, append([]string{"download", "-targetfolder", filepath.Join(work, "t2")}, auth...)...)
		if code != ExitJobFailed || !strings.Contains(errOut, "outside") {
			t.Errorf("download with a rule escaping the project: exit %d, want %d; stderr %s", code, ExitJobFailed, errOut)
		}
	})
}
