package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

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
