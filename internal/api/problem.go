package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

// problem is an RFC 9457 problem detail, extended with the place in an
// uploaded file that the problem is about.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Key    string `json:"key,omitempty"`
}

// httpError is an error with the status it answers.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errStatus(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

func errBadRequest(f string, args ...any) error { return errStatus(http.StatusBadRequest, f, args...) }
func errNotFound(f string, args ...any) error   { return errStatus(http.StatusNotFound, f, args...) }
func errGone(f string, args ...any) error       { return errStatus(http.StatusGone, f, args...) }
func errUnavailable(f string, args ...any) error {
	return errStatus(http.StatusServiceUnavailable, f, args...)
}
func errInternal(f string, args ...any) error {
	return errStatus(http.StatusInternalServerError, f, args...)
}

// writeError is the one place where errors become responses. Errors the
// client caused are answered with their message; others are logged once
// here and answered without internals.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Type: "about:blank", Status: http.StatusInternalServerError, Detail: "internal error"}
	var he *httpError
	var mbe *http.MaxBytesError
	switch pe, isParse := format.AsParseError(err); {
	case isParse:
		p.Status, p.Detail = http.StatusBadRequest, err.Error()
		p.File, p.Line, p.Column, p.Key = pe.File, pe.Line, pe.Column, pe.Key
	case errors.As(err, &he):
		p.Status, p.Detail = he.status, he.msg
	case errors.As(err, &mbe):
		p.Status, p.Detail = http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", mbe.Limit)
	case errors.Is(err, auth.ErrUnauthenticated):
		p.Status, p.Detail = http.StatusUnauthorized, "missing or unknown token: send Authorization: Bearer <token>"
		w.Header().Set("WWW-Authenticate", `Bearer realm="tolk"`)
	case errors.Is(err, auth.ErrForbidden):
		p.Status, p.Detail = http.StatusForbidden, err.Error()
	case errors.Is(err, store.ErrNotFound):
		p.Status, p.Detail = http.StatusNotFound, trimStorePrefix(err.Error())
	case errors.Is(err, store.ErrConflict):
		p.Status, p.Detail = http.StatusConflict, trimStorePrefix(err.Error())
	}
	if p.Status >= 500 {
		a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	p.Title = http.StatusText(p.Status)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func trimStorePrefix(s string) string { return strings.TrimPrefix(s, "store: ") }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decodeJSON reads a JSON request body into v, refusing unknown fields.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errBadRequest("invalid JSON body: %v", err)
	}
	return nil
}
