package client

import "github.com/tolk-l10n/tolk/targetrule"

// ExpandTargetRule resolves a target rule for a source file (slash-separated
// path relative to the project) and a locale, exactly as the server does:
// it is targetrule.Expand, whose documentation lists the variables. For
// "lang/en.json" and "de-DE", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)"
// is "lang/de-DE.json". A result outside the project is an error.
func ExpandTargetRule(rule, sourcePath, locale string) (string, error) {
	return targetrule.Expand(rule, sourcePath, locale)
}
