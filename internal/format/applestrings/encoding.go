package applestrings

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// encoding is the byte encoding of a .strings file.
type encoding int

const (
	encUTF8 encoding = iota
	encUTF16LE
	encUTF16BE
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// sniff tells a file's encoding and the BOM it starts with, if any.
func sniff(b []byte) (encoding, []byte) {
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		return encUTF8, bomUTF8
	case bytes.HasPrefix(b, bomUTF16LE):
		return encUTF16LE, bomUTF16LE
	case bytes.HasPrefix(b, bomUTF16BE):
		return encUTF16BE, bomUTF16BE
	}
	return sniffNUL(b), nil
}

// sniffNUL detects BOM-less UTF-16: ASCII text in UTF-16 has a NUL in every
// other byte, at odd offsets in little endian and even ones in big endian.
// UTF-8 text has no NUL at all. A few NULs on the other side come from
// code units such as U+0100 or a low surrogate.
func sniffNUL(b []byte) encoding {
	if len(b) < 2 || len(b)%2 != 0 {
		return encUTF8
	}
	n := min(len(b), 1024)
	var even, odd int
	for i := 0; i < n; i++ {
		if b[i] == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	switch {
	case odd > n/4 && even < odd/8:
		return encUTF16LE
	case even > n/4 && odd < even/8:
		return encUTF16BE
	}
	return encUTF8
}

// decodeUTF16 turns UTF-16 bytes into UTF-8. It refuses an odd length and
// unpaired surrogates, which could not be written back unchanged; the
// returned offset is where the fault is, in the UTF-8 text decoded so far.
func decodeUTF16(b []byte, enc encoding) ([]byte, int, error) {
	if len(b)%2 != 0 {
		return nil, -1, fmt.Errorf("UTF-16 text has an odd number of bytes (%d)", len(b))
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i += 2 {
		u := unit16(b, i, enc)
		switch {
		case utf16.IsSurrogate(rune(u)) && u < 0xDC00 && i+3 < len(b):
			low := unit16(b, i+2, enc)
			r := utf16.DecodeRune(rune(u), rune(low))
			if r == utf8.RuneError {
				return out, len(out), fmt.Errorf("unpaired UTF-16 surrogate %#04x", u)
			}
			out = utf8.AppendRune(out, r)
			i += 2
		case utf16.IsSurrogate(rune(u)):
			return out, len(out), fmt.Errorf("unpaired UTF-16 surrogate %#04x", u)
		default:
			out = utf8.AppendRune(out, rune(u))
		}
	}
	return out, -1, nil
}

func unit16(b []byte, i int, enc encoding) uint16 {
	if enc == encUTF16LE {
		return uint16(b[i]) | uint16(b[i+1])<<8
	}
	return uint16(b[i])<<8 | uint16(b[i+1])
}

// encodeUTF16 turns UTF-8 text into UTF-16 bytes of the given order.
func encodeUTF16(s []byte, enc encoding) []byte {
	units := utf16.Encode([]rune(string(s)))
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if enc == encUTF16LE {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	return out
}
