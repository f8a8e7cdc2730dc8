package client

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// ErrUnsafeEntry is wrapped by the errors of ExtractZip that refuse an
// archive because an entry would land outside the target folder (or is a
// link, or a duplicate).
var ErrUnsafeEntry = errors.New("unsafe ZIP entry")

// ExtractZip unpacks the ZIP at zipPath into dir, all or nothing: every
// entry is first written to a temporary file beside its destination, and
// only when all of them are written are they renamed into place, so that a
// failure leaves the existing files untouched. An entry whose name would
// land outside dir (zip-slip: "..", an absolute path, a backslash, a
// volume name), a link, or a duplicate name refuses the whole archive, and
// so does an entry whose folder inside dir is a symbolic link resolving
// outside dir: such errors wrap ErrUnsafeEntry. A symbolic link at an
// entry's own path is never followed: the link itself is replaced by the
// file (rename semantics), its target is left untouched. Temporary files
// an earlier, killed extraction left in the folders written to
// (.tolk-*.tmp) are removed first. It returns the slash-separated paths
// written, in archive order.
func ExtractZip(ctx context.Context, zipPath, dir string) ([]string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", zipPath, err)
	}
	defer zr.Close()
	entries, err := checkEntries(zr.File)
	if err != nil {
		return nil, fmt.Errorf("refusing %s: %w: %w", zipPath, ErrUnsafeEntry, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the target folder: %w", err)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("resolving the target folder: %w", err)
	}
	for _, f := range entries {
		if err := safeMkdir(root, dir, path.Dir(f.Name)); err != nil {
			return nil, err
		}
	}
	removeStaleTemps(dir, entries)
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
	rc, err := f.Open()
	if err != nil {
		return "", fmt.Errorf("reading entry %s: %w", f.Name, err)
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".tolk-"+filepath.Base(dest)+"-*.tmp")
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

// safeMkdir creates the folder rel (slash-separated) inside dir one
// component at a time, so that nothing is ever created through a symbolic
// link leading outside root (dir resolved). Links resolving inside root
// are followed.
func safeMkdir(root, dir, rel string) error {
	p := dir
	if rel == "." {
		return nil
	}
	for _, part := range strings.Split(rel, "/") {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			if err := os.Mkdir(p, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
				return fmt.Errorf("creating the folder %s: %w", rel, err)
			}
			continue
		case err != nil:
			return fmt.Errorf("creating the folder %s: %w", rel, err)
		case st.Mode()&os.ModeSymlink == 0:
			continue // a plain folder, or a file that the rename will fail on
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return fmt.Errorf("resolving %s: %w", p, err)
		}
		if r, err := filepath.Rel(root, real); err != nil || !(r == "." || filepath.IsLocal(r)) {
			return fmt.Errorf("%w: %s is a symbolic link to %s, outside the target folder", ErrUnsafeEntry, p, real)
		}
	}
	return nil
}

// staleTemp is the name of writeTemp's temporary files.
var staleTemp = regexp.MustCompile(`^\.tolk-.+-[0-9]+\.tmp$`)

// removeStaleTemps deletes the temporary files a killed extraction left in
// the folders this one writes to; only tolk's own name pattern is touched.
func removeStaleTemps(dir string, entries []*zip.File) {
	done := map[string]bool{}
	for _, f := range entries {
		d := filepath.Join(dir, filepath.FromSlash(path.Dir(f.Name)))
		if done[d] {
			continue
		}
		done[d] = true
		des, _ := os.ReadDir(d)
		for _, de := range des {
			if de.Type().IsRegular() && staleTemp.MatchString(de.Name()) {
				_ = os.Remove(filepath.Join(d, de.Name()))
			}
		}
	}
}
