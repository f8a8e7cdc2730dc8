package xmlscan

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/format"
)

// Limits applied when Options leaves them zero.
const (
	MaxDepthDefault = 256
	MaxBytesDefault = 32 << 20
	// maxAttrs bounds the attributes of one element, which keeps the
	// duplicate-attribute check cheap.
	maxAttrs = 512
)

// Options tune a scan. The zero value is ready to use.
type Options struct {
	// Name is the file name used in error messages.
	Name string
	// MaxDepth is the deepest element nesting accepted.
	MaxDepth int
	// MaxBytes is the largest input accepted.
	MaxBytes int
	// AllowExternalDTD accepts a DOCTYPE naming an external DTD (SYSTEM or
	// PUBLIC), as every plist (.stringsdict) does. The DTD is never
	// loaded; entity declarations stay refused either way.
	AllowExternalDTD bool
}

func (o Options) withDefaults() Options {
	if o.MaxDepth <= 0 {
		o.MaxDepth = MaxDepthDefault
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = MaxBytesDefault
	}
	return o
}

// Kind is the kind of a token.
type Kind int

const (
	KindDecl    Kind = iota // <?xml ...?>, the XML declaration
	KindPI                  // <?target ...?>, any other processing instruction
	KindDoctype             // <!DOCTYPE ...>
	KindStart               // <name attr="v">
	KindEnd                 // </name>
	KindEmpty               // <name attr="v"/>, a self-closing element
	KindText                // character data, entity and character references included
	KindCDATA               // <![CDATA[...]]>
	KindComment             // <!-- ... -->
)

var kindNames = [...]string{"declaration", "processing instruction", "doctype", "start tag", "end tag", "empty-element tag", "text", "CDATA", "comment"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// Span is a byte range [Start, End) of the source.
type Span struct{ Start, End int }

// Len is the span's length in bytes.
func (s Span) Len() int { return s.End - s.Start }

// Attr is one attribute as written.
type Attr struct {
	// Name is the qualified name as written, prefix included ("xml:space").
	Name string
	// Value is the decoded value.
	Value string
	// Quote is the quote character used, ' or ".
	Quote byte
	// Span covers name, '=', and the quoted value.
	Span Span
	// ValueSpan covers the raw value between the quotes.
	ValueSpan Span
}

// Token is one piece of the document.
type Token struct {
	Kind Kind
	// Span covers the whole token: "<a x='1'>", "</a>", a text run.
	Span Span
	// Name is the element name as written (with prefix) for tags, the
	// target for processing instructions, the root name for a doctype.
	Name string
	// Attrs are the attributes of a start or empty tag, in source order.
	// For the XML declaration they hold its pseudo-attributes.
	Attrs []Attr
	// Depth is the nesting depth of the element a tag opens or closes
	// (the root is 1), or of the element a text or comment lies in.
	Depth int
}

// Scanner reads tokens from a document held in memory.
type Scanner struct {
	src   []byte
	opts  Options
	pos   int
	stack []string // names of open elements
	bom   bool
	seen  bool // a root element has been opened
	done  bool // the root element has been closed
	ntok  int
}

// NewScanner returns a scanner over src. A leading UTF-8 byte order mark is
// skipped (see BOM); token spans stay offsets into src.
func NewScanner(src []byte, opts Options) *Scanner {
	s := &Scanner{src: src, opts: opts.withDefaults()}
	if bytes.HasPrefix(src, bom) {
		s.bom = true
		s.pos = len(bom)
	}
	return s
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// BOM reports whether the document starts with a UTF-8 byte order mark.
func (s *Scanner) BOM() bool { return s.bom }

// errAt builds the ParseError for the byte at offset off.
func (s *Scanner) errAt(off int, msg string, args ...any) error {
	return format.Errorf(s.opts.Name, s.src, off, msg, args...)
}

// checkInput refuses what the scanner does not read at all, before the
// first token, so that huge or foreign input fails fast.
func (s *Scanner) checkInput() error {
	if len(s.src) > s.opts.MaxBytes {
		return &format.ParseError{File: s.opts.Name, Line: 1, Column: 1, Msg: fmt.Sprintf("document too large (%d bytes, limit %d)", len(s.src), s.opts.MaxBytes)}
	}
	if bytes.HasPrefix(s.src, []byte{0xFE, 0xFF}) || bytes.HasPrefix(s.src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(s.src, []byte{0, '<'}) || bytes.HasPrefix(s.src, []byte{'<', 0}) {
		return s.errAt(0, "UTF-16 documents are not supported; save the file as UTF-8")
	}
	if !utf8.Valid(s.src) {
		off := firstInvalidUTF8(s.src)
		return s.errAt(off, "invalid UTF-8 (only UTF-8 documents are supported)")
	}
	return nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// Next returns the next token, or io.EOF after the last one. Any other error
// is a *format.ParseError and the scanner must not be used further.
func (s *Scanner) Next() (Token, error) {
	if s.ntok == 0 {
		if err := s.checkInput(); err != nil {
			return Token{}, err
		}
	}
	s.ntok++
	if s.pos >= len(s.src) {
		return Token{}, s.eof()
	}
	if s.src[s.pos] != '<' {
		return s.text()
	}
	rest := s.src[s.pos:]
	switch {
	case bytes.HasPrefix(rest, []byte("<?")):
		return s.procInst()
	case bytes.HasPrefix(rest, []byte("<!--")):
		return s.comment()
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		return s.cdata()
	case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
		return s.doctype()
	case bytes.HasPrefix(rest, []byte("</")):
		return s.endTag()
	case bytes.HasPrefix(rest, []byte("<!")):
		return Token{}, s.errAt(s.pos, "unexpected markup declaration")
	}
	return s.startTag()
}

func (s *Scanner) eof() error {
	if len(s.stack) > 0 {
		return s.errAt(len(s.src), "unexpected end of document: <%s> is not closed", s.stack[len(s.stack)-1])
	}
	if !s.seen {
		return s.errAt(len(s.src), "document has no root element")
	}
	return io.EOF
}

// text reads character data up to the next '<', checking references.
func (s *Scanner) text() (Token, error) {
	start := s.pos
	end := bytes.IndexByte(s.src[start:], '<')
	if end < 0 {
		end = len(s.src)
	} else {
		end += start
	}
	raw := s.src[start:end]
	if len(s.stack) == 0 {
		if i := firstNonSpace(raw); i >= 0 {
			return Token{}, s.errAt(start+i, "text outside the root element")
		}
	} else if err := s.checkText(raw, start); err != nil {
		return Token{}, err
	}
	s.pos = end
	return Token{Kind: KindText, Span: Span{start, end}, Depth: len(s.stack)}, nil
}

// checkText validates references, characters and "]]>" in a text run.
func (s *Scanner) checkText(raw []byte, base int) error {
	if i := bytes.Index(raw, []byte("]]>")); i >= 0 {
		return s.errAt(base+i, "\"]]>\" is not allowed in text")
	}
	if err := s.checkChars(raw, base); err != nil {
		return err
	}
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '&')
		if j < 0 {
			break
		}
		i += j
		_, n, msg := decodeRef(raw[i:])
		if msg != "" {
			return s.errAt(base+i, "%s", msg)
		}
		i += n
	}
	return nil
}

// checkChars refuses control characters XML 1.0 does not allow.
func (s *Scanner) checkChars(raw []byte, base int) error {
	for i, c := range raw {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return s.errAt(base+i, "control character 0x%02X is not allowed in XML", c)
		}
	}
	return nil
}

func firstNonSpace(b []byte) int {
	for i, c := range b {
		if !isSpace(c) {
			return i
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *Scanner) comment() (Token, error) {
	start := s.pos
	i := bytes.Index(s.src[start+4:], []byte("--"))
	if i < 0 {
		return Token{}, s.errAt(start, "comment is not closed")
	}
	end := start + 4 + i
	if end+2 >= len(s.src) || s.src[end+2] != '>' {
		return Token{}, s.errAt(end, "\"--\" is not allowed inside a comment")
	}
	if err := s.checkChars(s.src[start:end], start); err != nil {
		return Token{}, err
	}
	s.pos = end + 3
	return Token{Kind: KindComment, Span: Span{start, s.pos}, Depth: len(s.stack)}, nil
}

func (s *Scanner) cdata() (Token, error) {
	start := s.pos
	if len(s.stack) == 0 {
		return Token{}, s.errAt(start, "CDATA section outside the root element")
	}
	i := bytes.Index(s.src[start+9:], []byte("]]>"))
	if i < 0 {
		return Token{}, s.errAt(start, "CDATA section is not closed")
	}
	end := start + 9 + i + 3
	if err := s.checkChars(s.src[start:end], start); err != nil {
		return Token{}, err
	}
	s.pos = end
	return Token{Kind: KindCDATA, Span: Span{start, end}, Depth: len(s.stack)}, nil
}

func (s *Scanner) procInst() (Token, error) {
	start := s.pos
	i := bytes.Index(s.src[start+2:], []byte("?>"))
	if i < 0 {
		return Token{}, s.errAt(start, "processing instruction is not closed")
	}
	end := start + 2 + i + 2
	name, n := scanName(s.src[start+2 : end-2])
	if n == 0 {
		return Token{}, s.errAt(start+2, "processing instruction without a target")
	}
	tok := Token{Kind: KindPI, Span: Span{start, end}, Name: name, Depth: len(s.stack)}
	if name == "xml" {
		if start != s.bomLen() {
			return Token{}, s.errAt(start, "the XML declaration must come first")
		}
		attrs, err := s.attrs(start+2+n, end-2, nil)
		if err != nil {
			return Token{}, err
		}
		tok.Kind, tok.Attrs = KindDecl, attrs
		if err := s.checkEncoding(attrs); err != nil {
			return Token{}, err
		}
	} else if len(name) == 3 && (name[0]|0x20) == 'x' && (name[1]|0x20) == 'm' && (name[2]|0x20) == 'l' {
		return Token{}, s.errAt(start, "processing instruction target %q is reserved", name)
	}
	s.pos = end
	return tok, nil
}

func (s *Scanner) bomLen() int {
	if s.bom {
		return len(bom)
	}
	return 0
}

// checkEncoding refuses declarations of encodings other than UTF-8 (or
// ASCII, a subset): the bytes would not mean what the declaration says.
func (s *Scanner) checkEncoding(attrs []Attr) error {
	for _, a := range attrs {
		if a.Name != "encoding" {
			continue
		}
		switch lower(a.Value) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return nil
		}
		return s.errAt(a.ValueSpan.Start, "encoding %q is not supported; save the file as UTF-8", a.Value)
	}
	return nil
}

func lower(v string) string {
	b := []byte(v)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func (s *Scanner) endTag() (Token, error) {
	start := s.pos
	name, n := scanName(s.src[start+2:])
	if n == 0 {
		return Token{}, s.errAt(start+2, "end tag without a name")
	}
	i := start + 2 + n
	for i < len(s.src) && isSpace(s.src[i]) {
		i++
	}
	if i >= len(s.src) || s.src[i] != '>' {
		return Token{}, s.errAt(i, "expected '>' to close </%s", name)
	}
	if len(s.stack) == 0 {
		return Token{}, s.errAt(start, "end tag </%s> without a start tag", name)
	}
	open := s.stack[len(s.stack)-1]
	if open != name {
		return Token{}, s.errAt(start, "end tag </%s> does not match <%s>", name, open)
	}
	depth := len(s.stack)
	s.stack = s.stack[:len(s.stack)-1]
	if len(s.stack) == 0 {
		s.done = true
	}
	s.pos = i + 1
	return Token{Kind: KindEnd, Span: Span{start, s.pos}, Name: name, Depth: depth}, nil
}

func (s *Scanner) startTag() (Token, error) {
	start := s.pos
	name, n := scanName(s.src[start+1:])
	if n == 0 {
		return Token{}, s.errAt(start+1, "expected an element name after '<'")
	}
	if s.done {
		return Token{}, s.errAt(start, "second root element <%s>", name)
	}
	if len(s.stack) >= s.opts.MaxDepth {
		return Token{}, s.errAt(start, "elements nested deeper than %d levels", s.opts.MaxDepth)
	}
	end, empty, err := s.tagEnd(start + 1 + n)
	if err != nil {
		return Token{}, err
	}
	attrs, err := s.attrs(start+1+n, end, &name)
	if err != nil {
		return Token{}, err
	}
	s.seen = true
	tok := Token{Kind: KindStart, Span: Span{start, end + 1}, Name: name, Attrs: attrs, Depth: len(s.stack) + 1}
	if empty {
		tok.Kind = KindEmpty
		tok.Span.End = end + 2
		if len(s.stack) == 0 {
			s.done = true
		}
	} else {
		s.stack = append(s.stack, name)
	}
	s.pos = tok.Span.End
	return tok, nil
}

// tagEnd finds the '>' (or "/>") closing a tag whose attributes start at
// from, skipping quoted values. It returns the offset of '>' or of '/'.
func (s *Scanner) tagEnd(from int) (end int, empty bool, err error) {
	for i := from; i < len(s.src); i++ {
		switch c := s.src[i]; c {
		case '"', '\'':
			j := bytes.IndexByte(s.src[i+1:], c)
			if j < 0 {
				return 0, false, s.errAt(i, "attribute value is not closed")
			}
			i += j + 1
		case '>':
			return i, false, nil
		case '/':
			if i+1 < len(s.src) && s.src[i+1] == '>' {
				return i, true, nil
			}
			return 0, false, s.errAt(i, "unexpected '/' in tag")
		case '<':
			return 0, false, s.errAt(i, "unexpected '<' in tag")
		}
	}
	return 0, false, s.errAt(from, "tag is not closed")
}

// attrs parses the attributes between from and end. elem is nil for the
// XML declaration, whose pseudo-attributes follow the same syntax.
func (s *Scanner) attrs(from, end int, elem *string) ([]Attr, error) {
	var attrs []Attr
	var names map[string]bool // for the duplicate check once attrs grow
	i := from
	for {
		sp := i
		for i < end && isSpace(s.src[i]) {
			i++
		}
		if i >= end {
			return attrs, nil
		}
		if i == sp {
			return nil, s.errAt(i, "expected white space before an attribute")
		}
		a, next, err := s.attr(i, end)
		if err != nil {
			return nil, err
		}
		if len(attrs) >= maxAttrs {
			return nil, s.errAt(i, "more than %d attributes", maxAttrs)
		}
		if hasAttr(attrs, names, a.Name) {
			return nil, s.errAt(i, "attribute %q repeated", a.Name)
		}
		attrs = append(attrs, a)
		if len(attrs) == 8 {
			names = make(map[string]bool, maxAttrs)
			for _, b := range attrs {
				names[b.Name] = true
			}
		} else if names != nil {
			names[a.Name] = true
		}
		i = next
	}
}

// hasAttr reports whether name is among attrs, by the map once there is
// one, so that many attributes do not make the check quadratic.
func hasAttr(attrs []Attr, names map[string]bool, name string) bool {
	if names != nil {
		return names[name]
	}
	for _, b := range attrs {
		if b.Name == name {
			return true
		}
	}
	return false
}

// attr parses name="value" starting at i.
func (s *Scanner) attr(i, end int) (Attr, int, error) {
	name, n := scanName(s.src[i:end])
	if n == 0 {
		return Attr{}, 0, s.errAt(i, "expected an attribute name")
	}
	a := Attr{Name: name, Span: Span{Start: i}}
	i += n
	for i < end && isSpace(s.src[i]) {
		i++
	}
	if i >= end || s.src[i] != '=' {
		return Attr{}, 0, s.errAt(i, "expected '=' after attribute %s", name)
	}
	i++
	for i < end && isSpace(s.src[i]) {
		i++
	}
	if i >= end || (s.src[i] != '"' && s.src[i] != '\'') {
		return Attr{}, 0, s.errAt(i, "attribute %s: value must be quoted", name)
	}
	a.Quote = s.src[i]
	j := bytes.IndexByte(s.src[i+1:end], a.Quote)
	if j < 0 {
		return Attr{}, 0, s.errAt(i, "attribute value is not closed")
	}
	a.ValueSpan = Span{i + 1, i + 1 + j}
	raw := s.src[a.ValueSpan.Start:a.ValueSpan.End]
	if k := bytes.IndexByte(raw, '<'); k >= 0 {
		return Attr{}, 0, s.errAt(a.ValueSpan.Start+k, "'<' is not allowed in an attribute value")
	}
	if err := s.checkChars(raw, a.ValueSpan.Start); err != nil {
		return Attr{}, 0, err
	}
	v, err := s.decodeAt(raw, a.ValueSpan.Start)
	if err != nil {
		return Attr{}, 0, err
	}
	a.Value = normalizeAttr(v, raw)
	a.Span.End = a.ValueSpan.End + 1
	return a, a.Span.End, nil
}

// normalizeAttr applies XML attribute-value normalization: literal tabs
// and line breaks become spaces (escaped ones stay as they are).
func normalizeAttr(v string, raw []byte) string {
	if !bytes.ContainsAny(raw, "\t\r\n") {
		return v
	}
	// Work on the raw bytes so that &#10; keeps its newline.
	var b []byte
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			b = append(b, ' ')
		case '\t', '\n':
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	out, _, _ := decodeText(b)
	return out
}

func (s *Scanner) decodeAt(raw []byte, base int) (string, error) {
	v, off, msg := decodeText(raw)
	if msg != "" {
		return "", s.errAt(base+off, "%s", msg)
	}
	return v, nil
}

// scanName reads an XML name at the start of b; n is 0 when there is none.
func scanName(b []byte) (string, int) {
	i := 0
	for i < len(b) {
		r, size := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:])
		}
		if !isNameRune(r, i == 0) {
			break
		}
		i += size
	}
	return string(b[:i]), i
}

func isNameRune(r rune, first bool) bool {
	switch {
	case r == ':' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z'):
		return true
	case r == '-' || r == '.' || ('0' <= r && r <= '9'):
		return !first
	case r >= 0x80 && r != utf8.RuneError:
		return r != 0xD7 && r != 0xF7
	}
	return false
}
