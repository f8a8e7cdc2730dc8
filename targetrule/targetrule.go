// Package targetrule turns a file's target rule, such as
// "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)", into the path of the
// file written for one locale.
//
// # Variables
//
// Names are case-insensitive. For the source file "lang/en.json" and the
// locale "sr-Latn-RS":
//
//	$(sourceFilePath)         lang         folder of the source file ("" at the root)
//	$(sourceFileName)         en.json
//	$(sourceFileNameNoExt)    en
//	$(sourceFileExt)          .json        with its dot; "" when there is none
//	$(targetLocale)           sr-Latn-RS   as configured, "_" read as "-"
//	$(targetLocaleUnderscore) sr_Latn_RS   as configured, "-" written as "_"
//	$(targetLanguage)         sr           lowercase
//	$(targetScript)           Latn         title case; "" when there is none
//	$(targetRegion)           RS           uppercase; "" when there is none
//	$(androidQualifier)       b+sr+Latn+RS Android resource qualifier
//
// $(androidQualifier) is what follows "values-" in an Android resource
// folder: "de" for de, "de-rDE" for de-DE, and the BCP 47 form
// "b+sr+Latn" for anything with a script or other subtags. The rule for
// Android strings is therefore
//
//	$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)
//
// which turns res/values/strings.xml into res/values-de-rDE/strings.xml.
//
// When $(sourceFilePath) is empty, a "/" right after it is dropped too, so
// a file at the project root does not get an absolute target path.
//
// # Safety
//
// The expanded path is cleaned with path.Clean. A result that is absolute,
// climbs out of the project with "..", is empty, or contains a backslash
// or a NUL byte is an error: it must never become a file in an export.
package targetrule

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// ErrOutside is wrapped by errors for rules that resolve outside the project.
var ErrOutside = errors.New("outside the project")

type vars struct {
	dir, name, noExt, ext     string
	locale, lang, script, reg string
	android                   string
}

// Expand resolves rule for the source file at sourcePath (slash-separated,
// relative to the project) and the locale.
func Expand(rule, sourcePath, locale string) (string, error) {
	v, err := newVars(sourcePath, locale)
	if err != nil {
		return "", err
	}
	out, err := expand(rule, v)
	if err != nil {
		return "", err
	}
	return checkResult(rule, out)
}

// Validate checks a rule when it is stored: every variable must be known
// and the rule must stay inside the project for a typical source file.
func Validate(rule string) error {
	if strings.TrimSpace(rule) == "" {
		return errors.New("target rule is empty")
	}
	_, err := Expand(rule, "dir/sub/file.json", "de-DE")
	return err
}

func newVars(sourcePath, locale string) (vars, error) {
	if strings.ContainsAny(sourcePath, "\\\x00") || path.IsAbs(sourcePath) {
		return vars{}, fmt.Errorf("source path %q is not a relative slash-separated path", sourcePath)
	}
	sp := path.Clean(sourcePath)
	if sp == "." || sp == ".." || strings.HasPrefix(sp, "../") {
		return vars{}, fmt.Errorf("source path %q is %w", sourcePath, ErrOutside)
	}
	v := vars{name: path.Base(sp), ext: path.Ext(sp)}
	if d := path.Dir(sp); d != "." {
		v.dir = d
	}
	v.noExt = strings.TrimSuffix(v.name, v.ext)
	l, err := parseLocale(locale)
	if err != nil {
		return vars{}, err
	}
	v.locale, v.lang, v.script, v.reg = l.given, l.lang, l.script, l.region
	v.android = l.android()
	return v, nil
}

func (v vars) lookup(name string) (string, bool) {
	switch strings.ToLower(name) {
	case "sourcefilepath":
		return v.dir, true
	case "sourcefilename":
		return v.name, true
	case "sourcefilenamenoext":
		return v.noExt, true
	case "sourcefileext":
		return v.ext, true
	case "targetlocale":
		return v.locale, true
	case "targetlocaleunderscore":
		return strings.ReplaceAll(v.locale, "-", "_"), true
	case "targetlanguage":
		return v.lang, true
	case "targetscript":
		return v.script, true
	case "targetregion":
		return v.reg, true
	case "androidqualifier":
		return v.android, true
	}
	return "", false
}

func expand(rule string, v vars) (string, error) {
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
			return "", fmt.Errorf("rule %q: unterminated variable at byte %d", rule, i+j)
		}
		name := rule[start : start+end]
		val, ok := v.lookup(name)
		if !ok {
			return "", fmt.Errorf("rule %q: unknown variable $(%s)", rule, name)
		}
		b.WriteString(val)
		i = start + end + 1
		// An empty folder must not turn "$(sourceFilePath)/x" into "/x".
		if val == "" && strings.EqualFold(name, "sourceFilePath") && strings.HasPrefix(rule[i:], "/") {
			i++
		}
	}
	return b.String(), nil
}

func checkResult(rule, out string) (string, error) {
	if strings.ContainsAny(out, "\\\x00") {
		return "", fmt.Errorf("rule %q resolves to %q, which contains a backslash or NUL", rule, out)
	}
	if path.IsAbs(out) {
		return "", fmt.Errorf("rule %q resolves to %q, %w", rule, out, ErrOutside)
	}
	p := path.Clean(out)
	if p == "." || p == "" {
		return "", fmt.Errorf("rule %q resolves to an empty path", rule)
	}
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("rule %q resolves to %q, %w", rule, p, ErrOutside)
	}
	return p, nil
}
