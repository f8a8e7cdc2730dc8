// Package json reads and writes JSON resource files: nested objects
// (i18next, excalidraw) and flat ones (react-intl, with dotted keys), with
// parser id "json".
//
// # Byte fidelity
//
// The document is scanned by hand rather than with encoding/json, so that
// every byte outside string values (indentation, key order, CRLF or LF,
// BOM, final newline, numbers as written) is written back as it was. An
// unchanged text is written with its original raw bytes; a changed one is
// encoded in the style the file uses (see Escaping).
//
// # Units and keys
//
// Every string value is a unit; numbers, booleans, null and empty objects
// are kept but not offered. The unit key is the path to the value:
//
//   - A member of the top-level object has its key exactly as written, dots
//     included: "components.Discover.activefilters" in a flat file.
//   - Deeper values join the object keys with "." and append "[i]" for
//     array elements: "labels.paste", "days[0]", "menu.items[2].title". In
//     such a path every segment escapes "\" as "\\", "." as "\." and "[" as
//     "\[", so {"a.b": {"c": "x"}} has the key "a\.b.c" and cannot be
//     confused with {"a": {"b": {"c": "x"}}} ("a.b.c").
//
// A top-level key "a.b" and the nested path a → b would both give "a.b";
// they are different strings, so the top-level one is then keyed with its
// dot escaped, "a\.b" (only then: a flat file keeps its keys as written).
// Should the file also have a top-level key spelled "a\.b", Parse fails.
//
// # Duplicate keys
//
// As in JavaScript's JSON.parse, the last occurrence wins: the unit is
// listed once, at the first occurrence, with the last occurrence's text.
// When written, every occurrence receives the unit's output, so the file
// stays consistent (an unchanged unit keeps each occurrence's raw bytes).
// Document.Duplicates lists such keys, for the import report.
//
// # Escaping
//
// A changed text is encoded minimally ('"', '\' and control characters; \n,
// \t, \r, \b, \f by name), unless the source shows another habit, which is
// then mimicked for the whole file: non-ASCII characters written as \uXXXX
// (when the file has more escaped than literal non-ASCII characters), "/"
// written as "\/", and "<", ">", "&" written as \u003c, \u003e, \u0026.
// Hex digits follow the file's case.
//
// # Omitted units and arrays
//
// Output.Omit removes the member with its comma; an object whose members
// are all omitted stays as an empty object. Array elements are never
// removed, since that would shift the indices of the elements after them:
// an omitted array element is written with its source text.
//
// # Plurals
//
// With the setting plurals=i18next, the members of one object whose keys
// are stem_zero, stem_one, stem_two, stem_few, stem_many, stem_other (at
// least stem_other among them, all string values) form one plural unit
// keyed by the stem's path. i18next may also have a plain stem member in
// the same object ("foo" for t('foo'), "foo_one"/"foo_other" for
// t('foo', {count})): both are strings, so the plain member keeps the key
// "foo" and the plural unit is then keyed by its stem_other member's path
// ("foo_other"), which no plain unit of that object can have. The writer
// replaces the group, at the position of its first member and with that
// member's indentation, by exactly the target's categories, plus stem_zero
// when the source has it and the output gives it a text: i18next uses
// stem_zero for a count of 0 in every locale ("if the count is 0 and a
// _zero entry is present, it will be used"), so it is kept for ru as for
// ja. With plurals=none (the default) such keys are ordinary keys, as they
// are in excalidraw's "arrowhead_crowfoot_one".
//
// # Import
//
// When a translation is parsed (ParseOptions.Translation), an empty string
// value is reported as Untranslated with HasStatus set: translation tools
// such as Crowdin write "" for strings nobody has translated yet.
//
// # Limits
//
// Files over MaxSize bytes and nesting deeper than MaxDepth are rejected
// with a *format.ParseError, as is any malformed JSON (with line, column
// and the key path of the member being read).
package json

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

const (
	// MaxSize is the largest file Parse accepts.
	MaxSize = 64 << 20
	// MaxDepth is the deepest nesting of objects and arrays Parse accepts.
	MaxDepth = 1000
)

// Plural conventions for the "plurals" setting.
const (
	PluralsNone    = "none"
	PluralsI18next = "i18next"
)

// Format is the JSON format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{})
}

// Name returns the parser id.
func (Format) Name() string { return "json" }

// Settings declares the JSON-specific settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		{
			Name: "plurals", Default: PluralsNone, Values: []string{PluralsNone, PluralsI18next},
			Doc: "plural convention: none, or i18next (keys ending in _zero, _one, _two, _few, _many, _other form one plural)",
		},
		format.UntranslatedSetting("source", "what an untranslated string becomes: its source text, nothing (the key is left out) or an empty string"),
	}
}

// Syntax: JSON resource files carry i18next interpolation ({{x}}, $t()),
// ICU MessageFormat (react-intl, FormatJS) and rich-text tags. Printf is
// left out: JSON files rarely use it, and "%" in prose would be protected.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.I18next | placeholder.ICU | placeholder.Markup
}

// Parse reads a JSON document.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	if len(src) > MaxSize {
		return nil, &format.ParseError{File: opts.Name, Msg: "file is larger than 64 MiB"}
	}
	p := &parser{src: src, name: opts.Name, line: 1}
	root, err := p.document()
	if err != nil {
		return nil, err
	}
	d := &Document{src: src, root: root, style: p.style.decide(), settings: opts.Settings}
	if err := d.build(opts.Name, opts.Settings.String("plurals") == PluralsI18next, opts.Translation); err != nil {
		return nil, err
	}
	return d, nil
}
