package properties

import (
	"bytes"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
)

// entry is one key/value definition, possibly spread over continued lines.
type entry struct {
	start, end int    // raw span, including the final line terminator
	valueStart int    // offset where the written value begins
	eol        string // the final line terminator ("" at end of file)
	key        string
	value      string
	line       int
	notes      []string
	// needSep is true when nothing follows the key: a written value then
	// needs a separator.
	needSep bool
}

// parser walks the file natural line by natural line, as
// java.util.Properties' LineReader does.
type parser struct {
	lineNo, lineOff int // lines counted up to lineOff
	src             []byte
	name            string
	latin1          bool
	pos             int
	entries         []entry
	comment         []string // comment lines directly above the next entry
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\f' }

func parse(src []byte, opts format.ParseOptions) (*Document, error) {
	p := &parser{src: src, name: opts.Name, latin1: !utf8.Valid(src)}
	// A UTF-8 byte order mark is not part of the first key (Properties.load
	// would keep it there, which no author means).
	if bytes.HasPrefix(src, []byte("\ufeff")) && !p.latin1 {
		p.pos = 3
	}
	for p.pos < len(src) {
		if err := p.line(); err != nil {
			return nil, err
		}
	}
	return newDocument(src, opts, p), nil
}

// line consumes one natural line, or a whole logical line for an entry.
func (p *parser) line() error {
	start := p.pos
	i := start
	for i < len(p.src) && isSpace(p.src[i]) {
		i++
	}
	if i == len(p.src) || p.src[i] == '\n' || p.src[i] == '\r' {
		p.pos = p.skipEOL(i)
		p.comment = nil
		return nil
	}
	if c := p.src[i]; c == '#' || c == '!' {
		end := p.lineEnd(i)
		p.comment = append(p.comment, commentText(p.src[i+1:end]))
		p.pos = p.skipEOL(end)
		return nil
	}
	return p.entry(start, i)
}

func commentText(b []byte) string {
	b = bytes.TrimPrefix(b, []byte(" "))
	return string(bytes.TrimRight(b, " \t\f"))
}

// lineEnd returns the offset of the terminator of the natural line at i.
func (p *parser) lineEnd(i int) int {
	for i < len(p.src) && p.src[i] != '\n' && p.src[i] != '\r' {
		i++
	}
	return i
}

// skipEOL returns the offset after the line terminator at i.
func (p *parser) skipEOL(i int) int {
	if i < len(p.src) && p.src[i] == '\r' {
		i++
	}
	if i < len(p.src) && p.src[i] == '\n' {
		i++
	}
	return i
}

// entry reads the logical line whose content starts at i: the content bytes
// and, for each, its offset in src, so the value can be located in the raw
// bytes.
func (p *parser) entry(start, i int) error {
	var content []byte
	var offs []int
	end := i
	for {
		le := p.lineEnd(i)
		n := 0
		for j := le - 1; j >= i && p.src[j] == '\\'; j-- {
			n++
		}
		for j := i; j < le; j++ {
			content = append(content, p.src[j])
			offs = append(offs, j)
		}
		end = p.skipEOL(le)
		if n%2 == 0 {
			break
		}
		// Continued: drop the backslash and the next line's indentation.
		// At the end of the file Java drops the backslash too.
		content, offs = content[:len(content)-1], offs[:len(offs)-1]
		if le == len(p.src) {
			break
		}
		i = end
		for i < len(p.src) && isSpace(p.src[i]) {
			i++
		}
		if i == len(p.src) {
			break
		}
	}
	e, err := p.split(content, offs)
	if err != nil {
		return err
	}
	e.start, e.end = start, end
	e.eol = string(p.src[p.lineEndBefore(end):end])
	if e.valueStart < 0 {
		e.valueStart = i
	}
	e.line = p.lineAt(start)
	e.notes = p.comment
	p.comment = nil
	p.entries = append(p.entries, e)
	p.pos = end
	return nil
}

// lineEndBefore returns the offset of the terminator that ends at end.
func (p *parser) lineEndBefore(end int) int {
	if end > 0 && p.src[end-1] == '\n' {
		end--
	}
	if end > 0 && p.src[end-1] == '\r' {
		end--
	}
	return end
}

// split separates key and value as Properties.load does: the key ends at the
// first unescaped '=', ':' or whitespace; whitespace and one separator
// follow.
func (p *parser) split(content []byte, offs []int) (entry, error) {
	keyLen, valStart, hasSep, esc := 0, len(content), false, false
	for ; keyLen < len(content); keyLen++ {
		c := content[keyLen]
		if !esc && (c == '=' || c == ':') {
			valStart, hasSep = keyLen+1, true
			break
		}
		if !esc && isSpace(c) {
			valStart = keyLen + 1
			break
		}
		esc = c == '\\' && !esc
	}
	for ; valStart < len(content); valStart++ {
		c := content[valStart]
		if isSpace(c) {
			continue
		}
		if !hasSep && (c == '=' || c == ':') {
			hasSep = true
			continue
		}
		break
	}
	key, err := p.decode(content[:keyLen], offs[:keyLen])
	if err != nil {
		return entry{}, err
	}
	value, err := p.decode(content[valStart:], offs[valStart:])
	if err != nil {
		return entry{}, err
	}
	e := entry{key: key, value: value, valueStart: -1, needSep: keyLen == len(content)}
	switch {
	case valStart < len(content):
		e.valueStart = offs[valStart]
	case len(content) > 0:
		e.valueStart = offs[len(content)-1] + 1
	}
	return e, nil
}

// lineAt returns the 1-based line of offset off; offsets must not
// decrease between calls, so the whole file is counted once.
func (p *parser) lineAt(off int) int {
	p.lineNo += bytes.Count(p.src[p.lineOff:off], []byte("\n"))
	p.lineOff = off
	return p.lineNo + 1
}
