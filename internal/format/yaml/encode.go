package yaml

import (
	"fmt"
	"strings"
	"unicode/utf8"

	yamlv3 "go.yaml.in/yaml/v3"
)

// encode writes text in the style of the value it replaces when that style
// can hold it: plain stays plain when the text reads back as the same
// string, single stays single, a folded block stays folded (see folded),
// else block scalars become a literal block at the same indentation;
// anything else falls back to double quotes.
func encode(text string, s scalar, nl string, atEOF bool) string {
	switch s.style {
	case stylePlain:
		if plainSafe(text) {
			return text
		}
	case styleSingle:
		if singleSafe(text) {
			return "'" + strings.ReplaceAll(text, "'", "''") + "'"
		}
	case styleFolded:
		if foldedSafe(text) {
			return folded(text, s.contentIndent, nl, atEOF)
		}
		fallthrough
	case styleLiteral:
		if literalSafe(text) {
			return literal(text, s.contentIndent, nl, atEOF)
		}
	}
	return doubleQuote(text)
}

// hasSpecial reports characters that only double quotes can carry: control
// characters other than tab, the YAML line breaks NEL/LS/PS, and a BOM.
func hasSpecial(text string, allowNewline bool) bool {
	for _, r := range text {
		switch {
		case r == '\n' && allowNewline, r == '\t':
		case r < 0x20, r == 0x7F, r >= 0x80 && r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF, r == utf8.RuneError:
			return true
		}
	}
	return false
}

func singleSafe(text string) bool {
	return !hasSpecial(text, false) && !strings.Contains(text, "\n")
}

// plainSafe reports whether text, written unquoted as a mapping value, reads
// back as the same string: no indicator first, no ": " or " #" inside, and
// not a word YAML resolves to another type (true, ~, 1.5).
func plainSafe(text string) bool {
	if text == "" || hasSpecial(text, false) || strings.ContainsAny(text, "\n\t") {
		return false
	}
	if strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`", rune(text[0])) || text[0] == ' ' || text[len(text)-1] == ' ' {
		return false
	}
	if strings.Contains(text, ": ") || strings.Contains(text, " #") || strings.HasSuffix(text, ":") {
		return false
	}
	if ruby11Bool[strings.ToLower(text)] {
		return false
	}
	if !mayResolve(text) {
		return true
	}
	var n yamlv3.Node
	if err := yamlv3.Unmarshal([]byte("k: "+text), &n); err != nil {
		return false
	}
	v := n.Content[0].Content[1]
	return v.Kind == yamlv3.ScalarNode && v.ShortTag() == "!!str" && v.Value == text
}

// ruby11Bool lists the YAML 1.1 booleans that Ruby's Psych reads as true or
// false although YAML 1.2 (and yaml/v3) read them as strings.
var ruby11Bool = map[string]bool{"y": true, "yes": true, "n": true, "no": true, "on": true, "off": true}

// mayResolve reports whether text could be read as something other than a
// string (null, bool, number, timestamp): those are made only of ASCII
// letters, digits and ".+-_:~ ", and only timestamps hold a space.
func mayResolve(text string) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte(".+-_:~ ", c) >= 0) {
			return false
		}
	}
	first := text[0]
	return !(strings.Contains(text, " ") && (first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z'))
}

// literalSafe reports whether a literal block can carry text: it must have
// a visible first character (a leading space would need an indentation
// indicator) and no character a block scalar cannot hold.
func literalSafe(text string) bool {
	t := strings.TrimLeft(text, "\n")
	return t != "" && t[0] != ' ' && t[0] != '\t' && !hasSpecial(text, true) &&
		strings.Trim(text, "\n") != ""
}

// literal writes text as a "|" block whose chomping indicator keeps exactly
// its trailing line breaks, content lines indented by indent spaces.
func literal(text string, indent int, nl string, atEOF bool) string {
	body, chomp := chomping(text)
	return block("|"+chomp, strings.Split(body, "\n"), indent, nl, atEOF)
}

// chomping splits text into the body a block scalar writes and the
// chomping indicator that restores its trailing line breaks.
func chomping(text string) (body, chomp string) {
	switch trailing := len(text) - len(strings.TrimRight(text, "\n")); {
	case trailing == 1:
		return text[:len(text)-1], ""
	case trailing > 1:
		return text[:len(text)-1], "+"
	}
	return text, "-"
}

// foldedSafe reports whether a ">" block reads back as text: what literal
// needs, and no line starting with white space (such a "more-indented"
// line is not folded, so the line breaks around it would change).
func foldedSafe(text string) bool {
	if !literalSafe(text) || strings.HasPrefix(text, "\n") {
		return false
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			return false
		}
	}
	return true
}

// folded writes text as a ">" block. Folding turns one line break between
// two lines into a space and n+1 breaks into n newlines, so each run of n
// newlines inside the text is written as n+1 breaks; trailing newlines are
// the chomping indicator's. Lines are not re-wrapped: breaking at a space
// would need care for runs of spaces, and a long line reads back the same.
func folded(text string, indent int, nl string, atEOF bool) string {
	body, chomp := chomping(text)
	core := strings.TrimRight(body, "\n")
	segs := strings.Split(core, "\n")
	var lines []string
	for i, seg := range segs {
		if i > 0 && segs[i-1] != "" {
			lines = append(lines, "") // the break a run of newlines adds
		}
		lines = append(lines, seg)
	}
	for range len(body) - len(core) {
		lines = append(lines, "")
	}
	return block(">"+chomp, lines, indent, nl, atEOF)
}

// block writes a block scalar: its header, then each line indented.
func block(header string, lines []string, indent int, nl string, atEOF bool) string {
	var b strings.Builder
	b.WriteString(header + nl)
	pad := strings.Repeat(" ", indent)
	for _, line := range lines {
		if line != "" {
			b.WriteString(pad + line)
		}
		b.WriteString(nl)
	}
	out := b.String()
	if atEOF {
		out = strings.TrimSuffix(out, nl)
	}
	return out
}

var shortEscapes = map[rune]string{
	0: `\0`, '\a': `\a`, '\b': `\b`, '\t': `\t`, '\n': `\n`, '\v': `\v`, '\f': `\f`,
	'\r': `\r`, 0x1B: `\e`, '"': `\"`, '\\': `\\`, 0x85: `\N`, 0x2028: `\L`, 0x2029: `\P`,
}

// doubleQuote writes text as a double-quoted scalar; printable characters,
// including non-ASCII ones, are written as they are.
func doubleQuote(text string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range text {
		if e, ok := shortEscapes[r]; ok {
			b.WriteString(e)
			continue
		}
		switch {
		case r < 0x20 || r == 0x7F || r >= 0x80 && r < 0xA0:
			fmt.Fprintf(&b, `\x%02X`, r)
		case r == 0xFEFF:
			b.WriteString(`\uFEFF`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
