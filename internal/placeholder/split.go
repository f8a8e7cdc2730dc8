package placeholder

import "strings"

// Split cuts text into translatable and protected segments. Concatenating
// the segments' texts gives text back exactly; adjacent segments never have
// the same Protected value.
//
// ICU MessageFormat is parsed properly: for
//
//	{count, plural, =1{one item} other {# items}}
//
// the argument syntax ("{count, plural, =1{", "} other {", "}") and the "#"
// are protected, while "one item" and " items" are translatable, and
// placeholders of the other enabled syntaxes are found inside the branches.
// ICU apostrophe quoting ('{' starts a literal, ” is an apostrophe) marks
// the quoted text translatable. Text that is not well-formed ICU is scanned
// as if ICU were off.
func Split(text string, s Syntax) []Segment {
	pcs := scan(text, s)
	var out []Segment
	for _, p := range pcs {
		if p.text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Protected == p.prot {
			out[n-1].Text += p.text
			continue
		}
		out = append(out, Segment{Text: p.text, Protected: p.prot})
	}
	return out
}

// Find returns the placeholders of text in order, duplicates kept: what a
// translation should contain too. An ICU plural or select argument is
// reported once as "{name, type}" followed by the placeholders found in its
// branches; the branch syntax itself (selectors, braces) is not reported.
func Find(text string, s Syntax) []string {
	var out []string
	for _, p := range scan(text, s) {
		if p.prot && p.find != "" {
			out = append(out, p.find)
		}
	}
	return out
}

// piece is a scanned piece of text. find is what Find reports for a
// protected piece; it is empty for ICU branch syntax.
type piece struct {
	text string
	prot bool
	find string
}

func scan(text string, s Syntax) []piece {
	p := scanner{syn: s}
	pcs, _, _ := p.message(text, 0, false, false)
	return pcs
}

type scanner struct {
	syn   Syntax
	depth int
}

// maxDepth bounds ICU nesting so hostile input cannot exhaust the stack.
const maxDepth = 50

// message scans text from i. When nested it stops at the '}' that closes
// the enclosing ICU branch and returns its offset; ok is false if there is
// none. plural enables '#' as a placeholder.
func (p *scanner) message(text string, i int, plural, nested bool) (pcs []piece, end int, ok bool) {
	start := i
	flush := func(to int) {
		if to > start {
			pcs = append(pcs, piece{text: text[start:to]})
		}
	}
	for i < len(text) {
		c := text[i]
		if nested && c == '}' {
			flush(i)
			return pcs, i, true
		}
		if c == '\'' && p.syn&ICU != 0 {
			if n := p.quoted(text, i, plural); n > 0 {
				i += n
				continue
			}
		}
		sub, n := p.token(text, i, plural)
		if n == 0 {
			i++
			continue
		}
		flush(i)
		pcs = append(pcs, sub...)
		i += n
		start = i
	}
	flush(i)
	return pcs, i, !nested
}

// quoted returns the length of an ICU apostrophe quote at text[i], which
// stays translatable text: "”" or "'{...}'" (also '}', '#' in plurals).
// An apostrophe before "{{" is not a quote when i18next is on, as i18next
// texts use apostrophes freely.
func (p *scanner) quoted(text string, i int, plural bool) int {
	if i+1 >= len(text) {
		return 0
	}
	switch next := text[i+1]; {
	case next == '\'':
		return 2
	case next == '{' && p.syn&(I18next|DoubleBrace) != 0 && strings.HasPrefix(text[i+1:], "{{"):
		return 0
	case next == '{' || next == '}' || next == '#' && plural:
		j := strings.IndexByte(text[i+1:], '\'')
		if j < 0 {
			return len(text) - i
		}
		return j + 2
	}
	return 0
}

// token recognises a placeholder at text[i] and returns its pieces and
// length, or 0 when there is none.
func (p *scanner) token(text string, i int, plural bool) ([]piece, int) {
	var n int
	switch text[i] {
	case '{', '}':
		if p.syn&PythonBrace != 0 {
			if n = pythonBrace(text[i:]); n > 0 {
				break
			}
		}
		if text[i] == '}' {
			break
		}
		if p.syn&(I18next|DoubleBrace) != 0 {
			n = doubleBrace(text[i:])
		}
		if n == 0 && p.syn&ICU != 0 {
			if pcs, n := p.icuArg(text, i, plural); n > 0 {
				return pcs, n
			}
		}
		if n == 0 && p.syn&(MessageFmt|ICU) != 0 {
			n = messageFmtArg(text[i:])
		}
	case '#':
		if plural {
			n = 1
		}
	case '$':
		if p.syn&I18next != 0 {
			n = nesting(text[i:])
		}
	case '%':
		n = p.percent(text[i:])
	case '<':
		if p.syn&Markup != 0 {
			n = tag(text[i:])
		}
	case '&':
		if p.syn&Entity != 0 {
			n = entity(text[i:])
		}
	case '\\':
		if p.syn&Escape != 0 {
			n = escape(text[i:])
		}
	}
	if n == 0 {
		return nil, 0
	}
	t := text[i : i+n]
	return []piece{{text: t, prot: true, find: t}}, n
}

func (p *scanner) percent(s string) int {
	if p.syn&AppleVar != 0 {
		if n := appleVar(s); n > 0 {
			return n
		}
	}
	if p.syn&Ruby != 0 {
		if n := rubyVar(s); n > 0 {
			return n
		}
	}
	if p.syn&Percent != 0 {
		if n := percentName(s); n > 0 {
			return n
		}
	}
	if p.syn&Printf != 0 {
		if n := printf(s); n > 0 {
			return n
		}
	}
	if p.syn&Strftime != 0 {
		return strftime(s)
	}
	return 0
}
