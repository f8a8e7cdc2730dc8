// Package export builds the three exports of a project (targets, sources,
// pseudo) as deterministic ZIP archives: entries sorted by name, fixed
// timestamps, so the same request on the same project state gives the same
// bytes whether it runs as a job or synchronously.
//
// The archive is streamed to an io.Writer entry by entry; no file of the
// project is held in memory longer than it takes to render it.
package export

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/klauspost/compress/flate"

	"github.com/tolk-l10n/tolk/internal/plural"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/targetrule"
)

// DefaultRule is the target rule of a file that names none.
const DefaultRule = "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)"

// entryTime is the modification time of every ZIP entry. A fixed time keeps
// archives byte-identical across runs.
var entryTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Reader is what the exporter reads from the store.
type Reader interface {
	FileList(ctx context.Context, projectID int64) ([]store.File, error)
	TargetRuleList(ctx context.Context, projectID int64) ([]store.TargetRule, error)
	TranslationList(ctx context.Context, projectID int64, fileID string, locales []string) ([]store.Translation, error)
}

// Request says what to export.
type Request struct {
	Project store.Project
	Kind    store.JobKind
	Params  store.JobParams
}

// Progress reports how far a build is. Stage is "collecting", "rendering"
// or "zipping"; Done and Total count files rendered.
type Progress struct {
	Stage string `json:"stage"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// Error is an export failure caused by the project's content or the request
// (a bad target rule, an unparsable file), which retrying cannot fix.
type Error struct {
	Err error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err is an export failure that retrying cannot
// fix.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// Permanent marks err as a failure that retrying cannot fix.
func Permanent(err error) error { return &Error{Err: err} }

func permanent(format string, args ...any) error {
	return &Error{Err: fmt.Errorf(format, args...)}
}

// entry is one file of the archive.
type entry struct {
	name   string
	file   *store.File
	locale string
}

// Build writes the export described by req to w as a ZIP archive.
func Build(ctx context.Context, r Reader, req Request, w io.Writer, progress func(Progress)) error {
	if progress == nil {
		progress = func(Progress) {}
	}
	progress(Progress{Stage: "collecting"})
	entries, err := plan(ctx, r, req)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	// klauspost's deflate is about four times faster than the standard
	// library's at the same ratio, and its output is deterministic too.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.DefaultCompression)
	})
	rd := renderer{ctx: ctx, r: r, req: req, docs: map[string]*parsed{}}
	for i, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		progress(Progress{Stage: "rendering", Done: i, Total: len(entries)})
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: entryTime})
		if err != nil {
			return fmt.Errorf("export: add %s to archive: %w", e.name, err)
		}
		if err := rd.render(fw, e); err != nil {
			return err
		}
	}
	progress(Progress{Stage: "zipping", Done: len(entries), Total: len(entries)})
	if err := zw.Close(); err != nil {
		return fmt.Errorf("export: finish archive: %w", err)
	}
	return nil
}

// plan lists the archive's entries, sorted by name, and checks that every
// name is a path inside the project and that no two entries collide.
func plan(ctx context.Context, r Reader, req Request) ([]entry, error) {
	files, err := r.FileList(ctx, req.Project.ID)
	if err != nil {
		return nil, fmt.Errorf("export: list files: %w", err)
	}
	files, err = selectFiles(files, req.Params.FileIDs)
	if err != nil {
		return nil, err
	}
	locales, err := locales(req)
	if err != nil {
		return nil, err
	}
	rules := map[string]string{}
	if req.Kind != store.JobSources {
		list, err := r.TargetRuleList(ctx, req.Project.ID)
		if err != nil {
			return nil, fmt.Errorf("export: list target rules: %w", err)
		}
		for _, tr := range list {
			rules[tr.ID] = tr.Rule
		}
	}
	var entries []entry
	owner := map[string]string{}
	for i := range files {
		f := &files[i]
		for _, loc := range locales {
			name, err := entryName(f, loc, req.Kind, rules)
			if err != nil {
				return nil, err
			}
			if prev, dup := owner[name]; dup {
				return nil, permanent("files %q and %q both export to %s for %s", prev, f.ID, name, loc)
			}
			owner[name] = f.ID
			entries = append(entries, entry{name: name, file: f, locale: loc})
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	// A file cannot also be a folder: "a/b.json" beside "a/b.json/c.json"
	// makes an archive that no tool extracts. Sorted, a folder's entries
	// follow its name directly.
	for i := 1; i < len(entries); i++ {
		if prev := entries[i-1].name; strings.HasPrefix(entries[i].name, prev+"/") {
			return nil, permanent("%s (file %q) would be both a file and the folder of %s (file %q)",
				prev, entries[i-1].file.ID, entries[i].name, entries[i].file.ID)
		}
	}
	return entries, nil
}

func selectFiles(files []store.File, ids []string) ([]store.File, error) {
	if len(ids) == 0 {
		return files, nil
	}
	var out []store.File
	for _, id := range ids {
		i := slices.IndexFunc(files, func(f store.File) bool { return f.ID == id })
		if i < 0 {
			return nil, permanent("file %q is not in the project", id)
		}
		out = append(out, files[i])
	}
	return out, nil
}

// locales returns the locales an export renders: the requested target
// locales (all of the project's by default), the pseudo locale, or the
// source locale for the sources export.
func locales(req Request) ([]string, error) {
	p := req.Project
	switch req.Kind {
	case store.JobSources:
		return []string{p.SourceLocale}, nil
	case store.JobPseudo:
		return []string{p.PseudoLocale}, nil
	}
	if len(req.Params.Locales) == 0 {
		return p.TargetLocales, nil
	}
	for _, l := range req.Params.Locales {
		if !slices.Contains(p.TargetLocales, l) {
			return nil, permanent("locale %q is not a target locale of project %d (%v)", l, p.ID, p.TargetLocales)
		}
	}
	return req.Params.Locales, nil
}

func entryName(f *store.File, locale string, kind store.JobKind, rules map[string]string) (string, error) {
	if kind == store.JobSources {
		return f.Path, nil
	}
	rule := DefaultRule
	if f.TargetRule != "" {
		r, ok := rules[f.TargetRule]
		if !ok {
			return "", permanent("file %q names target rule %q, which the project does not define", f.ID, f.TargetRule)
		}
		rule = r
	}
	name, err := targetrule.Expand(rule, f.Path, locale)
	if err != nil {
		return "", &Error{Err: fmt.Errorf("file %q: %w", f.ID, err)}
	}
	return name, nil
}

// categoriesFor returns the plural categories a file for locale needs. A
// pseudo locale speaks the source language, so it gets the source's.
func categoriesFor(req Request, locale string) []string {
	if req.Kind != store.JobTargets {
		return plural.Categories(req.Project.SourceLocale)
	}
	return plural.Categories(locale)
}
