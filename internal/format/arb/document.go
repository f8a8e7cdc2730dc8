package arb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
)

// document is a parsed ARB file.
type document struct {
	src     []byte
	open    int // offset of the top-level '{'
	members []member
	units   []format.Unit
	// unitOf maps a member to its unit index, or -1; metaOf maps an
	// "@key" member to the unit of "key", or -1.
	unitOf, metaOf []int
	locale         int // the "@@locale" member, or -1
	asciiOnly      bool
	unixNL         bool
	dups           []string
}

func parse(src []byte, opts format.ParseOptions) (*document, error) {
	s := &scanner{src: src, name: opts.Name}
	if err := s.file(); err != nil {
		return nil, err
	}
	d := &document{
		src: src, open: s.open, members: s.members, locale: -1,
		asciiOnly: s.escapedNonASCII && !s.rawNonASCII,
		unixNL:    opts.Settings.Bool("unixNewline"),
	}
	d.index()
	if err := d.checkBraces(opts.Name); err != nil {
		return nil, err
	}
	return d, nil
}

// checkBraces refuses a message whose ICU braces do not balance under
// either reading of apostrophes: gen_l10n would fail on it, and a target
// built from it would break the app's build.
func (d *document) checkBraces(name string) error {
	for i, m := range d.members {
		if d.unitOf[i] < 0 {
			continue
		}
		off, bad := braceProblem(m.text, true)
		if _, bad2 := braceProblem(m.text, false); !bad || !bad2 {
			continue
		}
		e := format.Errorf(name, d.src, m.valStart, "message has an unbalanced %q at character %d of its text", m.text[off], utf8.RuneCountInString(m.text[:off])+1)
		e.Key = m.key
		return e
	}
	return nil
}

// Duplicates lists the message keys defined more than once, for the import
// report.
func (d *document) Duplicates() []string { return d.dups }

// index makes the units and links each "@key" member to its message.
func (d *document) index() {
	last := map[string]int{} // member index of a key's last definition
	for i, m := range d.members {
		if _, seen := last[m.key]; seen && !strings.HasPrefix(m.key, "@") && !slices.Contains(d.dups, m.key) {
			d.dups = append(d.dups, m.key)
		}
		last[m.key] = i
	}
	d.unitOf = make([]int, len(d.members))
	d.metaOf = make([]int, len(d.members))
	byKey := map[string]int{}
	line, at := 1, 0
	for i, m := range d.members {
		line += bytes.Count(d.src[at:m.keyStart], []byte("\n"))
		at = m.keyStart
		d.unitOf[i], d.metaOf[i] = -1, -1
		switch {
		case m.key == "@@locale" && m.isString:
			d.locale = i
		case strings.HasPrefix(m.key, "@"):
		case m.isString && last[m.key] == i:
			d.unitOf[i] = len(d.units)
			byKey[m.key] = len(d.units)
			d.units = append(d.units, format.Unit{Key: m.key, Text: m.text, Line: line})
		}
	}
	for i, m := range d.members {
		if !strings.HasPrefix(m.key, "@") || strings.HasPrefix(m.key, "@@") {
			continue
		}
		if u, ok := byKey[m.key[1:]]; ok && last[m.key] == i {
			d.metaOf[i] = u
			d.units[u].Notes = append(d.units[u].Notes, notes(d.src[m.valStart:m.valEnd])...)
		}
	}
}

// notes returns a metadata object's description and those of its
// placeholders, for translators.
func notes(raw []byte) []string {
	var meta struct {
		Description  string `json:"description"`
		Placeholders map[string]struct {
			Description string `json:"description"`
			Example     any    `json:"example"`
		} `json:"placeholders"`
	}
	if json.Unmarshal(raw, &meta) != nil {
		return nil
	}
	var out []string
	if meta.Description != "" {
		out = append(out, meta.Description)
	}
	for _, name := range slices.Sorted(maps.Keys(meta.Placeholders)) {
		p := meta.Placeholders[name]
		note := p.Description
		if p.Example != nil {
			note = strings.TrimSpace(fmt.Sprintf("%s (example: %v)", note, p.Example))
		}
		if note != "" {
			out = append(out, "{"+name+"}: "+note)
		}
	}
	return out
}

// Units returns the messages in file order.
func (d *document) Units() []format.Unit {
	out := slices.Clone(d.units)
	for i := range out {
		out[i].Notes = slices.Clone(out[i].Notes)
	}
	return out
}

// Write splices the texts out returns into the source bytes. Members left
// out take their separator with them, so no comma dangles.
func (d *document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	outs := make([]format.Output, len(d.units))
	for i, u := range d.Units() {
		outs[i] = out(&u)
	}
	var b bytes.Buffer
	if len(d.members) == 0 {
		b.Write(d.src)
	} else {
		d.writeMembers(&b, t, outs)
	}
	res := b.Bytes()
	if d.unixNL {
		res = bytes.ReplaceAll(res, []byte("\r\n"), []byte("\n"))
		res = bytes.ReplaceAll(res, []byte("\r"), []byte("\n"))
	}
	if _, err := w.Write(res); err != nil {
		return fmt.Errorf("write arb: %w", err)
	}
	return nil
}

func (d *document) writeMembers(b *bytes.Buffer, t format.Target, outs []format.Output) {
	ms := d.members
	wrote := false
	for i, m := range ms {
		if d.omitted(i, outs) {
			continue
		}
		if !wrote {
			b.Write(d.src[:ms[0].keyStart])
		} else {
			// The separator that preceded this member: comma, line breaks,
			// blank lines and indentation.
			b.Write(d.src[ms[i-1].valEnd:m.keyStart])
		}
		wrote = true
		b.Write(d.src[m.keyStart:m.valStart])
		b.WriteString(d.value(i, t, outs))
	}
	if !wrote {
		b.Write(d.src[:d.open+1])
	}
	b.Write(d.src[ms[len(ms)-1].valEnd:])
}

func (d *document) omitted(i int, outs []format.Output) bool {
	if u := d.unitOf[i]; u >= 0 {
		return outs[u].Omit
	}
	if u := d.metaOf[i]; u >= 0 {
		return outs[u].Omit
	}
	return false
}

// value returns the bytes of member i's value: the source's, unless it is a
// changed message or the locale of a target file.
func (d *document) value(i int, t format.Target, outs []format.Output) string {
	m := d.members[i]
	raw := string(d.src[m.valStart:m.valEnd])
	if u := d.unitOf[i]; u >= 0 {
		if o := outs[u]; !o.Source && o.Text != m.text {
			return quote(o.Text, d.asciiOnly)
		}
		return raw
	}
	if i == d.locale && t.Kind != format.KindSource && t.Locale != "" {
		if loc := strings.ReplaceAll(t.Locale, "-", "_"); loc != m.text {
			return quote(loc, d.asciiOnly)
		}
	}
	return raw
}

// quote writes text as a JSON string. Non-ASCII characters are written as
// they are, unless the file escapes them all (asciiOnly); "<", ">" and "&"
// are not escaped, unlike encoding/json.
func quote(text string, asciiOnly bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range text {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			writeRune(&b, r, asciiOnly)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func writeRune(b *strings.Builder, r rune, asciiOnly bool) {
	switch {
	case r < 0x20, r == utf8.RuneError:
		fmt.Fprintf(b, `\u%04x`, r)
	case r >= 0x80 && asciiOnly && r > 0xFFFF:
		r -= 0x10000
		fmt.Fprintf(b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
	case r >= 0x80 && asciiOnly:
		fmt.Fprintf(b, `\u%04x`, r)
	default:
		b.WriteRune(r)
	}
}
