package client

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Error is an HTTP error answer of the server, decoded from its
// application/problem+json body (RFC 9457). For a body of another type
// (an HTML page from a proxy, say) Title is the status text and Detail the
// start of the body.
type Error struct {
	Status int    `json:"status"`
	Type   string `json:"type,omitempty"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Key    string `json:"key,omitempty"`
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tolk: %d %s", e.Status, e.Title)
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.File != "" && !strings.Contains(e.Detail, e.File) {
		fmt.Fprintf(&b, " (%s", e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
		}
		b.WriteString(")")
	}
	return b.String()
}

// maxErrorBody bounds how much of an error body is read.
const maxErrorBody = 64 << 10

// readError turns a non-2xx answer into an *Error.
func readError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &Error{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode)}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "application/problem+json" || mt == "application/json" {
		var p Error
		if json.Unmarshal(body, &p) == nil && (p.Title != "" || p.Detail != "") {
			p.Status = resp.StatusCode // the status line wins over the body
			if p.Title == "" {
				p.Title = e.Title
			}
			return &p
		}
	}
	e.Detail = snippet(body)
	return e
}

// snippet is the start of a non-JSON error body, on one line.
func snippet(b []byte) string {
	const n = 200
	if len(b) > n {
		b = b[:n]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// JobError is an export job that did not produce a download: it failed, was
// cancelled or expired. Message is the server's error message.
type JobError struct {
	JobID   int64
	Status  string
	Message string
}

func (e *JobError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("tolk: export job %d %s", e.JobID, e.Status)
	}
	return fmt.Sprintf("tolk: export job %d %s: %s", e.JobID, e.Status, e.Message)
}

// IntegrityError is a download whose size or SHA-256 differs from what the
// server announced.
type IntegrityError struct {
	What      string // "size" or "sha256"
	Want, Got string
}

func (e *IntegrityError) Error() string {
	return fmt.Sprintf("tolk: downloaded ZIP has %s %s, the server announced %s", e.What, e.Got, e.Want)
}
