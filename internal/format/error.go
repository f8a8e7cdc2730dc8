package format

import (
	"errors"
	"fmt"
)

// ParseError reports input that a format cannot read, and where.
type ParseError struct {
	File   string // path of the file, as uploaded
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based, in characters (runes); 0 when unknown
	Key    string // the unit's key when the error belongs to one
	Msg    string
}

func (e *ParseError) Error() string {
	s := e.File
	if s == "" {
		s = "input"
	}
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
		if e.Column > 0 {
			s += fmt.Sprintf(":%d", e.Column)
		}
	}
	if e.Key != "" {
		s += fmt.Sprintf(" (key %q)", e.Key)
	}
	return s + ": " + e.Msg
}

// Errorf builds a ParseError at an offset of src, computing line and column.
func Errorf(file string, src []byte, offset int, format string, args ...any) *ParseError {
	line, col := Position(src, offset)
	return &ParseError{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// Position turns a byte offset into a 1-based line and column (in runes).
func Position(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	line, col = 1, 1
	for i := 0; i < offset; {
		if src[i] == '\n' {
			line++
			col = 1
			i++
			continue
		}
		// Count runes, not bytes: a column is what an editor shows.
		_, size := decodeRune(src[i:])
		i += size
		col++
	}
	return line, col
}

func decodeRune(b []byte) (rune, int) {
	c := b[0]
	switch {
	case c < 0x80:
		return rune(c), 1
	case c>>5 == 0x6 && len(b) > 1:
		return 0, 2
	case c>>4 == 0xe && len(b) > 2:
		return 0, 3
	case c>>3 == 0x1e && len(b) > 3:
		return 0, 4
	}
	return 0, 1
}

// AsParseError reports whether err is or wraps a *ParseError.
func AsParseError(err error) (*ParseError, bool) {
	var pe *ParseError
	ok := errors.As(err, &pe)
	return pe, ok
}
