package stringsdict

import (
	"slices"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

func (d *Document) writeEntry(edits *xmlscan.Edits, e *entry, t format.Target, out func(u *format.Unit) format.Output) {
	var fo format.Output
	omit := false
	if e.hasFormat {
		u := cloneUnit(e.unit)
		fo = out(&u)
		omit = fo.Omit
	}
	vos := make([]format.Output, len(e.vars))
	for i := range e.vars {
		u := cloneUnit(e.vars[i].unit)
		vos[i] = out(&u)
		omit = omit || vos[i].Omit
	}
	if omit {
		edits.Replace(e.cut, "")
		return
	}
	if e.hasFormat && !fo.Source && fo.Text != e.unit.Text {
		d.replaceString(edits, e.format.val, fo.Text)
	}
	for i := range e.vars {
		d.writeVariable(edits, &e.vars[i], vos[i], t)
	}
}

// writeVariable writes a plural rule: in place when the categories stay
// those of the source, else as a new run of category keys where the
// source's run began.
func (d *Document) writeVariable(edits *xmlscan.Edits, v *variable, o format.Output, t format.Target) {
	have := make([]string, len(v.cats))
	for i, c := range v.cats {
		have[i] = c.key
	}
	want := have
	if t.Kind != format.KindSource && len(t.Categories) > 0 {
		want = withZero(t.Categories, have, v.unit, o)
	}
	forms := formsFor(v.unit, o, want)
	if slices.Equal(want, have) {
		for _, c := range v.cats {
			if forms[c.key] != c.text {
				d.replaceString(edits, c.val, forms[c.key])
			}
		}
		return
	}
	src := d.doc.Src
	first := v.cats[0]
	start := xmlscan.LineStart(src, first.kel.StartTag.Start)
	prefix := string(src[start:first.kel.StartTag.Start])
	sep := string(src[first.kel.EndTag.End:first.val.StartTag.Start])
	var b strings.Builder
	for _, c := range want {
		b.WriteString(prefix + "<key>" + c + "</key>" + sep + "<string>")
		b.WriteString(d.style.EncodeContent(forms[c], nil, false))
		b.WriteString("</string>")
	}
	edits.Replace(xmlscan.Span{Start: start, End: first.val.EndTag.End}, b.String())
	for _, c := range v.cats[1:] {
		edits.Replace(xmlscan.Span{Start: xmlscan.LineStart(src, c.kel.StartTag.Start), End: c.val.EndTag.End}, "")
	}
}

// withZero adds "zero" in front of cats when the source variable has it and
// the output gives it a text: Apple uses a zero key for the value 0 in any
// locale, whatever the CLDR rule says, so it is not the locale's to drop.
func withZero(cats, have []string, u format.Unit, o format.Output) []string {
	if slices.Contains(cats, "zero") || !slices.Contains(have, "zero") {
		return cats
	}
	text := o.Plural["zero"]
	if text == "" && o.Source {
		text = u.Plural["zero"]
	}
	if text == "" {
		return cats
	}
	return append([]string{"zero"}, cats...)
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

func (d *Document) replaceString(edits *xmlscan.Edits, el *xmlscan.Element, text string) {
	enc := d.style.EncodeContent(text, nil, d.doc.IsCDATA(el))
	if el.Empty {
		edits.Replace(el.Outer(), "<"+el.Name+">"+enc+"</"+el.Name+">")
		return
	}
	edits.Replace(el.Inner(), enc)
}
