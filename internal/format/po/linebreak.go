package po

import (
	"strings"
	"unicode"
)

// Line-break classes of Unicode UAX #14, reduced to what PO texts need:
// gettext breaks msgstr lines by these rules (through libunistring).
type lbClass int

const (
	lbAL lbClass = iota // letters and everything not listed
	lbSP                // space
	lbHY                // hyphen-minus
	lbSY                // slash
	lbIS                // . , ; :
	lbEX                // ! ?
	lbCP                // ) ] }
	lbCL                // ideographic closing punctuation
	lbOP                // opening punctuation
	lbQU                // quotation marks
	lbNS                // small kana, prolonged sound mark: no break before
	lbNU                // digits
	lbID                // ideographs, kana
)

var lbClasses = map[rune]lbClass{
	' ': lbSP, '-': lbHY, '/': lbSY, '.': lbIS, ',': lbIS, ';': lbIS, ':': lbIS,
	'!': lbEX, '?': lbEX, ')': lbCP, ']': lbCP, '}': lbCP,
	'(': lbOP, '[': lbOP, '{': lbOP, '„': lbOP, '‚': lbOP,
	'"': lbQU, '\'': lbQU, '“': lbQU, '”': lbQU, '‘': lbQU, '’': lbQU, '«': lbQU, '»': lbQU,
}

const (
	cjkClosing = "、。，．」』）］｝〉》】〕｣"
	cjkOpening = "「『（［｛〈《【〔｢"
	cjkNoStart = "ーゝゞヽヾ々・：；！？ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)

func lbClassOf(r rune) lbClass {
	if c, ok := lbClasses[r]; ok {
		return c
	}
	switch {
	case r >= '0' && r <= '9':
		return lbNU
	case strings.ContainsRune(cjkClosing, r):
		return lbCL
	case strings.ContainsRune(cjkOpening, r):
		return lbOP
	case strings.ContainsRune(cjkNoStart, r):
		return lbNS
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r >= 0xff01 && r <= 0xff60:
		return lbID
	}
	return lbAL
}

// canBreak tells whether a line may end between classes a and b; beforeSP
// is the class before the spaces that a may be the last of.
func canBreak(a, b, beforeSP lbClass) bool {
	switch {
	case b == lbSP:
		return false
	case b == lbCL || b == lbCP || b == lbEX || b == lbIS || b == lbSY:
		return false
	case a == lbSP:
		return beforeSP != lbOP && !(beforeSP == lbQU && b == lbOP)
	case a == lbOP || a == lbQU || b == lbQU || b == lbNS || b == lbHY:
		return false
	case a == lbHY || a == lbSY || a == lbIS:
		return b == lbAL || b == lbID
	case a == lbID || b == lbID:
		return true
	case a == lbCL || a == lbNS:
		return b == lbAL
	}
	return false
}

// wrap breaks a piece of text into escaped lines of at most max columns,
// at the last break opportunity that fits; text without one stays long.
func wrap(s string, max int) []string {
	var lines []string
	var line strings.Builder
	col := 0
	cut, cutCol := -1, 0 // break opportunity in line, and the columns before it
	prev, beforeSP := lbClass(-1), lbClass(-1)
	for _, r := range s {
		c := lbClassOf(r)
		if prev >= 0 && canBreak(prev, c, beforeSP) {
			cut, cutCol = line.Len(), col
		}
		if prev != lbSP {
			beforeSP = prev
		}
		esc := quote(string(r))
		w := columns(esc)
		if col+w > max && cut > 0 {
			done := line.String()
			lines = append(lines, done[:cut])
			line.Reset()
			line.WriteString(done[cut:])
			col -= cutCol
			cut = -1
		}
		line.WriteString(esc)
		col += w
		prev = c
	}
	return append(lines, line.String())
}
