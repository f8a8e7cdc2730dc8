package po

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"regexp"
	"strconv"
	"strings"

	"github.com/tolk-l10n/tolk/internal/plural"
)

// pluralRule is a gettext plural formula and, for each msgstr index, the
// CLDR category whose numbers the formula sends there.
type pluralRule struct {
	expr string
	cats []string // len(cats) is nplurals
}

func (r pluralRule) header() string {
	return "nplurals=" + strconv.Itoa(len(r.cats)) + "; plural=" + r.expr + ";"
}

// Formulas from the GNU gettext manual ("Plural forms", "Additional
// functions for plural forms") as msginit writes them; the categories
// are Unicode CLDR's for the integers each index covers. A CLDR category
// that only fractions reach (ru "other", cs "many") has no index of its own.
var (
	ruleOne      = pluralRule{"0", []string{"other"}}
	ruleNotOne   = pluralRule{"(n != 1)", []string{"one", "other"}}
	ruleOverOne  = pluralRule{"(n > 1)", []string{"one", "other"}}
	ruleEastSlav = pluralRule{"(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)", []string{"one", "few", "many"}}
	// Serbian, Croatian and Bosnian share the Russian formula, but CLDR
	// calls the third class "other" there, not "many".
	ruleSerboCroat = pluralRule{ruleEastSlav.expr, []string{"one", "few", "other"}}
	ruleCzech      = pluralRule{"(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2", []string{"one", "few", "other"}}
	rulePolish     = pluralRule{"(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)", []string{"one", "few", "many"}}
	ruleLithuan    = pluralRule{"(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)", []string{"one", "few", "other"}}
	ruleLatvian    = pluralRule{"(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)", []string{"one", "other", "zero"}}
	ruleRomanian   = pluralRule{"(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2)", []string{"one", "few", "other"}}
	ruleSlovenian  = pluralRule{"(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)", []string{"one", "two", "few", "other"}}
	ruleIrish      = pluralRule{"(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4)", []string{"one", "two", "few", "many", "other"}}
	ruleArabic     = pluralRule{"(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)", []string{"zero", "one", "two", "few", "many", "other"}}
)

// rules maps a gettext language (ll or ll_CC) to its formula; ruleList
// holds the formulas in table order, for lookups by formula text.
var (
	rules    = map[string]pluralRule{}
	ruleList []pluralRule
)

func init() {
	groups := []struct {
		rule  pluralRule
		langs string
	}{
		{ruleOne, "ja ko zh vi th id ms lo my km bo dz jv su ka"},
		{ruleNotOne, "en de nl sv da nb nn no fo et fi hu el he it pt es eo bg ca eu gl af az sq " +
			"ur sw ta te ml kn mr ne pa gu bn si tr kk ky uz mn ps ku lb nah is fy rm"},
		{ruleOverOne, "fr pt_BR fa hi am ln br wa ti"},
		{ruleEastSlav, "ru uk be"},
		{ruleSerboCroat, "sr hr bs"},
		{ruleCzech, "cs sk"},
		{rulePolish, "pl"},
		{ruleLithuan, "lt"},
		{ruleLatvian, "lv"},
		{ruleRomanian, "ro mo"},
		{ruleSlovenian, "sl"},
		{ruleIrish, "ga"},
		{ruleArabic, "ar"},
	}
	for _, g := range groups {
		ruleList = append(ruleList, g.rule)
		for _, l := range strings.Fields(g.langs) {
			rules[l] = g.rule
		}
	}
}

// gettextLocale turns a BCP 47 tag into gettext's ll_CC spelling.
func gettextLocale(locale string) string {
	return strings.ReplaceAll(locale, "-", "_")
}

// ruleFor finds the formula of locale: ll_CC first, then ll.
func ruleFor(locale string) (pluralRule, bool) {
	l := gettextLocale(locale)
	if r, ok := rules[l]; ok {
		return r, true
	}
	if i := strings.IndexAny(l, "_@."); i > 0 {
		r, ok := rules[strings.ToLower(l[:i])]
		return r, ok
	}
	r, ok := rules[strings.ToLower(l)]
	return r, ok
}

// targetRule is the formula written for locale. For a language missing
// from the table, a language with a "one" category gets the Germanic rule
// and any other the single form: both are valid gettext.
// writeRule returns the formula a written file uses. A pseudo locale speaks
// the source language, so its file gets the source language's formula and
// keeps every form of the source.
func writeRule(t format.Target) pluralRule {
	if t.Kind == format.KindPseudo && t.SourceLocale != "" {
		return targetRule(t.SourceLocale)
	}
	return targetRule(t.Locale)
}

func targetRule(locale string) pluralRule {
	if r, ok := ruleFor(locale); ok {
		return r
	}
	for _, c := range plural.Categories(locale) {
		if c == "one" {
			return ruleNotOne
		}
	}
	return ruleOne
}

var pluralFormsRe = regexp.MustCompile(`nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]*)`)

// headerRule reads a Plural-Forms value, mapping its indexes to CLDR
// categories: by the table's rule for lang when nplurals agrees (a file's
// formula is usually its language's, spelled differently), else by a
// table formula with the same text, else in lang's CLDR order.
func headerRule(value, lang string) (pluralRule, bool) {
	m := pluralFormsRe.FindStringSubmatch(value)
	if m == nil {
		return pluralRule{}, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 || n > 6 {
		return pluralRule{}, false
	}
	expr := normExpr(m[2])
	// The language's own rule first: sr and ru share a formula but not
	// the name of its last class.
	if r, ok := ruleFor(lang); ok && len(r.cats) == n {
		return pluralRule{m[2], r.cats}, true
	}
	for _, r := range ruleList {
		if len(r.cats) == n && normExpr(r.expr) == expr {
			return pluralRule{m[2], r.cats}, true
		}
	}
	return pluralRule{m[2], fallbackCats(lang, n)}, true
}

// fallbackCats guesses: the language's CLDR categories in order, "other"
// always last.
func fallbackCats(lang string, n int) []string {
	var cats []string
	for _, c := range plural.Categories(lang) {
		if c != "other" && len(cats) < n-1 {
			cats = append(cats, c)
		}
	}
	for len(cats) < n-1 {
		cats = append(cats, "other")
	}
	return append(cats, "other")
}

// normExpr drops spaces and redundant outer parentheses, so "n != 1" and
// "(n != 1)" compare equal.
func normExpr(e string) string {
	e = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' {
			return -1
		}
		return r
	}, e)
	for strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")") && balanced(e[1:len(e)-1]) {
		e = e[1 : len(e)-1]
	}
	return e
}

func balanced(s string) bool {
	depth := 0
	for _, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
