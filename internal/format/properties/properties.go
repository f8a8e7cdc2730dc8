// Package properties reads and writes Java .properties files as
// java.util.Properties loads them.
//
// Encoding: a file that is valid UTF-8 is read as UTF-8, any other file as
// ISO-8859-1; \uXXXX escapes are resolved in both. A changed text is
// written in the file's own convention (setting "encoding", default "auto"):
// a file with non-ASCII UTF-8 bytes stays UTF-8, an ISO-8859-1 file gets
// Latin-1 bytes (and \u escapes for characters beyond U+00FF), and a pure
// ASCII file (the classic native2ascii convention) gets \u escapes.
// "utf-8" and "escaped" force one convention for written texts.
//
// Layout: every entry that keeps its text is written byte for byte,
// including its separator, indentation and \ line continuations. A changed
// text is written on one line after the entry's original key and separator,
// escaped as Properties.store does (\=, \:, \#, \!, \\, a leading "\ ").
//
// Comment lines (# or !) directly above an entry, with no blank line
// between, become the unit's notes.
//
// Duplicate keys: the last definition wins, as in java.util.Properties; the
// unit sits at the first definition's position and Document.Duplicates
// lists the keys defined more than once, for the import to report. A
// written text goes to every definition of its key and Omit drops them all,
// so no stale definition survives.
//
// Placeholders are java.text.MessageFormat arguments ({0}, {1,number}).
// MessageFormat reads a single quote as the start of a quoted literal, so a
// text with arguments must write an apostrophe as two (”). tolk keeps texts
// exactly as written and never adds or removes quotes: translators must
// follow the rule themselves.
//
// The file name of a target comes from the project's target rules, not from
// this package; the usual Java ResourceBundle naming is the rule
//
//	$(sourceFileNameNoExt)_$(targetLocaleUnderscore)$(sourceFileExt)
//
// which turns messages.properties into messages_pt_BR.properties.
package properties

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Encoding setting values.
const (
	EncodingAuto    = "auto"
	EncodingUTF8    = "utf-8"
	EncodingEscaped = "escaped"
)

// Format is the Java .properties format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{}, "java-properties")
}

// Name implements format.Format.
func (Format) Name() string { return "properties" }

// Settings implements format.Format.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		format.UntranslatedSetting("source", "what an untranslated string becomes: the source text, no entry, or an empty value"),
		{Name: "encoding", Default: EncodingAuto, Values: []string{EncodingAuto, EncodingUTF8, EncodingEscaped},
			Doc: "how written texts encode non-ASCII characters: as the source file does, raw UTF-8, or \\uXXXX escapes"},
	}
}

// Syntax implements format.Format: MessageFormat arguments, and the HTML
// tags and entities that web applications' bundles carry (jspwiki has
// <br />, &nbsp;, <a href=…>), which pseudo-translation must not alter.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.MessageFmt | placeholder.Markup | placeholder.Entity
}

// Parse implements format.Format.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	return parse(src, opts)
}
