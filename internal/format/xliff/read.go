package xliff

import (
	"strconv"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

// read12 collects the trans-units of an XLIFF 1.2 document.
func (d *document) read12() error {
	files := d.doc.Root.ChildrenNamed("file")
	for _, file := range files {
		d.langs = append(d.langs, langAttr{el: file, name: "target-language", after: "source-language"})
		prefix := ""
		if len(files) > 1 {
			orig, _ := file.Attr("original")
			prefix = orig + "/"
		}
		body := file.Child("body")
		if body == nil {
			continue
		}
		if err := d.walk12(body, prefix); err != nil {
			return err
		}
	}
	return nil
}

// walk12 reads the trans-units of a body or group, groups nesting freely.
func (d *document) walk12(el *xmlscan.Element, prefix string) error {
	for _, c := range el.Children {
		var err error
		switch c.Local() {
		case "group":
			err = d.walk12(c, prefix)
		case "trans-unit":
			err = d.transUnit(c, prefix)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *document) transUnit(tu *xmlscan.Element, prefix string) error {
	id, ok := tu.Attr("id")
	if !ok {
		return d.errorf(tu, "", "<%s> without an id", tu.Name)
	}
	if v, _ := tu.Attr("translate"); v == "no" {
		return nil
	}
	e := &entry{container: tu, unit: tu, source: tu.Child("source"), target: tu.Child("target")}
	u := format.Unit{Key: prefix + id, Line: d.doc.Line(tu)}
	if e.target != nil {
		state, _ := e.target.Attr("state")
		u.Status, u.HasStatus = status12(state)
		if approved, _ := tu.Attr("approved"); approved == "yes" && u.Status < format.Reviewed {
			u.Status, u.HasStatus = format.Reviewed, true
		}
	}
	notes, err := d.notes(tu.ChildrenNamed("note"))
	if err != nil {
		return err
	}
	return d.add(e, u, notes)
}

// read20 collects the segments of an XLIFF 2.0 document.
func (d *document) read20() error {
	d.langs = append(d.langs, langAttr{el: d.doc.Root, name: "trgLang", after: "srcLang"})
	files := d.doc.Root.ChildrenNamed("file")
	for _, file := range files {
		prefix := ""
		if len(files) > 1 {
			id, _ := file.Attr("id")
			prefix = id + "/"
		}
		if err := d.walk20(file, prefix); err != nil {
			return err
		}
	}
	return nil
}

func (d *document) walk20(el *xmlscan.Element, prefix string) error {
	for _, c := range el.Children {
		var err error
		switch c.Local() {
		case "group":
			err = d.walk20(c, prefix)
		case "unit":
			err = d.unit20(c, prefix)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *document) unit20(un *xmlscan.Element, prefix string) error {
	id, ok := un.Attr("id")
	if !ok {
		return d.errorf(un, "", "<%s> without an id", un.Name)
	}
	if v, _ := un.Attr("translate"); v == "no" {
		return nil
	}
	var notes []string
	if n := un.Child("notes"); n != nil {
		var err error
		if notes, err = d.notes(n.ChildrenNamed("note")); err != nil {
			return err
		}
	}
	segs := un.ChildrenNamed("segment")
	for i, seg := range segs {
		key := prefix + id
		if len(segs) > 1 {
			sid, ok := seg.Attr("id")
			if !ok {
				sid = strconv.Itoa(i + 1)
			}
			key += "/" + sid
		}
		e := &entry{container: seg, unit: un, source: seg.Child("source"), target: seg.Child("target")}
		u := format.Unit{Key: key, Line: d.doc.Line(seg)}
		if e.target != nil {
			state, _ := seg.Attr("state")
			u.Status, u.HasStatus = status20(state)
		}
		if err := d.add(e, u, notes); err != nil {
			return err
		}
	}
	return nil
}

// notes reads note elements, dropping empty ones.
func (d *document) notes(els []*xmlscan.Element) ([]string, error) {
	var notes []string
	for _, n := range els {
		s, _, err := d.doc.InnerXML(n)
		if err != nil {
			return nil, err
		}
		if s = strings.TrimSpace(s); s != "" {
			notes = append(notes, s)
		}
	}
	return notes, nil
}

// add completes a unit with its texts and notes and records it.
func (d *document) add(e *entry, u format.Unit, notes []string) error {
	if e.source == nil {
		return d.errorf(e.container, u.Key, "<%s> without <source>", e.container.Name)
	}
	if d.keys[u.Key] {
		return d.errorf(e.container, u.Key, "duplicate id")
	}
	d.keys[u.Key] = true
	text, markup, err := d.doc.InnerXML(e.source)
	if err != nil {
		return err
	}
	e.markup, e.textEl, e.text = markup, e.source, text
	if e.target != nil {
		ttext, tmarkup, err := d.doc.InnerXML(e.target)
		if err != nil {
			return err
		}
		e.markup = append(e.markup, tmarkup...)
		if d.fromTarget {
			e.textEl, e.text = e.target, ttext
		}
		if d.translation {
			u.Text = ttext
		}
	}
	if !d.translation {
		u.Text, u.Status, u.HasStatus = e.text, 0, false
	} else if e.target == nil {
		u.Status, u.HasStatus = format.Untranslated, true
	}
	u.Notes = notes
	d.units = append(d.units, u)
	d.entries = append(d.entries, e)
	return nil
}

func (d *document) errorf(el *xmlscan.Element, key, msg string, args ...any) error {
	pe := format.Errorf(d.doc.Name, d.doc.Src, el.StartTag.Start, msg, args...)
	pe.Key = key
	return pe
}

// status12 maps an XLIFF 1.2 target state. Unknown or absent states say
// nothing.
func status12(state string) (format.Status, bool) {
	switch state {
	case "new", "needs-translation":
		return format.Untranslated, true
	case "translated", "needs-review-translation", "needs-review-l10n", "needs-review-adaptation", "needs-adaptation", "needs-l10n":
		return format.Translated, true
	case "signed-off":
		return format.Reviewed, true
	case "final":
		return format.Validated, true
	}
	return 0, false
}

var states12 = [...]string{"needs-translation", "translated", "signed-off", "final"}

// status20 maps an XLIFF 2.0 segment state.
func status20(state string) (format.Status, bool) {
	for i, s := range states20 {
		if s == state {
			return format.Status(i), true
		}
	}
	return 0, false
}

var states20 = [...]string{"initial", "translated", "reviewed", "final"}
