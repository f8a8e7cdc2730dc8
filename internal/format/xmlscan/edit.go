package xmlscan

import (
	"bytes"
	"fmt"
	"sort"
)

// Edit replaces the bytes of Span with Text; an empty span inserts.
type Edit struct {
	Span Span
	Text string
}

// Edits collects the changes a writer makes to a source document.
type Edits []Edit

// Replace records that span is to be replaced by text.
func (e *Edits) Replace(span Span, text string) { *e = append(*e, Edit{span, text}) }

// Insert records text to be inserted at offset off.
func (e *Edits) Insert(off int, text string) { *e = append(*e, Edit{Span{off, off}, text}) }

// Apply returns src with the edits made. Edits are applied in order of
// position (insertions at one offset in the order recorded); overlapping
// edits are a bug in the caller and reported as an error.
func (e Edits) Apply(src []byte) ([]byte, error) {
	sorted := append(Edits(nil), e...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Span.Start < sorted[j].Span.Start })
	var out bytes.Buffer
	out.Grow(len(src))
	pos := 0
	for _, ed := range sorted {
		if ed.Span.Start < pos || ed.Span.End < ed.Span.Start || ed.Span.End > len(src) {
			return nil, fmt.Errorf("xmlscan: overlapping or invalid edit at %d-%d", ed.Span.Start, ed.Span.End)
		}
		out.Write(src[pos:ed.Span.Start])
		out.WriteString(ed.Text)
		pos = ed.Span.End
	}
	out.Write(src[pos:])
	return out.Bytes(), nil
}

// LineStart returns, when only white space precedes off on its line, the
// offset of the line break ending the previous line (or 0 on the first
// line); else off. Removing from there to an element's end removes the
// element's line without leaving a blank one.
func LineStart(src []byte, off int) int {
	i := off
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i == 0 || src[i-1] == '\n' {
		if i > 0 {
			i--
			if i > 0 && src[i-1] == '\r' {
				i--
			}
			return i
		}
		return i
	}
	return off
}

// Indent returns the white space between the start of off's line and off,
// or "" when something else precedes off on the line.
func Indent(src []byte, off int) string {
	i := off
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i == 0 || src[i-1] == '\n' {
		return string(src[i:off])
	}
	return ""
}

// Newline returns the line ending src uses: "\r\n" when its first line
// break is CRLF, else "\n".
func Newline(src []byte) string {
	i := bytes.IndexByte(src, '\n')
	if i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// ToLF converts CRLF and lone CR line endings to LF (the unixNewline
// setting).
func ToLF(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}
