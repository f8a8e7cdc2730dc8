package formats

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Placeholder syntaxes per corpus set, written for this test (not taken
// from internal/placeholder): each match is counted by its exact text.
// disputed holds syntaxes the server does not protect yet and the lead has
// to decide on (see knownIssue).
type syntaxes struct {
	strict, disputed []*regexp.Regexp
	icu              bool // ICU plural branches: "one {" is syntax, "{Country}" inside it text
}

var (
	reICUArg     = `\{\s*\w+\s*,\s*(?:plural|select|selectordinal|number|date|time)\b`
	reICUBranch  = `(?:zero|one|two|few|many|other|=\d+)\s*\x{AB}`
	reICUSimple  = `\{\w+\}`
	rePrintfC    = `%(?:\d+\$)?(?:lld|ld|lu|hhd|d|i|u|f|s|@|#@\w+@)`
	placeholders = map[string]syntaxes{
		"json-nested":       {strict: compile(`\{\{[^{}]+\}\}`, `</?\w+>`)},
		"json-flat-icu":     {strict: compile(reICUArg, reICUBranch, reICUSimple, `</?\w+>`), icu: true},
		"java-properties":   {strict: compile(`\{\d+(?:,[^{}]*)?\}`)},
		"gettext-po":        {strict: compile(`%\(\w+\)[sd]`, `%[sd]`, `\{\w*\}`, `</?[a-z]+>`)},
		"yaml-rails":        {strict: compile(`%\{\w+\}`), disputed: compile(`%[a-zA-Z]`)},
		"flutter-arb":       {strict: compile(reICUArg, reICUBranch, reICUSimple), icu: true},
		"apple-strings":     {strict: compile(rePrintfC)},
		"apple-stringsdict": {strict: compile(rePrintfC)},
		"xliff-1.2":         {strict: compile(`\{\{ ?\w+ ?\}\}`, `%\w+%`, `\|`)},
		"xliff-2.0":         {strict: compile(`%\w+%`, `<a\s[^<>]*>`, `</a>`, `<!\[CDATA\[`)},
		"android-strings":   {strict: compile(`%(?:\d+\$)?[sdf]`, `<xliff:g[^<>]*>`, `</xliff:g>`)},
		"resx":              {strict: compile(`\{\d+\}`)},
	}
	// icuBranchOpen is a plural or select branch opening: after the
	// argument's keyword or after the previous branch.
	icuBranchOpen = regexp.MustCompile(`((?:plural|select|selectordinal)\s*,\s*|\}\s*)((?:zero|one|two|few|many|other|=\d+)\s*)\{`)
)

func compile(exprs ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		out[i] = regexp.MustCompile(e)
	}
	return out
}

// countPlaceholders counts the placeholders of a set's strict syntaxes (or
// of its disputed ones) in text.
var poContinuation = regexp.MustCompile(`"\r?\n"`)

func countPlaceholders(set string, disputed bool, text string, into map[string]int) map[string]int {
	if into == nil {
		into = map[string]int{}
	}
	syn := placeholders[set]
	if set == "gettext-po" {
		// A PO string may be wrapped over several literals, even inside a
		// tag ("...</" "big>"), as gettext itself wraps: its value is
		// their concatenation.
		text = poContinuation.ReplaceAllString(text, "")
	}
	if syn.icu {
		// Mark branch openings so that a branch's text ("{Country}") is not
		// taken for a simple argument.
		text = icuBranchOpen.ReplaceAllString(text, "$1$2\u00ab")
	}
	res := syn.strict
	if disputed {
		res = syn.disputed
	}
	for _, re := range res {
		for _, m := range re.FindAllString(text, -1) {
			into[m]++
		}
	}
	return into
}

// countsDiff lists placeholders whose counts differ.
func countsDiff(want, got map[string]int) string {
	var diffs []string
	for k, w := range want {
		if got[k] != w {
			diffs = append(diffs, fmt.Sprintf("%q %d->%d", k, w, got[k]))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%q 0->%d", k, g))
		}
	}
	sort.Strings(diffs)
	n := len(diffs)
	if n > 8 {
		diffs = append(diffs[:8], "...")
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d placeholder counts differ (want->got): %s", n, strings.Join(diffs, ", "))
}

// androidNonTranslatable matches a translatable="false" resource with the
// comment right above it, which target and pseudo files leave out.
var androidNonTranslatable = compile(
	`(?s)(?:<!--(?:[^-]|-[^-])*-->[ \t]*\r?\n[ \t]*)?<string\s[^>]*translatable="false"[^>]*(?:/>|>.*?</string>)`,
	`(?s)(?:<!--(?:[^-]|-[^-])*-->[ \t]*\r?\n[ \t]*)?<string-array\s[^>]*translatable="false"[^>]*(?:/>|>.*?</string-array>)`,
	`(?s)(?:<!--(?:[^-]|-[^-])*-->[ \t]*\r?\n[ \t]*)?<plurals\s[^>]*translatable="false"[^>]*(?:/>|>.*?</plurals>)`,
)

func stripNonTranslatable(text string) string {
	for _, re := range androidNonTranslatable {
		text = re.ReplaceAllString(text, "")
	}
	return text
}

// The invisible token of a source export: U+206A three times, a run of
// zero-width characters, U+206A.
var reToken = regexp.MustCompile("\u206A\u206A\u206A[\u200B\u200C\u200D]+\u206A")

// unescapeTokenChars turns the escaped spellings of the token characters
// (\u206A in .properties and JSON, &#x206A; in XML) into the characters.
var tokenEscapes = strings.NewReplacer(
	`\u206A`, "\u206A", `\u206a`, "\u206A", `\u200B`, "\u200B", `\u200b`, "\u200B",
	`\u200C`, "\u200C", `\u200c`, "\u200C", `\u200D`, "\u200D", `\u200d`, "\u200D",
	"&#x206A;", "\u206A", "&#x206a;", "\u206A", "&#x200B;", "\u200B", "&#x200b;", "\u200B",
	"&#x200C;", "\u200C", "&#x200c;", "\u200C", "&#x200D;", "\u200D", "&#x200d;", "\u200D",
)

func countTokens(data []byte) int {
	return len(reToken.FindAllString(tokenEscapes.Replace(string(data)), -1))
}
