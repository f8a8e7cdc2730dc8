// Package applestrings reads and writes Apple .strings files (parser id
// "strings"): old-style property-list pairs
//
//	/* Note for translators */
//	"key" = "value";
//
// with /* */ and // comments, backslash escapes (\" \\ \n \t \r \U1234),
// raw line breaks inside quoted values and unquoted keys or values made of
// letters, digits and _$+/:.-. Files may be UTF-8 (with or without BOM) or
// UTF-16 in either byte order, with a BOM or, as Xcode's older tools wrote
// them, without one; the writer keeps the source file's encoding.
//
// A key defined twice gives two units, each written back in its place;
// Document.Duplicates lists such keys for the import report.
//
// The package is not named "strings" to keep the standard library's
// strings package usable beside it.
package applestrings

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Name is the parser id.
const Name = "strings"

// Format is the Apple .strings format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{}, "apple-strings", "applestrings")
}

// Name returns the parser id.
func (Format) Name() string { return Name }

// Settings declares the format's own settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		format.UntranslatedSetting("source", "what a target file holds for an untranslated string: the source text, nothing (the pair is left out), or an empty value"),
	}
}

// Syntax reports the placeholders .strings texts carry: printf specifiers
// with Apple's %@ and, in texts shared with .stringsdict, %#@var@.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.Printf | placeholder.AppleVar
}

// Parse reads a .strings file.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	d, err := Parse(src, opts)
	if err != nil {
		return nil, err
	}
	return d, nil
}
