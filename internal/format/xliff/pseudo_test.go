package xliff

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/pseudo"
)

// placeholderRes are the placeholders XLIFF texts carry, written for this
// test rather than taken from package placeholder.
var placeholderRes = regexp.MustCompile(`\{\{ ?\w+ ?\}\}|%\w+%|%(?:\d+\$)?[sd]|\{\w+\}|</?\w+[^<>]*>`)

// checkPseudo reports a pseudo text that alters or drops a placeholder of
// text, or leaves a text with words unchanged.
func checkPseudo(t *testing.T, key, text string) {
	t.Helper()
	got := pseudo.Translate(text, Format{}.Syntax(nil))
	rest := got
	for _, ph := range placeholderRes.FindAllString(text, -1) {
		i := strings.Index(rest, ph)
		if i < 0 {
			t.Errorf("%s: pseudo %q lost placeholder %q of %q", key, got, ph, text)
			return
		}
		rest = rest[i+len(ph):]
	}
	if prose := placeholderRes.ReplaceAllString(text, ""); strings.ContainsAny(prose, "aeiouAEIOU") && strings.Contains(got, prose) {
		t.Errorf("%s: pseudo %q left the prose of %q unchanged", key, got, text)
	}
}

func TestPseudoKeepsPlaceholders(t *testing.T) {
	for _, text := range []string{
		`At least %s chars, {name}`, `%count% items|%count% item`, `Max {{ limit }} and {{limit}}`,
		`Click <g id="1">here</g>`, `Hello %1$s`,
	} {
		checkPseudo(t, "table", text)
	}
	// Prose that only resembles placeholders stays translatable.
	for text, want := range map[string]string{
		"50% off":          "50% öƒƒ",
		"{not an argument": "{ñöţ åñ åŕĝûɱéñţ",
		"100 % sure":       "100 % šûŕé",
	} {
		if got := pseudo.Translate(text, Format{}.Syntax(nil)); !strings.HasPrefix(got, "["+want) {
			t.Errorf("pseudo %q = %q, want it to start with [%s", text, got, want)
		}
	}
}

// TestCorpusPseudo pseudo-translates every unit of the corpus source files.
func TestCorpusPseudo(t *testing.T) {
	for _, set := range corpusSets {
		doc := formattest.Parse(t, Format{}, readCorpus(t, set, set.source), set.source, set.settings, false)
		n := 0
		for _, u := range doc.Units() {
			checkPseudo(t, u.Key, u.Text)
			n += len(placeholderRes.FindAllString(u.Text, -1))
		}
		if n == 0 {
			t.Errorf("%s: no placeholder found; the check proves nothing", set.source)
		}
		// The written pseudo file reads back with the same texts.
		got := formattest.Write(t, doc, format.Target{Kind: format.KindPseudo, Locale: "qps-ploc"}, func(u *format.Unit) format.Output {
			return format.Output{Text: pseudo.Translate(u.Text, Format{}.Syntax(nil)), Status: format.Translated}
		})
		back := formattest.Parse(t, Format{}, got, set.source, set.settings, true).Units()
		for i, u := range doc.Units() {
			if want := pseudo.Translate(u.Text, Format{}.Syntax(nil)); back[i].Text != want {
				t.Errorf("%s: pseudo read back as %q, want %q", u.Key, back[i].Text, want)
			}
		}
		t.Logf("%s: %d units, %d placeholders kept", set.source, len(doc.Units()), n)
	}
}
