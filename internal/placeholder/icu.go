package placeholder

import "strings"

// icuArg parses an ICU argument at text[i] == '{'. Simple arguments
// ({name}, {n, number}, {d, date, ::yMMMd}) come back as one protected
// piece; plural, selectordinal and select arguments as protected syntax
// around the scanned branch messages. n is 0 when text[i:] is not a
// well-formed argument. plural tells whether an enclosing plural makes
// "#" a placeholder.
func (p *scanner) icuArg(text string, i int, plural bool) ([]piece, int) {
	j := skipSpace(text, i+1)
	nameEnd := j
	for nameEnd < len(text) && isICUName(text[nameEnd]) {
		nameEnd++
	}
	if nameEnd == j {
		return nil, 0
	}
	name := text[j:nameEnd]
	j = skipSpace(text, nameEnd)
	if j >= len(text) {
		return nil, 0
	}
	if text[j] == '}' {
		return protected(text[i : j+1]), j + 1 - i
	}
	if text[j] != ',' {
		return nil, 0
	}
	j = skipSpace(text, j+1)
	typeEnd := j
	for typeEnd < len(text) && isLetter(text[typeEnd]) {
		typeEnd++
	}
	typ := text[j:typeEnd]
	if typ == "" {
		return nil, 0
	}
	j = skipSpace(text, typeEnd)
	if j >= len(text) {
		return nil, 0
	}
	if text[j] == '}' {
		return protected(text[i : j+1]), j + 1 - i
	}
	if text[j] != ',' {
		return nil, 0
	}
	switch typ {
	case "plural", "selectordinal", "select":
		// "#" in a select nested in a plural still stands for the number.
		return p.icuBranches(text, i, j+1, "{"+name+", "+typ+"}", plural || typ != "select")
	}
	// A style ({n, number, ::currency/EUR}, {d, date, short}) is kept whole.
	end := matchBrace(text, i)
	if end < 0 {
		return nil, 0
	}
	return protected(text[i : end+1]), end + 1 - i
}

// icuBranches parses "selector {message} ..." up to the argument's closing
// brace, starting at j (after the type's comma).
func (p *scanner) icuBranches(text string, start, j int, head string, plural bool) ([]piece, int) {
	if p.depth >= maxDepth {
		return nil, 0
	}
	p.depth++
	defer func() { p.depth-- }()
	var pcs []piece
	glue := start // start of the pending protected syntax
	first := true
	branches := 0
	for {
		j = skipSpace(text, j)
		if j >= len(text) {
			return nil, 0
		}
		if text[j] == '}' {
			if branches == 0 {
				return nil, 0
			}
			pcs = append(pcs, piece{text: text[glue : j+1], prot: true})
			return pcs, j + 1 - start
		}
		if plural && strings.HasPrefix(text[j:], "offset:") {
			j = skipSpace(text, j+len("offset:"))
			k := j
			for k < len(text) && text[k] >= '0' && text[k] <= '9' {
				k++
			}
			if k == j {
				return nil, 0
			}
			j = k
			continue
		}
		selEnd := j
		for selEnd < len(text) && isICUName(text[selEnd]) {
			selEnd++
		}
		if selEnd == j {
			return nil, 0
		}
		j = skipSpace(text, selEnd)
		if j >= len(text) || text[j] != '{' {
			return nil, 0
		}
		find := ""
		if first {
			find, first = head, false
		}
		pcs = append(pcs, piece{text: text[glue : j+1], prot: true, find: find})
		sub, end, ok := p.message(text, j+1, plural, true)
		if !ok {
			return nil, 0
		}
		pcs = append(pcs, sub...)
		branches++
		glue, j = end, end+1
	}
}

func protected(t string) []piece {
	return []piece{{text: t, prot: true, find: t}}
}

// matchBrace returns the index of the '}' closing the '{' at text[i], or -1.
func matchBrace(text string, i int) int {
	depth := 0
	for k := i; k < len(text); k++ {
		switch text[k] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

func skipSpace(text string, i int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
		i++
	}
	return i
}

// isICUName accepts the characters of argument names and selectors
// ("count", "0", "=1", "other"), and any non-ASCII byte (ICU allows
// Unicode identifiers).
func isICUName(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '=' || c == '-' || c == '.' || c >= 0x80
}

func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
