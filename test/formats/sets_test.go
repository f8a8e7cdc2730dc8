package formats

import (
	"path"
	"strings"
)

// The project's locales. Every corpus translation is aligned to one of them:
//
//	json-nested     de-DE.json -> de, ar-SA.json -> ar, ja-JP.json -> ja
//	json-flat-icu   de.json -> de, ru.json -> ru, ja.json -> ja
//	properties      default_de -> de, default_ru -> ru, default_zh_CN -> zh-CN
//	gettext-po      de.po -> de, ru.po -> ru, ja.po -> ja
//	yaml-rails      de.yml -> de, ru.yml -> ru, ja.yml -> ja
//	flutter-arb     app_de -> de, app_ru -> ru, app_ja -> ja
//	apple-strings   de.lproj -> de, ru.lproj -> ru, ar.lproj -> ar
//	xliff-1.2       validators.{de,ru,ja,ar}.xlf -> de, ru, ja, ar
//	xliff-2.0       messages.de -> de, messages.ru -> ru, messages.zh_CN -> zh-CN
//	android         values-{de,ru,ja} -> de, ru, ja
//	resx            Resources.{de,ru,ar}.resx -> de, ru, ar
//
// Locales a set has no translation for still get a target file (with the
// untranslated policy's content), so every source file has five targets.
var (
	sourceLocale  = "en"
	targetLocales = []string{"de", "ru", "ja", "ar", "zh-CN"}
)

// corpusFile is one source file of a set and the corpus translations
// aligned to it, by project locale. Paths are corpus-relative and are also
// the file's path in the project.
type corpusFile struct {
	id    string
	path  string
	trans map[string]string
}

// corpusSet is one directory of the corpus: the parser, the target rule and
// the parser settings all its files get, and how the test checks them.
type corpusSet struct {
	name     string // corpus directory, also the table's row name
	parser   string
	ruleID   string
	rule     string
	settings map[string]any // PUT .../files/{id}/settings, nil for none
	files    []corpusFile
	// target is the conventional path of a source's target file, written
	// independently of the server's rule language.
	target func(src, locale string) string
	// policyEmpty: the format's untranslated policy defaults to "empty"
	// (bilingual PO and XLIFF), so a re-imported target stores exactly the
	// strings that were translated.
	policyEmpty bool
	// bilingualAdd: a pseudo file holds each source text beside its pseudo
	// text (PO's msgid + msgstr), so its placeholders add to the source's.
	bilingualAdd bool
}

func dir(p string) string     { return path.Dir(p) }
func under(loc string) string { return strings.ReplaceAll(loc, "-", "_") }
func lang(loc string) string  { return strings.ToLower(strings.SplitN(loc, "-", 2)[0]) }

func androidQualifier(loc string) string {
	parts := strings.Split(loc, "-")
	switch {
	case len(parts) == 1:
		return parts[0]
	case len(parts) == 2 && (len(parts[1]) == 2 || len(parts[1]) == 3 && parts[1][0] >= '0' && parts[1][0] <= '9'):
		return parts[0] + "-r" + strings.ToUpper(parts[1])
	}
	for i, p := range parts[1:] {
		if len(p) == 4 { // a script subtag, title case as BCP 47 writes it
			parts[i+1] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		}
	}
	return "b+" + strings.Join(parts, "+")
}

func withDir(base string, names map[string]string) map[string]string {
	out := make(map[string]string, len(names))
	for loc, n := range names {
		out[loc] = base + "/" + n
	}
	return out
}

const (
	excalidraw = "json-nested/excalidraw/packages/excalidraw/locales"
	overseerr  = "json-flat-icu/overseerr/src/i18n/locale"
	jspwiki    = "java-properties/jspwiki/jspwiki-main/src/main/resources/templates"
	mypaint    = "gettext-po/mypaint/po"
	redmine    = "yaml-rails/redmine/config/locales"
	aves       = "flutter-arb/aves/lib/l10n"
	mastodon   = "apple-strings/mastodon-ios/MastodonSDK/Sources/MastodonLocalization/Resources"
	symfony    = "xliff-1.2/symfony-validator/Resources/translations"
	bolt       = "xliff-2.0/bolt-core/translations"
	etar       = "android-strings/etar-calendar/app/src/main/res"
	humanizer  = "resx/humanizer/src/Humanizer/Properties"
)

func lproj(name string) map[string]string {
	return withDir(mastodon, map[string]string{"de": "de.lproj/" + name, "ru": "ru.lproj/" + name, "ar": "ar.lproj/" + name})
}

func valuesDir(name string) map[string]string {
	return withDir(etar, map[string]string{"de": "values-de/" + name, "ru": "values-ru/" + name, "ja": "values-ja/" + name})
}

var corpusSets = []corpusSet{
	{
		name: "json-nested", parser: "json", ruleID: "TR_json",
		rule:   "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)",
		files:  []corpusFile{{"excalidraw", excalidraw + "/en.json", withDir(excalidraw, map[string]string{"de": "de-DE.json", "ar": "ar-SA.json", "ja": "ja-JP.json"})}},
		target: func(src, loc string) string { return dir(src) + "/" + loc + ".json" },
	},
	{
		name: "json-flat-icu", parser: "json", ruleID: "TR_json",
		rule:   "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)",
		files:  []corpusFile{{"overseerr", overseerr + "/en.json", withDir(overseerr, map[string]string{"de": "de.json", "ru": "ru.json", "ja": "ja.json"})}},
		target: func(src, loc string) string { return dir(src) + "/" + loc + ".json" },
	},
	{
		name: "java-properties", parser: "properties", ruleID: "TR_properties",
		rule:   "$(sourceFilePath)/$(sourceFileNameNoExt)_$(targetLocaleUnderscore)$(sourceFileExt)",
		files:  []corpusFile{{"jspwiki", jspwiki + "/default.properties", withDir(jspwiki, map[string]string{"de": "default_de.properties", "ru": "default_ru.properties", "zh-CN": "default_zh_CN.properties"})}},
		target: func(src, loc string) string { return dir(src) + "/default_" + under(loc) + ".properties" },
	},
	{
		name: "gettext-po", parser: "po", ruleID: "TR_po",
		rule:        "$(sourceFilePath)/$(targetLocaleUnderscore).po",
		files:       []corpusFile{{"mypaint", mypaint + "/mypaint.pot", withDir(mypaint, map[string]string{"de": "de.po", "ru": "ru.po", "ja": "ja.po"})}},
		target:      func(src, loc string) string { return dir(src) + "/" + under(loc) + ".po" },
		policyEmpty: true, bilingualAdd: true,
	},
	{
		name: "yaml-rails", parser: "yaml", ruleID: "TR_yaml",
		rule:   "$(sourceFilePath)/$(targetLocale).yml",
		files:  []corpusFile{{"redmine", redmine + "/en.yml", withDir(redmine, map[string]string{"de": "de.yml", "ru": "ru.yml", "ja": "ja.yml"})}},
		target: func(src, loc string) string { return dir(src) + "/" + loc + ".yml" },
	},
	{
		name: "flutter-arb", parser: "arb", ruleID: "TR_arb",
		rule:   "$(sourceFilePath)/app_$(targetLocaleUnderscore).arb",
		files:  []corpusFile{{"aves", aves + "/app_en.arb", withDir(aves, map[string]string{"de": "app_de.arb", "ru": "app_ru.arb", "ja": "app_ja.arb"})}},
		target: func(src, loc string) string { return dir(src) + "/app_" + under(loc) + ".arb" },
	},
	{
		name: "apple-strings", parser: "strings", ruleID: "TR_apple",
		rule:   "$(sourceFilePath)/../$(targetLanguage).lproj/$(sourceFileName)",
		files:  []corpusFile{{"mastodon-strings", mastodon + "/en.lproj/Localizable.strings", lproj("Localizable.strings")}},
		target: func(src, loc string) string { return mastodon + "/" + lang(loc) + ".lproj/" + path.Base(src) },
	},
	{
		name: "apple-stringsdict", parser: "stringsdict", ruleID: "TR_apple",
		rule:   "$(sourceFilePath)/../$(targetLanguage).lproj/$(sourceFileName)",
		files:  []corpusFile{{"mastodon-stringsdict", mastodon + "/en.lproj/Localizable.stringsdict", lproj("Localizable.stringsdict")}},
		target: func(src, loc string) string { return mastodon + "/" + lang(loc) + ".lproj/" + path.Base(src) },
	},
	{
		name: "xliff-1.2", parser: "xliff", ruleID: "TR_xliff_validators",
		rule:        "$(sourceFilePath)/validators.$(targetLocaleUnderscore).xlf",
		files:       []corpusFile{{"symfony", symfony + "/validators.en.xlf", withDir(symfony, map[string]string{"de": "validators.de.xlf", "ru": "validators.ru.xlf", "ja": "validators.ja.xlf", "ar": "validators.ar.xlf"})}},
		target:      func(src, loc string) string { return dir(src) + "/validators." + under(loc) + ".xlf" },
		policyEmpty: true,
	},
	{
		name: "xliff-2.0", parser: "xliff", ruleID: "TR_xliff_messages",
		rule:        "$(sourceFilePath)/messages.$(targetLocaleUnderscore).xlf",
		settings:    map[string]any{"sourceFromTarget": true},
		files:       []corpusFile{{"bolt", bolt + "/messages.en.xlf", withDir(bolt, map[string]string{"de": "messages.de.xlf", "ru": "messages.ru.xlf", "zh-CN": "messages.zh_CN.xlf"})}},
		target:      func(src, loc string) string { return dir(src) + "/messages." + under(loc) + ".xlf" },
		policyEmpty: true,
	},
	{
		name: "android-strings", parser: "android", ruleID: "TR_android",
		rule: "$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)",
		files: []corpusFile{
			{"etar-strings", etar + "/values/strings.xml", valuesDir("strings.xml")},
			{"etar-arrays", etar + "/values/arrays.xml", valuesDir("arrays.xml")},
		},
		target: func(src, loc string) string { return etar + "/values-" + androidQualifier(loc) + "/" + path.Base(src) },
	},
	{
		name: "resx", parser: "resx", ruleID: "TR_resx",
		rule:   "$(sourceFilePath)/$(sourceFileNameNoExt).$(targetLocale)$(sourceFileExt)",
		files:  []corpusFile{{"humanizer", humanizer + "/Resources.resx", withDir(humanizer, map[string]string{"de": "Resources.de.resx", "ru": "Resources.ru.resx", "ar": "Resources.ar.resx"})}},
		target: func(src, loc string) string { return dir(src) + "/Resources." + loc + ".resx" },
	},
}
