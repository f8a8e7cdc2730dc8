// Package token wraps exported texts in string tokens: markers that let a
// running application (or a browser extension watching it) tell which
// string of which file produced a piece of UI text.
//
// # Signature
//
// Every string has a 64-bit signature computed from its string id:
//
//	Signature(fileID, key) = FNV-1a 64 over  UTF-8(fileID) || 0x00 || UTF-8(key)
//
// FNV-1a 64 uses offset basis 14695981039346656037 and prime 1099511628211
// (as hash/fnv.New64a). The 0x00 separator keeps ("ab","c") and ("a","bc")
// apart. This definition is a public contract: decoders outside tolk
// recompute it, so it must never change.
//
// # Invisible tokens (default)
//
//	U+206A U+206A U+206A  digits  U+206A  text  U+206A U+206A
//
// where digits is the signature in base 3, most significant digit first,
// without leading zeros (a signature of 0 is the single digit 0), and the
// digits 0, 1, 2 are written U+200B, U+200C, U+200D. Decoders match
// \u206A\u206A\u206A([^\u206A]+)\u206A.
//
// # Visible tokens
//
// For applications that cannot carry those characters there are two
// visible forms, made only of ASCII letters, digits and the delimiter, so
// that no file format (JSON, XML, properties, PO, YAML, strings) needs to
// escape them:
//
//	Percent: %%T<sig>%%  text  %%/T%%
//	Tilde:   ~~T<sig>~   text  ~~/T~
//
// <sig> is the signature in lowercase base 36, no leading zeros. The doubled
// delimiter followed by the letter T cannot be read as a placeholder of the
// supported syntaxes: printf reads "%%" as a literal percent sign, Symfony's
// %name% needs a name character right after a single %, and no syntax uses "~".
package token

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Style selects the token form.
type Style int

const (
	Invisible Style = iota // U+206A markers with zero-width base-3 digits
	Percent                // %%T<sig>%% text %%/T%%
	Tilde                  // ~~T<sig>~ text ~~/T~
)

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
	mark        = '\u206A'
)

// digits are the zero-width characters standing for base-3 digits 0, 1, 2.
var digits = [3]rune{'\u200B', '\u200C', '\u200D'}

// Signature returns the string id's signature (see the package doc).
func Signature(fileID, key string) uint64 {
	h := uint64(fnvOffset64)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= fnvPrime64
		}
	}
	add(fileID)
	h ^= 0
	h *= fnvPrime64
	add(key)
	return h
}

// Wrap returns text inside an invisible token for sig.
func Wrap(sig uint64, text string) string {
	var b strings.Builder
	b.Grow(len(text) + 3*45)
	b.WriteString("\u206A\u206A\u206A")
	b.WriteString(base3(sig))
	b.WriteRune(mark)
	b.WriteString(text)
	b.WriteString("\u206A\u206A")
	return b.String()
}

// WrapStyle returns text inside a token of the given style.
func WrapStyle(st Style, sig uint64, text string) string {
	switch st {
	case Percent:
		return "%%T" + strconv.FormatUint(sig, 36) + "%%" + text + "%%/T%%"
	case Tilde:
		return "~~T" + strconv.FormatUint(sig, 36) + "~" + text + "~~/T~"
	}
	return Wrap(sig, text)
}

func base3(sig uint64) string {
	if sig == 0 {
		return string(digits[0])
	}
	var ds []rune
	for sig > 0 {
		ds = append(ds, digits[sig%3])
		sig /= 3
	}
	for i, j := 0, len(ds)-1; i < j; i, j = i+1, j-1 {
		ds[i], ds[j] = ds[j], ds[i]
	}
	return string(ds)
}

// Found is a token start found by Decode.
type Found struct {
	Signature uint64
	// Start is the byte offset of the token's first U+206A; Text is the
	// byte offset where the wrapped text begins.
	Start, Text int
}

// Decode finds every invisible token start in s, in order, with the
// semantics of the regular expression \u206A\u206A\u206A([^\u206A]+)\u206A.
// A match whose digits are not all zero-width base-3 digits, or overflow 64
// bits, is not a token; unlike a plain regexp scan, the search then resumes
// one character after where that match started, so a closing U+206A U+206A
// directly followed by text and another token cannot hide that token.
func Decode(s string) []Found {
	const open = "\u206A\u206A\u206A"
	var out []Found
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], open)
		if j < 0 {
			break
		}
		start := i + j
		body := start + len(open)
		end := strings.IndexRune(s[body:], mark)
		if end < 0 {
			break
		}
		if end == 0 {
			// [^\u206A]+ needs one character: a leftmost match may start at
			// the next U+206A instead.
			i = start + utf8.RuneLen(mark)
			continue
		}
		sig, ok := parseBase3(s[body : body+end])
		if !ok {
			i = start + utf8.RuneLen(mark)
			continue
		}
		out = append(out, Found{Signature: sig, Start: start, Text: body + end + utf8.RuneLen(mark)})
		i = body + end + utf8.RuneLen(mark)
	}
	return out
}

func parseBase3(ds string) (uint64, bool) {
	var v uint64
	for _, r := range ds {
		d := uint64(0)
		switch r {
		case digits[0]:
		case digits[1]:
			d = 1
		case digits[2]:
			d = 2
		default:
			return 0, false
		}
		if v > (^uint64(0)-d)/3 {
			return 0, false
		}
		v = v*3 + d
	}
	return v, true
}

// DecodeStyle finds the token starts of a visible style in s. Text is the
// offset of the wrapped text.
func DecodeStyle(st Style, s string) []Found {
	if st == Invisible {
		return Decode(s)
	}
	open, close := "%%T", "%%"
	if st == Tilde {
		open, close = "~~T", "~"
	}
	var out []Found
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], open)
		if j < 0 {
			break
		}
		start := i + j
		body := start + len(open)
		n := 0
		for body+n < len(s) && isBase36(s[body+n]) {
			n++
		}
		if n > 0 && strings.HasPrefix(s[body+n:], close) {
			if sig, err := strconv.ParseUint(s[body:body+n], 36, 64); err == nil {
				out = append(out, Found{Signature: sig, Start: start, Text: body + n + len(close)})
				i = body + n + len(close)
				continue
			}
		}
		i = start + 1
	}
	return out
}

func isBase36(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z'
}

// Strip removes every invisible token from s, keeping the wrapped texts,
// and reports whether it removed anything. Damaged tokens go too: an
// editor's Delete or Backspace in a tokenized file leaves part of a token
// behind. U+206A is a deprecated format character that no text uses, so
// every one is removed, with the runs of zero-width base-3 digits that
// touch one; zero-width characters elsewhere (a ZWJ in an emoji sequence, a
// ZWSP between Thai words) are text and stay.
func Strip(s string) (string, bool) {
	if !strings.ContainsRune(s, mark) {
		return s, false
	}
	const closer = "\u206A\u206A"
	var b strings.Builder
	at := 0
	found := Decode(s)
	for i, f := range found {
		if f.Start < at {
			continue
		}
		b.WriteString(s[at:f.Start])
		at = f.Text
		next := len(s)
		if i+1 < len(found) {
			next = found[i+1].Start
		}
		if end := strings.Index(s[f.Text:next], closer); end >= 0 {
			b.WriteString(s[f.Text : f.Text+end])
			at = f.Text + end + len(closer)
		}
	}
	b.WriteString(s[at:])
	return removeRemnants(b.String()), true
}

// removeRemnants drops every U+206A and the zero-width digits next to one.
func removeRemnants(s string) string {
	rs := []rune(s)
	drop := make([]bool, len(rs))
	for i, r := range rs {
		if r != mark {
			continue
		}
		drop[i] = true
		for j := i - 1; j >= 0 && isDigitRune(rs[j]); j-- {
			drop[j] = true
		}
		for j := i + 1; j < len(rs) && isDigitRune(rs[j]); j++ {
			drop[j] = true
		}
	}
	var b strings.Builder
	for i, r := range rs {
		if !drop[i] {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigitRune(r rune) bool { return r >= '\u200B' && r <= '\u200D' }
