package android

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

// Write renders the file with the texts out gives.
func (d *Document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	var edits xmlscan.Edits
	target := t.Kind == format.KindTarget || t.Kind == format.KindPseudo
	if target && d.toolsLoc != nil {
		edits.Replace(d.toolsLoc.ValueSpan, xmlscan.EncodeAttr(t.Locale, d.toolsLoc.Quote))
	}
	for i := range d.res {
		r := &d.res[i]
		switch {
		case !r.translatable:
			if target && !d.writeNT {
				edits.Replace(r.cut, "")
			}
		case r.kind == kindPlurals:
			d.writePlurals(&edits, r, t, out)
		default:
			d.writeItems(&edits, r, out)
		}
	}
	res, err := edits.Apply(d.doc.Src)
	if err != nil {
		return fmt.Errorf("write android resources: %w", err)
	}
	if d.unixNL {
		res = xmlscan.ToLF(res)
	}
	if _, err := w.Write(res); err != nil {
		return fmt.Errorf("write android resources: %w", err)
	}
	return nil
}

// writeItems writes a <string> or the items of a <string-array>; omitting
// any unit leaves the whole resource out.
func (d *Document) writeItems(edits *xmlscan.Edits, r *resource, out func(u *format.Unit) format.Output) {
	outs := make([]format.Output, len(r.units))
	for i := range r.units {
		u := cloneUnit(r.units[i])
		outs[i] = out(&u)
		if outs[i].Omit {
			edits.Replace(r.cut, "")
			return
		}
	}
	for i, o := range outs {
		if !o.Source && o.Text != r.units[i].Text {
			d.replaceContent(edits, &r.items[r.unitItem[i]], o.Text)
		}
	}
}

func (d *Document) writePlurals(edits *xmlscan.Edits, r *resource, t format.Target, out func(u *format.Unit) format.Output) {
	u := cloneUnit(r.units[0])
	o := out(&u)
	if o.Omit {
		edits.Replace(r.cut, "")
		return
	}
	have := make([]string, len(r.items))
	for i, it := range r.items {
		have[i] = it.quant
	}
	want := have
	if t.Kind != format.KindSource && len(t.Categories) > 0 {
		want = t.Categories
	}
	forms := formsFor(r.units[0], o, want)
	if slices.Equal(want, have) {
		for i := range r.items {
			it := &r.items[i]
			if forms[it.quant] != it.val.text {
				d.replaceContent(edits, it, forms[it.quant])
			}
		}
		return
	}
	d.rewriteItems(edits, r, want, forms)
}

// rewriteItems replaces the items of a plurals by one per wanted category,
// where the first item was, each laid out like the first item and keeping
// the note comment of the source item of its category.
func (d *Document) rewriteItems(edits *xmlscan.Edits, r *resource, want []string, forms map[string]string) {
	src := d.doc.Src
	first := r.items[0]
	// prefix is the line break and indentation before the first item, or
	// nothing when items share a line.
	prefix := string(src[xmlscan.LineStart(src, first.el.StartTag.Start):first.el.StartTag.Start])
	var b strings.Builder
	// A category the source lacks is written in the style of "other".
	model := first
	if i := slices.IndexFunc(r.items, func(x item) bool { return x.quant == "other" }); i >= 0 {
		model = r.items[i]
	}
	for _, c := range want {
		it := model
		if i := slices.IndexFunc(r.items, func(x item) bool { return x.quant == c }); i >= 0 {
			it = r.items[i]
			if tok, ok := d.noteComment(it.el); ok {
				b.WriteString(prefix + d.doc.Raw(tok.Span))
			}
		}
		b.WriteString(prefix + d.startTag(first.el, c))
		b.WriteString(encodeValue(d.style, forms[c], it.val))
		b.WriteString("</" + first.el.Name + ">")
	}
	edits.Replace(first.cut, b.String())
	for _, it := range r.items[1:] {
		edits.Replace(it.cut, "")
	}
}

// startTag is el's start tag, made a start tag if el is empty, with its
// quantity set to c.
func (d *Document) startTag(el *xmlscan.Element, c string) string {
	tag := openTag(d.doc, el)
	a, ok := el.AttrInfo("quantity")
	if !ok {
		return "<item quantity=\"" + c + "\">"
	}
	// The attribute's offsets are relative to the tag's start.
	vs, ve := a.ValueSpan.Start-el.StartTag.Start, a.ValueSpan.End-el.StartTag.Start
	return tag[:vs] + c + tag[ve:]
}

// openTag returns el's start tag as "<name ...>", also for "<name .../>".
func openTag(doc *xmlscan.Doc, el *xmlscan.Element) string {
	tag := doc.Raw(el.StartTag)
	if el.Empty {
		tag = strings.TrimRight(strings.TrimSuffix(tag, "/>"), " \t\r\n") + ">"
	}
	return tag
}

// formsFor picks the text of each wanted category: the output's form, else
// (for a source text) the source's form, else the output's text.
func formsFor(u format.Unit, o format.Output, want []string) map[string]string {
	forms := make(map[string]string, len(want))
	for _, c := range want {
		text, ok := o.Plural[c]
		if !ok && o.Source {
			text, ok = u.Plural[c]
		}
		if !ok {
			text = o.Text
		}
		forms[c] = text
	}
	return forms
}

// replaceContent writes a new text into an element.
func (d *Document) replaceContent(edits *xmlscan.Edits, it *item, text string) {
	enc := encodeValue(d.style, text, it.val)
	el := it.el
	if !el.Empty {
		edits.Replace(el.Inner(), enc)
		return
	}
	edits.Replace(el.Outer(), openTag(d.doc, el)+enc+"</"+el.Name+">")
}
