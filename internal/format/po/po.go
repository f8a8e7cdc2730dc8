// Package po reads and writes GNU gettext PO and POT files.
//
// Units: every entry but the header (msgid "") is a unit. Its key is the
// msgid, or msgctxt + "\x04" + msgid when the entry has a context, as
// gettext's own catalogs key messages. Obsolete entries (#~) are kept in
// the output verbatim and never offered as units.
//
// Texts: parsing a source file (POT, or a PO used as source) gives the
// msgid as text; a plural entry gives Plural{"one": msgid, "other":
// msgid_plural}. Parsing a translation for import gives the msgstr, with
// msgstr[n] mapped to CLDR categories through the file's Plural-Forms (see
// plural.go). A fuzzy entry is imported with HasStatus and Status
// Untranslated, or Translated when the setting importFuzzy is true; an
// empty msgstr is Untranslated, any other Translated.
//
// Notes for translators: the context ("Context: ..."), extracted comments
// (#.), translator comments (# ) and references (#: "References: ...").
// Flags (#,) and previous strings (#|) stay in the file untouched, except
// that writing a translated text drops that entry's "fuzzy" flag.
//
// Writing: an entry whose msgstr and flags do not change is written as its
// original bytes, with its line wrapping. A changed msgstr is written as
// msgmerge does with its default width: on the keyword's line when it fits
// in 79 columns and has no inner newline, else as `msgstr ""` followed by
// one quoted line per "\n"-ended piece, each broken after a space to stay
// within 79 columns (a run without spaces, such as CJK text, is not
// broken; msgmerge would break it by Unicode line-breaking rules).
//
// Targets (KindTarget, KindPseudo): the header gets "Language: ll_CC" for
// Target.Locale and the standard "Plural-Forms" of that language; a
// template's "charset=CHARSET" becomes UTF-8 and the header's fuzzy flag
// goes; other header fields are kept. A file without a header entry gets a
// minimal one at the top (Content-Type UTF-8, Content-Transfer-Encoding,
// Language, Plural-Forms): msgfmt -c refuses plural entries without
// Plural-Forms. A plural unit gets one msgstr[i] per
// index of the target formula, from Output.Plural of the index's category.
// An untranslated text written with the default untranslated policy
// "empty" leaves msgstr "". With policy "source" the exporter passes the
// source text, which is written into msgstr.
//
// A POT source produces PO targets: the exporter chooses the path with a
// target rule such as $(sourceFilePath)/$(targetLocaleUnderscore).po
// (po/mypaint.pot gives po/pt_BR.po); the writer only fills the header
// and msgstr.
//
// PO files are read as UTF-8, which gettext recommends; a file in another
// charset is written back byte for byte but its texts are not converted.
package po

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Format is the gettext PO/POT format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{}, "PO", "pot", "gettext")
}

// Name implements format.Format.
func (Format) Name() string { return "po" }

// Settings implements format.Format.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		format.UntranslatedSetting("empty", "what an untranslated string becomes: msgstr set to the source text, no entry, or an empty msgstr"),
		{Name: "importFuzzy", Default: false,
			Doc: "import fuzzy translations as translated; false imports them as untranslated"},
	}
}

// Syntax implements format.Format: C and Python printf (%s, %(name)s),
// Python brace fields ({name}, {x:.1f}) and Pango/HTML markup all occur in
// PO catalogs. ICU is not among them: its apostrophe quoting would hide
// '{name}' fields, which Python does not quote.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.Printf | placeholder.PythonBrace | placeholder.Markup
}

// Parse implements format.Format.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	return parse(src, opts)
}
