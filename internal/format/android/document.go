package android

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// resKind is the kind of a resource element.
type resKind int

const (
	kindString resKind = iota
	kindPlurals
	kindArray
	kindOther // any other element marked translatable="false"
)

// item is one translatable element: a <string>, a plural <item> or an
// array <item>.
type item struct {
	el    *xmlscan.Element
	val   value
	quant string // plural category of a plurals item
	// cut spans the element with its note comment and the line break
	// before them.
	cut xmlscan.Span
}

// resource is one <string>, <plurals> or <string-array>.
type resource struct {
	kind         resKind
	el           *xmlscan.Element
	translatable bool
	items        []item
	// units are the resource's units; for an array, units[i] belongs to
	// items[unitItem[i]] (reference items have none).
	units    []format.Unit
	unitItem []int
	cut      xmlscan.Span
}

// Document is a parsed values file.
type Document struct {
	doc      *xmlscan.Doc
	res      []resource
	style    xmlscan.Style
	unixNL   bool
	writeNT  bool
	toolsLoc *xmlscan.Attr
	dups     []string
}

var _ format.Document = (*Document)(nil)

// Parse reads an Android values resource file.
func Parse(src []byte, opts format.ParseOptions) (*Document, error) {
	doc, err := xmlscan.Parse(src, xmlscan.Options{Name: opts.Name})
	if err != nil {
		return nil, err
	}
	d := &Document{
		doc:     doc,
		unixNL:  opts.Settings.Bool("unixNewline"),
		writeNT: opts.Settings.Bool("writeNonTranslatable"),
	}
	if doc.Root.Name != "resources" {
		return nil, errAt(doc, doc.Root, "root element is <%s>, want <resources>", doc.Root.Name)
	}
	if a, ok := doc.Root.AttrInfo("tools:locale"); ok {
		d.toolsLoc = &a
	}
	var elems []*xmlscan.Element
	for _, el := range doc.Root.Children {
		r, ok, err := d.readResource(el)
		if err != nil {
			return nil, err
		}
		if ok {
			d.res = append(d.res, r)
			for _, it := range r.items {
				elems = append(elems, it.el)
			}
		}
	}
	d.style = doc.DetectStyle(elems)
	d.separateKinds()
	return d, nil
}

// pluralsSuffix marks the key of a <plurals> that shares its name with a
// <string>: Android keeps the two apart as different resource types, and
// "@" cannot occur in a resource name.
const pluralsSuffix = "@plurals"

// separateKinds gives a <plurals> named like a <string> of the file the
// key name@plurals, then lists the keys still defined more than once.
func (d *Document) separateKinds() {
	strs := map[string]bool{}
	for _, r := range d.res {
		if r.kind == kindString && len(r.units) > 0 {
			strs[r.units[0].Key] = true
		}
	}
	seen := map[string]bool{}
	for i := range d.res {
		r := &d.res[i]
		if r.kind == kindPlurals && len(r.units) > 0 && strs[r.units[0].Key] {
			r.units[0].Key += pluralsSuffix
		}
		for _, u := range r.units {
			if seen[u.Key] && !slices.Contains(d.dups, u.Key) {
				d.dups = append(d.dups, u.Key)
			}
			seen[u.Key] = true
		}
	}
}

// Duplicates lists the keys defined more than once in the file, for the
// import report.
func (d *Document) Duplicates() []string { return d.dups }

func (d *Document) readResource(el *xmlscan.Element) (resource, bool, error) {
	r := resource{el: el, translatable: true, cut: d.cutSpan(el)}
	if v, _ := el.Attr("translatable"); v == "false" {
		r.translatable = false
	}
	switch el.Name {
	case "string":
		r.kind = kindString
	case "plurals":
		r.kind = kindPlurals
	case "string-array":
		r.kind = kindArray
	default:
		// An integer-array or bool marked translatable="false" leaves
		// target files as a string does; other elements stay as written.
		r.kind = kindOther
		return r, !r.translatable, nil
	}
	name, ok := el.Attr("name")
	if !ok || name == "" {
		return r, false, errAt(d.doc, el, "<%s> without a name", el.Name)
	}
	if p, ok := el.Attr("product"); ok && p != "default" {
		name += "#" + p
	}
	base := format.Unit{Key: name, Line: d.doc.Line(el), Notes: d.notes(el)}
	var err error
	switch r.kind {
	case kindString:
		err = d.readString(&r, base)
	case kindPlurals:
		err = d.readPlurals(&r, base)
	case kindArray:
		err = d.readArray(&r, base)
	}
	return r, true, err
}

func (d *Document) readString(r *resource, base format.Unit) error {
	v, err := decodeValue(d.doc, r.el)
	if err != nil {
		return err
	}
	r.items = []item{{el: r.el, val: v, cut: r.cut}}
	if r.translatable && !v.ref {
		base.Text = v.text
		r.units, r.unitItem = []format.Unit{base}, []int{0}
	}
	return nil
}

func (d *Document) readPlurals(r *resource, base format.Unit) error {
	base.Plural = format.Forms{}
	for _, el := range r.el.Children {
		if el.Name != "item" {
			continue
		}
		q, _ := el.Attr("quantity")
		if !plural.Valid(q) {
			return errAt(d.doc, el, "plural item with quantity %q (want zero, one, two, few, many or other)", q)
		}
		v, err := decodeValue(d.doc, el)
		if err != nil {
			return err
		}
		r.items = append(r.items, item{el: el, val: v, quant: q, cut: d.cutSpan(el)})
		base.Plural[q] = v.text
		for _, n := range d.notes(el) {
			base.Notes = append(base.Notes, q+": "+n)
		}
	}
	if len(r.items) == 0 {
		return errAt(d.doc, r.el, "<plurals> without items")
	}
	base.Text = base.Plural["other"]
	if r.translatable {
		r.units, r.unitItem = []format.Unit{base}, []int{0}
	}
	return nil
}

func (d *Document) readArray(r *resource, base format.Unit) error {
	for _, el := range r.el.Children {
		if el.Name != "item" {
			continue
		}
		v, err := decodeValue(d.doc, el)
		if err != nil {
			return err
		}
		i := len(r.items)
		r.items = append(r.items, item{el: el, val: v, cut: d.cutSpan(el)})
		if !r.translatable || v.ref {
			continue
		}
		u := base
		u.Key = base.Key + "[" + strconv.Itoa(i) + "]"
		u.Text, u.Line = v.text, d.doc.Line(el)
		u.Notes = append(append([]string(nil), base.Notes...), d.notes(el)...)
		r.units = append(r.units, u)
		r.unitItem = append(r.unitItem, i)
	}
	return nil
}

// noteComment returns the comment right before el, with no blank line or
// other content between them.
func (d *Document) noteComment(el *xmlscan.Element) (xmlscan.Token, bool) {
	if el.First == 0 {
		return xmlscan.Token{}, false
	}
	i := el.First - 1
	if t := d.doc.Tokens[i]; t.Kind == xmlscan.KindText {
		raw := d.doc.Raw(t.Span)
		if strings.TrimSpace(raw) != "" || strings.Count(raw, "\n") > 1 || i == 0 {
			return xmlscan.Token{}, false
		}
		i--
	}
	t := d.doc.Tokens[i]
	// A comment after another element on its line belongs to that one.
	return t, t.Kind == xmlscan.KindComment && startsLine(d.doc.Src, t.Span.Start)
}

// startsLine reports whether only white space precedes off on its line.
func startsLine(src []byte, off int) bool {
	for off > 0 && (src[off-1] == ' ' || src[off-1] == '\t') {
		off--
	}
	return off == 0 || src[off-1] == '\n' || src[off-1] == '\r'
}

func (d *Document) notes(el *xmlscan.Element) []string {
	t, ok := d.noteComment(el)
	if !ok {
		return nil
	}
	raw := d.doc.Raw(t.Span)
	text := strings.TrimSpace(raw[len("<!--") : len(raw)-len("-->")])
	if text == "" {
		return nil
	}
	return []string{text}
}

// cutSpan is what removing el takes away: el, its note comment and the
// line break before them.
func (d *Document) cutSpan(el *xmlscan.Element) xmlscan.Span {
	start := el.StartTag.Start
	if t, ok := d.noteComment(el); ok {
		start = t.Span.Start
	}
	return xmlscan.Span{Start: xmlscan.LineStart(d.doc.Src, start), End: el.EndTag.End}
}

func errAt(doc *xmlscan.Doc, e *xmlscan.Element, f string, args ...any) error {
	return format.Errorf(doc.Name, doc.Src, e.StartTag.Start, f, args...)
}

// Units returns the translatable units in file order.
func (d *Document) Units() []format.Unit {
	var units []format.Unit
	for _, r := range d.res {
		for _, u := range r.units {
			units = append(units, cloneUnit(u))
		}
	}
	return units
}

func cloneUnit(u format.Unit) format.Unit {
	u.Notes = append([]string(nil), u.Notes...)
	if u.Plural != nil {
		forms := make(format.Forms, len(u.Plural))
		for k, v := range u.Plural {
			forms[k] = v
		}
		u.Plural = forms
	}
	return u
}
