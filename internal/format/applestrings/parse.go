package applestrings

import (
	"bytes"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
)

var crlf = []byte("\r\n")

// span is a half-open byte range of the UTF-8 text.
type span struct{ start, end int }

// entry is one "key" = "value"; pair.
type entry struct {
	unit format.Unit
	// val is the raw value token, quotes included. For the short form
	// "key"; it is empty and sits right after the key.
	val     span
	noValue bool
	// cut is what Output.Omit removes: the pair, its note comment and the
	// line break that ends it.
	cut span
}

// comment is a /* */ or // comment seen between entries.
type comment struct {
	span
	text string
	line bool // a // comment
}

type parser struct {
	name     string
	src      []byte
	i        int
	comments []comment // since the previous entry
	entries  []entry
	// line is the line number at offset lineOff; lines are counted
	// forward as entries come, so that numbering stays linear.
	line, lineOff int
	// prevEnd is the offset after the previous entry's ';', or 0.
	prevEnd int
}

// scan reads every entry of the UTF-8 text src.
func scan(name string, src []byte) ([]entry, error) {
	p := &parser{name: name, src: src, line: 1}
	for {
		if err := p.skip(); err != nil {
			return nil, err
		}
		if p.i >= len(p.src) {
			return p.entries, nil
		}
		if err := p.entry(); err != nil {
			return nil, err
		}
	}
}

func (p *parser) entry() error {
	start := p.i
	keyTok, key, err := p.str("key")
	if err != nil {
		return err
	}
	e := entry{unit: format.Unit{Key: key}}
	e.unit.Line = p.lineAt(start)
	e.unit.Notes = p.note(start)
	cutFrom := start
	if len(e.unit.Notes) > 0 {
		cutFrom = p.noteStart(start)
	}
	p.comments = nil
	if err := p.value(&e, keyTok); err != nil {
		return err
	}
	p.i++
	p.comments = nil
	p.prevEnd = p.i
	e.cut = p.cutSpan(cutFrom, p.i)
	p.entries = append(p.entries, e)
	return nil
}

// value reads what follows a key: "= value" up to the ';', or the ';' of
// the short form "key"; whose value is the key itself.
func (p *parser) value(e *entry, keyTok span) error {
	if err := p.skip(); err != nil {
		return err
	}
	key := e.unit.Key
	switch {
	case p.at(';'):
		e.noValue = true
		e.val = span{keyTok.end, keyTok.end}
		e.unit.Text = key
		return nil
	case !p.at('='):
		return p.errorf(p.i, "expected '=' after key %q", key)
	}
	p.i++
	if err := p.skip(); err != nil {
		return err
	}
	tok, val, err := p.str("value")
	if err != nil {
		return err
	}
	e.val, e.unit.Text = tok, val
	if err := p.skip(); err != nil {
		return err
	}
	if !p.at(';') {
		return p.errorf(p.i, "expected ';' after the value of %q", key)
	}
	return nil
}

func (p *parser) lineAt(off int) int {
	p.line += bytes.Count(p.src[p.lineOff:off], []byte("\n"))
	p.lineOff = off
	return p.line
}

func (p *parser) at(c byte) bool { return p.i < len(p.src) && p.src[p.i] == c }

// str reads a quoted or unquoted string token.
func (p *parser) str(what string) (span, string, error) {
	start := p.i
	if p.i >= len(p.src) {
		return span{}, "", p.errorf(p.i, "unexpected end of file, expected a %s", what)
	}
	if p.src[p.i] == '"' {
		for j := p.i + 1; j < len(p.src); j++ {
			switch p.src[j] {
			case '\\':
				j++
			case '"':
				p.i = j + 1
				return span{start, p.i}, unquote(p.src[start+1 : j]), nil
			}
		}
		return span{}, "", p.errorf(start, "unterminated quoted %s", what)
	}
	for p.i < len(p.src) && isBare(p.src[p.i]) {
		p.i++
	}
	if p.i == start {
		return span{}, "", p.errorf(start, "expected a %s, found %q", what, p.src[start])
	}
	return span{start, p.i}, string(p.src[start:p.i]), nil
}

// skip passes white space and comments, remembering the comments.
func (p *parser) skip() error {
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.i++
		case c == '/' && p.i+1 < len(p.src) && p.src[p.i+1] == '*':
			end := bytes.Index(p.src[p.i+2:], []byte("*/"))
			if end < 0 {
				return p.errorf(p.i, "unterminated /* comment")
			}
			stop := p.i + 2 + end + 2
			p.addComment(p.i, stop, string(p.src[p.i+2:stop-2]), false)
		case c == '/' && p.i+1 < len(p.src) && p.src[p.i+1] == '/':
			stop := p.i
			for stop < len(p.src) && p.src[stop] != '\n' && p.src[stop] != '\r' {
				stop++
			}
			p.addComment(p.i, stop, string(p.src[p.i+2:stop]), true)
		case c == 0xEF && bytes.HasPrefix(p.src[p.i:], bomUTF8):
			// A stray BOM, as concatenated files carry, is white space.
			p.i += 3
		default:
			return nil
		}
	}
	return nil
}

func (p *parser) addComment(start, end int, text string, line bool) {
	p.comments = append(p.comments, comment{span{start, end}, strings.TrimSpace(text), line})
	p.i = end
}

// note returns the comment right before the entry at start, if no blank
// line separates them. Consecutive // lines form one note. A comment on
// the line where the previous entry ends belongs to that entry.
func (p *parser) note(start int) []string {
	first, ok := p.noteRange(start)
	if !ok {
		return nil
	}
	lines := make([]string, 0, len(p.comments)-first)
	for _, c := range p.comments[first:] {
		lines = append(lines, c.text)
	}
	if text := strings.TrimSpace(strings.Join(lines, "\n")); text != "" {
		return []string{text}
	}
	return nil
}

// noteRange returns the index of the note's first comment.
func (p *parser) noteRange(start int) (int, bool) {
	n := len(p.comments)
	if n == 0 || blankLine(p.src[p.comments[n-1].end:start]) {
		return 0, false
	}
	first := n - 1
	for first > 0 && p.comments[first].line && p.comments[first-1].line &&
		!blankLine(p.src[p.comments[first-1].end:p.comments[first].start]) {
		first--
	}
	for first < n && p.prevEnd > 0 && !hasNewline(p.src[p.prevEnd:p.comments[first].start]) {
		first++
	}
	return first, first < n
}

func (p *parser) noteStart(start int) int {
	first, _ := p.noteRange(start)
	return p.comments[first].start
}

func hasNewline(b []byte) bool { return bytes.IndexByte(b, '\n') >= 0 || bytes.IndexByte(b, '\r') >= 0 }

// blankLine reports whether white space b holds an empty line.
func blankLine(b []byte) bool {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Count(s, "\n") > 1
}

// cutSpan widens [from,to) to whole lines when nothing else shares them,
// so that removing an entry leaves no empty line behind.
func (p *parser) cutSpan(from, to int) span {
	s := from
	for s > 0 && (p.src[s-1] == ' ' || p.src[s-1] == '\t') {
		s--
	}
	if s > 0 && p.src[s-1] != '\n' && p.src[s-1] != '\r' {
		return span{from, to}
	}
	e := p.trailingComment(to)
	switch {
	case bytes.HasPrefix(p.src[e:], crlf):
		return span{s, e + 2}
	case e < len(p.src) && (p.src[e] == '\n' || p.src[e] == '\r'):
		return span{s, e + 1}
	case e == len(p.src):
		// The last line has no line break: take the one before it, so the
		// file still ends without one.
		if bytes.HasSuffix(p.src[:s], crlf) {
			return span{s - 2, e}
		}
		if s > 0 {
			return span{s - 1, e}
		}
		return span{s, e}
	}
	return span{from, to}
}

func (p *parser) errorf(off int, f string, args ...any) error {
	return format.Errorf(p.name, p.src, off, f, args...)
}

// trailingComment skips the spaces and a comment after an entry on its
// line, which go with the entry when it is removed.
func (p *parser) trailingComment(i int) int {
	i = skipBlanks(p.src, i)
	switch {
	case bytes.HasPrefix(p.src[i:], []byte("//")):
		for i < len(p.src) && p.src[i] != '\n' && p.src[i] != '\r' {
			i++
		}
	case bytes.HasPrefix(p.src[i:], []byte("/*")):
		end := bytes.Index(p.src[i:], []byte("*/"))
		if end < 0 || hasNewline(p.src[i:i+end]) {
			return i
		}
		i = skipBlanks(p.src, i+end+2)
	}
	return i
}

func skipBlanks(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}
