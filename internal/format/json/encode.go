package json

import (
	"strconv"
	"strings"
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

// quote returns s as a JSON string literal in style st.
func (st style) quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if st.asciiOnly || r == utf8.RuneError && size == 1 {
				st.escapeRune(&b, r)
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		st.writeASCII(&b, c)
		i++
	}
	b.WriteByte('"')
	return b.String()
}

func (st style) writeASCII(b *strings.Builder, c byte) {
	switch c {
	case '"', '\\':
		b.WriteByte('\\')
		b.WriteByte(c)
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
	case '/':
		if st.slash {
			b.WriteByte('\\')
		}
		b.WriteByte('/')
	case '<', '>', '&':
		if st.html {
			st.escapeRune(b, rune(c))
		} else {
			b.WriteByte(c)
		}
	default:
		if c < 0x20 || c == 0x7f && st.asciiOnly {
			st.escapeRune(b, rune(c))
		} else {
			b.WriteByte(c)
		}
	}
}

func (st style) escapeRune(b *strings.Builder, r rune) {
	if r > 0xFFFF {
		r -= 0x10000
		st.escapeRune(b, 0xD800+(r>>10))
		st.escapeRune(b, 0xDC00+(r&0x3FF))
		return
	}
	h := strconv.FormatInt(int64(r), 16)
	if st.upperHex {
		h = strings.ToUpper(h)
	}
	b.WriteString(`\u`)
	b.WriteString(strings.Repeat("0", 4-len(h)))
	b.WriteString(h)
}

func itoa(i int) string { return strconv.Itoa(i) }

func strconvQuoteRune(r rune) string { return strconv.QuoteRune(r) }
