// Package arb reads and writes Flutter Application Resource Bundle files
// (lib/l10n/app_en.arb).
//
// An ARB file is one JSON object. Every member whose key does not start
// with "@" and whose value is a string is a message, a unit keyed by the
// member's key. An ICU plural or select inside a message stays one message;
// its syntax is declared (ICU) so pseudo-translation and QA keep it intact.
// "@key" members are the metadata of message "key": kept as they are, their
// "description" offered to translators as a note. "@@x" members are global
// attributes, kept; "@@locale" is set to the target locale in a target or
// pseudo file, written the way Flutter names locales ("pt_BR", not
// "pt-BR"). A file without "@@locale" gets none: Flutter then takes the
// locale from the file name.
//
// The file is read by this package's own scanner, which records the byte
// span of every member and string value; Write splices new values into
// those spans, so member order, blank lines, indentation and the escapes of
// untouched values stay as they were. An omitted message is removed with
// its "@key" metadata (metadata without a message is an error for some
// tools, and gen_l10n reads metadata only from the template file).
//
// A key defined twice keeps its later value, as JSON decoders do; the
// earlier member is kept as it is and not offered, and Document.Duplicates
// lists the key for the import report.
//
// A message whose ICU braces do not balance ("{n, plural, one{x} other{y}")
// is refused with a ParseError at the message's value: gen_l10n would
// reject it. Apostrophe-quoted braces ('{') do not count, as in ICU; since
// gen_l10n reads apostrophes literally unless use-escaping is on, a message
// is refused only when its braces balance under neither reading.
package arb

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Name is the parser id.
const Name = "arb"

// Format is the Flutter ARB format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{})
}

// Name returns the parser id.
func (Format) Name() string { return Name }

// Settings declares the format's own settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{format.UntranslatedSetting("source", "what an untranslated message becomes in a translated file: the source text, left out (with its @metadata), or an empty string")}
}

// Syntax returns the placeholders of ARB messages: ICU arguments, plurals
// and selects, and markup.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.ICU | placeholder.Markup
}

// Parse reads an ARB file; a translation is read the same way.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	return parse(src, opts)
}
