package xmlscan

import "bytes"

// doctype reads a document type declaration. It is accepted only when it
// can change nothing about the document: no external identifier (which a
// validating reader would fetch) and no entity declarations or
// parameter-entity references in the internal subset (which would expand
// into the text). Element and attribute-list declarations are kept as bytes
// and otherwise ignored.
func (s *Scanner) doctype() (Token, error) {
	start := s.pos
	if s.seen {
		return Token{}, s.errAt(start, "DOCTYPE after the root element")
	}
	i := start + len("<!DOCTYPE")
	j := skipSpace(s.src, i)
	if j == i {
		return Token{}, s.errAt(i, "expected white space after <!DOCTYPE")
	}
	name, n := scanName(s.src[j:])
	if n == 0 {
		return Token{}, s.errAt(j, "DOCTYPE without a root element name")
	}
	i = skipSpace(s.src, j+n)
	if hasWord(s.src[i:], "SYSTEM") || hasWord(s.src[i:], "PUBLIC") {
		if !s.opts.AllowExternalDTD {
			return Token{}, s.errAt(i, "DOCTYPE with an external identifier is refused (external entities are not loaded)")
		}
		end, err := s.externalID(i)
		if err != nil {
			return Token{}, err
		}
		i = skipSpace(s.src, end)
	}
	if i < len(s.src) && s.src[i] == '[' {
		end, err := s.internalSubset(i + 1)
		if err != nil {
			return Token{}, err
		}
		i = skipSpace(s.src, end+1)
	}
	if i >= len(s.src) || s.src[i] != '>' {
		return Token{}, s.errAt(i, "expected '>' to close the DOCTYPE")
	}
	s.pos = i + 1
	return Token{Kind: KindDoctype, Span: Span{start, s.pos}, Name: name}, nil
}

// externalID skips SYSTEM "uri" or PUBLIC "id" "uri" at i.
func (s *Scanner) externalID(i int) (int, error) {
	literals := 1
	if hasWord(s.src[i:], "PUBLIC") {
		literals = 2
	}
	i += len("SYSTEM")
	for range literals {
		i = skipSpace(s.src, i)
		if i >= len(s.src) || (s.src[i] != '"' && s.src[i] != '\'') {
			return 0, s.errAt(i, "expected a quoted identifier in DOCTYPE")
		}
		k := bytes.IndexByte(s.src[i+1:], s.src[i])
		if k < 0 {
			return 0, s.errAt(i, "quoted string in DOCTYPE is not closed")
		}
		i += k + 2
	}
	return i, nil
}

// internalSubset scans the internal subset from i and returns the offset of
// the closing ']'.
func (s *Scanner) internalSubset(i int) (int, error) {
	for i < len(s.src) {
		c := s.src[i]
		rest := s.src[i:]
		switch {
		case c == ']':
			return i, nil
		case c == '%':
			return 0, s.errAt(i, "parameter-entity reference in DOCTYPE is refused")
		case bytes.HasPrefix(rest, []byte("<!ENTITY")):
			return 0, s.errAt(i, "entity declaration in DOCTYPE is refused (entities are not expanded)")
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest[4:], []byte("-->"))
			if k < 0 {
				return 0, s.errAt(i, "comment is not closed")
			}
			i += 4 + k + 3
		case c == '"' || c == '\'':
			k := bytes.IndexByte(rest[1:], c)
			if k < 0 {
				return 0, s.errAt(i, "quoted string in DOCTYPE is not closed")
			}
			i += k + 2
		default:
			i++
		}
	}
	return 0, s.errAt(len(s.src), "DOCTYPE internal subset is not closed")
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// hasWord reports whether b starts with w followed by a non-name byte.
func hasWord(b []byte, w string) bool {
	if !bytes.HasPrefix(b, []byte(w)) {
		return false
	}
	return len(b) == len(w) || !isNameRune(rune(b[len(w)]), false)
}
