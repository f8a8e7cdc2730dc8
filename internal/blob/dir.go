package blob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempPrefix starts the name of a blob being written. Keys may not use it,
// so that NewDir can remove leftovers of an interrupted write.
const tempPrefix = ".tmp-"

var _ Store = (*Dir)(nil)

// Dir stores blobs as files under a root folder.
type Dir struct {
	root   string
	logger *slog.Logger
}

// NewDir creates root if needed and removes temporary files left by writes
// that never finished (a crash between create and commit).
func NewDir(root string, logger *slog.Logger) (*Dir, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("blob: create root %s: %w", root, err)
	}
	d := &Dir{root: root, logger: logger}
	if err := d.removeTemps(); err != nil {
		return nil, fmt.Errorf("blob: clean root %s: %w", root, err)
	}
	return d, nil
}

func (d *Dir) removeTemps() error {
	return filepath.WalkDir(d.root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) {
			return err
		}
		d.logger.Info("removing unfinished blob", slog.String("path", path))
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}

// path checks key and returns its file path.
func (d *Dir) path(key string) (string, error) {
	// fs.ValidPath refuses absolute paths, "..", "." and empty elements;
	// a backslash would be a separator on Windows.
	if !fs.ValidPath(key) || key == "." || strings.Contains(key, `\`) ||
		strings.HasPrefix(filepath.Base(key), tempPrefix) {
		return "", fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Create starts a new blob in a temporary file beside its final place, so
// that the rename in Commit is atomic.
func (d *Dir) Create(ctx context.Context, key string) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", key, err)
	}
	path, err := d.path(key)
	if err != nil {
		return nil, fmt.Errorf("blob: create: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", key, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", key, err)
	}
	return &dirWriter{ctx: ctx, key: key, path: path, f: f}, nil
}

// Open opens a committed blob.
func (d *Dir) Open(ctx context.Context, key string) (File, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	path, err := d.path(key)
	if err != nil {
		return nil, fmt.Errorf("blob: open: %w", err)
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob: open %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("not a regular file")
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	return &dirFile{File: f, size: info.Size(), modTime: info.ModTime()}, nil
}

// Delete removes a blob. Readers that opened it keep reading it (POSIX).
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	path, err := d.path(key)
	if err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

type dirFile struct {
	*os.File
	size    int64
	modTime time.Time
}

func (f *dirFile) Size() int64        { return f.size }
func (f *dirFile) ModTime() time.Time { return f.modTime }

// errWriterDone is returned by a writer used after Commit or Abort.
var errWriterDone = errors.New("blob writer already committed or aborted")

type dirWriter struct {
	ctx  context.Context
	key  string
	path string
	f    *os.File // nil once committed or aborted
}

func (w *dirWriter) Write(p []byte) (int, error) {
	if w.f == nil {
		return 0, fmt.Errorf("blob: write %s: %w", w.key, errWriterDone)
	}
	if err := w.ctx.Err(); err != nil {
		return 0, fmt.Errorf("blob: write %s: %w", w.key, err)
	}
	n, err := w.f.Write(p)
	if err != nil {
		return n, fmt.Errorf("blob: write %s: %w", w.key, err)
	}
	return n, nil
}

// Commit flushes the blob to disk and renames it into place, so that a
// reader sees either the old blob or the whole new one.
func (w *dirWriter) Commit() error {
	if w.f == nil {
		return fmt.Errorf("blob: commit %s: %w", w.key, errWriterDone)
	}
	f := w.f
	w.f = nil
	err := w.ctx.Err()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), w.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("blob: commit %s: %w", w.key, err)
	}
	syncDir(filepath.Dir(w.path))
	return nil
}

// syncDir makes a rename durable. It is best effort: some systems cannot
// sync a directory, and the blob is already in place.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// Abort discards an uncommitted blob; after Commit it does nothing.
func (w *dirWriter) Abort() error {
	if w.f == nil {
		return nil
	}
	f := w.f
	w.f = nil
	f.Close()
	if err := os.Remove(f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: abort %s: %w", w.key, err)
	}
	return nil
}
