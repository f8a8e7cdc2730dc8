package yaml

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/tolk-l10n/tolk/internal/format"
)

// locate finds the byte span of a scalar node and checks it: the span, read
// back alone, must give the value yaml/v3 read, or Write could not splice it.
func (p *parser) locate(n *yamlv3.Node, parentIndent int) (scalar, error) {
	l := p.doc.lines
	start := skipTag(p.doc.src, l.offset(n.Line, n.Column))
	style := byte(stylePlain)
	switch {
	case n.Style&yamlv3.DoubleQuotedStyle != 0:
		style = styleDouble
	case n.Style&yamlv3.SingleQuotedStyle != 0:
		style = styleSingle
	case n.Style&yamlv3.LiteralStyle != 0:
		style = styleLiteral
	case n.Style&yamlv3.FoldedStyle != 0:
		style = styleFolded
	}
	if start >= len(p.doc.src) || style != stylePlain && p.doc.src[start] != style {
		return scalar{}, p.errorAt(n.Line, n.Column, "cannot find this scalar in the file")
	}
	s, err := l.span(start, style, parentIndent)
	if err != nil {
		return scalar{}, p.errorAt(n.Line, n.Column, err.Error())
	}
	if !quickMatch(p.doc.src[s.start:s.end], style, n.Value) {
		return s, p.check(n, s, parentIndent)
	}
	return s, nil
}

// check verifies a span the slow way, by decoding it with yaml/v3.
func (p *parser) check(n *yamlv3.Node, s scalar, parentIndent int) error {
	if got, ok := readBack(p.doc.src[s.start:s.end], parentIndent); !ok || got != n.Value {
		return p.errorAt(n.Line, n.Column, "cannot tell where this value ends; write it quoted")
	}
	return nil
}

// quickMatch reports whether a one-line scalar without escapes reads as
// value: then its raw bytes are the value, quoted or not.
func quickMatch(raw []byte, style byte, value string) bool {
	if bytes.ContainsAny(raw, "\r\n") || len(raw) == 0 {
		return false
	}
	switch style {
	case stylePlain:
		return string(raw) == value
	case styleDouble:
		return !bytes.ContainsRune(raw, '\\') && string(raw[1:len(raw)-1]) == value
	case styleSingle:
		return len(raw) >= 2 && !bytes.Contains(raw[1:len(raw)-1], []byte("'")) && string(raw[1:len(raw)-1]) == value
	}
	return false
}

// skipTag steps over a tag ("!", "!!str") in front of a scalar; the node's
// position is the tag's.
func skipTag(src []byte, i int) int {
	if i >= len(src) || src[i] != '!' {
		return i
	}
	for i < len(src) && src[i] != ' ' && src[i] != '\t' && breakLen(src, i) == 0 {
		i++
	}
	// The value may start on a later line.
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// locateKey finds the span of a one-line mapping key. A plain key is its
// value verbatim; it ends before the colon, which a value scan would take.
func (p *parser) locateKey(k *yamlv3.Node) (scalar, error) {
	if k.Style&(yamlv3.DoubleQuotedStyle|yamlv3.SingleQuotedStyle) != 0 {
		return p.locate(k, 0)
	}
	start := p.doc.lines.offset(k.Line, k.Column)
	end := start + len(k.Value)
	if k.Style != 0 || k.Value == "" || end > len(p.doc.src) || string(p.doc.src[start:end]) != k.Value {
		return scalar{}, p.errorAt(k.Line, k.Column, "the locale key must be a plain or quoted scalar")
	}
	return scalar{start: start, end: end, style: stylePlain}, nil
}

// readBack decodes a scalar's raw bytes as the value of a key at indent.
func readBack(raw []byte, indent int) (string, bool) {
	doc := append([]byte(strings.Repeat(" ", indent)+"k: "), raw...)
	var n yamlv3.Node
	if err := yamlv3.Unmarshal(doc, &n); err != nil || len(n.Content) == 0 {
		return "", false
	}
	m := n.Content[0]
	if m.Kind != yamlv3.MappingNode || len(m.Content) != 2 || m.Content[1].Kind != yamlv3.ScalarNode {
		return "", false
	}
	return m.Content[1].Value, true
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml/v3 error into a ParseError. yaml/v3 reports only
// a line, so the column is found by a scan for the usual faults (a tab in
// the indentation, an unclosed quote); failing that it is the first
// non-blank character of the reported line.
func (p *parser) syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if pe := p.diagnose(line); pe != nil {
		return pe
	}
	if m := unknownAliasRE.FindStringSubmatch(msg); m != nil {
		if at := aliasOffset(p.doc.src, m[1]); at >= 0 {
			return format.Errorf(p.name, p.doc.src, at, "%s", msg)
		}
	}
	if line == 0 {
		// Errors of the reader (bad UTF-8, control characters) carry no
		// line; point at the first byte it would refuse.
		return format.Errorf(p.name, p.doc.src, badByte(p.doc.src), "%s", msg)
	}
	col := 0
	if line <= len(p.doc.lines.starts) {
		start := p.doc.lines.starts[line-1]
		content := p.doc.lines.content(start)
		col = 1 + len([]rune(string(content[:len(content)-len(bytes.TrimLeft(content, " \t"))])))
	}
	return &format.ParseError{File: p.name, Line: line, Column: col, Msg: msg}
}

// diagnose looks for a tab used as indentation, a quoted value that is
// never closed, or, next to the line yaml/v3 blamed, a line indented to no
// enclosing level, and reports where it is.
func (p *parser) diagnose(blamed int) *format.ParseError {
	l := p.doc.lines
	indents := []int{0}
	for i := 0; i < len(l.starts); i++ {
		start := l.starts[i]
		line := l.content(start)
		body := bytes.TrimLeft(line, " ")
		if len(body) == 0 || body[0] == '#' {
			continue
		}
		if body[0] == '\t' {
			return format.Errorf(p.name, p.doc.src, start+len(line)-len(body), "tab character in indentation")
		}
		sp := len(line) - len(body)
		popped := false
		for len(indents) > 1 && indents[len(indents)-1] > sp {
			indents, popped = indents[:len(indents)-1], true
		}
		if top := indents[len(indents)-1]; top < sp && !popped {
			indents = append(indents, sp)
		} else if top != sp && i+1 >= blamed-1 && i+1 <= blamed+1 {
			return format.Errorf(p.name, p.doc.src, start+sp, "bad indentation: this line matches no enclosing level")
		}
		q := quoteStart(body)
		if q < 0 {
			continue
		}
		at := start + len(line) - len(body) + q
		end, err := l.quotedEnd(at, body[q])
		if err != nil {
			return format.Errorf(p.name, p.doc.src, at, "unterminated quoted string")
		}
		for i+1 < len(l.starts) && l.starts[i+1] < end {
			i++
		}
	}
	return nil
}

// quoteStart returns the index of an opening quote that starts the value of
// "key: " or "- " on a line, or -1.
func quoteStart(body []byte) int {
	if bytes.HasPrefix(body, []byte("- ")) {
		return quoteAfter(body, 2)
	}
	if body[0] == '"' || body[0] == '\'' {
		return 0
	}
	if i := bytes.Index(body, []byte(": ")); i >= 0 {
		return quoteAfter(body, i+2)
	}
	return -1
}

func quoteAfter(body []byte, i int) int {
	for i < len(body) && body[i] == ' ' {
		i++
	}
	if i < len(body) && (body[i] == '"' || body[i] == '\'') {
		return i
	}
	return -1
}

// badByte returns the offset of the first invalid UTF-8 sequence or control
// character, or 0.
func badByte(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7F {
			return i
		}
		i += size
	}
	return 0
}
