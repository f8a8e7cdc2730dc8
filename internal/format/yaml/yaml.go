// Package yaml reads and writes Rails i18n YAML files (config/locales/*.yml).
//
// The file's single root key is the locale; the units are the string leaves
// below it, keyed by their dotted path ("activerecord.errors.messages.blank").
// A key that itself contains a dot or a backslash is escaped in the path as
// "\." and "\\", so paths split back unambiguously.
//
// go.yaml.in/yaml/v3 checks the syntax and tells where each scalar starts;
// this package's own scanner finds where it ends (see scalar.go). Write
// splices new text into those byte spans, so every byte that belongs to no
// changed value is written as parsed.
//
// What is offered for translation, and what is not:
//   - string scalars that are values of block mappings; a plain value that
//     starts with ':' is a Ruby symbol and is not offered;
//   - a block mapping whose keys are all CLDR plural categories, including
//     "other", and whose values are all strings is one plural unit; a
//     target gets the target locale's categories, plus "zero" when the
//     source has it (Rails uses "zero" for a count of 0 in every locale);
//   - sequences ([~, January, ...], "- :year") are kept untouched and nothing
//     inside them is offered, nor inside flow mappings. Rails month and day
//     names are translatable in practice, but the formats listed beside them
//     are not, and a list cannot say which is which, so lists stay as the
//     source has them. A translation being imported is another matter: the
//     strings of its flow mappings ("greeting: {hello: Привет}") are read
//     as translations, plural hashes included;
//   - null, numbers, booleans, tagged or anchored scalars and aliases are
//     kept and not offered.
//
// A key defined twice keeps its later value, as Ruby's reader does;
// Document.Duplicates lists it for the import report.
//
// A changed block scalar keeps its style: a folded (">") value stays folded
// when folding reads back the same text (no line starting with white
// space), each newline of the text written as one more line break; it is
// not re-wrapped. Otherwise it becomes a literal ("|") block, or double
// quotes. An alias to an unknown anchor is reported at the alias.
package yaml

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Name is the parser id.
const Name = "yaml"

// Format is the Rails i18n YAML format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{}, "yml")
}

// Name returns the parser id.
func (Format) Name() string { return Name }

// Settings declares the format's own settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{format.UntranslatedSetting("source", "what an untranslated string becomes in a translated file: the source text, left out, or an empty string")}
}

// Syntax implements format.Format: %{name} interpolation, HTML, and the
// strftime directives of Rails' date and time formats ("%m/%d/%Y"), which a
// pseudo-translation must not turn into broken dates.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.Ruby | placeholder.Markup | placeholder.Strftime
}

// Parse reads a Rails locale file. A translation is read the same way: its
// root key is its own locale, and key paths below it line up with the source.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	return parse(src, opts)
}
