package formats

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const pseudoLocale = "qps-ploc"

// checkPseudo: one pseudo file per source file, each accepted by its
// consumer, with every placeholder of the source kept.
func (p *project) checkPseudo(t *testing.T, files map[string][]byte, dir string, results map[string]*setResult) {
	t.Helper()
	want := map[string]bool{}
	var props []string
	for _, set := range corpusSets {
		var problems []string
		for _, f := range set.files {
			name := set.target(f.path, pseudoLocale)
			want[name] = true
			data, ok := files[name]
			if !ok {
				problems = append(problems, "missing "+name)
				continue
			}
			disk := filepath.Join(dir, filepath.FromSlash(name))
			if set.parser == "properties" {
				props = append(props, disk)
			} else if err := consumerCheck(t, name, disk, data); err != nil {
				t.Errorf("pseudo %s: %v", name, err)
				problems = append(problems, "consumer")
			}
			if d := p.pseudoPlaceholders(t, set, f, data); d != "" {
				t.Errorf("pseudo %s: %s", name, d)
				problems = append(problems, "placeholders")
			}
		}
		results[set.name].pseudo = verdict(problems)
	}
	checkNames(t, "pseudo", files, want)
	checkLoadable(t, "pseudo", props, results["java-properties"], func(r *setResult, s string) { r.pseudo = s })
}

// pseudoPlaceholders compares the placeholder counts of a pseudo file with
// those of its source file: equal when the pseudo text replaces the source
// text; for PO the msgstr adds the pseudo texts to the msgids; for Android
// the translatable="false" resources are left out and a <plurals> lacking
// a category of the source language gets it (from its "other" item).
func (p *project) pseudoPlaceholders(t *testing.T, set corpusSet, f corpusFile, pseudo []byte) string {
	t.Helper()
	src := string(readCorpus(t, f.path))
	if set.parser == "android" {
		src = addMissingOne(stripNonTranslatable(src))
	}
	var items []stringItem
	if set.bilingualAdd {
		items = p.stringsOf(t, f.id, "")
	}
	diff := ""
	for _, disputed := range []bool{false, true} {
		want := countPlaceholders(set.name, disputed, src, nil)
		for _, it := range items {
			if len(it.Plural) == 0 {
				countPlaceholders(set.name, disputed, it.Source, want)
			}
			for _, form := range it.Plural {
				countPlaceholders(set.name, disputed, form, want)
			}
		}
		d := countsDiff(want, countPlaceholders(set.name, disputed, string(pseudo), nil))
		if disputed && d != "" {
			knownIssue(t, "pseudo %s: %s (syntax not protected by the server; decide whether it should be)", f.path, d)
			continue
		}
		diff += d
	}
	return diff
}

var (
	rePluralsElem = regexp.MustCompile(`(?s)<plurals\s.*?</plurals>`)
	reOtherItem   = regexp.MustCompile(`(?s)<item quantity="other">.*?</item>`)
)

// addMissingOne copies the "other" item of a <plurals> without a "one"
// item, as the pseudo file (English categories one, other) holds it.
func addMissingOne(src string) string {
	return rePluralsElem.ReplaceAllStringFunc(src, func(el string) string {
		if strings.Contains(el, `quantity="one"`) {
			return el
		}
		return el + reOtherItem.FindString(el)
	})
}

// checkSources: the source export has every source file at its own path,
// every text wrapped in an invisible token, and each file still accepted by
// its consumer.
func (p *project) checkSources(t *testing.T, files map[string][]byte, dir string, results map[string]*setResult) {
	t.Helper()
	want := map[string]bool{}
	var props []string
	for _, set := range corpusSets {
		var problems []string
		res := results[set.name]
		for _, f := range set.files {
			want[f.path] = true
			data, ok := files[f.path]
			if !ok {
				problems = append(problems, "missing "+f.path)
				continue
			}
			disk := filepath.Join(dir, filepath.FromSlash(f.path))
			if set.parser == "properties" {
				props = append(props, disk)
			} else if err := consumerCheck(t, f.path, disk, data); err != nil {
				t.Errorf("sources %s: %v", f.path, err)
				problems = append(problems, "consumer")
			}
			if n, units := countTokens(data), res.unitsByFile[f.id]; n < units {
				t.Errorf("sources %s: %d tokens for %d strings", f.path, n, units)
				problems = append(problems, fmt.Sprintf("tokens %d<%d", n, units))
			}
		}
		res.sources = verdict(problems)
	}
	checkNames(t, "sources", files, want)
	checkLoadable(t, "sources", props, results["java-properties"], func(r *setResult, s string) { r.sources = s })
}

// checkLoadable loads exported .properties files with java.util.Properties.
func checkLoadable(t *testing.T, kind string, files []string, res *setResult, mark func(*setResult, string)) {
	t.Helper()
	loaded := javaProperties(t, files)
	for _, f := range files {
		if loaded != nil && len(loaded[f]) == 0 {
			t.Errorf("%s %s: java.util.Properties loaded no entries", kind, f)
			mark(res, "java: empty")
		}
	}
}

func verdict(problems []string) string {
	if len(problems) == 0 {
		return "ok"
	}
	return strings.Join(problems, ", ")
}
