package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/client"
)

func TestParseProjectURL(t *testing.T) {
	tests := []struct {
		in, server string
		id         int64
	}{
		{"http://127.0.0.1:8080/projects/12", "http://127.0.0.1:8080", 12},
		{"https://l10n.example.com/projects/3/", "https://l10n.example.com", 3},
		{"http://h/tolk/api/projects/7", "http://h/tolk", 7},
	}
	for _, tt := range tests {
		s, id, err := parseProjectURL(tt.in)
		if err != nil || s != tt.server || id != tt.id {
			t.Errorf("parseProjectURL(%q) = %q, %d, %v", tt.in, s, id, err)
		}
	}
	for _, bad := range []string{"", "http://h/projects/", "http://h/projects/x", "http://h/p/1", "/projects/1", "http://h/projects/-1"} {
		if _, _, err := parseProjectURL(bad); exitCode(err) != ExitUsage {
			t.Errorf("parseProjectURL(%q): %v, want a usage error", bad, err)
		}
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{&client.Error{Status: 401}, ExitAuth},
		{fmt.Errorf("wrapped: %w", &client.Error{Status: 403}), ExitAuth},
		{&client.Error{Status: 404}, ExitNotFound},
		{&client.Error{Status: 400}, ExitBadInput},
		{&client.Error{Status: 413}, ExitBadInput},
		{&client.Error{Status: 503}, ExitUnavailable},
		{&client.Error{Status: 200, Title: "Not a ZIP"}, ExitFailure},
		{&client.JobError{JobID: 1, Status: "failed"}, ExitJobFailed},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, ExitUnavailable},
		{context.DeadlineExceeded, ExitUnavailable},
		{usageErr{errors.New("x")}, ExitUsage},
		{inputErr{errors.New("x")}, ExitBadInput},
		{authErr{errors.New("x")}, ExitAuth},
		{&client.IntegrityError{What: "size"}, ExitFailure},
		{errors.New("other"), ExitFailure},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestMatchRulePath(t *testing.T) {
	cands := map[string]alignTarget{
		"web/locales/de-DE.json": {fileID: "en", locale: "de-DE"},
		"web/locales/ja-JP.json": {fileID: "en", locale: "ja-JP"},
		"app/locales/de-DE.json": {fileID: "app", locale: "de-DE"},
	}
	tests := []struct {
		listed string
		fileID string
		locale string
		ok     bool
	}{
		{"web/locales/de-DE.json", "en", "de-DE", true},
		{"repo/web/locales/ja-JP.json", "en", "ja-JP", true}, // list above the project root
		{"web/locales/fr-FR.json", "", "", false},
		{"locales/de-DE.json", "", "", false}, // two candidates end so: ambiguous
	}
	for _, tt := range tests {
		got, ok := matchRulePath(tt.listed, cands)
		if ok != tt.ok || got.fileID != tt.fileID || got.locale != tt.locale {
			t.Errorf("matchRulePath(%q) = %+v, %v", tt.listed, got, ok)
		}
	}
}

func TestUploadChecksum(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "en.json")
	_ = os.WriteFile(p, []byte(`{"a":"b"}`), 0o644)
	entries := []manifestEntry{{rel: "en.json", abs: p}}
	sum := func(server string, manifest string) string {
		s, err := uploadChecksum(server, 1, []byte(manifest), dir, ".", entries, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := sum("http://a", "[]")
	if sum("http://a", "[]") != base {
		t.Error("checksum not stable")
	}
	if sum("http://b", "[]") == base || sum("http://a", "[ ]") == base {
		t.Error("checksum ignores the server or the manifest")
	}
	_ = os.WriteFile(p, []byte(`{"a":"c"}`), 0o644)
	if sum("http://a", "[]") == base {
		t.Error("checksum ignores the file's bytes")
	}
	os.Remove(p)
	if _, err := uploadChecksum("http://a", 1, nil, dir, ".", entries, nil); exitCode(err) != ExitBadInput {
		t.Errorf("missing file: %v", err)
	}
}

func TestRepoPathRefusesOutside(t *testing.T) {
	repo := t.TempDir()
	_ = os.WriteFile(filepath.Join(repo, "en.json"), nil, 0o644)
	if rel, _, err := repoPath(repo, "en.json"); err != nil || rel != "en.json" {
		t.Errorf("repoPath(en.json) = %q, %v", rel, err)
	}
	if rel, _, err := repoPath(repo, filepath.Join(repo, "en.json")); err != nil || rel != "en.json" {
		t.Errorf("absolute path inside the repo: %q, %v", rel, err)
	}
	if _, _, err := repoPath(repo, "../outside.json"); err == nil {
		t.Error("a path outside the repository accepted")
	}
}

func TestSecretFromFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tok")
	_ = os.WriteFile(p, []byte("  s3cret\n"), 0o600)
	if s, err := secret(p, "TOLK_TEST_UNSET"); err != nil || s != "s3cret" {
		t.Errorf("secret(file) = %q, %v", s, err)
	}
	if s, _ := secret("literal", "TOLK_TEST_UNSET"); s != "literal" {
		t.Errorf("secret(literal) = %q", s)
	}
	t.Setenv("TOLK_TEST_TOKEN", "fromenv")
	if s, _ := secret("", "TOLK_TEST_TOKEN"); s != "fromenv" {
		t.Errorf("secret from env = %q", s)
	}
	if _, err := secret("", "TOLK_TEST_UNSET"); exitCode(err) != ExitAuth {
		t.Errorf("no token: %v", err)
	}
}

// TestExitCodeLocalErrors: real local file-system errors are "other
// failure", not "server unreachable"; real failures to talk to a server are.
func TestExitCodeLocalErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notadir")
	_ = os.WriteFile(file, nil, 0o644)
	_ = os.Mkdir(filepath.Join(dir, "full"), 0o755)
	_ = os.WriteFile(filepath.Join(dir, "full", "x"), nil, 0o644)
	mkdirErr := os.MkdirAll(filepath.Join(file, "sub"), 0o755)
	renameErr := os.Rename(filepath.Join(dir, "missing"), filepath.Join(dir, "b"))
	removeErr := os.Remove(filepath.Join(dir, "full"))
	for name, err := range map[string]error{"mkdir": mkdirErr, "rename": renameErr, "remove": removeErr,
		"syscall": os.NewSyscallError("write", syscall.ENOSPC), "errno": syscall.ENOSPC,
		"wrapped": fmt.Errorf("writing x: %w", mkdirErr)} {
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if got := exitCode(err); got != ExitFailure {
			t.Errorf("%s (%v): exit %d, want %d", name, err, got, ExitFailure)
		}
	}
	// A real dial failure and a real header timeout.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	silent := "http://" + l.Addr().String()
	go func() {
		var held []net.Conn
		for {
			c, err := l.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	c, _ := client.New(silent, "t", client.WithResponseHeaderTimeout(100*time.Millisecond))
	_, timeoutErr := c.Projects(t.Context())
	if got := exitCode(timeoutErr); got != ExitUnavailable {
		t.Errorf("header timeout (%v): exit %d, want %d", timeoutErr, got, ExitUnavailable)
	}
	down, _ := client.New("http://"+freeAddr(t), "t")
	_, dialErr := down.Projects(t.Context())
	if got := exitCode(dialErr); got != ExitUnavailable {
		t.Errorf("dial (%v): exit %d, want %d", dialErr, got, ExitUnavailable)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, cancelErr := down.Projects(ctx)
	var out, errOut bytes.Buffer
	o := newOutput("download", &out, &errOut, true)
	if code := o.fail(cancelErr); code != ExitFailure || !strings.Contains(errOut.String(), "interrupted") || !strings.Contains(out.String(), `"exitCode":1`) {
		t.Errorf("interrupted: exit %d, stderr %q, stdout %q", code, errOut.String(), out.String())
	}
}

// TestUnpackRefusedZipIsBadInput: a zip-slip archive exits 7.
func TestUnpackRefusedZipIsBadInput(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("../evil.json")
	_, _ = w.Write([]byte("x"))
	_ = zw.Close()
	zp := filepath.Join(t.TempDir(), "x.zip")
	_ = os.WriteFile(zp, buf.Bytes(), 0o644)
	_, err := unpack(t.Context(), client.Targets, zp, filepath.Join(t.TempDir(), "out"))
	if got := exitCode(err); got != ExitBadInput {
		t.Errorf("zip-slip: %v, exit %d, want %d", err, got, ExitBadInput)
	}
}

func TestReadManifest(t *testing.T) {
	repo := t.TempDir()
	_ = os.MkdirAll(filepath.Join(repo, "packages"), 0o755)
	_ = os.WriteFile(filepath.Join(repo, "packages", "en.json"), []byte("{}"), 0o644)
	write := func(body string) string {
		p := filepath.Join(t.TempDir(), "m.json")
		_ = os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	ok := write(`[{"filepath":"packages/en.json","fileId":"en","parserId":"json","targetRule":"TR","fileType":"json","extra":{"a":1}}]` + "\n")
	if _, entries, err := readManifest(ok, repo); err != nil || len(entries) != 1 || entries[0].rel != "packages/en.json" {
		t.Errorf("manifest with unknown fields: %v, %v", entries, err)
	}
	tests := []struct {
		name, body, repo, want string
	}{
		{"trailing garbage", `[{"filepath":"packages/en.json","fileId":"en","parserId":"json"}] x`, repo, "after the JSON array"},
		{"second array", `[{"filepath":"packages/en.json","fileId":"en","parserId":"json"}][]`, repo, "after the JSON array"},
		{"missing file", `[{"filepath":"packages/de.json","fileId":"en","parserId":"json"}]`, repo, "not found"},
		{"missing repo", `[{"filepath":"packages/en.json","fileId":"en","parserId":"json"}]`, filepath.Join(repo, "nope"), "does not exist"},
		{"backslash", `[{"filepath":"packages\\en.json","fileId":"en","parserId":"json"}]`, repo, "must use '/'"},
		{"outside", `[{"filepath":"../x.json","fileId":"en","parserId":"json"}]`, repo, "not found"},
	}
	for _, tt := range tests {
		_, _, err := readManifest(write(tt.body), tt.repo)
		if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != ExitBadInput {
			t.Errorf("%s: %v, want %q and exit 7", tt.name, err, tt.want)
		}
		if tt.name != "outside" && err != nil && strings.Contains(err.Error(), "outside") {
			t.Errorf("%s: misleading %q", tt.name, err)
		}
	}
}

func TestRepoPathRefusesSymlinkOutside(t *testing.T) {
	repo := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.json")
	_ = os.WriteFile(secret, []byte(`{"k":"secret"}`), 0o644)
	if err := os.Symlink(secret, filepath.Join(repo, "en.json")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	_ = os.Mkdir(filepath.Join(repo, "real"), 0o755)
	_ = os.WriteFile(filepath.Join(repo, "real", "de.json"), nil, 0o644)
	_ = os.Symlink(filepath.Join(repo, "real", "de.json"), filepath.Join(repo, "de.json"))
	if _, _, err := repoPath(repo, "en.json"); err == nil || !strings.Contains(err.Error(), "outside the repository") {
		t.Errorf("symlink to a file outside the repository: %v", err)
	}
	if rel, _, err := repoPath(repo, "de.json"); err != nil || rel != "de.json" {
		t.Errorf("symlink inside the repository: %q, %v", rel, err)
	}
	// The repository itself may be reached through a link.
	link := filepath.Join(t.TempDir(), "repo")
	_ = os.Symlink(repo, link)
	if rel, _, err := repoPath(link, "real/de.json"); err != nil || rel != "real/de.json" {
		t.Errorf("repository through a link: %q, %v", rel, err)
	}
}

func TestInsideFolder(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "de.json"), nil, 0o644)
	outside := filepath.Join(t.TempDir(), "x.json")
	_ = os.WriteFile(outside, nil, 0o644)
	if _, err := insideFolder(dir, "de.json"); err != nil {
		t.Error(err)
	}
	if _, err := insideFolder(dir, "../x.json"); err == nil {
		t.Error("../ accepted")
	}
	if err := os.Symlink(outside, filepath.Join(dir, "ja.json")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if _, err := insideFolder(dir, "ja.json"); err == nil {
		t.Error("a symbolic link to a file outside accepted")
	}
}

func TestReadListDropsDuplicates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.txt")
	_ = os.WriteFile(p, []byte("a/de.json\n./a/de.json\nb/ja.json\na/de.json\n"), 0o644)
	got, err := readList(p)
	if err != nil || strings.Join(got, ",") != "a/de.json,b/ja.json" {
		t.Errorf("readList = %v, %v", got, err)
	}
}

// TestUploadChecksumCoversWritten: deleting or editing a file the last run
// wrote changes the checksum.
func TestUploadChecksumCoversWritten(t *testing.T) {
	repo, target := t.TempDir(), t.TempDir()
	src := filepath.Join(repo, "en.json")
	_ = os.WriteFile(src, []byte(`{"a":"b"}`), 0o644)
	out := filepath.Join(target, "en.json")
	_ = os.WriteFile(out, []byte(`{"a":"tok"}`), 0o644)
	entries := []manifestEntry{{rel: "en.json", abs: src}}
	sum := func() string {
		s, err := uploadChecksum("http://a", 1, []byte("[]"), target, target, entries, []string{"en.json"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := sum()
	_ = os.WriteFile(out, []byte(`{"a":"edited"}`), 0o644)
	edited := sum()
	_ = os.Remove(out)
	if edited == base || sum() == base || sum() == edited {
		t.Error("checksum ignores the written files")
	}
	// The stored form round-trips.
	cf := filepath.Join(repo, "sum")
	_ = writeFileAtomic(cf, []byte(base+"\nen.json\n"))
	if s, w := readChecksumFile(cf); s != base || strings.Join(w, ",") != "en.json" {
		t.Errorf("readChecksumFile = %q, %v", s, w)
	}
}

// TestUsageErrorsPrintJSON: with -json, every exit-2 error prints its line.
func TestUsageErrorsPrintJSON(t *testing.T) {
	for _, args := range [][]string{
		{"download", "-json"},           // missing -targetfolder
		{"download", "-json", "-bogus"}, // unknown flag
		{"upload", "-json", "-url", "http://h/projects/1", "-token", "t", "extra"}, // stray argument
		{"align", "--json"},
		{"projects", "-json"}, // missing verb
		{"projects", "frob", "-json"},
		{"projects", "create", "-json"},
		{"download", "-json", "-targetfolder", "x", "-url", "nope", "-token", "t"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		var res struct {
			OK       bool
			ExitCode int
			Error    string
		}
		if code != ExitUsage || json.Unmarshal(stdout.Bytes(), &res) != nil || res.OK || res.ExitCode != ExitUsage || res.Error == "" {
			t.Errorf("%v: exit %d, stdout %q", args, code, stdout.String())
		}
	}
}
