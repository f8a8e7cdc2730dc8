package client

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ExtractZip unpacks the ZIP at zipPath into dir, all or nothing: every
// entry is first written to a temporary file beside its destination, and
// only when all of them are written are they renamed into place, so that a
// failure leaves the existing files untouched. An entry whose name would
// land outside dir (zip-slip: "..", an absolute path, a backslash, a
// volume name), a link, or a duplicate name refuses the whole archive. It
// returns the slash-separated paths written, in archive order.
func ExtractZip(ctx context.Context, zipPath, dir string) ([]string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", zipPath, err)
	}
	defer zr.Close()
	entries, err := checkEntries(zr.File)
	if err != nil {
		return nil, fmt.Errorf("refusing %s: %w", zipPath, err)
	}
	var temps []string
	defer func() {
		for _, t := range temps {
			_ = os.Remove(t) // no-op for the renamed ones
		}
	}()
	for _, f := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t, err := writeTemp(f, filepath.Join(dir, filepath.FromSlash(f.Name)))
		if err != nil {
			return nil, err
		}
		temps = append(temps, t)
	}
	names := make([]string, len(entries))
	for i, f := range entries {
		names[i] = f.Name
		if err := os.Rename(temps[i], filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
			return names[:i], fmt.Errorf("moving %s into place: %w", f.Name, err)
		}
	}
	return names, nil
}

// checkEntries returns the file entries, or an error for the first one
// that is not a plain file with a local name.
func checkEntries(files []*zip.File) ([]*zip.File, error) {
	seen := map[string]bool{}
	var out []*zip.File
	for _, f := range files {
		if strings.HasSuffix(f.Name, "/") && f.FileInfo().IsDir() {
			continue
		}
		if err := checkName(f.Name); err != nil {
			return nil, err
		}
		if !f.Mode().IsRegular() {
			return nil, fmt.Errorf("entry %q is not a regular file (%v)", f.Name, f.Mode().Type())
		}
		key := strings.ToLower(path.Clean(f.Name)) // case-insensitive file systems
		if seen[key] {
			return nil, fmt.Errorf("entry %q appears twice", f.Name)
		}
		seen[key] = true
		out = append(out, f)
	}
	return out, nil
}

// checkName refuses names that would escape the destination folder.
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, "\\\x00:") || path.IsAbs(name) ||
		path.Clean(name) != name || !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("entry %q would be written outside the target folder", name)
	}
	return nil
}

// writeTemp writes entry f to a new temporary file in dest's folder and
// returns its name.
func writeTemp(f *zip.File, dest string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return "", fmt.Errorf("creating the folder of %s: %w", f.Name, err)
	}
	rc, err := f.Open()
	if err != nil {
		return "", fmt.Errorf("reading entry %s: %w", f.Name, err)
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".tolk-"+filepath.Base(dest)+"-*")
	if err != nil {
		return "", fmt.Errorf("creating a temporary file for %s: %w", f.Name, err)
	}
	_, err = io.Copy(tmp, rc) // archive/zip checks the size and CRC-32 at EOF
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it 0600
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("writing %s: %w", f.Name, err)
	}
	return tmp.Name(), nil
}
