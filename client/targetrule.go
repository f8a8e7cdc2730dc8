package client

import (
	"fmt"
	"path"
	"strings"
)

// ExpandTargetRule resolves a target rule for a source file (slash-separated
// path relative to the project) and a locale, as the server does. Variable
// names are case-insensitive; for "lang/en.json" and "de-DE":
//
//	$(sourceFilePath)         lang   ("" at the root; a "/" right after it is then dropped)
//	$(sourceFileName)         en.json
//	$(sourceFileNameNoExt)    en
//	$(sourceFileExt)          .json
//	$(targetLocale)           de-DE
//	$(targetLocaleUnderscore) de_DE
//	$(targetLanguage)         de
//	$(targetScript)           ""     (Latn for sr-Latn-RS)
//	$(targetRegion)           DE
//	$(androidQualifier)       de-rDE
//
// A result outside the project (absolute, or climbing out with "..") is an
// error.
func ExpandTargetRule(rule, sourcePath, locale string) (string, error) {
	vars, err := ruleVars(sourcePath, locale)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i := 0; i < len(rule); {
		j := strings.Index(rule[i:], "$(")
		if j < 0 {
			b.WriteString(rule[i:])
			break
		}
		b.WriteString(rule[i : i+j])
		start := i + j + 2
		end := strings.IndexByte(rule[start:], ')')
		if end < 0 {
			return "", fmt.Errorf("target rule %q: unterminated variable", rule)
		}
		name := strings.ToLower(rule[start : start+end])
		val, ok := vars[name]
		if !ok {
			return "", fmt.Errorf("target rule %q: unknown variable $(%s)", rule, rule[start:start+end])
		}
		b.WriteString(val)
		i = start + end + 1
		if val == "" && name == "sourcefilepath" && strings.HasPrefix(rule[i:], "/") {
			i++
		}
	}
	return checkRulePath(rule, b.String())
}

func checkRulePath(rule, p string) (string, error) {
	if strings.ContainsAny(p, "\\\x00") || path.IsAbs(p) {
		return "", fmt.Errorf("target rule %q resolves to %q, outside the project", rule, p)
	}
	p = path.Clean(p)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("target rule %q resolves to %q, outside the project", rule, p)
	}
	return p, nil
}

// ruleVars computes the rule variables, keyed by lower-case name.
func ruleVars(sourcePath, locale string) (map[string]string, error) {
	sp := path.Clean(sourcePath)
	if sp == "." || path.IsAbs(sp) || sp == ".." || strings.HasPrefix(sp, "../") {
		return nil, fmt.Errorf("source path %q is not inside the project", sourcePath)
	}
	dir := path.Dir(sp)
	if dir == "." {
		dir = ""
	}
	name := path.Base(sp)
	ext := path.Ext(name)
	lang, script, region, tag, err := splitLocale(locale)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		"sourcefilepath":         dir,
		"sourcefilename":         name,
		"sourcefilenamenoext":    strings.TrimSuffix(name, ext),
		"sourcefileext":          ext,
		"targetlocale":           tag,
		"targetlocaleunderscore": strings.ReplaceAll(tag, "-", "_"),
		"targetlanguage":         lang,
		"targetscript":           script,
		"targetregion":           region,
		"androidqualifier":       androidQualifier(lang, script, region, tag),
	}, nil
}

// splitLocale reads a BCP 47 tag ("de-DE", "de_DE", "sr-Latn-RS", "es-419")
// and normalises its case.
func splitLocale(locale string) (lang, script, region, tag string, err error) {
	parts := strings.FieldsFunc(locale, func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 || len(parts[0]) < 2 || len(parts[0]) > 8 || !isAlpha(parts[0]) {
		return "", "", "", "", fmt.Errorf("locale %q is not a BCP 47 tag", locale)
	}
	lang = strings.ToLower(parts[0])
	out := []string{lang}
	for _, p := range parts[1:] {
		switch {
		case script == "" && region == "" && len(out) == 1 && len(p) == 4 && isAlpha(p):
			script = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
			out = append(out, script)
		case region == "" && len(out) <= 2 && (len(p) == 2 && isAlpha(p) || len(p) == 3 && isDigits(p)):
			region = strings.ToUpper(p)
			out = append(out, region)
		default:
			out = append(out, strings.ToLower(p))
		}
	}
	return lang, script, region, strings.Join(out, "-"), nil
}

func androidQualifier(lang, script, region, tag string) string {
	if script == "" && tag == strings.Trim(lang+"-"+region, "-") && len(lang) <= 3 && len(region) != 3 {
		if region == "" {
			return lang
		}
		return lang + "-r" + region
	}
	return "b+" + strings.ReplaceAll(tag, "-", "+")
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
