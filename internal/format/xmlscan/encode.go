package xmlscan

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"
)

// Style is how a file escapes its texts, so that a changed text is written
// the way the file's author (or tool) wrote the others.
type Style struct {
	EscapeGT   bool // '>' written as &gt;
	EscapeQuot bool // '"' written as &quot;
	EscapeApos bool // '\'' written as &apos;
	// CDATA is true when the file wraps texts that need escaping in CDATA
	// sections rather than escaping them.
	CDATA bool
}

// DetectStyle looks at the content of elems (typically every source and
// target element of a file) and returns the escaping style it shows.
func (d *Doc) DetectStyle(elems []*Element) Style {
	var st Style
	var escapedLT, cdataSpecial bool
	for _, e := range elems {
		for _, t := range d.Content(e) {
			raw := d.Src[t.Span.Start:t.Span.End]
			switch t.Kind {
			case KindText:
				st.EscapeGT = st.EscapeGT || bytes.Contains(raw, []byte("&gt;"))
				st.EscapeQuot = st.EscapeQuot || bytes.Contains(raw, []byte("&quot;"))
				st.EscapeApos = st.EscapeApos || bytes.Contains(raw, []byte("&apos;"))
				escapedLT = escapedLT || bytes.Contains(raw, []byte("&lt;")) || bytes.Contains(raw, []byte("&amp;"))
			case KindCDATA:
				cdataSpecial = cdataSpecial || bytes.ContainsAny(raw[9:len(raw)-3], "<&")
			}
		}
	}
	st.CDATA = cdataSpecial && !escapedLT
	return st
}

// EncodeContent writes text as element content. Fragments in markup
// (from InnerXML) are written verbatim where they occur, when they balance;
// everything else is escaped by the style. cdata asks for a CDATA section
// (the replaced content was one); otherwise the style's CDATA preference
// applies to texts that need escaping and hold no markup.
func (st Style) EncodeContent(text string, markup []string, cdata bool) string {
	return st.EncodeInline(text, Inline{Fragments: markup}, cdata)
}

// EncodeInline is EncodeContent with the markup of a text described by in:
// the tags in.tags finds are written verbatim, everything else escaped.
// Characters XML cannot carry are dropped and invalid UTF-8 becomes
// U+FFFD, so the result is always well-formed content.
func (st Style) EncodeInline(text string, in Inline, cdata bool) string {
	tags := in.tags(text)
	if cdata || (st.CDATA && len(tags) == 0 && strings.ContainsAny(text, "<&")) {
		if !strings.Contains(text, "\r") {
			return encodeCDATA(text)
		}
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for i := 0; i < len(text); {
		if len(tags) > 0 && tags[0].start == i {
			b.WriteString(text[i:tags[0].end])
			i, tags = tags[0].end, tags[1:]
			continue
		}
		i += st.escapeChar(&b, text, i)
	}
	return b.String()
}

// markupSet finds verbatim fragments in a text in time proportional to the
// number of distinct fragment lengths, not of fragments.
type markupSet struct {
	frags   map[string]bool
	lengths []int // distinct, longest first
}

func newMarkupSet(markup []string) markupSet {
	m := markupSet{frags: make(map[string]bool, len(markup))}
	for _, f := range markup {
		if !m.frags[f] {
			m.frags[f] = true
			if !slices.Contains(m.lengths, len(f)) {
				m.lengths = append(m.lengths, len(f))
			}
		}
	}
	slices.Sort(m.lengths)
	slices.Reverse(m.lengths)
	return m
}

// match returns the length of the longest fragment s starts with, or 0.
func (m markupSet) match(s string) int {
	for _, n := range m.lengths {
		if n <= len(s) && m.frags[s[:n]] {
			return n
		}
	}
	return 0
}

// escapeChar writes the character at text[i] escaped and returns its
// length in bytes.
func (st Style) escapeChar(b *strings.Builder, text string, i int) int {
	if c := text[i]; c >= utf8.RuneSelf {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case isXMLChar(r):
			b.WriteString(text[i : i+n])
		}
		return n
	}
	switch c := text[i]; {
	case c == '&':
		b.WriteString("&amp;")
	case c == '<':
		b.WriteString("&lt;")
	case c == '>' && (st.EscapeGT || strings.HasSuffix(text[:i], "]]")):
		// "]]>" is not allowed in text, whatever the style.
		b.WriteString("&gt;")
	case c == '"' && st.EscapeQuot:
		b.WriteString("&quot;")
	case c == '\'' && st.EscapeApos:
		b.WriteString("&apos;")
	case c == '\r':
		// A literal CR would be read back as LF.
		b.WriteString("&#13;")
	case c < 0x20 && c != '\t' && c != '\n':
		// XML 1.0 cannot carry other control characters at all, not even
		// as references; dropping them keeps the file well-formed.
	default:
		b.WriteByte(c)
	}
	return 1
}

// encodeCDATA wraps text in a CDATA section, splitting any "]]>" across two
// sections.
func encodeCDATA(text string) string {
	var b strings.Builder
	for _, r := range text {
		// Invalid UTF-8 ranges as RuneError, which is an XML character.
		if isXMLChar(r) {
			b.WriteRune(r)
		}
	}
	s := strings.ReplaceAll(b.String(), "]]>", "]]]]><![CDATA[>")
	return "<![CDATA[" + s + "]]>"
}

// EncodeAttr escapes v for an attribute value quoted with quote.
func EncodeAttr(v string, quote byte) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == quote && c == '"':
			b.WriteString("&quot;")
		case c == quote && c == '\'':
			b.WriteString("&apos;")
		case c == '\t' || c == '\n' || c == '\r':
			// Escaped so that attribute normalization keeps them.
			b.WriteString("&#" + string(rune('0'+c/10)) + string(rune('0'+c%10)) + ";")
		case c < 0x20:
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// AttrQuote returns the quote most attributes of the document use ('"'
// when none or tied), for the attributes a writer adds.
func (d *Doc) AttrQuote() byte {
	var single, double int
	var count func(e *Element)
	count = func(e *Element) {
		for _, a := range e.Attrs {
			if a.Quote == '\'' {
				single++
			} else {
				double++
			}
		}
		for _, c := range e.Children {
			count(c)
		}
	}
	count(d.Root)
	if single > double {
		return '\''
	}
	return '"'
}
