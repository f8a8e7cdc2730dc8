package json

import (
	"bytes"
	"fmt"
	"io"
	"slices"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// Write renders the document with the texts out chooses. See the package
// doc for omitted units, arrays and plurals.
func (d *Document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	outs := make([]format.Output, len(d.units))
	for i := range d.units {
		u := d.units[i] // a copy: out must not change the document
		outs[i] = out(&u)
	}
	wr := &writer{d: d, t: t, outs: outs, buf: make([]byte, 0, len(d.src)+len(d.src)/4)}
	wr.raw(0, d.root.start) // BOM and leading space
	wr.value(d.root)
	wr.raw(d.root.end, len(d.src))
	b := wr.buf
	if d.settings.Bool("unixNewline") {
		b = unixNewlines(b)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

type writer struct {
	d    *Document
	t    format.Target
	outs []format.Output
	buf  []byte
}

func (w *writer) raw(from, to int) { w.buf = append(w.buf, w.d.src[from:to]...) }

func (w *writer) value(v *value) {
	switch v.kind {
	case kindObject:
		w.object(v)
	case kindArray:
		w.array(v)
	case kindString:
		w.str(v)
	default:
		w.raw(v.start, v.end)
	}
}

// str writes a string value: the raw bytes when its text is unchanged (or
// the unit is omitted inside an array, which cannot lose an element).
func (w *writer) str(v *value) {
	if v.unit < 0 {
		w.raw(v.start, v.end)
		return
	}
	o := w.outs[v.unit]
	if o.Source || o.Omit || o.Text == v.text || w.d.units[v.unit].Plural != nil {
		w.raw(v.start, v.end)
		return
	}
	w.buf = w.d.style.appendQuote(w.buf, o.Text)
}

func (w *writer) omitted(v *value) bool {
	return v.kind == kindString && v.unit >= 0 && w.outs[v.unit].Omit && w.d.units[v.unit].Plural == nil
}

func (w *writer) object(v *value) {
	if len(v.members) == 0 {
		w.raw(v.start, v.end)
		return
	}
	w.buf = append(w.buf, '{')
	last := len(v.members) - 1
	n := 0
	for i, m := range v.members {
		if g := w.d.groupAt(v, i); g != nil && !w.outs[g.unit].Source {
			n = w.pluralGroup(v, g, i, n)
			continue
		}
		if w.omitted(m.val) {
			continue
		}
		w.comma(n)
		w.raw(m.pre, m.val.start)
		w.value(m.val)
		if i != last {
			w.raw(m.val.end, m.postEnd)
		}
		n++
	}
	w.raw(v.members[last].val.end, v.members[last].postEnd)
	w.buf = append(w.buf, '}')
}

func (w *writer) comma(written int) {
	if written > 0 {
		w.buf = append(w.buf, ',')
	}
}

// pluralGroup writes the group at its first member i, one member per
// target category with the first member's indentation and separator; the
// group's other members write nothing. It returns the members written.
func (w *writer) pluralGroup(obj *value, g *pluralGroup, i, n int) int {
	o := w.outs[g.unit]
	if o.Omit || g.members[0] != i {
		return n
	}
	m := obj.members[i]
	for _, cat := range w.categories(g, o) {
		text, ok := o.Plural[cat]
		if !ok {
			text = o.Text
		}
		w.comma(n)
		w.raw(m.pre, m.keyStart)
		w.buf = w.d.style.appendQuote(w.buf, g.stem+"_"+cat)
		w.raw(m.keyEnd, m.val.start)
		w.buf = w.d.style.appendQuote(w.buf, text)
		n++
	}
	if i != len(obj.members)-1 {
		w.raw(m.val.end, m.postEnd)
	}
	return n
}

// categories are the target's categories, else those of the output, else
// the source's. A source stem_zero with a text in the output is kept in any
// locale: i18next uses it for a count of 0 whatever the locale's rule.
func (w *writer) categories(g *pluralGroup, o format.Output) []string {
	if len(w.t.Categories) > 0 {
		cats := w.t.Categories
		if slices.Contains(g.cats, "zero") && !slices.Contains(cats, "zero") && o.Plural["zero"] != "" {
			cats = append([]string{"zero"}, cats...)
		}
		return cats
	}
	var cats []string
	for _, c := range plural.Order {
		if _, ok := o.Plural[c]; ok {
			cats = append(cats, c)
		}
	}
	if len(cats) > 0 {
		return cats
	}
	return g.cats
}

func (w *writer) array(v *value) {
	if len(v.members) == 0 {
		w.raw(v.start, v.end)
		return
	}
	w.buf = append(w.buf, '[')
	last := len(v.members) - 1
	for i, m := range v.members {
		w.comma(i)
		w.raw(m.pre, m.val.start)
		w.value(m.val)
		if i != last {
			w.raw(m.val.end, m.postEnd)
		}
	}
	w.raw(v.members[last].val.end, v.members[last].postEnd)
	w.buf = append(w.buf, ']')
}

// unixNewlines turns CRLF and lone CR into LF. JSON strings cannot hold a
// raw CR, so only whitespace changes.
func unixNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\r' {
			out = append(out, b[i])
			continue
		}
		out = append(out, '\n')
		if i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
	}
	return out
}
