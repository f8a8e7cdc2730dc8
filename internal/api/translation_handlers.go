package api

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
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
// texts, and texts the file itself marks as not translated (PO fuzzy, XLIFF
// needs-translation), are counted as untranslated and leave what is stored
// alone; keys the source lacks are reported, not stored.
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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUploadBytes))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	fm, settings, err := fileFormat(f)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s (%s translation of %s)", f.Path, locale, f.ID)
	doc, err := fm.Parse(body, format.ParseOptions{Name: name, Settings: settings, Translation: true})
	if err != nil {
		return err
	}
	source, err := a.store.StringList(r.Context(), proj.ID, f.ID)
	if err != nil {
		return err
	}
	ts, resp := align(f.ID, locale, status, source, doc.Units())
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
func align(fileID, locale string, status format.Status, source []store.String, units []format.Unit) ([]store.Translation, translationPutResponse) {
	known := make(map[string]bool, len(source))
	for _, s := range source {
		known[s.Key] = true
	}
	resp := translationPutResponse{UnknownKeys: []string{}, DuplicateKeys: []string{}}
	seen := map[string]int{}
	var ts []store.Translation
	for _, u := range units {
		if !known[u.Key] {
			resp.UnknownKeys = append(resp.UnknownKeys, u.Key)
			continue
		}
		st := status
		if u.HasStatus {
			st = u.Status
		}
		if st == format.Untranslated || (u.Text == "" && emptyForms(u.Plural)) {
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
