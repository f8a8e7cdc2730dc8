package json

import (
	"strconv"
	"unicode/utf8"
)

// styleCounts gathers the escaping habits of a source file while it is
// parsed.
type styleCounts struct {
	rawNonASCII, escNonASCII int
	slash, html              int
	upperHex, lowerHex       int
}

func (c *styleCounts) countEscape(r rune, hex []byte) {
	switch {
	case r >= 0x80:
		c.escNonASCII++
	case r == '<' || r == '>' || r == '&':
		c.html++
	}
	for _, h := range hex {
		switch {
		case h >= 'a' && h <= 'f':
			c.lowerHex++
		case h >= 'A' && h <= 'F':
			c.upperHex++
		}
	}
}

func (c styleCounts) decide() style {
	return style{
		asciiOnly: c.escNonASCII > c.rawNonASCII,
		slash:     c.slash > 0,
		html:      c.html > 0,
		upperHex:  c.upperHex > c.lowerHex,
	}
}

// style is how a file escapes its strings.
type style struct {
	asciiOnly bool // non-ASCII as \uXXXX (surrogate pairs beyond the BMP)
	slash     bool // "/" as "\/"
	html      bool // "<", ">", "&" as \u003c, \u003e, \u0026
	upperHex  bool
}

// appendQuote appends s as a JSON string literal in style st.
func (st style) appendQuote(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0 // s[start:i] needs no escaping and is copied in one go
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if st.asciiOnly || r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = st.appendEscape(dst, r)
				start = i + size
			}
			i += size
			continue
		}
		if st.plain(c) {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = st.appendASCII(dst, c)
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plain tells whether an ASCII byte is written as itself.
func (st style) plain(c byte) bool {
	switch c {
	case '"', '\\':
		return false
	case '/':
		return !st.slash
	case '<', '>', '&':
		return !st.html
	}
	return c >= 0x20 && !(c == 0x7f && st.asciiOnly)
}

func (st style) appendASCII(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\', '/':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, `\n`...)
	case '\r':
		return append(dst, `\r`...)
	case '\t':
		return append(dst, `\t`...)
	case '\b':
		return append(dst, `\b`...)
	case '\f':
		return append(dst, `\f`...)
	}
	return st.appendEscape(dst, rune(c))
}

const hexLower, hexUpper = "0123456789abcdef", "0123456789ABCDEF"

func (st style) appendEscape(dst []byte, r rune) []byte {
	if r > 0xFFFF {
		r -= 0x10000
		dst = st.appendEscape(dst, 0xD800+(r>>10))
		return st.appendEscape(dst, 0xDC00+(r&0x3FF))
	}
	digits := hexLower
	if st.upperHex {
		digits = hexUpper
	}
	return append(dst, '\\', 'u', digits[r>>12&0xF], digits[r>>8&0xF], digits[r>>4&0xF], digits[r&0xF])
}

func itoa(i int) string { return strconv.Itoa(i) }

func strconvQuoteRune(r rune) string { return strconv.QuoteRune(r) }
