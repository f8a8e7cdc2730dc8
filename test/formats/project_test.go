package formats

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// project is the one project that holds the whole corpus.
type project struct {
	s  *server
	ID int64
}

func (p *project) path(format string, args ...any) string {
	return fmt.Sprintf("/api/projects/%d", p.ID) + fmt.Sprintf(format, args...)
}

func createProject(t *testing.T, s *server) *project {
	t.Helper()
	var got struct {
		ID            int64    `json:"id"`
		TargetLocales []string `json:"targetLocales"`
	}
	s.call(t, "POST", "/api/projects", map[string]any{
		"name": "corpus", "sourceLocale": sourceLocale, "targetLocales": targetLocales,
	}, 201, &got)
	if len(got.TargetLocales) != len(targetLocales) {
		t.Fatalf("project created with target locales %v, want %v", got.TargetLocales, targetLocales)
	}
	return &project{s: s, ID: got.ID}
}

// readCorpus reads a corpus file; the corpus is never written.
func readCorpus(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Fatalf("reading the corpus (expected at ../shared/corpus beside the checkout or $TOLK_CORPUS): %v", err)
	}
	return data
}

// uploadAnswer is the answer of PUT .../files/{id}.
type uploadAnswer struct {
	FileID  string `json:"fileId"`
	Path    string `json:"path"`
	Parser  string `json:"parser"`
	Strings int    `json:"strings"`
}

func (p *project) upload(t *testing.T, set corpusSet, f corpusFile, content []byte) uploadAnswer {
	t.Helper()
	q := url.Values{"path": {f.path}, "parser": {set.parser}, "targetRule": {set.ruleID}}
	resp := p.s.do(t, "PUT", p.path("/files/%s?%s", f.id, q.Encode()), content)
	if resp.Status != 200 && resp.Status != 201 {
		t.Fatalf("PUT files/%s (%s): status %d: %s", f.id, f.path, resp.Status, clip(resp.Body))
	}
	var got uploadAnswer
	decodeJSON(t, resp.Body, &got)
	if got.FileID != f.id || got.Path != f.path || got.Strings == 0 {
		t.Fatalf("PUT files/%s answered %s", f.id, clip(resp.Body))
	}
	return got
}

// alignAnswer is the answer of PUT .../translations/{locale}.
type alignAnswer struct {
	Stored        int      `json:"stored"`
	Untranslated  int      `json:"untranslated"`
	UnknownKeys   []string `json:"unknownKeys"`
	DuplicateKeys []string `json:"duplicateKeys"`
}

func (p *project) align(t *testing.T, fileID, locale string, content []byte) alignAnswer {
	t.Helper()
	var got alignAnswer
	p.s.call(t, "PUT", p.path("/files/%s/translations/%s", fileID, locale), content, 200, &got)
	return got
}

// stringItem is one entry of GET .../strings.
type stringItem struct {
	FileID      string            `json:"fileId"`
	Key         string            `json:"key"`
	Source      string            `json:"source"`
	Plural      map[string]string `json:"plural"`
	Translation *string           `json:"translation"`
	TransPlural map[string]string `json:"translationPlural"`
	Status      string            `json:"status"`
}

// stringsOf lists every string of a file (all pages), with its translation
// into locale when locale is not empty.
func (p *project) stringsOf(t *testing.T, fileID, locale string) []stringItem {
	t.Helper()
	var all []stringItem
	for offset := 0; ; {
		q := url.Values{"fileId": {fileID}, "offset": {fmt.Sprint(offset)}, "limit": {"1000"}}
		if locale != "" {
			q.Set("locale", locale)
		}
		var page struct {
			Total int          `json:"total"`
			Items []stringItem `json:"items"`
		}
		p.s.call(t, "GET", p.path("/strings?%s", q.Encode()), nil, 200, &page)
		all = append(all, page.Items...)
		offset += len(page.Items)
		if len(page.Items) == 0 || offset >= page.Total {
			return all
		}
	}
}

// totalStrings is the project's string count as GET .../strings reports it.
func (p *project) totalStrings(t *testing.T) int {
	t.Helper()
	var page struct {
		Total int `json:"total"`
	}
	p.s.call(t, "GET", p.path("/strings?limit=1"), nil, 200, &page)
	return page.Total
}

// setUp puts the target rules, uploads every source file, applies the
// set's parser settings and aligns every corpus translation.
func (p *project) setUp(t *testing.T, results map[string]*setResult) {
	t.Helper()
	rules := map[string]string{}
	for _, set := range corpusSets {
		if prev, ok := rules[set.ruleID]; ok && prev != set.rule {
			t.Fatalf("rule %s defined twice differently", set.ruleID)
		}
		if _, ok := rules[set.ruleID]; !ok {
			rules[set.ruleID] = set.rule
			p.s.call(t, "PUT", p.path("/targetrules/%s", set.ruleID), map[string]string{"rule": set.rule}, 200, nil)
		}
	}
	for _, set := range corpusSets {
		res := results[set.name]
		for _, f := range set.files {
			p.setUpFile(t, set, f, res)
		}
	}
}

func (p *project) setUpFile(t *testing.T, set corpusSet, f corpusFile, res *setResult) {
	t.Helper()
	src := readCorpus(t, f.path)
	up := p.upload(t, set, f, src)
	if set.settings != nil {
		p.applySettings(t, set, f, src, &up)
	}
	res.files++
	res.units += up.Strings
	res.unitsByFile[f.id] = up.Strings
	for _, loc := range targetLocales {
		rel, ok := f.trans[loc]
		if !ok {
			continue
		}
		got := p.align(t, f.id, loc, readCorpus(t, rel))
		res.stored += got.Stored
		res.aligned[f.id+"/"+loc] = got
		t.Logf("align %-32s -> %-5s stored %4d untranslated %4d unknownKeys %3d %s duplicateKeys %d",
			shortName(rel), loc, got.Stored, got.Untranslated,
			len(got.UnknownKeys), firstFew(got.UnknownKeys), len(got.DuplicateKeys))
	}
}

// applySettings puts the set's parser settings, checks they are answered
// with defaults filled in, and re-uploads the source so they take effect
// whether or not PUT settings re-reads the stored file.
func (p *project) applySettings(t *testing.T, set corpusSet, f corpusFile, src []byte, up *uploadAnswer) {
	t.Helper()
	before := p.stringsOf(t, f.id, "")
	var got map[string]any
	p.s.call(t, "PUT", p.path("/files/%s/settings", f.id), set.settings, 200, &got)
	for k, v := range set.settings {
		if got[k] != v {
			t.Errorf("PUT files/%s/settings answered %s=%v, want %v", f.id, k, got[k], v)
		}
	}
	if _, ok := got["untranslated"]; !ok {
		t.Errorf("PUT files/%s/settings lacks the format's untranslated setting: %v", f.id, got)
	}
	var again map[string]any
	p.s.call(t, "GET", p.path("/files/%s/settings", f.id), nil, 200, &again)
	if fmt.Sprint(again) != fmt.Sprint(got) {
		t.Errorf("GET files/%s/settings = %v, PUT answered %v", f.id, again, got)
	}
	applied := p.stringsOf(t, f.id, "")
	*up = p.upload(t, set, f, src)
	after := p.stringsOf(t, f.id, "")
	if set.settings["sourceFromTarget"] == true {
		// Without the setting the sources are Symfony's message keys.
		if spaced(before) > len(before)/10 {
			t.Errorf("%s: before sourceFromTarget, %d of %d sources contain a space; want message keys", f.id, spaced(before), len(before))
		}
		t.Logf("%s: sourceFromTarget in effect right after PUT settings: %v", f.id, spaced(applied) >= len(applied)/2)
		if spaced(after) < len(after)/2 {
			t.Errorf("%s: only %d of %d source texts contain a space: sourceFromTarget did not take the <target> texts", f.id, spaced(after), len(after))
		}
	}
}

// spaced counts source texts with a space: a Symfony message key is dotted
// snake case without one, an English sentence mostly has one.
func spaced(items []stringItem) int {
	n := 0
	for _, it := range items {
		if strings.Contains(it.Source, " ") {
			n++
		}
	}
	return n
}

// shortName is the last two elements of a path, enough to name a corpus file.
func shortName(p string) string {
	return path.Base(path.Dir(p)) + "/" + path.Base(p)
}

// firstFew shows up to three keys of a list for the log.
func firstFew(keys []string) string {
	if len(keys) > 3 {
		return fmt.Sprintf("%q...", keys[:3])
	}
	return fmt.Sprintf("%q", keys)
}
