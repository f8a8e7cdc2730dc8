// Package stringsdict reads and writes Apple .stringsdict files (parser id
// "stringsdict"): XML property lists of plural rules.
//
//	<key>files.count</key>
//	<dict>
//	  <key>NSStringLocalizedFormatKey</key>
//	  <string>%#@files@ selected</string>
//	  <key>files</key>
//	  <dict>
//	    <key>NSStringFormatSpecTypeKey</key>
//	    <string>NSStringPluralRuleType</string>
//	    <key>NSStringFormatValueTypeKey</key>
//	    <string>d</string>
//	    <key>one</key>
//	    <string>one file</string>
//	    <key>other</key>
//	    <string>%d files</string>
//	  </dict>
//	</dict>
//
// Each top-level entry gives one unit for its format key (unit key
// "files.count", text "%#@files@ selected") and one plural unit per
// variable (unit key "files.count/files", one form per category key). A
// target file gets, in every variable, exactly the categories of its
// locale, in CLDR order and with the source's indentation; the other keys
// of the variable (spec and value type) stay as they are. A source "zero"
// key is kept in every locale when the output gives it a text: Apple uses
// it for the value 0 "regardless of what CLDR rule specifies", so it is an
// explicit message, not a plural category of the source locale.
//
// An entry is left out of a written file when its format key or any of its
// variables is omitted: a format key referring to a missing variable would
// break the lookup at run time.
//
// The plist DOCTYPE names Apple's external DTD; it is accepted and never
// loaded. Entity declarations are refused (see xmlscan).
package stringsdict

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Name is the parser id.
const Name = "stringsdict"

// Format is the .stringsdict format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{}, "apple-stringsdict")
}

// Name returns the parser id.
func (Format) Name() string { return Name }

// Settings declares the format's own settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		format.UntranslatedSetting("source", "what a target file holds for an untranslated string: the source text, nothing (the entry is left out), or empty texts"),
	}
}

// Syntax reports %#@var@ references and printf specifiers.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.AppleVar | placeholder.Printf
}

// Parse reads a .stringsdict file.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	d, err := Parse(src, opts)
	if err != nil {
		return nil, err
	}
	return d, nil
}
