package android

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

// value is the decoded content of a <string> or <item>.
type value struct {
	text   string
	markup []string // raw tags kept in text
	quoted bool     // the source wraps the text in double quotes
	cdata  bool     // the content is CDATA sections only
	ref    bool     // a resource reference such as @string/x
}

// decoder applies aapt2's string rules to text pieces in turn, so that
// quotes and white space carry across inline markup.
type decoder struct {
	b      strings.Builder
	quote  bool
	escape bool
	// space is true while the output ends in collapsed white space;
	// lead is true until something other than collapsed space is written.
	space, lead bool
	// trim is the length of the output before trailing collapsed space.
	trim int
}

func (d *decoder) text(s string) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if d.escape {
			d.escape = false
			n += d.unescape(r, s[i+n:])
			i += n
			continue
		}
		i += n
		switch {
		case r == '\\':
			d.escape = true
		case r == '"':
			d.quote = !d.quote
		case !d.quote && isSpace(r):
			if !d.space && !d.lead {
				d.trim = d.b.Len()
				d.b.WriteByte(' ')
			}
			d.space = true
		default:
			d.put(r)
		}
	}
}

// unescape writes the escape whose letter is r and returns how many bytes
// of rest it used beyond the letter.
func (d *decoder) unescape(r rune, rest string) int {
	switch r {
	case 'n':
		d.put('\n')
	case 't':
		d.put('\t')
	case 'u':
		if len(rest) >= 4 {
			if v, ok := parseHex(rest[:4]); ok {
				d.put(v)
				return 4
			}
		}
		d.put('u')
	default:
		// \' \" \@ \? \\ and any other character stand for themselves.
		d.put(r)
	}
	return 0
}

func (d *decoder) put(r rune) {
	d.b.WriteRune(r)
	d.space, d.lead = false, false
	d.trim = d.b.Len()
}

// raw writes markup verbatim.
func (d *decoder) raw(s string) {
	d.b.WriteString(s)
	d.space, d.lead = false, false
	d.trim = d.b.Len()
}

func (d *decoder) String() string {
	s := d.b.String()
	if d.space {
		s = s[:d.trim]
	}
	return s
}

func parseHex(s string) (rune, bool) {
	var v rune
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// decodeValue reads an element's content.
func decodeValue(doc *xmlscan.Doc, el *xmlscan.Element) (value, error) {
	var v value
	dec := decoder{lead: true}
	content := doc.Content(el)
	v.cdata = doc.IsCDATA(el)
	for _, t := range content {
		raw := doc.Src[t.Span.Start:t.Span.End]
		switch t.Kind {
		case xmlscan.KindText:
			s, err := xmlscan.Decode(raw)
			if err != nil {
				return v, err
			}
			dec.text(s)
		case xmlscan.KindCDATA:
			dec.text(cdataText(raw))
		case xmlscan.KindStart, xmlscan.KindEnd, xmlscan.KindEmpty:
			dec.raw(string(raw))
			v.markup = append(v.markup, string(raw))
		}
	}
	v.text = dec.String()
	v.quoted = isQuoted(doc, content)
	v.ref = len(v.markup) == 0 && isReference(doc, content)
	return v, nil
}

func cdataText(raw []byte) string {
	s := string(raw[len("<![CDATA[") : len(raw)-len("]]>")])
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// isQuoted reports whether the content's text starts and ends with a
// double quote, white space aside.
func isQuoted(doc *xmlscan.Doc, content []xmlscan.Token) bool {
	if len(content) == 0 {
		return false
	}
	first, last := content[0], content[len(content)-1]
	if first.Kind != xmlscan.KindText || last.Kind != xmlscan.KindText {
		return false
	}
	a := strings.TrimSpace(doc.Raw(first.Span))
	b := strings.TrimSpace(doc.Raw(last.Span))
	return strings.HasPrefix(a, `"`) && strings.HasSuffix(b, `"`) && (len(content) > 1 || len(a) > 1)
}

var refRE = regexp.MustCompile(`^[@?](\+|\*)?([A-Za-z0-9_.]+:)?[A-Za-z_]+/[A-Za-z0-9_.]+$|^@null$`)

// isReference reports whether an unescaped content is a resource
// reference, which Android resolves rather than shows.
func isReference(doc *xmlscan.Doc, content []xmlscan.Token) bool {
	if len(content) != 1 || content[0].Kind != xmlscan.KindText {
		return false
	}
	return refRE.MatchString(strings.TrimSpace(doc.Raw(content[0].Span)))
}

// tagRE matches a start, end or empty tag a translation may carry.
var tagRE = regexp.MustCompile(`</?[A-Za-z_][\w:.-]*(\s+[\w:.-]+\s*=\s*("[^"]*"|'[^']*'))*\s*/?>`)

// markupIn returns the tags of text to write as markup: all of them when
// they nest properly, else none (the text is then escaped whole, which
// keeps the file well-formed).
func markupIn(text string) []string {
	tags := tagRE.FindAllString(text, -1)
	var open []string
	for _, t := range tags {
		name := tagName(t)
		switch {
		case strings.HasSuffix(t, "/>"):
		case strings.HasPrefix(t, "</"):
			if len(open) == 0 || open[len(open)-1] != name {
				return nil
			}
			open = open[:len(open)-1]
		default:
			open = append(open, name)
		}
	}
	if len(open) > 0 {
		return nil
	}
	return tags
}

func tagName(tag string) string {
	s := strings.TrimLeft(tag, "</")
	if i := strings.IndexAny(s, " \t\r\n/>"); i >= 0 {
		return s[:i]
	}
	return s
}

// encodeValue writes text as element content in the style of src: Android
// escapes first, then XML escaping (or a CDATA section).
func encodeValue(st xmlscan.Style, text string, src value) string {
	var markup []string
	if !src.cdata {
		markup = markupIn(text)
	}
	quoted := src.quoted || needsQuotes(text)
	var b strings.Builder
	if quoted {
		b.WriteByte('"')
	}
	rest := text
	for first := true; rest != ""; first = false {
		tag, i := nextTag(rest, markup)
		escapeAndroid(&b, rest[:i], first)
		b.WriteString(tag)
		rest = rest[i+len(tag):]
	}
	if quoted {
		b.WriteByte('"')
	}
	return st.EncodeContent(b.String(), markup, src.cdata)
}

// nextTag finds the first markup tag in s; i is where it starts (len(s)
// when there is none).
func nextTag(s string, markup []string) (string, int) {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		for _, m := range markup {
			if strings.HasPrefix(s[i:], m) {
				return m, i
			}
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return "", len(s)
}

// needsQuotes reports whether text has white space that Android would
// collapse or trim outside double quotes.
func needsQuotes(text string) bool {
	if text == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(text)
	last, _ := utf8.DecodeLastRuneInString(text)
	return isSpace(first) || isSpace(last) || strings.Contains(text, "  ") || strings.ContainsAny(text, "\r")
}

// escapeAndroid writes s with Android's backslash escapes; start is true
// when s begins the text, where @ and ? would start a reference.
func escapeAndroid(b *strings.Builder, s string, start bool) {
	for i, r := range s {
		switch {
		case r == '\\' || r == '"' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '@' || r == '?') && start && i == 0:
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
}
