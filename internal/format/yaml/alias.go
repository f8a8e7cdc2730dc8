package yaml

import (
	"bytes"
	"regexp"
)

// yaml/v3 reports an unknown alias without a position.
var unknownAliasRE = regexp.MustCompile(`unknown anchor '([^']*)' referenced`)

// aliasOffset finds the first use of alias *name in src: "*name" where a
// node may start (after ": ", "- ", "[", "{", "," or at the start of a
// line's content) and ending where an anchor name ends. It returns -1 when
// there is none, as in a comment or inside quotes.
func aliasOffset(src []byte, name string) int {
	ref := []byte("*" + name)
	for from := 0; ; {
		i := bytes.Index(src[from:], ref)
		if i < 0 {
			return -1
		}
		at := from + i
		from = at + 1
		if aliasEnds(src, at+len(ref)) && nodeStarts(src, at) {
			return at
		}
	}
}

func aliasEnds(src []byte, i int) bool {
	return i >= len(src) || bytes.IndexByte([]byte(" \t\r\n,]}"), src[i]) >= 0
}

// nodeStarts reports whether a node may start at i: only white space back
// to an indicator that begins a value, or to the line's start.
func nodeStarts(src []byte, i int) bool {
	j := i - 1
	for j >= 0 && (src[j] == ' ' || src[j] == '\t') {
		j--
	}
	if j < 0 || src[j] == '\n' || src[j] == '\r' {
		return true
	}
	switch src[j] {
	case '[', '{', ',':
		return true
	case ':', '-', '?':
		return j < i-1 // "a: *x", "- *x", not "a:*x"
	}
	return false
}
