package stringsdict

import (
	"fmt"
	"io"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// variable is one plural rule dict of an entry.
type variable struct {
	unit format.Unit
	cats []pair // the category pairs, in source order
}

// entry is one top-level key of the plist.
type entry struct {
	format    pair // the NSStringLocalizedFormatKey pair, if hasFormat
	hasFormat bool
	unit      format.Unit // the format key's unit
	vars      []variable
	// cut is what leaving the entry out removes: its key, its dict, a
	// note comment before them and the line break before each.
	cut xmlscan.Span
}

// Document is a parsed .stringsdict file.
type Document struct {
	doc     *xmlscan.Doc
	entries []entry
	style   xmlscan.Style
	unixNL  bool
}

var _ format.Document = (*Document)(nil)

// Parse reads a .stringsdict plist.
func Parse(src []byte, opts format.ParseOptions) (*Document, error) {
	doc, err := xmlscan.Parse(src, xmlscan.Options{Name: opts.Name, AllowExternalDTD: true})
	if err != nil {
		return nil, err
	}
	d := &Document{doc: doc, unixNL: opts.Settings.Bool("unixNewline")}
	top, err := topDict(doc)
	if err != nil {
		return nil, err
	}
	pairs, err := dictPairs(doc, top)
	if err != nil {
		return nil, err
	}
	var strs []*xmlscan.Element
	for _, p := range pairs {
		if p.val.Name != "dict" {
			continue
		}
		e, err := d.readEntry(p)
		if err != nil {
			return nil, err
		}
		d.entries = append(d.entries, e)
		strs = append(strs, e.strings()...)
	}
	d.style = doc.DetectStyle(strs)
	return d, nil
}

func topDict(doc *xmlscan.Doc) (*xmlscan.Element, error) {
	root := doc.Root
	if root.Name != "plist" {
		return nil, errAt(doc, root, "root element is <%s>, want <plist>", root.Name)
	}
	if len(root.Children) != 1 || root.Children[0].Name != "dict" {
		return nil, errAt(doc, root, "<plist> must hold exactly one <dict>")
	}
	return root.Children[0], nil
}

func (d *Document) readEntry(top pair) (entry, error) {
	e := entry{unit: d.newUnit(top.key, top.kel)}
	pairs, err := dictPairs(d.doc, top.val)
	if err != nil {
		return e, err
	}
	for _, p := range pairs {
		switch {
		case p.key == formatKey && p.val.Name == "string":
			e.format, e.hasFormat = p, true
			e.unit.Text = p.text
		case p.val.Name == "dict":
			v, ok, err := d.readVariable(top, p)
			if err != nil {
				return e, err
			}
			if ok {
				e.vars = append(e.vars, v)
			}
		}
	}
	e.cut = d.cutSpan(top)
	return e, nil
}

// readVariable reads a plural rule dict; ok is false for any other dict.
func (d *Document) readVariable(top, p pair) (variable, bool, error) {
	pairs, err := dictPairs(d.doc, p.val)
	if err != nil {
		return variable{}, false, err
	}
	if spec, _ := lookup(pairs, specTypeKey); spec.text != pluralRuleTyp {
		return variable{}, false, nil
	}
	v := variable{unit: d.newUnit(top.key+"/"+p.key, top.kel)}
	v.unit.Plural = format.Forms{}
	for _, c := range pairs {
		if plural.Valid(c.key) && c.val.Name == "string" {
			v.cats = append(v.cats, c)
			v.unit.Plural[c.key] = c.text
		}
	}
	if len(v.cats) == 0 {
		return variable{}, false, nil
	}
	v.unit.Text = v.unit.Plural["other"]
	v.unit.Line = d.doc.Line(p.kel)
	return v, true, nil
}

func (d *Document) newUnit(key string, kel *xmlscan.Element) format.Unit {
	u := format.Unit{Key: key, Line: d.doc.Line(kel)}
	if c, ok := d.noteBefore(kel); ok {
		u.Notes = []string{c}
	}
	return u
}

// noteBefore returns the comment right before el, white space aside.
func (d *Document) noteBefore(el *xmlscan.Element) (string, bool) {
	t, ok := d.commentBefore(el)
	if !ok {
		return "", false
	}
	raw := d.doc.Raw(t.Span)
	text := strings.TrimSpace(raw[len("<!--") : len(raw)-len("-->")])
	return text, text != ""
}

func (d *Document) commentBefore(el *xmlscan.Element) (xmlscan.Token, bool) {
	for i := el.First - 1; i >= 0; i-- {
		t := d.doc.Tokens[i]
		switch {
		case t.Kind == xmlscan.KindComment:
			return t, startsLine(d.doc.Src, t.Span.Start)
		case t.Kind != xmlscan.KindText || strings.TrimSpace(d.doc.Raw(t.Span)) != "":
			return xmlscan.Token{}, false
		}
	}
	return xmlscan.Token{}, false
}

func (d *Document) cutSpan(top pair) xmlscan.Span {
	start := top.kel.StartTag.Start
	if t, ok := d.commentBefore(top.kel); ok {
		start = t.Span.Start
	}
	return xmlscan.Span{Start: xmlscan.LineStart(d.doc.Src, start), End: top.val.EndTag.End}
}

// strings lists the entry's translatable <string> elements.
func (e *entry) strings() []*xmlscan.Element {
	var out []*xmlscan.Element
	if e.hasFormat {
		out = append(out, e.format.val)
	}
	for _, v := range e.vars {
		for _, c := range v.cats {
			out = append(out, c.val)
		}
	}
	return out
}

// Units returns the format key and variable units of every entry.
func (d *Document) Units() []format.Unit {
	var units []format.Unit
	for i := range d.entries {
		e := &d.entries[i]
		if e.hasFormat {
			units = append(units, cloneUnit(e.unit))
		}
		for _, v := range e.vars {
			units = append(units, cloneUnit(v.unit))
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

// Write renders the plist with the texts out gives.
func (d *Document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	var edits xmlscan.Edits
	for i := range d.entries {
		d.writeEntry(&edits, &d.entries[i], t, out)
	}
	res, err := edits.Apply(d.doc.Src)
	if err != nil {
		return fmt.Errorf("write stringsdict: %w", err)
	}
	if d.unixNL {
		res = xmlscan.ToLF(res)
	}
	if _, err := w.Write(res); err != nil {
		return fmt.Errorf("write stringsdict: %w", err)
	}
	return nil
}

// startsLine reports whether only white space precedes off on its line; a
// comment after another element on its line belongs to that element.
func startsLine(src []byte, off int) bool {
	for off > 0 && (src[off-1] == ' ' || src[off-1] == '\t') {
		off--
	}
	return off == 0 || src[off-1] == '\n' || src[off-1] == '\r'
}
