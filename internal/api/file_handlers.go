package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/token"
)

type fileResponse struct {
	FileID     string `json:"fileId"`
	Path       string `json:"path"`
	Parser     string `json:"parser"`
	TargetRule string `json:"targetRule"`
	Strings    int    `json:"strings"`
	Added      int    `json:"added"`
	Changed    int    `json:"changed"`
	Removed    int    `json:"removed"`
	SHA256     string `json:"sha256"`
	Size       int64  `json:"size"`
}

// filePut adds or replaces a workspace file. On a re-upload, path, parser
// and target rule default to the stored ones.
func (a *API) filePut(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p, store.PermUploadWorkspace)
	if err != nil {
		return err
	}
	f, isNew, err := a.fileFromRequest(r, proj.ID)
	if err != nil {
		return err
	}
	up, err := readUpload(w, r, f, false)
	if err != nil {
		return err
	}
	body, doc, err := withoutTokens(up.format, up.settings, f.Path, up.body, up.doc)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	f.Content, f.Size, f.SHA256 = body, int64(len(body)), hex.EncodeToString(sum[:])
	strs := storeStrings(f.ID, doc.Units())
	f.Strings = len(strs)
	res, err := a.store.FilePut(r.Context(), store.FilePutParams{File: f, Strings: strs})
	if errors.Is(err, store.ErrConflict) {
		return errStatus(http.StatusConflict, "path %q is already used by another file of project %d", f.Path, proj.ID)
	}
	if err != nil {
		return err
	}
	status := http.StatusOK
	if isNew {
		status = http.StatusCreated
	}
	a.log.Info("file uploaded", "project_id", proj.ID, "file_id", f.ID, "strings", f.Strings)
	writeJSON(w, status, fileResponse{FileID: f.ID, Path: f.Path, Parser: f.Parser, TargetRule: f.TargetRule,
		Strings: f.Strings, Added: res.Added, Changed: res.Changed, Removed: res.Removed, SHA256: f.SHA256, Size: f.Size})
	return nil
}

// fileFromRequest merges the query parameters with the stored file.
func (a *API) fileFromRequest(r *http.Request, projectID int64) (store.File, bool, error) {
	id := r.PathValue("fileId")
	if err := checkID("file id", id); err != nil {
		return store.File{}, false, err
	}
	f, err := a.store.FileGet(r.Context(), projectID, id)
	isNew := errors.Is(err, store.ErrNotFound)
	if err != nil && !isNew {
		return f, false, err
	}
	f.ProjectID, f.ID = projectID, id
	q := r.URL.Query()
	if v := q.Get("path"); v != "" || isNew {
		if f.Path, err = cleanPath(v); err != nil {
			return f, false, err
		}
	}
	if v := q.Get("parser"); v != "" || isNew {
		fm, ok := format.Lookup(v)
		if !ok {
			return f, false, errBadRequest("unknown parser %q (known: %s)", v, strings.Join(format.Names(), ", "))
		}
		f.Parser = fm.Name()
	}
	if v := q.Get("targetRule"); v != "" {
		if err := a.checkRule(r, projectID, v); err != nil {
			return f, false, err
		}
		f.TargetRule = v
	}
	return f, isNew, nil
}

func (a *API) checkRule(r *http.Request, projectID int64, id string) error {
	rules, err := a.store.TargetRuleList(r.Context(), projectID)
	if err != nil {
		return err
	}
	for _, tr := range rules {
		if tr.ID == id {
			return nil
		}
	}
	return errBadRequest("target rule %q is not defined in project %d; PUT /api/projects/%d/targetrules/%s first", id, projectID, projectID, id)
}

// cleanPath checks that p is a relative slash-separated path inside the
// project, made of characters every file system and ZIP tool takes.
func cleanPath(p string) (string, error) {
	if p == "" {
		return "", errBadRequest("query parameter path is required for a new file")
	}
	c := path.Clean(p)
	if strings.ContainsAny(p, "\\\x00") || path.IsAbs(c) || c == "." || c == ".." || strings.HasPrefix(c, "../") ||
		(len(c) > 1 && c[1] == ':') {
		return "", errBadRequest("path %q must be a relative path inside the project, with '/' separators", p)
	}
	for _, r := range c {
		// Control characters break file names; bidirectional controls
		// disguise them (an "exe.json" that reads "json.exe").
		if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return "", errBadRequest("path %q contains the control character U+%04X", p, r)
		}
	}
	return c, nil
}

// hasTokenMark reports whether a unit's texts contain U+206A, the mark
// string tokens are made of.
func hasTokenMark(u format.Unit) bool {
	if strings.ContainsRune(u.Text, '\u206A') {
		return true
	}
	for _, f := range u.Plural {
		if strings.ContainsRune(f, '\u206A') {
			return true
		}
	}
	return false
}

// upload is a request body parsed as a workspace file's format.
type upload struct {
	body     []byte
	format   format.Format
	settings format.Settings
	doc      format.Document
}

// readUpload reads the body (at most MaxUploadBytes) and parses it with f's
// parser and settings, as a source file or as a translation of it.
func readUpload(w http.ResponseWriter, r *http.Request, f store.File, translation bool) (upload, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUploadBytes))
	if err != nil {
		return upload{}, fmt.Errorf("read upload: %w", err)
	}
	fm, settings, err := fileFormat(f)
	if err != nil {
		return upload{}, err
	}
	doc, err := fm.Parse(body, format.ParseOptions{Name: f.Path, Settings: settings, Translation: translation})
	if err != nil {
		return upload{}, err
	}
	return upload{body: body, format: fm, settings: settings, doc: doc}, nil
}

func fileFormat(f store.File) (format.Format, format.Settings, error) {
	fm, ok := format.Lookup(f.Parser)
	if !ok {
		return nil, nil, errBadRequest("unknown parser %q", f.Parser)
	}
	s, err := format.Resolve(fm, f.Settings)
	if err != nil {
		return nil, nil, errBadRequest("file %s: %v", f.ID, err)
	}
	return fm, s, nil
}

// storeStrings turns parsed units into stored strings; when a format reports
// a key twice, the last one wins, as in the file's own runtime.
func storeStrings(fileID string, units []format.Unit) []store.String {
	index := map[string]int{}
	var out []store.String
	for _, u := range units {
		s := store.String{FileID: fileID, Key: u.Key, Source: u.Text, Plural: u.Plural, Notes: u.Notes}
		if i, dup := index[u.Key]; dup {
			s.Seq = out[i].Seq
			out[i] = s
			continue
		}
		s.Seq = len(out)
		index[u.Key] = len(out)
		out = append(out, s)
	}
	return out
}

func (a *API) fileList(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p, store.PermDownloadWorkspace, store.PermUploadWorkspace, store.PermSettings, store.PermUploadTranslations)
	if err != nil {
		return err
	}
	files, err := a.store.FileList(r.Context(), proj.ID)
	if err != nil {
		return err
	}
	out := make([]store.File, len(files))
	for i, f := range files {
		f.Content = nil
		out[i] = f
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) fileSettingsPut(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p, store.PermSettings)
	if err != nil {
		return err
	}
	f, err := a.store.FileGet(r.Context(), proj.ID, r.PathValue("fileId"))
	if err != nil {
		return err
	}
	var user map[string]any
	if err := decodeJSON(r, &user); err != nil {
		return err
	}
	f.Settings = user
	fm, resolved, err := fileFormat(f)
	if err != nil {
		return err
	}
	// Settings can change what a file's units are (i18next plurals), so the
	// file must still parse with them; its strings are re-read in the same
	// step.
	doc, err := fm.Parse(f.Content, format.ParseOptions{Name: f.Path, Settings: resolved})
	if err != nil {
		return err
	}
	strs := storeStrings(f.ID, doc.Units())
	f.Strings = len(strs)
	if _, err := a.store.FilePut(r.Context(), store.FilePutParams{File: f, Strings: strs}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resolved)
	return nil
}

func (a *API) fileSettingsGet(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	proj, err := a.project(r, p, store.PermSettings, store.PermDownloadWorkspace)
	if err != nil {
		return err
	}
	f, err := a.store.FileGet(r.Context(), proj.ID, r.PathValue("fileId"))
	if err != nil {
		return err
	}
	_, resolved, err := fileFormat(f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resolved)
	return nil
}

// withoutTokens returns the file without string tokens. A pipeline that
// commits the tokenized sources (the sources export) uploads them again
// later; the tokens must not become part of the source texts, nor be copied
// into every target with the untouched bytes. The file is re-rendered with
// the tokens stripped from its texts, which works in every format and
// encoding, and parsed again.
func withoutTokens(fm format.Format, s format.Settings, name string, body []byte, doc format.Document) ([]byte, format.Document, error) {
	// Units hold decoded texts, so this finds tokens in every encoding and
	// escaping; most uploads have none and are not rendered again.
	if !slices.ContainsFunc(doc.Units(), hasTokenMark) {
		return body, doc, nil
	}
	tokenized := false
	out := func(u *format.Unit) format.Output {
		text, had := token.Strip(u.Text)
		o := format.Output{Text: text, Status: format.Translated, Source: !had}
		if u.Plural != nil {
			o.Plural = make(format.Forms, len(u.Plural))
			for c, f := range u.Plural {
				stripped, hadForm := token.Strip(f)
				o.Plural[c] = stripped
				had = had || hadForm
			}
			o.Source = !had
		}
		tokenized = tokenized || had
		return o
	}
	var buf bytes.Buffer
	if err := doc.Write(&buf, format.Target{Kind: format.KindSource}, out); err != nil {
		return nil, nil, fmt.Errorf("check %s for string tokens: %w", name, err)
	}
	if !tokenized {
		return body, doc, nil
	}
	clean, err := fm.Parse(buf.Bytes(), format.ParseOptions{Name: name, Settings: s})
	if err != nil {
		return nil, nil, fmt.Errorf("re-read %s without its string tokens: %w", name, err)
	}
	return buf.Bytes(), clean, nil
}
