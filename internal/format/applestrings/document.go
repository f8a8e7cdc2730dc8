package applestrings

import (
	"bytes"
	"fmt"
	"io"
	"slices"

	"github.com/tolk-l10n/tolk/internal/format"
)

// Document is a parsed .strings file.
type Document struct {
	enc     encoding
	bom     []byte
	text    []byte // the file as UTF-8, without BOM
	entries []entry
	// rawNewline is true when the file writes line breaks in values as
	// they are rather than as \n.
	rawNewline bool
	unixNL     bool
	dups       []string
}

var _ format.Document = (*Document)(nil)

// Parse reads a .strings file in UTF-8 or UTF-16.
func Parse(src []byte, opts format.ParseOptions) (*Document, error) {
	d := &Document{unixNL: opts.Settings.Bool("unixNewline")}
	d.enc, d.bom = sniff(src)
	body := src[len(d.bom):]
	if d.enc == encUTF8 {
		d.text = body
	} else {
		text, off, err := decodeUTF16(body, d.enc)
		if err != nil {
			if off < 0 {
				return nil, &format.ParseError{File: opts.Name, Msg: err.Error()}
			}
			return nil, format.Errorf(opts.Name, text, off, "%v", err)
		}
		d.text = text
	}
	entries, err := scan(opts.Name, d.text)
	if err != nil {
		return nil, err
	}
	d.entries = entries
	d.rawNewline = d.newlineStyle()
	d.dups = duplicates(entries)
	return d, nil
}

// duplicates lists the keys of more than one entry, in file order of their
// second occurrence.
func duplicates(entries []entry) []string {
	seen := map[string]bool{}
	var dups []string
	for _, e := range entries {
		k := e.unit.Key
		if seen[k] && !slices.Contains(dups, k) {
			dups = append(dups, k)
		}
		seen[k] = true
	}
	return dups
}

// Duplicates lists the keys defined more than once, for the import report;
// each definition stays a unit of its own, in file order.
func (d *Document) Duplicates() []string { return d.dups }

// newlineStyle tells whether values carry raw line breaks more often than
// \n escapes.
func (d *Document) newlineStyle() bool {
	var raw, escaped int
	for _, e := range d.entries {
		v := d.text[e.val.start:e.val.end]
		raw += bytes.Count(v, []byte("\n"))
		escaped += bytes.Count(v, []byte(`\n`))
	}
	return raw > escaped
}

// Units returns the pairs in file order.
func (d *Document) Units() []format.Unit {
	units := make([]format.Unit, len(d.entries))
	for i, e := range d.entries {
		units[i] = e.unit
		units[i].Notes = append([]string(nil), e.unit.Notes...)
	}
	return units
}

// Write renders the file with the texts out gives, in the source encoding.
func (d *Document) Write(w io.Writer, _ format.Target, out func(u *format.Unit) format.Output) error {
	var b bytes.Buffer
	b.Grow(len(d.text) + len(d.text)/4)
	pos := 0
	for i := range d.entries {
		e := &d.entries[i]
		u := e.unit
		u.Notes = append([]string(nil), e.unit.Notes...)
		o := out(&u)
		switch {
		case o.Omit:
			if e.cut.start > pos {
				b.Write(d.text[pos:e.cut.start])
			}
			pos = max(pos, e.cut.end)
		case o.Source || o.Text == e.unit.Text:
			// The raw bytes are written with the next gap.
		default:
			b.Write(d.text[pos:e.val.start])
			b.WriteString(d.encodeValue(e, o.Text))
			pos = e.val.end
		}
	}
	b.Write(d.text[pos:])
	res := b.Bytes()
	if d.unixNL {
		res = unixNewlines(res)
	}
	if _, err := w.Write(d.encode(res)); err != nil {
		return fmt.Errorf("write strings: %w", err)
	}
	return nil
}

// encodeValue writes text the way the entry's value was written: bare when
// it was bare and still can be, quoted otherwise.
func (d *Document) encodeValue(e *entry, text string) string {
	bare := e.val.start < e.val.end && d.text[e.val.start] != '"'
	v := quote(text, d.rawNewline)
	if bare && bareText(text) {
		v = text
	}
	if e.noValue {
		return " = " + v
	}
	return v
}

func (d *Document) encode(text []byte) []byte {
	if d.enc == encUTF8 {
		return append(append([]byte(nil), d.bom...), text...)
	}
	return append(append([]byte(nil), d.bom...), encodeUTF16(text, d.enc)...)
}

// unixNewlines turns CRLF and lone CR line endings into LF.
func unixNewlines(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}
