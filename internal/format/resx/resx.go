// Package resx reads and writes .NET resource files (parser "resx").
//
// Each string <data name="..."> is a unit keyed by its name; its <value> is
// the text and its <comment> a note. <data> with a type or mimetype
// attribute (images, colours, serialized objects) is kept as written and
// not offered, except type="System.String, ...", which is a string. The
// header, the embedded schema and the resheader entries are never touched.
// The writer replaces only <value> contents, so the BOM, xml:space, the
// lack of a final newline and every other byte stay as they were. RESX has
// no locale marker inside the file (the locale is in the file name).
package resx

import (
	"io"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// SettingUntranslated names the setting for untranslated entries.
const SettingUntranslated = "untranslated"

// Format is the RESX format.
type Format struct{}

var _ format.Format = Format{}

func init() { format.Register(Format{}) }

// Name returns the parser id.
func (Format) Name() string { return "resx" }

// Settings declares the RESX settings.
func (Format) Settings() []format.Setting {
	return []format.Setting{
		format.UntranslatedSetting("source", "untranslated entries: source keeps the source text, empty writes an empty value, omit removes the <data> element"),
	}
}

// Syntax: .NET composite formatting ({0}, {0:N2}) reads like MessageFormat.
func (Format) Syntax(format.Settings) placeholder.Syntax { return placeholder.MessageFmt }

// Parse reads a RESX document.
func (Format) Parse(src []byte, opts format.ParseOptions) (format.Document, error) {
	doc, err := xmlscan.Parse(src, xmlscan.Options{Name: opts.Name})
	if err != nil {
		return nil, err
	}
	if doc.Root.Local() != "root" {
		return nil, format.Errorf(opts.Name, src, doc.Root.StartTag.Start, "root element is <%s>, not <root>", doc.Root.Name)
	}
	d := &document{doc: doc, unixNewline: opts.Settings.Bool("unixNewline")}
	seen := map[string]bool{}
	var values []*xmlscan.Element
	for _, data := range doc.Root.ChildrenNamed("data") {
		u, value, err := readData(doc, data)
		if err != nil {
			return nil, err
		}
		if value == nil {
			continue
		}
		if seen[u.Key] {
			return nil, keyError(doc, data, u.Key, "duplicate name")
		}
		seen[u.Key] = true
		d.units = append(d.units, u)
		d.entries = append(d.entries, entry{data: data, value: value})
		values = append(values, value)
	}
	d.style = doc.DetectStyle(values)
	return d, nil
}

// readData reads one <data> element; value is nil for non-string data.
func readData(doc *xmlscan.Doc, data *xmlscan.Element) (format.Unit, *xmlscan.Element, error) {
	name, ok := data.Attr("name")
	if !ok {
		return format.Unit{}, nil, format.Errorf(doc.Name, doc.Src, data.StartTag.Start, "<data> without a name")
	}
	if !isString(data) {
		return format.Unit{}, nil, nil
	}
	value := data.Child("value")
	if value == nil {
		return format.Unit{}, nil, keyError(doc, data, name, "<data> without <value>")
	}
	text, err := doc.Text(value)
	if err != nil {
		return format.Unit{}, nil, err
	}
	u := format.Unit{Key: name, Text: text, Line: doc.Line(data)}
	if c := data.Child("comment"); c != nil {
		note, err := doc.Text(c)
		if err != nil {
			return format.Unit{}, nil, err
		}
		if note = strings.TrimSpace(note); note != "" {
			u.Notes = []string{note}
		}
	}
	return u, value, nil
}

func keyError(doc *xmlscan.Doc, el *xmlscan.Element, key, msg string) error {
	pe := format.Errorf(doc.Name, doc.Src, el.StartTag.Start, "%s", msg)
	pe.Key = key
	return pe
}

// isString tells string resources from typed ones.
func isString(data *xmlscan.Element) bool {
	if _, ok := data.Attr("mimetype"); ok {
		return false
	}
	typ, ok := data.Attr("type")
	return !ok || strings.HasPrefix(strings.TrimSpace(typ), "System.String")
}

// document is a parsed RESX file.
type document struct {
	doc         *xmlscan.Doc
	units       []format.Unit
	entries     []entry
	style       xmlscan.Style
	unixNewline bool
}

type entry struct {
	data, value *xmlscan.Element
}

// Units returns the string entries in file order.
func (d *document) Units() []format.Unit { return d.units }

// Write renders the document, replacing changed values and removing
// omitted entries with their line.
func (d *document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	var ed xmlscan.Edits
	src := d.doc.Src
	for i, u := range d.units {
		o := out(&u)
		e := d.entries[i]
		switch {
		case o.Omit:
			outer := e.data.Outer()
			ed.Replace(xmlscan.Span{Start: xmlscan.LineStart(src, outer.Start), End: outer.End}, "")
		case o.Source || o.Text == d.units[i].Text:
		case e.value.Empty:
			tag := strings.TrimRight(strings.TrimSuffix(d.doc.Raw(e.value.StartTag), "/>"), " \t\r\n")
			ed.Replace(e.value.Outer(), tag+">"+d.style.EncodeContent(o.Text, nil, false)+"</"+e.value.Name+">")
		default:
			ed.Replace(e.value.Inner(), d.style.EncodeContent(o.Text, nil, d.doc.IsCDATA(e.value)))
		}
	}
	b, err := ed.Apply(src)
	if err != nil {
		return err
	}
	if d.unixNewline {
		b = xmlscan.ToLF(b)
	}
	_, err = w.Write(b)
	return err
}
