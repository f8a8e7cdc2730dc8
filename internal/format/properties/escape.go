package properties

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
)

// decode resolves escapes as Properties.loadConvert does; offs gives each
// byte's offset in the file for error positions.
func (p *parser) decode(b []byte, offs []int) (string, error) {
	var sb strings.Builder
	var units []uint16 // UTF-16 code units, so escaped surrogate pairs join
	flush := func() {
		if len(units) > 0 {
			sb.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c != '\\' {
			flush()
			r, size := p.rune(b[i:])
			sb.WriteRune(r)
			i += size
			continue
		}
		if i+1 == len(b) {
			// Unreachable: the parser drops a line's odd final backslash.
			break
		}
		c = b[i+1]
		if c == 'u' {
			u, err := p.hex4(b, offs, i)
			if err != nil {
				return "", err
			}
			units = append(units, u)
			i += 6
			continue
		}
		flush()
		i++
		if c < utf8.RuneSelf {
			sb.WriteByte(unescape(c))
			i++
			continue
		}
		// An escaped non-ASCII character is just that character.
		r, size := p.rune(b[i:])
		sb.WriteRune(r)
		i += size
	}
	flush()
	return sb.String(), nil
}

func unescape(c byte) byte {
	switch c {
	case 't':
		return '\t'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 'f':
		return '\f'
	}
	return c
}

// rune decodes one character: UTF-8, or one Latin-1 byte.
func (p *parser) rune(b []byte) (rune, int) {
	if p.latin1 {
		return rune(b[0]), 1
	}
	return utf8.DecodeRune(b)
}

// hex4 reads the four hex digits of the \u escape at b[i].
func (p *parser) hex4(b []byte, offs []int, i int) (uint16, error) {
	var u uint16
	for k := i + 2; k < i+6; k++ {
		if k >= len(b) {
			return 0, format.Errorf(p.name, p.src, offs[i], "malformed \\uxxxx escape: too short")
		}
		d, ok := hexDigit(b[k])
		if !ok {
			return 0, format.Errorf(p.name, p.src, offs[i], "malformed \\uxxxx escape: %q is not a hex digit", b[k])
		}
		u = u<<4 | uint16(d)
	}
	return u, nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// encoder writes a value as Properties.store does, in one of three
// conventions for non-ASCII characters.
type encoder struct {
	mode  string // EncodingUTF8, EncodingEscaped or "latin1"
	upper bool   // hex digits of \u escapes in upper case
}

func (e encoder) value(s string) string {
	var sb strings.Builder
	for i, r := range s {
		switch r {
		case ' ':
			if i == 0 {
				sb.WriteByte('\\')
			}
			sb.WriteByte(' ')
		case '\t':
			sb.WriteString(`\t`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\f':
			sb.WriteString(`\f`)
		case '=', ':', '#', '!', '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		default:
			e.char(&sb, r)
		}
	}
	return sb.String()
}

func (e encoder) char(sb *strings.Builder, r rune) {
	switch {
	case r < 0x20 || r == 0x7f:
		e.escape(sb, r)
	case r < utf8.RuneSelf:
		sb.WriteRune(r)
	case e.mode == EncodingUTF8:
		sb.WriteRune(r)
	case e.mode == "latin1" && r <= 0xff:
		sb.WriteByte(byte(r))
	default:
		e.escape(sb, r)
	}
}

func (e encoder) escape(sb *strings.Builder, r rune) {
	digits := "0123456789abcdef"
	if e.upper {
		digits = "0123456789ABCDEF"
	}
	units := []uint16{uint16(r)}
	if r > 0xffff {
		r1, r2 := utf16.EncodeRune(r)
		units = []uint16{uint16(r1), uint16(r2)}
	}
	for _, u := range units {
		sb.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			sb.WriteByte(digits[u>>shift&0xf])
		}
	}
}
