package applestrings

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// unquote decodes the body of a quoted string (without its quotes) the way
// Foundation's property-list parser does.
func unquote(raw []byte) string {
	if !hasByte(raw, '\\') {
		return string(raw)
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			b.WriteByte(c)
			continue
		}
		i++
		i += unescape(&b, raw, i) - 1
	}
	return b.String()
}

// unescape decodes the escape whose letter is at raw[i] and returns how many
// bytes it used from there.
func unescape(b *strings.Builder, raw []byte, i int) int {
	switch c := raw[i]; c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case 'U', 'u':
		return unescapeUnicode(b, raw, i)
	case '0', '1', '2', '3', '4', '5', '6', '7':
		return unescapeOctal(b, raw, i)
	default:
		// \" \\ \' and any other character stand for themselves.
		_, n := utf8.DecodeRune(raw[i:])
		b.Write(raw[i : i+n])
		return n
	}
	return 1
}

// unescapeUnicode decodes \Uhhhh (up to four hex digits), joining a
// surrogate pair written as two escapes.
func unescapeUnicode(b *strings.Builder, raw []byte, i int) int {
	u, n := hex4(raw[i+1:])
	if n == 0 {
		b.WriteByte(raw[i])
		return 1
	}
	used := 1 + n
	r := rune(u)
	if utf16.IsSurrogate(r) && i+used+2 < len(raw) && raw[i+used] == '\\' &&
		(raw[i+used+1] == 'U' || raw[i+used+1] == 'u') {
		if low, m := hex4(raw[i+used+2:]); m == 4 {
			if p := utf16.DecodeRune(r, rune(low)); p != utf8.RuneError {
				r = p
				used += 2 + m
			}
		}
	}
	b.WriteRune(r)
	return used
}

func hex4(b []byte) (uint32, int) {
	var v uint32
	n := 0
	for n < 4 && n < len(b) {
		d, ok := hexDigit(b[n])
		if !ok {
			break
		}
		v = v<<4 | d
		n++
	}
	return v, n
}

func hexDigit(c byte) (uint32, bool) {
	switch {
	case c >= '0' && c <= '9':
		return uint32(c - '0'), true
	case c >= 'a' && c <= 'f':
		return uint32(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return uint32(c-'A') + 10, true
	}
	return 0, false
}

func unescapeOctal(b *strings.Builder, raw []byte, i int) int {
	v, n := 0, 0
	for n < 3 && i+n < len(raw) && raw[i+n] >= '0' && raw[i+n] <= '7' {
		v = v*8 + int(raw[i+n]-'0')
		n++
	}
	b.WriteRune(rune(v))
	return n
}

// quote encodes text as a quoted .strings value, quotes included. A line
// break is written raw when the file writes its line breaks raw.
func quote(text string, rawNewline bool) string {
	var b strings.Builder
	b.Grow(len(text) + 2)
	b.WriteByte('"')
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && n == 1 {
			// Keep a stray byte as it is rather than replace it.
			b.WriteByte(text[i])
			i++
			continue
		}
		i += n
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' && rawNewline:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(&b, `\U%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// isBare reports whether c may appear in an unquoted key or value.
func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("_$+/:.-", c) >= 0
}

// bareText reports whether text can be written without quotes.
func bareText(text string) bool {
	if text == "" {
		return false
	}
	for i := 0; i < len(text); i++ {
		if !isBare(text[i]) {
			return false
		}
	}
	return true
}

func hasByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}
