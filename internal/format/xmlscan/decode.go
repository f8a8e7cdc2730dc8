package xmlscan

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxRefLen bounds a reference ("&#x0000000041;"), so a stray '&' never
// makes the scanner look far ahead.
const maxRefLen = 32

var predefined = map[string]string{"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'"}

// decodeRef decodes the reference at the start of b (b[0] == '&'). It
// returns the text, the reference's length, and a message when it is not a
// predefined entity or a valid character reference.
func decodeRef(b []byte) (string, int, string) {
	limit := min(len(b), maxRefLen)
	semi := bytes.IndexByte(b[:limit], ';')
	if semi < 0 {
		return "", 0, "'&' must start a reference such as &amp; (no ';' follows)"
	}
	name := string(b[1:semi])
	if v, ok := predefined[name]; ok {
		return v, semi + 1, ""
	}
	if !strings.HasPrefix(name, "#") {
		return "", 0, "undefined entity &" + name + "; (only &amp; &lt; &gt; &quot; &apos; and character references are allowed)"
	}
	num, base := name[1:], 10
	if strings.HasPrefix(num, "x") {
		num, base = num[1:], 16
	}
	n, err := strconv.ParseUint(num, base, 32)
	if err != nil || num == "" || num[0] == '+' || !isXMLChar(rune(n)) {
		return "", 0, "invalid character reference &" + name + ";"
	}
	return string(rune(n)), semi + 1, ""
}

func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// decodeText resolves references and normalizes line ends (CRLF and CR
// become LF, as an XML processor does) in raw character data. On error it
// returns the offset of the bad reference and a message.
func decodeText(raw []byte) (string, int, string) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return string(raw), 0, ""
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		switch c := raw[i]; c {
		case '&':
			v, n, msg := decodeRef(raw[i:])
			if msg != "" {
				return "", i, msg
			}
			b.WriteString(v)
			i += n
		case '\r':
			b.WriteByte('\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), 0, ""
}

// normalizeNewlines turns CRLF and CR into LF, for CDATA content.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// Decode resolves the references in raw character data (text between tags
// or an attribute value). The input must come from a scanned document or be
// otherwise valid; an invalid reference is an error.
func Decode(raw []byte) (string, error) {
	v, _, msg := decodeText(raw)
	if msg != "" {
		return "", &decodeError{msg}
	}
	return v, nil
}

type decodeError struct{ msg string }

func (e *decodeError) Error() string { return e.msg }
