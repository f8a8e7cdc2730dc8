package xmlscan

import (
	"strings"
	"unicode/utf8"
)

// Inline says which tags of a text Style.EncodeInline writes as markup.
//
// A tag is markup when it is one of Fragments (verbatim, as InnerXML
// returned them) or a well-formed tag of an element named in Elements,
// whatever its attribute spelling, quoting or spacing: a translator's
// <g id="1"> is the source's <g id='1'>. The tags found must balance
// (every start tag closed, in order); otherwise none is markup and the
// whole text is escaped, so a written text is always well-formed.
type Inline struct {
	Fragments []string
	// Elements are element names (as written, prefix included) recognised
	// in any spelling. Their attributes may only be unprefixed or xml:,
	// since another prefix may be undeclared where the text goes.
	Elements map[string]bool
}

// span is a piece of a text that is markup.
type span struct{ start, end int }

// tags returns the markup of text in order, or nil when there is none or
// it does not balance.
func (in Inline) tags(text string) []span {
	if len(in.Fragments) == 0 && len(in.Elements) == 0 {
		return nil
	}
	m := newMarkupSet(in.Fragments)
	var spans []span
	var open []string
	for i := 0; i < len(text); i++ {
		if text[i] != '<' {
			continue
		}
		n := m.match(text[i:])
		if n == 0 {
			n = in.elementTag(text[i:])
		}
		if n == 0 {
			continue
		}
		var ok bool
		if open, ok = balance(open, text[i:i+n]); !ok {
			return nil
		}
		spans = append(spans, span{i, i + n})
		i += n - 1
	}
	if len(open) > 0 {
		return nil
	}
	return spans
}

// balance pushes a start tag's name on open or pops it for an end tag;
// ok is false for an end tag that closes nothing open.
func balance(open []string, tag string) ([]string, bool) {
	switch {
	case strings.HasPrefix(tag, "</"):
		name, _ := scanName([]byte(tag[2:]))
		if len(open) == 0 || open[len(open)-1] != name {
			return open, false
		}
		return open[:len(open)-1], true
	case strings.HasSuffix(tag, "/>") || strings.HasPrefix(tag, "<!") || strings.HasPrefix(tag, "<?"):
		return open, true
	}
	name, _ := scanName([]byte(tag[1:]))
	return append(open, name), true
}

// maxInlineTag is the longest inline tag recognised by name; longer ones
// are escaped (the source's own fragments are matched whatever their size).
const maxInlineTag = 4096

// elementTag returns the length of a well-formed start, end or empty tag
// of one of in.Elements at the start of s, or 0.
func (in Inline) elementTag(s string) int {
	// Bounding the tag keeps a text full of unclosed tags linear.
	s = s[:min(len(s), maxInlineTag)]
	end := strings.HasPrefix(s, "</")
	i := 1
	if end {
		i = 2
	}
	name, n := scanName([]byte(s[i:]))
	if n == 0 || !in.Elements[name] {
		return 0
	}
	i += n
	if end {
		i = spaceEnd(s, i)
		if i < len(s) && s[i] == '>' {
			return i + 1
		}
		return 0
	}
	return startTagRest(s, i)
}

// startTagRest checks the attributes and the end of a start tag from s[i]
// and returns the tag's length, or 0.
func startTagRest(s string, i int) int {
	seen := map[string]bool{}
	for {
		j := spaceEnd(s, i)
		switch {
		case strings.HasPrefix(s[j:], "/>"):
			return j + 2
		case strings.HasPrefix(s[j:], ">"):
			return j + 1
		case j == i:
			return 0 // attributes need white space before them
		}
		n, name := attrLen(s[j:])
		if n == 0 || seen[name] {
			return 0
		}
		seen[name] = true
		i = j + n
	}
}

// attrLen returns the length and name of a well-formed attribute at the
// start of s, or 0.
func attrLen(s string) (int, string) {
	name, i := scanName([]byte(s))
	if i == 0 {
		return 0, ""
	}
	if prefix, _, ok := strings.Cut(name, ":"); ok && prefix != "xml" {
		return 0, ""
	}
	i = spaceEnd(s, i)
	if i >= len(s) || s[i] != '=' {
		return 0, ""
	}
	i = spaceEnd(s, i+1)
	if i >= len(s) || (s[i] != '"' && s[i] != '\'') {
		return 0, ""
	}
	q := s[i]
	end := strings.IndexByte(s[i+1:], q)
	if end < 0 || !validAttrValue(s[i+1:i+1+end]) {
		return 0, ""
	}
	return i + 2 + end, name
}

// validAttrValue reports whether v may stand between quotes as written.
func validAttrValue(v string) bool {
	if !utf8.ValidString(v) || strings.ContainsRune(v, '<') {
		return false
	}
	for _, r := range v {
		if !isXMLChar(r) {
			return false
		}
	}
	for i := strings.IndexByte(v, '&'); i >= 0; i = strings.IndexByte(v, '&') {
		_, n, msg := decodeRef([]byte(v[i:]))
		if msg != "" {
			return false
		}
		v = v[i+n:]
	}
	return true
}

// spaceEnd is skipSpace for a string.
func spaceEnd(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}
