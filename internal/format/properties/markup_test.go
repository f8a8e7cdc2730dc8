package properties

import (
	"regexp"
	"slices"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	pseudoxlat "github.com/tolk-l10n/tolk/internal/pseudo"
)

var (
	htmlTag    = regexp.MustCompile(`</?[A-Za-z][^<>]*>`)
	htmlEntity = regexp.MustCompile(`&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);`)
)

// TestPseudoKeepsMarkup pseudo-translates the jspwiki source with the
// project's pseudo-translator and checks that every HTML tag, entity and
// MessageFormat argument comes back unchanged.
func TestPseudoKeepsMarkup(t *testing.T) {
	syn := Format{}.Syntax(nil)
	if got := pseudoxlat.Translate("<p>Go edit {0}</p>&nbsp;", syn); !regexp.MustCompile(`^.*<p>.*\{0\}.*</p>.*&nbsp;.*$`).MatchString(got) {
		t.Errorf("pseudo damaged the sample: %q", got)
	}
	_, doc := formattest.ParseFile(t, Format{}, corpusPath("default.properties"), false)
	out := formattest.Write(t, doc, format.Target{Kind: format.KindPseudo, Locale: "en-XA"}, func(u *format.Unit) format.Output {
		return format.Output{Text: pseudoxlat.Translate(u.Text, syn), Status: format.Translated}
	})
	back, err := Format{}.Parse(out, format.ParseOptions{Name: "pseudo"})
	if err != nil {
		t.Fatalf("re-parse pseudo: %v", err)
	}
	got := formattest.Texts(back.Units())
	counts := map[string]int{}
	for _, u := range doc.Units() {
		for name, re := range map[string]*regexp.Regexp{"tags": htmlTag, "entities": htmlEntity, "arguments": messageArg} {
			want := re.FindAllString(u.Text, -1)
			counts[name] += len(want)
			if g := re.FindAllString(got[u.Key], -1); !slices.Equal(g, want) {
				t.Errorf("key %q: %s %q, want %q", u.Key, name, g, want)
			}
		}
	}
	if counts["tags"]+counts["entities"] < 71 {
		t.Errorf("found %v; the corpus has at least 71 tags and entities", counts)
	}
	t.Logf("kept %v", counts)
}
