package xmlscan

import (
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
)

// Doc is a parsed document: its bytes, its tokens and its element tree.
type Doc struct {
	Src    []byte
	Name   string
	Tokens []Token
	Root   *Element
	// BOM is true when Src starts with a UTF-8 byte order mark.
	BOM bool
	// Decl is the index in Tokens of the XML declaration, or -1.
	Decl int
	// lines holds the offset of every line start, for Line.
	lines []int
}

// Element is one element of the tree, with the byte spans a writer needs.
type Element struct {
	Name     string // qualified name as written
	Attrs    []Attr
	Parent   *Element
	Children []*Element
	// StartTag covers "<name ...>" (or the whole "<name .../>").
	StartTag Span
	// EndTag covers "</name>"; for a self-closing element it is the empty
	// span at StartTag.End.
	EndTag Span
	Empty  bool
	// First and Last are the indexes in Doc.Tokens of the start and end
	// tag (equal for a self-closing element).
	First, Last int
}

// Parse scans src completely and builds its element tree. Errors about the
// input are *format.ParseError.
func Parse(src []byte, opts Options) (*Doc, error) {
	sc := NewScanner(src, opts)
	d := &Doc{Src: src, Name: opts.Name, Decl: -1}
	var cur *Element
	for {
		tok, err := sc.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		idx := len(d.Tokens)
		d.Tokens = append(d.Tokens, tok)
		switch tok.Kind {
		case KindDecl:
			d.Decl = idx
		case KindStart, KindEmpty:
			e := &Element{Name: tok.Name, Attrs: tok.Attrs, Parent: cur, StartTag: tok.Span, First: idx, Last: idx}
			if cur == nil {
				d.Root = e
			} else {
				cur.Children = append(cur.Children, e)
			}
			if tok.Kind == KindEmpty {
				e.Empty = true
				e.EndTag = Span{tok.Span.End, tok.Span.End}
			} else {
				cur = e
			}
		case KindEnd:
			cur.EndTag, cur.Last = tok.Span, idx
			cur = cur.Parent
		}
	}
	d.BOM = sc.BOM()
	d.lines = lineStarts(src)
	return d, nil
}

func lineStarts(src []byte) []int {
	lines := []int{0}
	for i, c := range src {
		if c == '\n' {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// Inner is the span of the element's content, between its tags.
func (e *Element) Inner() Span { return Span{e.StartTag.End, e.EndTag.Start} }

// Outer is the span of the whole element, tags included.
func (e *Element) Outer() Span { return Span{e.StartTag.Start, e.EndTag.End} }

// Local is the element name without its namespace prefix.
func (e *Element) Local() string { return Local(e.Name) }

// Local strips a namespace prefix from a qualified name.
func Local(name string) string {
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// Attr returns the decoded value of the attribute with the given qualified
// name.
func (e *Element) Attr(name string) (string, bool) {
	a, ok := e.AttrInfo(name)
	return a.Value, ok
}

// AttrInfo returns the attribute with the given qualified name, spans
// included.
func (e *Element) AttrInfo(name string) (Attr, bool) {
	for _, a := range e.Attrs {
		if a.Name == name {
			return a, true
		}
	}
	return Attr{}, false
}

// Child returns the first child whose local name is local, or nil.
// Matching local names lets a prefixed document ("<x:source>") read the
// same as one using a default namespace.
func (e *Element) Child(local string) *Element {
	for _, c := range e.Children {
		if c.Local() == local {
			return c
		}
	}
	return nil
}

// ChildrenNamed returns the children whose local name is local.
func (e *Element) ChildrenNamed(local string) []*Element {
	var out []*Element
	for _, c := range e.Children {
		if c.Local() == local {
			out = append(out, c)
		}
	}
	return out
}

// Find walks down the tree by local names and returns every element at the
// end of the path. Find("a", "b") returns all b children of all a children.
func (e *Element) Find(path ...string) []*Element {
	cur := []*Element{e}
	for _, name := range path {
		var next []*Element
		for _, c := range cur {
			next = append(next, c.ChildrenNamed(name)...)
		}
		cur = next
	}
	return cur
}

// Content returns the tokens between the element's tags.
func (d *Doc) Content(e *Element) []Token {
	if e.Empty {
		return nil
	}
	return d.Tokens[e.First+1 : e.Last]
}

// Line is the 1-based line where the element starts.
func (d *Doc) Line(e *Element) int { return d.LineAt(e.StartTag.Start) }

// LineAt is the 1-based line of byte offset off.
func (d *Doc) LineAt(off int) int {
	return sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off })
}

// Text returns the element's decoded text: character data with references
// resolved and CDATA sections unwrapped. Comments and processing
// instructions are skipped. A child element is an error; use InnerXML for
// mixed content.
func (d *Doc) Text(e *Element) (string, error) {
	var b strings.Builder
	for _, t := range d.Content(e) {
		switch t.Kind {
		case KindText:
			v, err := d.decodeTok(t)
			if err != nil {
				return "", err
			}
			b.WriteString(v)
		case KindCDATA:
			b.WriteString(d.cdataText(t))
		case KindStart, KindEmpty:
			return "", format.Errorf(d.Name, d.Src, t.Span.Start, "unexpected element <%s> inside <%s>", t.Name, e.Name)
		}
	}
	return b.String(), nil
}

// InnerXML returns the element's content with text decoded and child
// markup (tags, comments, processing instructions) kept verbatim, plus the
// verbatim tag fragments, in order. A writer passes those fragments to
// Style.Encode so that they go back as markup while everything else is
// escaped.
func (d *Doc) InnerXML(e *Element) (string, []string, error) {
	var b strings.Builder
	var raw []string
	for _, t := range d.Content(e) {
		switch t.Kind {
		case KindText:
			v, err := d.decodeTok(t)
			if err != nil {
				return "", nil, err
			}
			b.WriteString(v)
		case KindCDATA:
			b.WriteString(d.cdataText(t))
		default:
			s := string(d.Src[t.Span.Start:t.Span.End])
			raw = append(raw, s)
			b.WriteString(s)
		}
	}
	return b.String(), raw, nil
}

// IsCDATA reports whether the element's content is CDATA sections only (at
// least one), the form a writer then keeps.
func (d *Doc) IsCDATA(e *Element) bool {
	content := d.Content(e)
	if len(content) == 0 {
		return false
	}
	for _, t := range content {
		if t.Kind != KindCDATA {
			return false
		}
	}
	return true
}

// Raw returns the source bytes of a span as a string.
func (d *Doc) Raw(s Span) string { return string(d.Src[s.Start:s.End]) }

func (d *Doc) decodeTok(t Token) (string, error) {
	v, off, msg := decodeText(d.Src[t.Span.Start:t.Span.End])
	if msg != "" {
		return "", format.Errorf(d.Name, d.Src, t.Span.Start+off, "%s", msg)
	}
	return v, nil
}

func (d *Doc) cdataText(t Token) string {
	return normalizeNewlines(string(d.Src[t.Span.Start+len("<![CDATA[") : t.Span.End-len("]]>")]))
}
