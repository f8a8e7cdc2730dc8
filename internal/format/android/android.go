// Package android reads and writes Android string resources (parser id
// "android"): strings.xml, arrays.xml and any other values file.
//
//	<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2">
//	    <!-- Greeting on the home screen [CHAR LIMIT=30] -->
//	    <string name="hello">Hello, <xliff:g id="name">%s</xliff:g>!</string>
//	    <plurals name="files">
//	        <item quantity="one">%d file</item>
//	        <item quantity="other">%d files</item>
//	    </plurals>
//	    <string-array name="planets">
//	        <item>Mercury</item>
//	    </string-array>
//	</resources>
//
// Units: a <string> is one unit keyed by its name (with "#product" added
// when it has a product attribute other than "default"); a <plurals> is
// one plural unit with a form per <item quantity>; every <item> of a
// <string-array> is one unit keyed "name[index]". A <plurals> named like a
// <string> of the same file (Android allows it: they are different resource
// types) is keyed "name@plurals" instead, so the two stay two strings; "@"
// cannot occur in a resource name. Names defined twice for the same type
// are listed by Document.Duplicates. The comment right before
// an element (no blank line between) is offered as its note, as are the
// comments before plural items. Resources marked translatable="false" and
// values that are resource references (@string/x, ?attr/y) are not
// offered.
//
// Texts are decoded as aapt2 decodes them: XML references resolved, then
// Android's escapes (\' \" \n \t \@ \? \\ \uXXXX), double quotes that keep
// white space, and outside quotes runs of white space collapsed to one
// space and trimmed at both ends. Inline markup (<xliff:g>, <b>, <i>, <u>,
// <a>) stays in the text as raw tags; a CDATA section's content is text,
// so HTML inside it reaches translators as written. A changed text is
// encoded back in the source's style: quoted when the source was (or when
// white space would otherwise be lost), apostrophes and double quotes
// escaped once, a leading @ or ? escaped, CDATA kept as CDATA with "]]>"
// split.
//
// Target files (KindTarget and KindPseudo) get, in each <plurals>, exactly
// the locale's categories in CLDR order, in the source's layout. Resources
// marked translatable="false" are removed from them with their line and
// note unless the writeNonTranslatable setting is true. A string-array is
// left out whole when any of its items is omitted, since Android resolves
// an array as one resource. A tools:locale attribute on <resources> is set
// to the target locale. tools: attributes and everything else are kept as
// they are.
//
// Target files belong in the values directory of their locale; the target
// path rule for that is
//
//	$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)
//
// where $(androidQualifier) (package targetrule) gives "de", "de-rDE" or,
// for scripts and other tags the legacy form cannot express, the BCP 47
// form "b+sr+Latn".
package android

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Name is the parser id.
const Name = "android"

// Format is the Android string resources format.
type Format struct{}

var _ format.Format = Format{}

func init() {
	format.Register(Format{}, "android-strings", "android-xml")
}

// Name returns the parser id.
func (Format) Name() string { return Name }

// Settings declares the format's own settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		format.UntranslatedSetting("source", "what a target file holds for an untranslated string: the source text, nothing (the resource is left out, so Android falls back to the default values), or an empty text"),
		{
			Name:    "writeNonTranslatable",
			Default: false,
			Doc:     "keep resources marked translatable=\"false\" in target files; false removes them, as Android reads them from the default values",
		},
	}
}

// Syntax reports inline markup (<xliff:g>, <b>) and printf specifiers.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.Markup | placeholder.Printf
}

// Parse reads a values resource file.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	d, err := Parse(src, opts)
	if err != nil {
		return nil, err
	}
	return d, nil
}
