package arb

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
)

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 1000

// member is one member of the top-level object, by byte span.
type member struct {
	keyStart int // the key's opening quote
	key      string
	valStart int
	valEnd   int
	isString bool
	text     string // decoded value of a string member
}

// scanner checks JSON syntax and records the top-level members.
type scanner struct {
	src  []byte
	name string
	// open is the offset of the top-level '{'.
	open    int
	members []member
	// escapedNonASCII and rawNonASCII tell how the file's strings carry
	// characters beyond ASCII, so new values are written the same way.
	escapedNonASCII, rawNonASCII bool
}

func (s *scanner) errorf(at int, msg string, args ...any) *format.ParseError {
	return format.Errorf(s.name, s.src, at, msg, args...)
}

func (s *scanner) ws(i int) int {
	for i < len(s.src) {
		switch s.src[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// file scans the whole input: an optional BOM, one object, white space.
func (s *scanner) file() error {
	i := 0
	if len(s.src) >= 3 && s.src[0] == 0xEF && s.src[1] == 0xBB && s.src[2] == 0xBF {
		i = 3
	}
	i = s.ws(i)
	if i >= len(s.src) || s.src[i] != '{' {
		return s.errorf(i, "an ARB file must be a JSON object")
	}
	s.open = i
	end, err := s.object(i, 0, true)
	if err != nil {
		return err
	}
	if j := s.ws(end); j < len(s.src) {
		return s.errorf(j, "unexpected %s after the top-level object", describe(s.src, j))
	}
	return nil
}

// object scans the object at i and returns the offset past it. Members of
// the top-level object are recorded.
func (s *scanner) object(i, depth int, top bool) (int, error) {
	if depth > maxDepth {
		return 0, s.errorf(i, "nesting deeper than %d", maxDepth)
	}
	i = s.ws(i + 1)
	if i < len(s.src) && s.src[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(s.src) || s.src[i] != '"' {
			return 0, s.errorf(i, "expected a string key, found %s", describe(s.src, i))
		}
		m := member{keyStart: i}
		keyEnd, err := s.str(i)
		if err != nil {
			return 0, err
		}
		i = s.ws(keyEnd)
		if i >= len(s.src) || s.src[i] != ':' {
			return 0, s.errorf(i, "expected ':' after the key, found %s", describe(s.src, i))
		}
		m.valStart = s.ws(i + 1)
		if m.valEnd, err = s.value(m.valStart, depth+1); err != nil {
			return 0, err
		}
		if top {
			if err := s.record(m, keyEnd); err != nil {
				return 0, err
			}
		}
		i = s.ws(m.valEnd)
		if i < len(s.src) && s.src[i] == ',' {
			i = s.ws(i + 1)
			continue
		}
		if i < len(s.src) && s.src[i] == '}' {
			return i + 1, nil
		}
		return 0, s.errorf(i, "expected ',' or '}', found %s", describe(s.src, i))
	}
}

// record decodes a top-level member's key and string value.
func (s *scanner) record(m member, keyEnd int) error {
	if err := json.Unmarshal(s.src[m.keyStart:keyEnd], &m.key); err != nil {
		return s.errorf(m.keyStart, "bad key: %v", err)
	}
	if s.src[m.valStart] == '"' {
		m.isString = true
		if err := json.Unmarshal(s.src[m.valStart:m.valEnd], &m.text); err != nil {
			return s.errorf(m.valStart, "bad string: %v", err)
		}
	}
	s.members = append(s.members, m)
	return nil
}

func (s *scanner) array(i, depth int) (int, error) {
	if depth > maxDepth {
		return 0, s.errorf(i, "nesting deeper than %d", maxDepth)
	}
	i = s.ws(i + 1)
	if i < len(s.src) && s.src[i] == ']' {
		return i + 1, nil
	}
	for {
		end, err := s.value(i, depth+1)
		if err != nil {
			return 0, err
		}
		i = s.ws(end)
		if i < len(s.src) && s.src[i] == ',' {
			i = s.ws(i + 1)
			continue
		}
		if i < len(s.src) && s.src[i] == ']' {
			return i + 1, nil
		}
		return 0, s.errorf(i, "expected ',' or ']', found %s", describe(s.src, i))
	}
}

func (s *scanner) value(i, depth int) (int, error) {
	if i >= len(s.src) {
		return 0, s.errorf(i, "unexpected end of input, expected a value")
	}
	switch c := s.src[i]; {
	case c == '{':
		return s.object(i, depth, false)
	case c == '[':
		return s.array(i, depth)
	case c == '"':
		return s.str(i)
	case c == '-' || c >= '0' && c <= '9':
		return s.number(i)
	}
	for _, lit := range []string{"true", "false", "null"} {
		if len(s.src)-i >= len(lit) && string(s.src[i:i+len(lit)]) == lit {
			return i + len(lit), nil
		}
	}
	return 0, s.errorf(i, "expected a value, found %s", describe(s.src, i))
}

// str scans the string whose opening quote is at i and returns the offset
// past its closing quote.
func (s *scanner) str(i int) (int, error) {
	start := i
	for i++; i < len(s.src); {
		c := s.src[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c == '\\':
			n, err := s.escape(i)
			if err != nil {
				return 0, err
			}
			i += n
		case c == '\n' || c == '\r':
			return 0, s.errorf(start, "unterminated string (line break inside)")
		case c < 0x20:
			return 0, s.errorf(i, "control character %#02x in string", c)
		case c >= 0x80:
			s.rawNonASCII = true
			_, size := utf8.DecodeRune(s.src[i:])
			i += size
		default:
			i++
		}
	}
	return 0, s.errorf(start, "unterminated string")
}

// escape checks the escape sequence at i and returns its length.
func (s *scanner) escape(i int) (int, error) {
	if i+1 >= len(s.src) {
		return 0, s.errorf(i, "unterminated string")
	}
	switch s.src[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		if i+6 > len(s.src) || !isHex(s.src[i+2:i+6]) {
			return 0, s.errorf(i, "bad \\u escape")
		}
		if s.src[i+2] != '0' || s.src[i+3] != '0' || s.src[i+4] >= '8' {
			s.escapedNonASCII = true
		}
		return 6, nil
	}
	return 0, s.errorf(i, "bad escape \\%c", s.src[i+1])
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// number scans -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *scanner) number(i int) (int, error) {
	start := i
	if s.src[i] == '-' {
		i++
	}
	switch {
	case i < len(s.src) && s.src[i] == '0':
		i++
	case i < len(s.src) && s.src[i] >= '1' && s.src[i] <= '9':
		i = s.digits(i)
	default:
		return 0, s.errorf(start, "bad number")
	}
	if i < len(s.src) && s.src[i] == '.' {
		if j := s.digits(i + 1); j > i+1 {
			i = j
		} else {
			return 0, s.errorf(start, "bad number")
		}
	}
	if i < len(s.src) && (s.src[i] == 'e' || s.src[i] == 'E') {
		i++
		if i < len(s.src) && (s.src[i] == '+' || s.src[i] == '-') {
			i++
		}
		j := s.digits(i)
		if j == i {
			return 0, s.errorf(start, "bad number")
		}
		i = j
	}
	return i, nil
}

func (s *scanner) digits(i int) int {
	for i < len(s.src) && s.src[i] >= '0' && s.src[i] <= '9' {
		i++
	}
	return i
}

func describe(src []byte, i int) string {
	if i >= len(src) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(src[i:])
	return fmt.Sprintf("%q", r)
}
