// Package blob stores export artifacts (ZIP files) by key. Dir keeps them
// on disk; another implementation (S3, say) would satisfy the same Store.
package blob

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrNotFound is returned by Open for a key that holds no blob.
var ErrNotFound = errors.New("blob not found")

// ErrInvalidKey is returned for a key that is not a clean relative
// slash-separated path.
var ErrInvalidKey = errors.New("invalid blob key")

// Store keeps blobs by key. Keys are slash-separated relative paths such as
// "exports/000123.zip".
type Store interface {
	// Create returns a writer for a new blob; Commit makes it visible
	// atomically, replacing any blob with that key; Abort discards it.
	Create(ctx context.Context, key string) (Writer, error)
	// Open returns the blob at key, or ErrNotFound.
	Open(ctx context.Context, key string) (File, error)
	// Delete removes a blob; a missing blob is not an error.
	Delete(ctx context.Context, key string) error
}

// Writer writes a new blob. Exactly one of Commit or Abort must be called;
// after it, the others return an error (Abort after Commit is a no-op, so
// that `defer w.Abort()` is safe).
type Writer interface {
	io.Writer
	Commit() error
	Abort() error
}

// File is an open blob, ready for http.ServeContent.
type File interface {
	io.ReadSeekCloser
	Size() int64
	ModTime() time.Time
}
