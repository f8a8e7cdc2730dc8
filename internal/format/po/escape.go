package po

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// str decodes the quoted string at the start of text, which sits at offset
// at of the file. Only blanks may follow the closing quote.
func (p *parser) str(text string, at int) (string, error) {
	var sb strings.Builder
	i := 1
	for ; i < len(text) && text[i] != '"'; i++ {
		c := text[i]
		if c != '\\' {
			sb.WriteByte(c)
			continue
		}
		i++
		if i == len(text) {
			break
		}
		n, err := p.escape(&sb, text[i:], at+i-1)
		if err != nil {
			return "", err
		}
		i += n - 1
	}
	if i >= len(text) {
		return "", p.errorf(at, "unterminated string")
	}
	if rest := strings.TrimRight(text[i+1:], " \t"); rest != "" {
		blank := len(rest) - len(strings.TrimLeft(rest, " \t"))
		return "", p.errorf(at+i+1+blank, "unexpected text after string: %q", clip(strings.TrimSpace(rest)))
	}
	return sb.String(), nil
}

// escape decodes the escape whose letter starts s and returns its length.
func (p *parser) escape(sb *strings.Builder, s string, at int) (int, error) {
	if c, ok := simpleEscapes[s[0]]; ok {
		sb.WriteByte(c)
		return 1, nil
	}
	switch {
	case s[0] >= '0' && s[0] <= '7':
		n, v := 0, 0
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v*8 + int(s[n]-'0')
			n++
		}
		sb.WriteByte(byte(v))
		return n, nil
	case s[0] == 'x':
		n, v := 1, 0
		for n < len(s) && n < 3 && isHex(s[n]) {
			v = v*16 + hexVal(s[n])
			n++
		}
		if n == 1 {
			return 0, p.errorf(at, "bad escape \\x without hex digits")
		}
		sb.WriteByte(byte(v))
		return n, nil
	}
	r, _ := utf8.DecodeRuneInString(s)
	return 0, p.errorf(at, "bad escape \\%c", r)
}

var simpleEscapes = map[byte]byte{
	'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a', 'b': '\b',
	'f': '\f', 'v': '\v', '\'': '\'', '?': '?',
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c <= '9':
		return int(c - '0')
	case c >= 'a':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// quote escapes s for the inside of a PO string, as gettext writes it.
func quote(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			sb.WriteString(`\n`)
		case '\t':
			sb.WriteString(`\t`)
		case '\r':
			sb.WriteString(`\r`)
		case '"', '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case '\a':
			sb.WriteString(`\a`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\v':
			sb.WriteString(`\v`)
		default:
			if c < 0x20 || c == 0x7f {
				sb.WriteString(`\` + string(rune('0'+c>>6)) + string(rune('0'+c>>3&7)) + string(rune('0'+c&7)))
			} else {
				sb.WriteByte(c)
			}
		}
	}
	return sb.String()
}

// pageWidth is msgmerge's default --width.
const pageWidth = 79

// writeMsg writes `keyword "s"` wrapped as msgmerge does: one line when it
// fits and s has no inner newline, else `keyword ""` and one quoted line
// per piece.
func writeMsg(sb *strings.Builder, keyword, s, eol string) {
	pieces := splitAfterNewline(s)
	one := keyword + ` "` + quote(s) + `"`
	if len(pieces) <= 1 && columns(one) <= pageWidth {
		sb.WriteString(one + eol)
		return
	}
	sb.WriteString(keyword + ` ""` + eol)
	for _, piece := range pieces {
		for _, l := range wrap(piece, pageWidth-2) {
			sb.WriteString(`"` + l + `"` + eol)
		}
	}
}

// splitAfterNewline cuts s after every "\n".
func splitAfterNewline(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 || i == len(s)-1 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

func columns(s string) int {
	n := 0
	for _, r := range s {
		n += runeColumns(r)
	}
	return n
}

// runeColumns is the display width of r: two for East Asian wide
// characters, as gettext measures.
func runeColumns(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
