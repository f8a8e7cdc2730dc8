package yaml

import (
	"errors"
	"unicode/utf8"
)

// Scalar styles, named by the character that introduces them.
const (
	stylePlain   = 'p'
	styleSingle  = '\''
	styleDouble  = '"'
	styleLiteral = '|'
	styleFolded  = '>'
)

// scalar is the byte span of one scalar value in the source.
type scalar struct {
	start, end int
	style      byte
	// parentIndent is the indentation of the key the value belongs to; a
	// value's continuation lines are indented further.
	parentIndent int
	// contentIndent is a block scalar's content indentation.
	contentIndent int
}

var errUnterminated = errors.New("unterminated quoted scalar")

// lines indexes src by line the way the YAML scanner counts them, so that
// yaml.Node's Line and Column map back to byte offsets: CR LF, CR, LF, NEL,
// LS and PS each end a line.
type lines struct {
	src    []byte
	starts []int
}

func newLines(src []byte) *lines {
	l := &lines{src: src, starts: []int{0}}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.starts[0] = 3 // the scanner does not count a BOM as a column
	}
	for i := l.starts[0]; i < len(src); {
		n := breakLen(src, i)
		if n == 0 {
			i++
			continue
		}
		i += n
		l.starts = append(l.starts, i)
	}
	return l
}

// breakLen returns the length of the line break at i, or 0.
func breakLen(src []byte, i int) int {
	switch c := src[i]; {
	case c == '\n':
		return 1
	case c == '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case c == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
		return 2
	case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
		return 3
	}
	return 0
}

// offset turns a 1-based line and column (in characters) into a byte offset.
func (l *lines) offset(line, col int) int {
	if line < 1 || line > len(l.starts) {
		return len(l.src)
	}
	i := l.starts[line-1]
	for c := 1; c < col && i < len(l.src) && breakLen(l.src, i) == 0; c++ {
		_, size := utf8.DecodeRune(l.src[i:])
		i += size
	}
	return i
}

// lineEnd returns the offset just past the line break that ends the line
// holding i, or len(src).
func (l *lines) lineEnd(i int) int {
	for i < len(l.src) {
		if n := breakLen(l.src, i); n > 0 {
			return i + n
		}
		i++
	}
	return len(l.src)
}

// spanLineEnd is lineEnd for the end of a span, which may already sit just
// past a line break (block scalars end there).
func (l *lines) spanLineEnd(i int) int {
	if i > l.starts[0] && isBreakBefore(l.src, i) {
		return i
	}
	return l.lineEnd(i)
}

func isBreakBefore(src []byte, i int) bool {
	c := src[i-1]
	return c == '\n' || c == '\r' || c == 0x85 && i >= 2 && src[i-2] == 0xC2 ||
		(c == 0xA8 || c == 0xA9) && i >= 3 && src[i-3] == 0xE2 && src[i-2] == 0x80
}

// lineStart returns the offset of the start of the line holding i.
func (l *lines) lineStart(i int) int {
	lo, hi := 0, len(l.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.starts[mid] <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return l.starts[lo]
}

// nextLine returns the offset of the line after the one holding i, or -1
// at the end of the input.
func (l *lines) nextLine(i int) int {
	for i < len(l.src) {
		if n := breakLen(l.src, i); n > 0 {
			if i+n >= len(l.src) {
				return -1
			}
			return i + n
		}
		i++
	}
	return -1
}

// content returns the bytes of the line starting at i, without its break.
func (l *lines) content(i int) []byte {
	j := i
	for j < len(l.src) && breakLen(l.src, j) == 0 {
		j++
	}
	return l.src[i:j]
}

// span finds the end of the scalar starting at start in the given style.
func (l *lines) span(start int, style byte, parentIndent int) (scalar, error) {
	s := scalar{start: start, style: style, parentIndent: parentIndent}
	var err error
	switch style {
	case styleDouble:
		s.end, err = l.quotedEnd(start, '"')
	case styleSingle:
		s.end, err = l.quotedEnd(start, '\'')
	case styleLiteral, styleFolded:
		s.end, s.contentIndent = l.blockEnd(start, parentIndent)
	default:
		s.end = l.plainEnd(start, parentIndent)
	}
	return s, err
}

// quotedEnd returns the offset just past the closing quote.
func (l *lines) quotedEnd(start int, q byte) (int, error) {
	src := l.src
	for i := start + 1; i < len(src); i++ {
		switch {
		case q == '"' && src[i] == '\\':
			i++
		case src[i] == q && q == '\'' && i+1 < len(src) && src[i+1] == '\'':
			i++
		case src[i] == q:
			return i + 1, nil
		}
	}
	return 0, errUnterminated
}

// plainLineEnd returns where a plain scalar's text ends on the line starting
// at i, and whether a comment cut it short.
func plainLineEnd(line []byte, i int) (end int, comment bool) {
	end = i
	for j := 0; j < len(line); j++ {
		c := line[j]
		if c == '#' && j > 0 && (line[j-1] == ' ' || line[j-1] == '\t') {
			return end, true
		}
		if c != ' ' && c != '\t' {
			end = i + j + 1
		}
	}
	return end, false
}

// plainEnd returns the end of a plain scalar: the rest of its line, then
// every following line indented past parentIndent, up to a comment.
func (l *lines) plainEnd(start, parentIndent int) int {
	end, comment := plainLineEnd(l.content(start), start)
	for i := l.nextLine(start); i >= 0 && !comment; i = l.nextLine(i) {
		line := l.content(i)
		sp := leadingSpaces(line)
		rest := trimWhite(line[sp:])
		if len(rest) == 0 {
			continue
		}
		if sp <= parentIndent || rest[0] == '#' {
			break
		}
		var e int
		e, comment = plainLineEnd(line[sp:], i+sp)
		if e > i+sp {
			end = e
		}
	}
	return end
}

// blockEnd returns the end of a block scalar whose indicator is at start,
// and its content indentation. The span runs to the end of the last content
// line's break; with keep chomping ("|+") trailing blank lines belong to the
// value and are included.
func (l *lines) blockEnd(start, parentIndent int) (end, indent int) {
	keep, indent := blockHeader(l.content(start), parentIndent)
	end = l.lineEnd(start)
	for i := l.nextLine(start); i >= 0; i = l.nextLine(i) {
		line := l.content(i)
		sp := leadingSpaces(line)
		if len(trimWhite(line[sp:])) == 0 {
			if keep || indent > 0 && sp > indent {
				end = l.lineEnd(i)
			}
			continue
		}
		if indent == 0 {
			if sp <= parentIndent {
				break
			}
			indent = sp
		}
		if sp < indent {
			break
		}
		end = l.lineEnd(i)
	}
	if indent == 0 {
		indent = parentIndent + 2
	}
	return end, indent
}

// blockHeader reads a block scalar's indicators ("|+", ">2-"): whether it
// keeps trailing line breaks, and its content indentation if given.
func blockHeader(head []byte, parentIndent int) (keep bool, indent int) {
	for _, c := range head[1:] {
		switch {
		case c == '+':
			keep = true
		case c >= '1' && c <= '9':
			indent = parentIndent + int(c-'0')
		case c != '-':
			return keep, indent
		}
	}
	return keep, indent
}

func leadingSpaces(b []byte) int {
	n := 0
	for n < len(b) && b[n] == ' ' {
		n++
	}
	return n
}

func trimWhite(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}
