package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tolk-l10n/tolk/client"
)

func init() {
	register(command{name: "align", usage: "upload existing translated files as translations of the workspace files", run: runAlign})
}

const alignHelp = `Uploads translated files as the translations of the workspace files they
belong to. The list file names them one per line, relative to the list
file's folder (blank lines and lines starting with # are skipped). Each
listed path is matched against the paths the project's target rules give
for every workspace file and locale: an exact match first, else the one
rule path the listed path ends with. Nothing is uploaded unless every
listed file matches. A path listed twice is uploaded once. A listed path
that leaves the list's folder ("../", or a symbolic link resolving outside
it) is refused (exit 7), and so is an unknown -locales value.
`

// alignTarget is a translated file and what it translates.
type alignTarget struct {
	listed string // as listed
	abs    string
	fileID string
	locale string
}

func runAlign(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, pf := newProjectFlags("align", stderr)
	list := fs.String("targetfiles", "", "file listing the translated files, one per line (required)")
	locales := fs.String("locales", "", "comma-separated locales to align (default: all of the project's)")
	state := fs.String("alignstate", "translated", "status given to the uploaded translations")
	fs.Usage = modeUsage(fs, stderr, "tolk align -url <server>/projects/<id> -targetfiles <list.txt> [-locales de-DE,ja-JP] [-alignstate translated]", alignHelp+authHelp)
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *list == "" {
		return usageError(stdout, stderr, "align", pf.json, "-targetfiles is required")
	}
	out := newOutput("align", stdout, stderr, pf.json)
	ctx, cancel := context.WithTimeout(ctx, pf.timeout)
	defer cancel()
	start := time.Now()
	c, project, err := pf.client(stderr)
	if err != nil {
		return out.fail(err)
	}
	targets, err := planAlign(ctx, c, project, *list, splitList(*locales))
	if err != nil {
		return out.fail(err)
	}
	stored, untranslated := 0, 0
	var results []map[string]any
	for i, t := range targets {
		out.status("aligning %d/%d %s…", i+1, len(targets), t.listed)
		r, err := uploadTranslation(ctx, c, project, t, *state)
		if err != nil {
			return out.fail(err)
		}
		stored += r.Stored
		untranslated += r.Untranslated
		results = append(results, map[string]any{"path": t.listed, "fileId": t.fileID, "locale": t.locale,
			"stored": r.Stored, "untranslated": r.Untranslated, "unknownKeys": len(r.UnknownKeys)})
	}
	return out.ok(map[string]any{"project": project, "files": results, "stored": stored, "untranslated": untranslated,
		"seconds": time.Since(start).Seconds()},
		fmt.Sprintf("%d files aligned: %d translations stored, %d untranslated", len(targets), stored, untranslated))
}

func uploadTranslation(ctx context.Context, c *client.Client, project int64, t alignTarget, state string) (*client.TranslationResult, error) {
	f, err := os.Open(t.abs)
	if err != nil {
		return nil, inputErr{err}
	}
	defer f.Close()
	return c.UploadTranslation(ctx, project, t.fileID, t.locale, state, f)
}

// planAlign matches every listed file to a workspace file and locale.
func planAlign(ctx context.Context, c *client.Client, project int64, list string, locales []string) ([]alignTarget, error) {
	listed, err := readList(list)
	if err != nil {
		return nil, err
	}
	candidates, err := rulePaths(ctx, c, project, locales)
	if err != nil {
		return nil, err
	}
	var out []alignTarget
	var unmatched []string
	for _, l := range listed {
		t, ok := matchRulePath(l, candidates)
		if !ok {
			unmatched = append(unmatched, l)
			continue
		}
		if t.abs, err = insideFolder(filepath.Dir(list), l); err != nil {
			return nil, inputErr{fmt.Errorf("%s: %w", list, err)}
		}
		out = append(out, t)
	}
	if len(unmatched) > 0 {
		return nil, inputErr{fmt.Errorf("no workspace file and locale has the target path of %s", strings.Join(unmatched, ", "))}
	}
	return out, nil
}

// insideFolder resolves the slash-separated path rel against dir and
// refuses it when it, or the file a symbolic link makes of it, is outside
// dir (also resolved).
func insideFolder(dir, rel string) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", fmt.Errorf("%s is outside the list's folder", rel)
	}
	abs := filepath.Join(dir, filepath.FromSlash(rel))
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: not found", rel)
	}
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", rel, err)
	}
	if !within(root, real) {
		return "", fmt.Errorf("%s is a symbolic link to %s, outside %s", rel, real, dir)
	}
	return abs, nil
}

// within tells whether p is root or below it (both resolved, absolute or
// both relative alike).
func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && (r == "." || filepath.IsLocal(r))
}

// readList reads the list file: slash-separated paths, one per line.
func readList(list string) ([]string, error) {
	f, err := os.Open(list)
	if err != nil {
		return nil, inputErr{fmt.Errorf("reading the target file list: %w", err)}
	}
	defer f.Close()
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		l = path.Clean(filepath.ToSlash(l))
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, inputErr{fmt.Errorf("reading the target file list: %w", err)}
	}
	if len(out) == 0 {
		return nil, inputErr{fmt.Errorf("%s lists no file", list)}
	}
	return out, nil
}

// rulePaths expands every workspace file's target rule for every locale:
// target path -> file and locale.
func rulePaths(ctx context.Context, c *client.Client, project int64, locales []string) (map[string]alignTarget, error) {
	p, err := c.Project(ctx, project)
	if err != nil {
		return nil, err
	}
	if len(locales) == 0 {
		locales = p.TargetLocales
	}
	for _, l := range locales {
		if !slices.Contains(p.TargetLocales, l) {
			return nil, inputErr{fmt.Errorf("-locales: %s is not a target locale of project %d (%s)", l, project, strings.Join(p.TargetLocales, ", "))}
		}
	}
	files, err := c.Files(ctx, project)
	if err != nil {
		return nil, err
	}
	rules, err := c.TargetRules(ctx, project)
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	for _, r := range rules {
		byID[r.ID] = r.Rule
	}
	out := map[string]alignTarget{}
	for _, f := range files {
		rule, ok := byID[f.TargetRule]
		if !ok && strings.Contains(f.TargetRule, "$(") {
			rule, ok = f.TargetRule, true // a file may carry the rule itself
		}
		if !ok {
			continue
		}
		for _, l := range locales {
			tp, err := client.ExpandTargetRule(rule, f.Path, l)
			if err != nil {
				continue // the server refuses such a path too; nothing can match it
			}
			out[tp] = alignTarget{fileID: f.FileID, locale: l}
		}
	}
	return out, nil
}

// matchRulePath finds the target of a listed path: the rule path equal to
// it, else the single rule path it ends with (the list may sit below or
// above the project root).
func matchRulePath(listed string, candidates map[string]alignTarget) (alignTarget, bool) {
	if t, ok := candidates[listed]; ok {
		t.listed = listed
		return t, true
	}
	var found []alignTarget
	for p, t := range candidates {
		if strings.HasSuffix(listed, "/"+p) || strings.HasSuffix(p, "/"+strings.TrimPrefix(listed, "./")) {
			found = append(found, t)
		}
	}
	if len(found) != 1 {
		return alignTarget{}, false
	}
	found[0].listed = listed
	return found[0], true
}
