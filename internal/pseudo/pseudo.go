// Package pseudo makes pseudo-translations in the manner of Android's en-XA
// pseudo-locale: "Save file" becomes "[Šåvé ƒîļé one two]".
//
// A pseudo-translation shows, without a translator, which UI texts are not
// localizable (they stay plain ASCII), which layouts break with longer
// texts (the padding words), and where texts are cut or concatenated (the
// brackets). Only the translatable parts of a text change: every
// placeholder, tag or ICU argument found by package placeholder is kept
// byte for byte, so the result still works in the application.
package pseudo

import (
	"strings"
	"unicode/utf8"

	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// accents maps each ASCII letter to an accented look-alike. Every value is
// a letter, so the result never gains placeholder or markup syntax.
var accents = map[rune]string{
	'a': "å", 'b': "ƀ", 'c': "ç", 'd': "ð", 'e': "é", 'f': "ƒ", 'g': "ĝ",
	'h': "ĥ", 'i': "î", 'j': "ĵ", 'k': "ķ", 'l': "ļ", 'm': "ɱ", 'n': "ñ",
	'o': "ö", 'p': "þ", 'q': "ǫ", 'r': "ŕ", 's': "š", 't': "ţ", 'u': "û",
	'v': "ṽ", 'w': "ŵ", 'x': "ẋ", 'y': "ý", 'z': "ž",
	'A': "Å", 'B': "Ɓ", 'C': "Ç", 'D': "Ð", 'E': "É", 'F': "Ƒ", 'G': "Ĝ",
	'H': "Ĥ", 'I': "Î", 'J': "Ĵ", 'K': "Ķ", 'L': "Ļ", 'M': "Ṁ", 'N': "Ñ",
	'O': "Ö", 'P': "Þ", 'Q': "Ǫ", 'R': "Ŕ", 'S': "Š", 'T': "Ţ", 'U': "Û",
	'V': "Ṽ", 'W': "Ŵ", 'X': "Ẋ", 'Y': "Ý", 'Z': "Ž",
}

// padding are the words appended to lengthen a text, as Android does.
var padding = strings.Fields("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty")

// Translate returns the pseudo-translation of text. The translatable
// characters are accented, the text is lengthened by padding words (about
// 40% for short texts, 30% up to 50 characters, 20% beyond) and the whole
// is wrapped in "[" and "]". An empty text stays empty. The result depends
// only on text and s.
func Translate(text string, s placeholder.Syntax) string {
	if text == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(text)*2 + 8)
	b.WriteByte('[')
	letters := 0
	for _, seg := range placeholder.Split(text, s) {
		if seg.Protected {
			b.WriteString(seg.Text)
			continue
		}
		for _, r := range seg.Text {
			if a, ok := accents[r]; ok {
				b.WriteString(a)
			} else {
				b.WriteRune(r)
			}
		}
		letters += utf8.RuneCountInString(seg.Text)
	}
	pad(&b, letters)
	b.WriteByte(']')
	return b.String()
}

// pad appends padding words until about the expansion for n translatable
// characters is reached.
func pad(b *strings.Builder, n int) {
	want := expansion(n)
	for i, added := 0, 0; added < want; i++ {
		w := padding[i%len(padding)]
		b.WriteByte(' ')
		b.WriteString(w)
		added += len(w) + 1
	}
}

func expansion(n int) int {
	switch {
	case n == 0:
		return 0
	case n <= 20:
		return (n*4 + 9) / 10
	case n <= 50:
		return (n*3 + 9) / 10
	}
	return (n*2 + 9) / 10
}
