package xliff

import (
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

// writer collects the edits of one Write.
type writer struct {
	d   *document
	src []byte
	nl  string
	ed  xmlscan.Edits
	// locale is the target locale, "" for a source export.
	locale string
	// omitted counts the omitted segments of each 2.0 unit; a unit goes
	// whole when all its segments do.
	omitted map[*xmlscan.Element]int
	pending []*entry
}

func (w *writer) setLocale(locale string) {
	w.locale = locale
	for _, l := range w.d.langs {
		w.setAttr(l.el, l.name, l.after, locale)
	}
}

// setAttr sets an attribute of el to v, replacing its value in place or
// adding it after the attribute named after (or after the last one).
func (w *writer) setAttr(el *xmlscan.Element, name, after, v string) {
	if a, ok := el.AttrInfo(name); ok {
		if a.Value != v {
			w.ed.Replace(a.ValueSpan, xmlscan.EncodeAttr(v, a.Quote))
		}
		return
	}
	off, quote := el.StartTag.Start+1+len(el.Name), w.d.quote
	if len(el.Attrs) > 0 {
		last := el.Attrs[len(el.Attrs)-1]
		off, quote = last.Span.End, last.Quote
	}
	if a, ok := el.AttrInfo(after); ok {
		off = a.Span.End
	}
	q := string(quote)
	w.ed.Insert(off, " "+name+"="+q+xmlscan.EncodeAttr(v, quote)+q)
}

func (w *writer) unit(e *entry, o format.Output, kind format.Kind) {
	switch {
	case o.Omit:
		w.omit(e)
	case kind == format.KindSource:
		if !o.Source && o.Text != e.text {
			w.replaceContent(e.textEl, o.Text, e)
			// A source-language file whose targets repeat the sources
			// (Symfony's validators.en.xlf) is read through its targets.
			if e.target != nil && e.textEl != e.target && w.d.doc.Raw(e.target.Inner()) == w.d.doc.Raw(e.source.Inner()) {
				w.replaceContent(e.target, o.Text, e)
			}
		}
	default:
		w.target(e, o)
	}
}

// target writes the translation of one unit into <target>.
func (w *writer) target(e *entry, o format.Output) {
	if o.Text == "" && o.Status == format.Untranslated {
		if !w.d.fromTarget || e.text == "" {
			w.removeTarget(e)
			return
		}
		// Symfony shows the message key for a unit without a target; the
		// source text (marked untranslated) is what it should show.
		o = format.Output{Text: e.text, Status: format.Untranslated, Source: true}
	}
	if e.target == nil {
		w.insertTarget(e, o)
		return
	}
	current, _, _ := w.d.doc.InnerXML(e.target)
	switch {
	case current == o.Text && w.hasState(e, o.Status):
	case e.target.Empty:
		w.reopen(e, o)
	default:
		if current != o.Text {
			w.replaceContent(e.target, o.Text, e)
		}
		w.setState(e, o.Status)
		// A 1.2 target may name its language; keep it true.
		if a, ok := e.target.AttrInfo("xml:lang"); ok && w.locale != "" && a.Value != w.locale {
			w.ed.Replace(a.ValueSpan, xmlscan.EncodeAttr(w.locale, a.Quote))
		}
	}
}

// reopen replaces a self-closing <target/> by a target with content,
// setting the 1.2 state inside the rebuilt start tag.
func (w *writer) reopen(e *entry, o format.Output) {
	el := e.target
	tagEnd := el.StartTag.End - len("/>")
	head := string(w.src[el.StartTag.Start:tagEnd])
	if w.d.v2 {
		w.setState(e, o.Status)
	} else if a, ok := el.AttrInfo("state"); ok {
		head = string(w.src[el.StartTag.Start:a.ValueSpan.Start]) + states12[o.Status] + string(w.src[a.ValueSpan.End:tagEnd])
	} else {
		head = strings.TrimRight(head, " \t\r\n") + w.attr("state", states12[o.Status])
	}
	head = strings.TrimRight(head, " \t\r\n")
	enc := w.encode(o.Text, e, w.d.doc.IsCDATA(e.textEl))
	w.ed.Replace(el.Outer(), head+">"+enc+"</"+el.Name+">")
}

// hasState reports whether the file already says status for e.
func (w *writer) hasState(e *entry, s format.Status) bool {
	el, states := e.target, states12[:]
	if w.d.v2 {
		el, states = e.container, states20[:]
	}
	v, _ := el.Attr("state")
	return v == states[s]
}

func (w *writer) setState(e *entry, s format.Status) {
	if w.d.v2 {
		w.setAttr(e.container, "state", "id", states20[s])
		return
	}
	w.setAttr(e.target, "state", "", states12[s])
}

// replaceContent writes text as the content of el, keeping the element's
// tags (and CDATA form).
func (w *writer) replaceContent(el *xmlscan.Element, text string, e *entry) {
	enc := w.encode(text, e, w.d.doc.IsCDATA(el))
	if !el.Empty {
		w.ed.Replace(el.Inner(), enc)
		return
	}
	// <source/>: reopen the element around the new content.
	tag := strings.TrimRight(w.d.doc.Raw(el.StartTag), "/>")
	tag = strings.TrimRight(tag, " \t\r\n")
	w.ed.Replace(el.Outer(), tag+">"+enc+"</"+el.Name+">")
}

// insertTarget adds a <target> after <source> (after <seg-source> in 1.2),
// on its own line when <source> is on its own line.
func (w *writer) insertTarget(e *entry, o format.Output) {
	after := e.source
	if seg := e.container.Child("seg-source"); seg != nil && !w.d.v2 {
		after = seg
	}
	name := strings.TrimSuffix(e.source.Name, "source") + "target"
	cdata := w.d.doc.IsCDATA(e.textEl)
	open := "<" + name
	if !w.d.v2 {
		open += w.attr("state", states12[o.Status])
	} else {
		w.setAttr(e.container, "state", "id", states20[o.Status])
	}
	el := open + ">" + w.encode(o.Text, e, cdata) + "</" + name + ">"
	if indent := xmlscan.Indent(w.src, e.source.StartTag.Start); indent != "" || startsLine(w.src, e.source.StartTag.Start) {
		el = w.nl + indent + el
	}
	w.ed.Insert(after.Outer().End, el)
}

// attr renders " name=value" in the file's quote style.
func (w *writer) attr(name, v string) string {
	q := string(w.d.quote)
	return " " + name + "=" + q + xmlscan.EncodeAttr(v, w.d.quote) + q
}

// encode writes a text as the content of one of e's elements: the source's
// inline fragments, and inline elements of the XLIFF vocabulary however a
// translation spells them, are markup when the text's markup balances;
// see xmlscan.Inline.
func (w *writer) encode(text string, e *entry, cdata bool) string {
	in := xmlscan.Inline{Fragments: e.markup, Elements: inline12}
	if w.d.v2 {
		in.Elements = inline20
	}
	return w.d.style.EncodeInline(text, in, cdata)
}

func startsLine(src []byte, off int) bool { return off == 0 || src[off-1] == '\n' }

// removeTarget drops an existing <target> with its line; in 2.0 a state
// other than initial would then be invalid, so it is reset.
func (w *writer) removeTarget(e *entry) {
	if e.target == nil {
		return
	}
	outer := e.target.Outer()
	w.ed.Replace(xmlscan.Span{Start: xmlscan.LineStart(w.src, outer.Start), End: outer.End}, "")
	if w.d.v2 {
		if a, ok := e.container.AttrInfo("state"); ok && a.Value != "initial" {
			w.ed.Replace(a.ValueSpan, "initial")
		}
	}
}

// omit removes a 1.2 trans-unit now; 2.0 segments wait for flushOmitted.
func (w *writer) omit(e *entry) {
	if !w.d.v2 {
		w.remove(e.unit)
		return
	}
	w.omitted[e.unit]++
	w.pending = append(w.pending, e)
}

func (w *writer) flushOmitted() {
	done := map[*xmlscan.Element]bool{}
	segments := map[*xmlscan.Element]int{}
	for _, e := range w.pending {
		n, ok := segments[e.unit]
		if !ok {
			n = len(e.unit.ChildrenNamed("segment"))
			segments[e.unit] = n
		}
		if w.omitted[e.unit] < n {
			w.remove(e.container)
			continue
		}
		if !done[e.unit] {
			done[e.unit] = true
			w.remove(e.unit)
		}
	}
}

// remove deletes an element with the line it stands on.
func (w *writer) remove(el *xmlscan.Element) {
	outer := el.Outer()
	w.ed.Replace(xmlscan.Span{Start: xmlscan.LineStart(w.src, outer.Start), End: outer.End}, "")
}
