package stringsdict

import (
	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/xmlscan"
)

// Keys of the stringsdict vocabulary.
const (
	formatKey     = "NSStringLocalizedFormatKey"
	specTypeKey   = "NSStringFormatSpecTypeKey"
	pluralRuleTyp = "NSStringPluralRuleType"
)

// pair is one <key> of a plist dict with the element after it.
type pair struct {
	key  string
	kel  *xmlscan.Element
	val  *xmlscan.Element
	text string // the value's text when it is a <string>
}

// dictPairs reads the key/value pairs of a <dict>.
func dictPairs(doc *xmlscan.Doc, dict *xmlscan.Element) ([]pair, error) {
	kids := dict.Children
	pairs := make([]pair, 0, len(kids)/2)
	for i := 0; i < len(kids); i += 2 {
		k := kids[i]
		if k.Name != "key" {
			return nil, errAt(doc, k, "expected <key> in <dict>, found <%s>", k.Name)
		}
		if i+1 >= len(kids) {
			return nil, errAt(doc, k, "<key> without a value at the end of <dict>")
		}
		name, err := doc.Text(k)
		if err != nil {
			return nil, err
		}
		p := pair{key: name, kel: k, val: kids[i+1]}
		if p.val.Name == "string" {
			if p.text, err = doc.Text(p.val); err != nil {
				return nil, err
			}
		}
		pairs = append(pairs, p)
	}
	return pairs, nil
}

func lookup(pairs []pair, key string) (pair, bool) {
	for _, p := range pairs {
		if p.key == key {
			return p, true
		}
	}
	return pair{}, false
}

func errAt(doc *xmlscan.Doc, e *xmlscan.Element, f string, args ...any) error {
	return format.Errorf(doc.Name, doc.Src, e.StartTag.Start, f, args...)
}
