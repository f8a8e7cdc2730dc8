package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func newTestDir(t *testing.T) (*Dir, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "blobs")
	d, err := NewDir(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d, root
}

func put(t *testing.T, s Store, key string, data []byte) {
	t.Helper()
	w, err := s.Create(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, s Store, key string) ([]byte, File) {
	t.Helper()
	f, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b, f
}

// listFiles returns every file under root, relative and slash-separated.
func listFiles(t *testing.T, root string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(root, path)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestDirRoundTrip(t *testing.T) {
	d, root := newTestDir(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("tolk"), 10000)
	before := time.Now().Add(-time.Second)
	put(t, d, "exports/000123.zip", data)
	got, f := readAll(t, d, "exports/000123.zip")
	if !bytes.Equal(got, data) || f.Size() != int64(len(data)) {
		t.Errorf("read %d bytes, Size %d, want %d", len(got), f.Size(), len(data))
	}
	if f.ModTime().Before(before) {
		t.Errorf("ModTime %v before the write", f.ModTime())
	}
	// Seek works, as http.ServeContent needs.
	f2, err := d.Open(ctx, "exports/000123.zip")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f2.Seek(-4, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	tail, _ := io.ReadAll(f2)
	f2.Close()
	if string(tail) != "tolk" {
		t.Errorf("tail after seek = %q", tail)
	}
	if files := listFiles(t, root); len(files) != 1 || files[0] != "exports/000123.zip" {
		t.Errorf("files on disk = %v", files)
	}
	// Replacing a blob.
	put(t, d, "exports/000123.zip", []byte("new"))
	if got, _ := readAll(t, d, "exports/000123.zip"); string(got) != "new" {
		t.Errorf("after replace = %q", got)
	}
	if err := d.Delete(ctx, "exports/000123.zip"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, "exports/000123.zip"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open after Delete: %v, want ErrNotFound", err)
	}
	if err := d.Delete(ctx, "exports/000123.zip"); err != nil {
		t.Errorf("Delete of a missing blob: %v", err)
	}
	if _, err := d.Open(ctx, "never/written"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open of a missing key: %v, want ErrNotFound", err)
	}
}

func TestDirAbortLeavesNothing(t *testing.T) {
	d, root := newTestDir(t)
	ctx := context.Background()
	put(t, d, "exports/1.zip", []byte("old"))
	w, err := d.Create(ctx, "exports/1.zip")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("half-written")); err != nil {
		t.Fatal(err)
	}
	// Not visible before Commit.
	if got, _ := readAll(t, d, "exports/1.zip"); string(got) != "old" {
		t.Errorf("uncommitted write visible: %q", got)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, _ := readAll(t, d, "exports/1.zip"); string(got) != "old" {
		t.Errorf("after Abort = %q, want old", got)
	}
	if files := listFiles(t, root); len(files) != 1 || files[0] != "exports/1.zip" {
		t.Errorf("files after Abort = %v, want only exports/1.zip", files)
	}
	if err := w.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("Write after Abort succeeded")
	}
	// A new key aborted leaves no file either.
	w, err = d.Create(ctx, "exports/2.zip")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("x"))
	w.Abort()
	if _, err := d.Open(ctx, "exports/2.zip"); !errors.Is(err, ErrNotFound) {
		t.Errorf("aborted new blob: %v, want ErrNotFound", err)
	}
	if files := listFiles(t, root); len(files) != 1 {
		t.Errorf("files = %v", files)
	}
}

func TestDirCommitThenAbortIsNoop(t *testing.T) {
	d, _ := newTestDir(t)
	put(t, d, "a.zip", []byte("kept")) // put defers Abort after Commit
	if got, _ := readAll(t, d, "a.zip"); string(got) != "kept" {
		t.Errorf("blob = %q, want kept", got)
	}
}

func TestDirCancelledContext(t *testing.T) {
	d, _ := newTestDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	w, err := d.Create(ctx, "c.zip")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("data"))
	cancel()
	if err := w.Commit(); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit with a cancelled context: %v", err)
	}
	if _, err := d.Open(context.Background(), "c.zip"); !errors.Is(err, ErrNotFound) {
		t.Errorf("blob of a cancelled write: %v, want ErrNotFound", err)
	}
	if _, err := d.Create(ctx, "d.zip"); !errors.Is(err, context.Canceled) {
		t.Errorf("Create with a cancelled context: %v", err)
	}
}

func TestDirInvalidKeys(t *testing.T) {
	d, _ := newTestDir(t)
	ctx := context.Background()
	for _, key := range []string{"", ".", "..", "../x", "a/../../x", "/etc/passwd", `a\b`, `..\x`,
		"a//b", "a/./b", "a/", ".tmp-x", "exports/.tmp-1.zip"} {
		if _, err := d.Create(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Create(%q): %v, want ErrInvalidKey", key, err)
		}
		if _, err := d.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Open(%q): %v, want ErrInvalidKey", key, err)
		}
		if err := d.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Delete(%q): %v, want ErrInvalidKey", key, err)
		}
	}
}

func TestNewDirRemovesLeftoverTemps(t *testing.T) {
	d, root := newTestDir(t)
	put(t, d, "exports/1.zip", []byte("done"))
	w, err := d.Create(context.Background(), "exports/2.zip")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("interrupted"))
	// A crash: the writer is never committed nor aborted.
	if files := listFiles(t, root); len(files) != 2 {
		t.Fatalf("files before restart = %v, want a blob and a temp file", files)
	}
	if _, err := NewDir(root, nil); err != nil {
		t.Fatal(err)
	}
	if files := listFiles(t, root); len(files) != 1 || files[0] != "exports/1.zip" {
		t.Errorf("files after restart = %v, want only exports/1.zip", files)
	}
	w.Abort()
}

// TestDirConcurrentReadersDuringWrite checks that readers always see a
// whole blob, old or new, while it is being replaced.
func TestDirConcurrentReadersDuringWrite(t *testing.T) {
	d, _ := newTestDir(t)
	ctx := context.Background()
	const key = "exports/7.zip"
	old := bytes.Repeat([]byte("o"), 1<<16)
	next := bytes.Repeat([]byte("n"), 1<<17)
	put(t, d, key, old)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				f, err := d.Open(ctx, key)
				if err != nil {
					errs <- err.Error()
					return
				}
				b, err := io.ReadAll(f)
				f.Close()
				if err != nil || int64(len(b)) != f.Size() || !(bytes.Equal(b, old) || bytes.Equal(b, next)) {
					errs <- "a reader saw a partial blob"
					return
				}
			}
		})
	}
	w, err := d.Create(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(next); i += 4096 {
		if _, err := w.Write(next[i : i+4096]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Microsecond)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	close(stop)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got, _ := readAll(t, d, key); !bytes.Equal(got, next) {
		t.Errorf("after commit read %d bytes, want the new blob", len(got))
	}
}

// TestDirDeleteWhileOpen checks that a download in progress survives the
// expiry of its blob.
func TestDirDeleteWhileOpen(t *testing.T) {
	d, _ := newTestDir(t)
	ctx := context.Background()
	put(t, d, "exports/9.zip", []byte("still readable"))
	f, err := d.Open(ctx, "exports/9.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := d.Delete(ctx, "exports/9.zip"); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	if err != nil || string(b) != "still readable" {
		t.Errorf("read after Delete = %q, %v", b, err)
	}
	if _, err := d.Open(ctx, "exports/9.zip"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open after Delete: %v, want ErrNotFound", err)
	}
}
