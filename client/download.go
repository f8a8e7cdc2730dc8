package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// zipTypes are the Content-Types a ZIP download may have.
var zipTypes = map[string]bool{
	"application/zip":              true,
	"application/x-zip-compressed": true,
	"application/octet-stream":     true,
}

// download fetches a ZIP into a temporary file, verifies it (status,
// Content-Type, ZIP signature, Content-Length, the announced size and
// SHA-256), and only then hands it to opts.Writer or renames it to
// opts.File.
func (c *Client) download(ctx context.Context, target string, size int64, sum string, opts ExportOptions, progress func(n, size int64)) (*ExportResult, error) {
	req, err := c.newRequest(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/zip, application/problem+json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, readError(resp)
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); !zipTypes[mt] {
		e := readError(resp).(*Error)
		e.Title, e.Detail = "Not a ZIP", fmt.Sprintf("Content-Type %q: %s", ct, e.Detail)
		return nil, e
	}
	if size <= 0 {
		size = resp.ContentLength
	}
	tmp, err := tempFile(opts.File)
	if err != nil {
		return nil, err
	}
	defer tmp.discard()
	res, err := receive(resp, tmp.f, size, sum, progress)
	if err != nil {
		return nil, err
	}
	if err := tmp.commit(opts); err != nil {
		return nil, err
	}
	return res, nil
}

// receive copies the body to f while hashing it and checks it against what
// the server announced.
func receive(resp *http.Response, f *os.File, size int64, sum string, progress func(n, size int64)) (*ExportResult, error) {
	h := sha256.New()
	cw := &countWriter{size: size, progress: progress}
	var head bytes.Buffer
	n, err := io.Copy(io.MultiWriter(f, h, cw, &limitedBuffer{buf: &head, max: 4}), resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the ZIP after %d bytes: %w", n, err)
	}
	// Local file header, or the end record of an empty archive.
	if sig := head.String(); sig != "PK\x03\x04" && sig != "PK\x05\x06" {
		return nil, &Error{Status: resp.StatusCode, Title: "Not a ZIP", Detail: fmt.Sprintf("the body starts with %q", sig)}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return nil, &IntegrityError{What: "size", Want: strconv.FormatInt(resp.ContentLength, 10), Got: strconv.FormatInt(n, 10)}
	}
	if size > 0 && n != size {
		return nil, &IntegrityError{What: "size", Want: strconv.FormatInt(size, 10), Got: strconv.FormatInt(n, 10)}
	}
	got := hex.EncodeToString(h.Sum(nil))
	if sum != "" && !strings.EqualFold(sum, got) {
		return nil, &IntegrityError{What: "sha256", Want: sum, Got: got}
	}
	res := &ExportResult{Size: n, SHA256: got}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		res.FileName = filepath.Base(params["filename"])
	}
	return res, nil
}

type countWriter struct {
	n, size  int64
	progress func(n, size int64)
}

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	w.progress(w.n, w.size)
	return len(p), nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// pendingFile is a temporary file that becomes the output only on commit.
type pendingFile struct {
	f    *os.File
	done bool
}

// tempFile creates the temporary file beside dest (so that the rename is
// atomic), or in the system's temporary folder when dest is "".
func tempFile(dest string) (*pendingFile, error) {
	dir := os.TempDir()
	if dest != "" {
		dir = filepath.Dir(dest)
	}
	f, err := os.CreateTemp(dir, ".tolk-download-*.zip")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file: %w", err)
	}
	return &pendingFile{f: f}, nil
}

func (p *pendingFile) commit(opts ExportOptions) error {
	if opts.Writer != nil {
		if _, err := p.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("rewinding the downloaded ZIP: %w", err)
		}
		if _, err := io.Copy(opts.Writer, p.f); err != nil {
			return fmt.Errorf("writing the ZIP: %w", err)
		}
		return nil
	}
	if err := p.f.Sync(); err != nil {
		return fmt.Errorf("syncing the downloaded ZIP: %w", err)
	}
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("closing the downloaded ZIP: %w", err)
	}
	if err := os.Rename(p.f.Name(), opts.File); err != nil {
		return fmt.Errorf("moving the ZIP into place: %w", err)
	}
	p.done = true
	return nil
}

// discard removes the temporary file unless it was renamed into place.
func (p *pendingFile) discard() {
	_ = p.f.Close()
	if !p.done {
		_ = os.Remove(p.f.Name())
	}
}
