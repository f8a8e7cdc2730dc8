package formats

import (
	"fmt"
	"testing"

	"github.com/tolk-l10n/tolk/internal/plural"
)

// checkRoundTrip re-imports every exported target as the translation it was
// made from: no key may be unknown and every translation must come back
// unchanged, which proves the writer kept the values. For formats whose
// untranslated policy is "empty" the stored count must also equal what the
// corpus translation stored; the others write the source text for an
// untranslated string, which the re-import then stores as well.
func (p *project) checkRoundTrip(t *testing.T, targets map[string][]byte, results map[string]*setResult) {
	t.Helper()
	for _, set := range corpusSets {
		res := results[set.name]
		failed := 0
		for _, f := range set.files {
			for _, loc := range targetLocales {
				data, ok := targets[set.target(f.path, loc)]
				if !ok {
					continue
				}
				if err := p.roundTrip(t, set, f, loc, data, res.aligned[f.id+"/"+loc]); err != nil {
					t.Errorf("round trip %s -> %s: %v", f.id, loc, err)
					failed++
				}
			}
		}
		res.roundTrip = "ok"
		if failed > 0 {
			res.roundTrip = fmt.Sprintf("%d failed", failed)
		}
	}
}

func (p *project) roundTrip(t *testing.T, set corpusSet, f corpusFile, loc string, data []byte, corpus alignAnswer) error {
	t.Helper()
	before := p.stringsOf(t, f.id, loc)
	ans := p.align(t, f.id, loc, data)
	if len(ans.UnknownKeys) > 0 {
		return errorf("%d unknown keys, e.g. %q", len(ans.UnknownKeys), ans.UnknownKeys[0])
	}
	if set.policyEmpty && ans.Stored != corpus.Stored {
		return errorf("stored %d, the corpus translation stored %d", ans.Stored, corpus.Stored)
	}
	after := map[string]stringItem{}
	for _, it := range p.stringsOf(t, f.id, loc) {
		after[it.Key] = it
	}
	changed, pluralLost, example := 0, 0, ""
	for _, b := range before {
		if b.Translation == nil || b.Status == "untranslated" {
			continue
		}
		a := after[b.Key]
		if len(b.TransPlural) > 0 && len(a.TransPlural) == 0 && len(b.Plural) == 0 {
			pluralLost++
			continue
		}
		// A plural's text is its "other" form, which the target may fill in
		// when the translation lacks it; its forms are compared instead.
		textChanged := len(b.TransPlural) == 0 && (a.Translation == nil || *a.Translation != *b.Translation)
		if textChanged || !formsKept(a.TransPlural, localeForms(b.TransPlural, loc, set.parser == "yaml")) {
			changed++
			if example == "" {
				example = fmt.Sprintf("%q: %q %v -> %s %v", b.Key, *b.Translation, b.TransPlural, quoteOpt(a.Translation), a.TransPlural)
			}
		}
	}
	if pluralLost > 0 {
		knownIssue(t, "round trip %s -> %s: %d plural translations of singular source strings came back as their plain text; the target file cannot carry their forms (decide: write a plural where the translation has one?)", f.id, loc, pluralLost)
	}
	if changed > 0 {
		return errorf("%d translations changed, e.g. %s", changed, example)
	}
	return nil
}

// formsKept: every form of want came back unchanged. A form want lacks
// (an incomplete plural translation) is checked in the target file instead.
func formsKept(got, want map[string]string) bool {
	for c, w := range want {
		if g, ok := got[c]; !ok || g != w {
			return false
		}
	}
	return true
}

// localeForms keeps the forms of the locale's plural categories: a target
// file holds exactly those, and a Rails YAML file also "zero", which Rails
// uses for a count of 0 in every locale.
func localeForms(forms map[string]string, locale string, railsZero bool) map[string]string {
	if len(forms) == 0 {
		return forms
	}
	out := map[string]string{}
	cats := plural.Categories(locale)
	if railsZero {
		cats = append(cats, "zero")
	}
	for _, c := range cats {
		if v, ok := forms[c]; ok {
			out[c] = v
		}
	}
	return out
}

func quoteOpt(s *string) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%q", *s)
}
