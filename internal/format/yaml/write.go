package yaml

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// Units returns the translatable units in file order.
func (d *document) Units() []format.Unit {
	out := make([]format.Unit, len(d.units))
	for i, u := range d.units {
		out[i] = u.Unit
		out[i].Plural = maps.Clone(u.Plural)
		out[i].Notes = slices.Clone(u.Notes)
	}
	return out
}

// Write splices the texts out returns into the source bytes. The root key
// becomes Target.Locale for a target or pseudo file, written as given.
func (d *document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	outs := make([]format.Output, len(d.units))
	for i, u := range d.Units() {
		outs[i] = out(&u)
	}
	var edits []edit
	if t.Kind != format.KindSource && t.Locale != "" && d.root.end > 0 {
		if string(d.src[d.root.start:d.root.end]) != t.Locale {
			edits = append(edits, edit{d.root.start, d.root.end, encode(t.Locale, d.root, d.nl, false)})
		}
	}
	edits = d.entryEdits(edits, d.entries, outs, t)
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b bytes.Buffer
	at := 0
	for _, e := range edits {
		b.Write(d.src[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.Write(d.src[at:])
	res := b.Bytes()
	if d.unixNL {
		res = toLF(res)
	}
	if _, err := w.Write(res); err != nil {
		return fmt.Errorf("write yaml: %w", err)
	}
	return nil
}

// toLF turns CR LF and lone CR line endings into LF.
func toLF(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

func (d *document) entryEdits(edits []edit, entries []*entry, outs []format.Output, t format.Target) []edit {
	for _, e := range entries {
		switch {
		case omitted(e, outs):
			edits = append(edits, edit{e.start, e.end, ""})
		case e.unit >= 0 && d.units[e.unit].forms != nil:
			edits = d.pluralEdits(edits, &d.units[e.unit], outs[e.unit], t)
		case e.unit >= 0:
			u := &d.units[e.unit]
			if o := outs[e.unit]; !o.Source && o.Text != u.Text {
				edits = append(edits, edit{u.value.start, u.value.end, d.encodeValue(o.Text, u.value)})
			}
		default:
			edits = d.entryEdits(edits, e.children, outs, t)
		}
	}
	return edits
}

// omitted reports whether an entry leaves the file: an omitted unit, or a
// mapping all of whose entries are left out (so no empty key is left).
func omitted(e *entry, outs []format.Output) bool {
	if e.unit >= 0 {
		return outs[e.unit].Omit
	}
	if len(e.children) == 0 {
		return false
	}
	for _, c := range e.children {
		if !omitted(c, outs) {
			return false
		}
	}
	return true
}

// encodeValue encodes a replacement for the value s. A block scalar's span
// ends past its last line break, which a quoted replacement must restore.
func (d *document) encodeValue(text string, s scalar) string {
	atEOF := s.end == 0 || !isBreakBefore(d.src, s.end)
	enc := encode(text, s, d.nl, atEOF)
	if (s.style == styleLiteral || s.style == styleFolded) && !atEOF && !strings.HasPrefix(enc, "|") && !strings.HasPrefix(enc, ">") {
		enc += d.nl
	}
	return enc
}

// pluralEdits writes a plural hash. When the target needs the categories
// the source has, in its order, only changed values are replaced; otherwise
// the hash's lines are written anew, one per Target.Categories entry, in
// the indentation and style of the source's entries.
func (d *document) pluralEdits(edits []edit, u *unit, o format.Output, t format.Target) []edit {
	if o.Source {
		return edits
	}
	cats := categories(u, o, t)
	text := func(cat string) string {
		if s, ok := o.Plural[cat]; ok {
			return s
		}
		return o.Text
	}
	var have []string
	for _, f := range u.forms {
		have = append(have, f.category)
	}
	if slices.Equal(cats, have) {
		for _, f := range u.forms {
			if s := text(f.category); s != u.Plural[f.category] {
				edits = append(edits, edit{f.value.start, f.value.end, d.encodeValue(s, f.value)})
			}
		}
		return edits
	}
	var b strings.Builder
	for _, cat := range cats {
		b.WriteString(d.formLine(u, cat, text(cat)))
	}
	s := b.String()
	if !isBreakBefore(d.src, u.region[1]) {
		s = strings.TrimSuffix(s, d.nl)
	}
	return append(edits, edit{u.region[0], u.region[1], s})
}

// categories returns the plural categories to write: the source's in a
// source export, else the target's, else those the output has. Rails uses
// "zero" for a count of 0 in any locale, whatever CLDR says, so a source
// hash with "zero" keeps it in every target.
func categories(u *unit, o format.Output, t format.Target) []string {
	var cats []string
	if t.Kind != format.KindSource {
		if len(t.Categories) > 0 {
			if _, hasZero := findForm(u, "zero"); hasZero && !slices.Contains(t.Categories, "zero") {
				return append([]string{"zero"}, t.Categories...)
			}
			return t.Categories
		}
		for _, c := range plural.Order {
			if _, ok := o.Plural[c]; ok {
				cats = append(cats, c)
			}
		}
	}
	if len(cats) > 0 {
		return cats
	}
	for _, f := range u.forms {
		cats = append(cats, f.category)
	}
	return cats
}

// formLine writes one "cat: value" line of a plural hash, modelled on the
// source's entry for cat, or on its "other" entry for a new category with
// the value aligned to the same column.
func (d *document) formLine(u *unit, cat, text string) string {
	f, ok := findForm(u, cat)
	if !ok {
		tmpl, _ := findForm(u, "other")
		pad := max(1, len(tmpl.prefix)-len(cat)-1)
		f = form{category: cat, indent: tmpl.indent, prefix: cat + ":" + strings.Repeat(" ", pad), value: tmpl.value}
	}
	var v string
	if ok && text == u.Plural[cat] {
		v = string(d.src[f.value.start:f.value.end])
	} else {
		v = d.encodeValue(text, f.value)
	}
	line := f.indent + f.prefix + v
	if v == "" || !isBreakBefore([]byte(v), len(v)) {
		line += d.nl
	}
	return line
}

func findForm(u *unit, cat string) (form, bool) {
	for _, f := range u.forms {
		if f.category == cat {
			return f, true
		}
	}
	return form{}, false
}
