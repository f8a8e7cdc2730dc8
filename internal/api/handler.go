package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tolk-l10n/tolk/internal/auth"
)

// handlerFunc is an authenticated handler that returns its error.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// handle authenticates the request and writes the handler's error.
func (a *API) handle(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.auth.Authenticate(r.Context(), bearer(r))
		if err == nil {
			err = fn(w, r, p)
		}
		if err != nil {
			a.writeError(w, r, err)
		}
	})
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// pathID reads a positive integer path value.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound("%s %q is not a valid id (a positive integer)", name, v)
	}
	return id, nil
}

// queryList reads a list parameter given comma-separated, repeated, or both;
// a value given twice counts once.
func queryList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func queryBool(r *http.Request, name string) (val, set bool, err error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, false, nil
	}
	b, perr := strconv.ParseBool(v)
	if perr != nil {
		return false, true, errBadRequest("query parameter %s=%q is not a boolean", name, v)
	}
	return b, true, nil
}
