// Package xliff reads and writes XLIFF 1.2 and 2.0 files (parser "xliff",
// alias "xlf"), choosing the version by the root's version attribute.
//
// Keys. XLIFF 1.2: the trans-unit id, which the standard requires and makes
// unique within a <file>; resname is optional, not unique and left alone.
// XLIFF 2.0: the unit id (required, unique); a unit with several segments
// gives one key per segment, "unitID/segmentID" or "unitID/N" (N counting
// from 1) when the segment has no id. The 2.0 name attribute is not the
// key: Symfony derives its ids from it, so ids are just as stable, and ids
// are what the standard guarantees. When a document holds several <file>
// elements, keys are prefixed with the file's original (1.2) or id (2.0)
// and "/", since ids are only unique within one file.
//
// Texts. A unit's text is its <source> content (or, with sourceFromTarget,
// its <target> content, for Symfony files whose source holds a message
// key). Inline elements (<g>, <x/>, <ph>, <pc>, <mrk>, ...) appear in the
// text as their raw markup, protected by placeholder.Markup. The writer
// puts back as markup the source's inline fragments and every well-formed
// tag of the version's inline vocabulary (1.2: g, x, bx, ex, ph, bpt, ept,
// it, sub, mrk; 2.0: ph, pc, sc, ec, mrk, sm, em, cp), however the
// translation spells its attributes, when the text's markup balances;
// otherwise the whole text is escaped, never half of it. A translation may
// so bring inline elements its source lacks; their ids are not checked
// (QA compares a translation's markup with its source's). Everything else
// is escaped the way the file escapes its texts. CDATA content is written
// back as CDATA.
//
// Attributes the writer adds (state, target-language, trgLang) use the
// file's quote style.
//
// Writing a target sets <file target-language> (1.2) or <xliff trgLang>
// (2.0), and writes <target> with a state: on the target in 1.2
// (needs-translation, translated, signed-off, final) and on the segment in
// 2.0 (initial, translated, reviewed, final). An untranslated output with no
// text (untranslated=empty) removes the target, except with
// sourceFromTarget: there <source> holds a message key that Symfony would
// show for a unit without a target, so the unit gets the source text with
// state needs-translation (initial) as untranslated=source gives; use
// untranslated=omit to leave such units to Symfony's fallback locale. A unit whose target already holds the output's
// text and state is left byte for byte; an untranslated output with the
// source text gets state needs-translation (initial), so a target export
// differs from its source file even when no unit is translated.
//
// A source export (KindSource) rewrites the element the source text came
// from, and also a <target> that repeats its <source> byte for byte, since
// Symfony reads a source-language file through its targets.
package xliff

import (
	"io"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Setting names.
const (
	SettingUntranslated     = "untranslated"
	SettingSourceFromTarget = "sourceFromTarget"
)

// Format is the XLIFF format.
type Format struct{}

var _ format.Format = Format{}

func init() { format.Register(Format{}, "xlf") }

// Name returns the parser id.
func (Format) Name() string { return "xliff" }

// Settings declares the XLIFF settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		format.UntranslatedSetting("empty", "untranslated units: empty writes no <target> (the source text with sourceFromTarget), source writes the source text with state needs-translation (initial in 2.0), omit leaves the unit out"),
		{Name: SettingSourceFromTarget, Default: false,
			Doc: "the source file's <target> holds the source text and <source> a message key (Symfony); targets are written into <target>, and untranslated=empty writes the source text as untranslated=source does, since Symfony would show the key"},
	}
}

// Syntax: inline elements are markup. XLIFF carries the placeholders of
// whatever produced it: Symfony writes {{ x }} and %x% (and ICU messages in
// its +intl-icu domains), and printf's %s and ICU's {name} occur in the
// same projects. Printf takes no space flag and ICU only well-formed
// arguments, so prose such as "50% off" or "{" stays translatable.
func (Format) Syntax(format.Settings) placeholder.Syntax {
	return placeholder.Markup | placeholder.DoubleBrace | placeholder.Percent | placeholder.Printf | placeholder.ICU
}

// Parse reads an XLIFF 1.x or 2.x document.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	doc, err := xmlscan.Parse(src, xmlscan.Options{Name: opts.Name})
	if err != nil {
		return nil, err
	}
	root := doc.Root
	if root.Local() != "xliff" {
		return nil, format.Errorf(opts.Name, src, root.StartTag.Start, "root element is <%s>, not <xliff>", root.Name)
	}
	d := &document{
		doc:         doc,
		fromTarget:  opts.Settings.Bool(SettingSourceFromTarget),
		translation: opts.Translation,
		unixNewline: opts.Settings.Bool("unixNewline"),
		keys:        map[string]bool{},
	}
	version, _ := root.Attr("version")
	switch {
	case strings.HasPrefix(version, "1."):
		err = d.read12()
	case strings.HasPrefix(version, "2."):
		d.v2 = true
		err = d.read20()
	default:
		return nil, format.Errorf(opts.Name, src, root.StartTag.Start, "unsupported XLIFF version %q (want 1.2 or 2.0)", version)
	}
	if err != nil {
		return nil, err
	}
	d.style = doc.DetectStyle(d.textElements())
	d.quote = doc.AttrQuote()
	return d, nil
}

// document is a parsed XLIFF file.
type document struct {
	doc         *xmlscan.Doc
	v2          bool
	fromTarget  bool
	translation bool
	unixNewline bool
	units       []format.Unit
	entries     []*entry
	keys        map[string]bool
	style       xmlscan.Style
	// quote is the file's attribute quote, used for attributes added.
	quote byte
	// langs are the attributes that name the target language.
	langs []langAttr
}

// entry is where one unit lives in the file.
type entry struct {
	// container holds source and target: the trans-unit (1.2) or the
	// segment (2.0).
	container *xmlscan.Element
	// unit is the 1.2 trans-unit or the 2.0 unit, removed by Omit.
	unit   *xmlscan.Element
	source *xmlscan.Element
	target *xmlscan.Element
	// textEl is the element the unit's source text comes from.
	textEl *xmlscan.Element
	// text is the source text as parsed (what Output.Source means).
	text string
	// markup are the inline-element fragments written back verbatim.
	markup []string
}

// inline12 and inline20 are the inline elements of XLIFF 1.2 and 2.0,
// markup in a translation whatever their attribute spelling.
var (
	inline12 = elementSet("g", "x", "bx", "ex", "ph", "bpt", "ept", "it", "sub", "mrk")
	inline20 = elementSet("ph", "pc", "sc", "ec", "mrk", "sm", "em", "cp")
)

func elementSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// langAttr is an attribute that carries the target locale.
type langAttr struct {
	el          *xmlscan.Element
	name, after string
}

// Units returns the units in file order.
func (d *document) Units() []format.Unit { return d.units }

// Write renders the document; see the package comment.
func (d *document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	wr := &writer{d: d, src: d.doc.Src, nl: xmlscan.Newline(d.doc.Src), omitted: map[*xmlscan.Element]int{}}
	if t.Kind != format.KindSource && t.Locale != "" {
		wr.setLocale(t.Locale)
	}
	for i := range d.units {
		u := d.units[i]
		wr.unit(d.entries[i], out(&u), t.Kind)
	}
	wr.flushOmitted()
	b, err := wr.ed.Apply(d.doc.Src)
	if err != nil {
		return err
	}
	if d.unixNewline {
		b = xmlscan.ToLF(b)
	}
	_, err = w.Write(b)
	return err
}

// textElements lists every source and target element, for DetectStyle.
func (d *document) textElements() []*xmlscan.Element {
	var els []*xmlscan.Element
	for _, e := range d.entries {
		els = append(els, e.source)
		if e.target != nil {
			els = append(els, e.target)
		}
	}
	return els
}
