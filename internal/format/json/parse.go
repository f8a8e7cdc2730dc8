package json

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
)

type kind uint8

const (
	kindOther  kind = iota // number, true, false, null
	kindString             // a string value
	kindObject
	kindArray
)

// value is a parsed JSON value: its byte span and, for containers, its
// members. Gaps between members are not copied; they are offsets into the
// source, written back as they are.
type value struct {
	kind       kind
	start, end int // [start, end) in the source
	line       int
	text       string   // decoded, for strings
	members    []member // object members or array elements
	unit       int      // index of the unit a string belongs to; -1 if none
}

// member is an object member or an array element. For an element, keyStart
// and keyEnd are equal to val.start.
//
//	pre         key  sep   val    post
//	{ ⏎····  "name"  :␠  "text"  ⏎ }
//
// pre runs from after the '{', '[' or ',' to the key; post from the end of
// the value to the next ',' (or, for the last member, to the closing
// bracket, where it is the container's tail).
type member struct {
	pre, keyStart, keyEnd int
	key                   string // decoded
	val                   *value
	postEnd               int
}

// parser scans the source. line counts newlines as whitespace is skipped
// (a JSON string cannot hold a raw newline), so units get lines cheaply.
type parser struct {
	src   []byte
	pos   int
	line  int
	name  string
	depth int
	path  []seg // path of the member being read, for errors
	style styleCounts
}

func (p *parser) errorf(format_ string, args ...any) *format.ParseError {
	e := format.Errorf(p.name, p.src, p.pos, format_, args...)
	if len(p.path) > 0 {
		e.Key = unitKey(p.path)
	}
	return e
}

func (p *parser) document() (*value, error) {
	if len(p.src) >= 3 && string(p.src[:3]) == "\uFEFF" {
		p.pos = 3
	}
	p.space()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %s after the top-level value", p.describe())
	}
	return v, nil
}

func (p *parser) space() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '\n':
			p.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		p.pos++
	}
}

func (p *parser) describe() string {
	if p.pos >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.src[p.pos:])
	return "character " + strconvQuoteRune(r)
}

func (p *parser) value() (*value, error) {
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end of file, want a value")
	}
	switch c := p.src[p.pos]; {
	case c == '{' || c == '[':
		return p.container()
	case c == '"':
		start, line := p.pos, p.line
		text, err := p.string()
		if err != nil {
			return nil, err
		}
		return &value{kind: kindString, start: start, end: p.pos, line: line, text: text, unit: -1}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(string(p.src[p.pos:min(len(p.src), p.pos+5)]), lit) {
				v := &value{kind: kindOther, start: p.pos, end: p.pos + len(lit), line: p.line, unit: -1}
				p.pos += len(lit)
				return v, nil
			}
		}
		return nil, p.errorf("unexpected %s, want a value", p.describe())
	}
}

func (p *parser) container() (*value, error) {
	if p.depth >= MaxDepth {
		return nil, p.errorf("nesting deeper than %d levels", MaxDepth)
	}
	p.depth++
	defer func() { p.depth-- }()
	open := p.src[p.pos]
	closer, k := byte('}'), kindObject
	if open == '[' {
		closer, k = ']', kindArray
	}
	v := &value{kind: k, start: p.pos, line: p.line, unit: -1}
	p.pos++
	afterOpen := p.pos
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == closer {
		p.pos++
		v.end = p.pos
		return v, nil
	}
	for {
		m, err := p.member(k == kindObject, v.members)
		if err != nil {
			return nil, err
		}
		if len(v.members) == 0 {
			m.pre = afterOpen // the space was skipped looking for the closer
		}
		p.space()
		m.postEnd = p.pos
		v.members = append(v.members, m)
		if p.pos >= len(p.src) {
			return nil, p.errorf("unexpected end of file, want ',' or '%c'", closer)
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case closer:
			p.pos++
			v.end = p.pos
			return v, nil
		default:
			return nil, p.errorf("unexpected %s, want ',' or '%c'", p.describe(), closer)
		}
	}
}

// member reads one object member or array element, starting right after
// the '{', '[' or ','.
func (p *parser) member(object bool, prev []member) (member, error) {
	m := member{pre: p.pos}
	p.space()
	m.keyStart, m.keyEnd = p.pos, p.pos
	if object {
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return m, p.errorf("unexpected %s, want a key string", p.describe())
		}
		key, err := p.string()
		if err != nil {
			return m, err
		}
		m.key, m.keyEnd = key, p.pos
		p.path = append(p.path, seg{key: key})
		defer func() { p.path = p.path[:len(p.path)-1] }()
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return m, p.errorf("unexpected %s, want ':' after the key", p.describe())
		}
		p.pos++
		p.space()
	} else {
		p.path = append(p.path, seg{index: len(prev), isIdx: true})
		defer func() { p.path = p.path[:len(p.path)-1] }()
	}
	v, err := p.value()
	if err != nil {
		return m, err
	}
	m.val = v
	return m, nil
}

// string reads a string token at p.pos and returns it decoded.
func (p *parser) string() (string, error) {
	start := p.pos
	p.pos++
	simple := true
	for {
		if p.pos >= len(p.src) {
			p.pos = start
			return "", p.errorf("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			raw := p.src[start+1 : p.pos-1]
			if simple {
				return string(raw), nil
			}
			return p.decode(raw, start+1)
		case c == '\\':
			simple = false
			p.pos += 2
		case c < 0x20:
			return "", p.errorf("control character %#02x in string", c)
		case c < 0x80:
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.src[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf("invalid UTF-8 in string")
			}
			p.style.rawNonASCII++
			p.pos += size
		}
	}
}

// decode resolves the escapes of a raw string body at offset off.
func (p *parser) decode(raw []byte, off int) (string, error) {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(raw) {
			p.pos = off + i - 1
			return "", p.errorf("unterminated escape")
		}
		switch e := raw[i]; e {
		case '"', '\\':
			b.WriteByte(e)
		case '/':
			p.style.slash++
			b.WriteByte('/')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n, ok := p.unicodeEscape(raw[i-1:])
			if !ok {
				p.pos = off + i - 1
				return "", p.errorf("invalid \\u escape")
			}
			b.WriteRune(r)
			i += n - 2
		default:
			p.pos = off + i - 1
			return "", p.errorf("invalid escape \\%c", e)
		}
	}
	return b.String(), nil
}

// unicodeEscape decodes "\uXXXX" (and a following low surrogate) at the
// start of s, returning the rune and the bytes used. A lone surrogate
// becomes U+FFFD, as in encoding/json.
func (p *parser) unicodeEscape(s []byte) (rune, int, bool) {
	r, ok := hex4(s)
	if !ok {
		return 0, 0, false
	}
	p.style.countEscape(r, s[2:6])
	if !utf16.IsSurrogate(r) {
		return r, 6, true
	}
	if r2, ok := hex4(s[6:]); ok && len(s) >= 12 && s[6] == '\\' {
		if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
			return d, 12, true
		}
	}
	return utf8.RuneError, 6, true
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range s[2:6] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// number reads a number with JSON's grammar.
func (p *parser) number() (*value, error) {
	v := &value{kind: kindOther, start: p.pos, line: p.line, unit: -1}
	s := p.src
	i := p.pos
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		p.pos = i
		return nil, p.errorf("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			p.pos = i
			return nil, p.errorf("invalid number: no digits after '.'")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.pos = i
			return nil, p.errorf("invalid number: no digits in exponent")
		}
	}
	p.pos, v.end = i, i
	return v, nil
}
