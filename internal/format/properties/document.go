package properties

import (
	"bytes"
	"io"
	"regexp"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
)

// Document is a parsed .properties file.
type Document struct {
	src        []byte
	entries    []entry
	units      []format.Unit
	unitOf     []int // entry index -> unit index
	duplicates []string
	enc        encoder
	unixEOL    bool
}

var _ format.Document = (*Document)(nil)

var escapeRe = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

func newDocument(src []byte, opts format.ParseOptions, p *parser) *Document {
	d := &Document{src: src, entries: p.entries, unixEOL: opts.Settings.Bool("unixNewline")}
	d.enc = chooseEncoder(src, p.latin1, opts.Settings.String("encoding"))
	byKey := map[string]int{}
	dup := map[string]bool{}
	d.unitOf = make([]int, len(p.entries))
	for i, e := range p.entries {
		u, seen := byKey[e.key]
		if !seen {
			u = len(d.units)
			byKey[e.key] = u
			d.units = append(d.units, format.Unit{Key: e.key})
		} else if !dup[e.key] {
			dup[e.key] = true
			d.duplicates = append(d.duplicates, e.key)
		}
		d.unitOf[i] = u
		// The last definition wins, as in java.util.Properties.
		d.units[u].Text, d.units[u].Line, d.units[u].Notes = e.value, e.line, e.notes
	}
	return d
}

// chooseEncoder picks how changed texts encode non-ASCII characters.
func chooseEncoder(src []byte, latin1 bool, setting string) encoder {
	esc := escapeRe.Find(src)
	upper := esc != nil && bytes.ContainsAny(esc[2:], "ABCDEF")
	switch {
	case setting == EncodingUTF8 || setting == EncodingEscaped:
		return encoder{mode: setting, upper: upper}
	case latin1:
		return encoder{mode: "latin1", upper: upper}
	case hasNonASCII(src):
		return encoder{mode: EncodingUTF8, upper: upper}
	}
	return encoder{mode: EncodingEscaped, upper: upper}
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Units implements format.Document. Each key is one unit, whatever its
// number of definitions.
func (d *Document) Units() []format.Unit {
	out := make([]format.Unit, len(d.units))
	copy(out, d.units)
	return out
}

// Duplicates lists the keys defined more than once, in file order of their
// first definition. The unit of such a key holds its last definition.
func (d *Document) Duplicates() []string {
	return append([]string(nil), d.duplicates...)
}

// Write implements format.Document.
func (d *Document) Write(w io.Writer, _ format.Target, out func(u *format.Unit) format.Output) error {
	outs := make([]format.Output, len(d.units))
	for i := range d.units {
		u := d.units[i]
		outs[i] = out(&u)
	}
	var buf bytes.Buffer
	prev := 0
	for i, e := range d.entries {
		buf.Write(d.src[prev:e.start])
		prev = e.end
		d.writeEntry(&buf, e, outs[d.unitOf[i]])
	}
	buf.Write(d.src[prev:])
	b := buf.Bytes()
	if d.unixEOL {
		b = unixNewlines(b)
	}
	_, err := w.Write(b)
	return err
}

func (d *Document) writeEntry(buf *bytes.Buffer, e entry, o format.Output) {
	switch {
	case o.Omit:
		return
	case o.Source || o.Text == e.value:
		buf.Write(d.src[e.start:e.end])
		return
	}
	buf.Write(d.src[e.start:e.valueStart])
	if e.needSep && o.Text != "" {
		buf.WriteByte('=')
	}
	buf.WriteString(d.enc.value(o.Text))
	buf.WriteString(e.eol)
}

// unixNewlines turns CRLF and CR line endings into LF.
func unixNewlines(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}
