package client

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeZip(t *testing.T, entries [][2]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtractZip(t *testing.T) {
	dir := t.TempDir()
	zp := writeZip(t, [][2]string{{"lang/de-DE.json", `{"a":"b"}`}, {"ja-JP.json", "{}"}})
	names, err := ExtractZip(t.Context(), zp, dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "lang/de-DE.json,ja-JP.json" {
		t.Errorf("names %v", names)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "lang", "de-DE.json"))
	if string(got) != `{"a":"b"}` {
		t.Errorf("content %q", got)
	}
	st, _ := os.Stat(filepath.Join(dir, "ja-JP.json"))
	if st == nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode of an extracted file: %v", st)
	}
	assertNoTemps(t, dir)
}

func TestExtractZipRefusesZipSlip(t *testing.T) {
	for _, name := range []string{"../evil.json", "lang/../../evil.json", "/etc/evil", `..\evil.json`, "C:/evil.json", "./a.json", "a//b.json"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "target")
			zp := writeZip(t, [][2]string{{"good.json", "{}"}, {name, "pwned"}})
			if _, err := ExtractZip(t.Context(), zp, dir); !errors.Is(err, ErrUnsafeEntry) || !strings.Contains(err.Error(), "outside the target folder") {
				t.Fatalf("entry %q: got %v, want a refusal", name, err)
			}
			// Nothing at all is written, not even the good entry.
			var files []string
			_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && d.Name() != "x.zip" {
					files = append(files, p)
				}
				return nil
			})
			if len(files) != 0 {
				t.Errorf("files written: %v", files)
			}
		})
	}
}

func TestExtractZipRefusesDuplicates(t *testing.T) {
	zp := writeZip(t, [][2]string{{"a.json", "1"}, {"A.json", "2"}})
	if _, err := ExtractZip(t.Context(), zp, t.TempDir()); err == nil {
		t.Error("duplicate entries accepted")
	}
}

// TestExtractZipIsAtomic corrupts the last entry: the extraction fails on
// its CRC, and the files the archive would have replaced keep their bytes.
func TestExtractZipIsAtomic(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.json", "b.json"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("old "+n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zp := writeZip(t, [][2]string{{"a.json", "new a"}, {"b.json", "new b, soon corrupted"}})
	raw, _ := os.ReadFile(zp)
	i := bytes.Index(raw, []byte("soon corrupted"))
	raw[i] ^= 0xff // stored entry: its bytes are in the clear; the CRC no longer matches
	if err := os.WriteFile(zp, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ExtractZip(t.Context(), zp, dir); err == nil {
		t.Fatal("corrupted archive extracted")
	}
	for _, n := range []string{"a.json", "b.json"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != "old "+n {
			t.Errorf("%s changed to %q", n, got)
		}
	}
	assertNoTemps(t, dir)
}

// TestExtractZipRefusesSymlinkedFolderOutside: a folder of the target that
// is a symbolic link to elsewhere is not written through.
func TestExtractZipRefusesSymlinkedFolderOutside(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(dir, "packages")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	zp := writeZip(t, [][2]string{{"packages/a/en.json", "pwned"}, {"packages/b.json", "pwned"}})
	_, err := ExtractZip(t.Context(), zp, dir)
	if !errors.Is(err, ErrUnsafeEntry) {
		t.Fatalf("got %v, want ErrUnsafeEntry", err)
	}
	if des, _ := os.ReadDir(elsewhere); len(des) != 0 {
		t.Errorf("written through the link: %v", des)
	}
}

// TestExtractZipFollowsSymlinkInside: a link to a folder inside the target
// folder is fine.
func TestExtractZipFollowsSymlinkInside(t *testing.T) {
	dir := t.TempDir()
	_ = os.Mkdir(filepath.Join(dir, "real"), 0o755)
	if err := os.Symlink("real", filepath.Join(dir, "alias")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	zp := writeZip(t, [][2]string{{"alias/en.json", "ok"}})
	if _, err := ExtractZip(t.Context(), zp, dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "real", "en.json")); string(b) != "ok" {
		t.Errorf("got %q", b)
	}
}

// TestExtractZipReplacesFinalSymlink: a link at an entry's own path is
// replaced by the file; the file it pointed to keeps its bytes.
func TestExtractZipReplacesFinalSymlink(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.json")
	_ = os.WriteFile(secret, []byte("secret"), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "en.json")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	zp := writeZip(t, [][2]string{{"en.json", "new"}})
	if _, err := ExtractZip(t.Context(), zp, dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(secret); string(b) != "secret" {
		t.Errorf("the link's target was overwritten: %q", b)
	}
	st, err := os.Lstat(filepath.Join(dir, "en.json"))
	if err != nil || !st.Mode().IsRegular() {
		t.Errorf("en.json is not a regular file: %v %v", st, err)
	}
}

// TestExtractZipRemovesStaleTemps: temporary files of a killed run are
// removed; other dot files are not.
func TestExtractZipRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	_ = os.MkdirAll(filepath.Join(dir, "lang"), 0o755)
	stale := filepath.Join(dir, "lang", ".tolk-de-DE.json-123456.tmp")
	keep := filepath.Join(dir, "lang", ".tolk-notes")
	_ = os.WriteFile(stale, []byte("half"), 0o644)
	_ = os.WriteFile(keep, []byte("mine"), 0o644)
	zp := writeZip(t, [][2]string{{"lang/de-DE.json", "{}"}})
	if _, err := ExtractZip(t.Context(), zp, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file kept: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file outside the temp pattern was removed: %v", err)
	}
}
