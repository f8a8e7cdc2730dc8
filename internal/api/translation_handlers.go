package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/token"
)

type translationPutResponse struct {
	Stored        int      `json:"stored"`
	Untranslated  int      `json:"untranslated"`
	UnknownKeys   []string `json:"unknownKeys"`
	DuplicateKeys []string `json:"duplicateKeys"`
}

// duplicateReporter is implemented by documents of formats whose files may
// define a key twice (Java properties).
type duplicateReporter interface {
	Duplicates() []string
}

// translationPut aligns a translated file to a workspace file by key. Empty
// texts, texts the file itself marks as not translated (PO fuzzy, XLIFF
// needs-translation) and, with skipIdentical=true, texts identical to the
// source are counted as untranslated and leave what is stored alone; keys
// the source lacks are reported, not stored. String tokens are removed.
// skipIdentical is for files that came from a targets export, whose
// untranslated strings carry the source text; by default an identical text
// is a translation ("OK" is "OK" in German).
func (a *API) translationPut(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p, store.PermUploadTranslations)
	if err != nil {
		return err
	}
	locale, err := targetLocale(proj, r.PathValue("locale"))
	if err != nil {
		return err
	}
	status := format.Translated
	if v := r.URL.Query().Get("status"); v != "" {
		if status, err = format.ParseStatus(v); err != nil || status == format.Untranslated {
			return errBadRequest("status=%q: want translated, reviewed or validated", v)
		}
	}
	f, err := a.store.FileGet(r.Context(), proj.ID, r.PathValue("fileId"))
	if err != nil {
		return err
	}
	up, err := readUpload(w, r, f, true)
	if err != nil {
		return fmt.Errorf("%s translation of file %s: %w", locale, f.ID, err)
	}
	doc := up.doc
	source, err := a.store.StringList(r.Context(), proj.ID, f.ID)
	if err != nil {
		return err
	}
	skipIdentical, _, err := queryBool(r, "skipIdentical")
	if err != nil {
		return err
	}
	ts, resp := align(f.ID, locale, status, source, doc.Units(), skipIdentical)
	if dr, ok := doc.(duplicateReporter); ok {
		resp.DuplicateKeys = append(resp.DuplicateKeys, dr.Duplicates()...)
	}
	if err := a.store.TranslationPut(r.Context(), proj.ID, ts); err != nil {
		return err
	}
	resp.Stored = len(ts)
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// align matches translated units to the source's strings by key.
func align(fileID, locale string, status format.Status, source []store.String, units []format.Unit, skipIdentical bool) ([]store.Translation, translationPutResponse) {
	known := make(map[string]*store.String, len(source))
	for i := range source {
		known[source[i].Key] = &source[i]
	}
	resp := translationPutResponse{UnknownKeys: []string{}, DuplicateKeys: []string{}}
	seen := map[string]int{}
	var ts []store.Translation
	for _, u := range units {
		src := known[u.Key]
		if src == nil {
			resp.UnknownKeys = append(resp.UnknownKeys, u.Key)
			continue
		}
		st := status
		if u.HasStatus {
			st = u.Status
		}
		u.Text, u.Plural = stripTokens(u.Text, u.Plural)
		identical := u.Text == src.Source && equalForms(u.Plural, src.Plural)
		if st == format.Untranslated || (u.Text == "" && emptyForms(u.Plural)) || (identical && skipIdentical) {
			resp.Untranslated++
			continue
		}
		t := store.Translation{FileID: fileID, Key: u.Key, Locale: locale, Text: u.Text, Plural: u.Plural, Status: st}
		if i, dup := seen[u.Key]; dup {
			resp.DuplicateKeys = append(resp.DuplicateKeys, u.Key)
			ts[i] = t
			continue
		}
		seen[u.Key] = len(ts)
		ts = append(ts, t)
	}
	return ts, resp
}

func stripTokens(text string, forms format.Forms) (string, format.Forms) {
	text, _ = token.Strip(text)
	if forms == nil {
		return text, nil
	}
	out := make(format.Forms, len(forms))
	for c, f := range forms {
		out[c], _ = token.Strip(f)
	}
	return text, out
}

func equalForms(a, b format.Forms) bool {
	if len(a) != len(b) {
		return false
	}
	for c, v := range a {
		if b[c] != v {
			return false
		}
	}
	return true
}

func emptyForms(f format.Forms) bool {
	for _, v := range f {
		if v != "" {
			return false
		}
	}
	return true
}

type stringItem struct {
	FileID      string       `json:"fileId"`
	Key         string       `json:"key"`
	Source      string       `json:"source"`
	Plural      format.Forms `json:"plural,omitempty"`
	Notes       []string     `json:"notes,omitempty"`
	Translation *string      `json:"translation,omitempty"`
	TransPlural format.Forms `json:"translationPlural,omitempty"`
	Status      string       `json:"status"`
}

type stringPage struct {
	Total  int          `json:"total"`
	Offset int          `json:"offset"`
	Limit  int          `json:"limit"`
	Items  []stringItem `json:"items"`
}

// Page sizes of GET .../strings.
const (
	stringPageDefault = 100
	stringPageMax     = 1000
)

func (a *API) stringList(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p, store.PermDownloadTranslations, store.PermDownloadWorkspace)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	offset, err := queryInt(q.Get("offset"), 0, "offset")
	if err != nil {
		return err
	}
	limit, err := queryInt(q.Get("limit"), stringPageDefault, "limit")
	if err != nil {
		return err
	}
	limit = min(max(limit, 1), stringPageMax)
	rows, total, err := a.store.StringPage(r.Context(), store.StringListParams{
		ProjectID: proj.ID, Locale: q.Get("locale"), FileID: q.Get("fileId"), Offset: offset, Limit: limit})
	if err != nil {
		return err
	}
	page := stringPage{Total: total, Offset: offset, Limit: limit, Items: make([]stringItem, 0, len(rows))}
	for _, row := range rows {
		it := stringItem{FileID: row.FileID, Key: row.Key, Source: row.Source, Plural: row.Plural, Notes: row.Notes,
			Status: format.Untranslated.String()}
		if t := row.Translation; t != nil {
			text := t.Text
			it.Translation, it.TransPlural, it.Status = &text, t.Plural, t.Status.String()
		}
		page.Items = append(page.Items, it)
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func queryInt(v string, def int, name string) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errBadRequest("query parameter %s=%q must be a non-negative integer", name, v)
	}
	return n, nil
}
