package json

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// Document is a parsed JSON file.
type Document struct {
	src      []byte
	root     *value
	style    style
	settings format.Settings
	units    []format.Unit
	// groups maps an object to its i18next plural groups, by member index.
	groups map[*value]map[int]*pluralGroup
	dups   []string
}

var _ format.Document = (*Document)(nil)

// pluralGroup is a set of sibling members stem_<category> forming one
// plural unit.
type pluralGroup struct {
	unit    int
	stem    string
	key     string // the path segment of the unit: stem, or stem_other when stem is also a plain member
	members []int  // indices in the object, in file order
	cats    []string
}

// Units returns the units in file order.
func (d *Document) Units() []format.Unit { return d.units }

// Duplicates lists the keys that occur more than once, in file order of
// their second occurrence; the API reports them on import.
func (d *Document) Duplicates() []string { return d.dups }

// seg is one step of a path: an object key or an array index.
type seg struct {
	key   string
	index int
	isIdx bool
}

// unitKey builds the documented key of a path: a lone top-level key as
// written, otherwise escaped segments joined by "." with "[i]" indices.
func unitKey(path []seg) string {
	if len(path) == 1 && !path[0].isIdx {
		return path[0].key
	}
	var b strings.Builder
	for i, s := range path {
		if s.isIdx {
			b.WriteString("[" + itoa(s.index) + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(escapeSegment(s.key))
	}
	return b.String()
}

var segmentEscaper = strings.NewReplacer(`\`, `\\`, `.`, `\.`, `[`, `\[`)

func escapeSegment(s string) string { return segmentEscaper.Replace(s) }

// builder turns the parsed tree into units.
type builder struct {
	d           *Document
	byKey       map[string]int
	literal     map[int]bool      // units keyed by a lone top-level key as written
	escaped     map[string]string // top-level key → its escaped unit key
	plurals     bool
	translation bool
	name        string
	err         error
}

func (d *Document) build(name string, plurals, translation bool) error {
	b := &builder{d: d, byKey: map[string]int{}, literal: map[int]bool{}, escaped: map[string]string{},
		plurals: plurals, translation: translation, name: name}
	b.walk(d.root, nil)
	return b.err
}

func (b *builder) walk(v *value, path []seg) {
	switch v.kind {
	case kindString:
		if len(path) > 0 {
			v.unit = b.add(format.Unit{Key: unitKey(path), Text: v.text, Line: v.line}, isLiteral(path))
		}
	case kindArray:
		for i, m := range v.members {
			b.walk(m.val, append(path, seg{index: i, isIdx: true}))
		}
	case kindObject:
		grouped := map[int]*pluralGroup{}
		if b.plurals {
			grouped = b.findGroups(v)
		}
		for i, m := range v.members {
			if g, ok := grouped[i]; ok {
				if g.members[0] == i {
					g.unit = b.addGroup(v, g, append(path, seg{key: g.key}))
				}
				continue
			}
			b.walk(m.val, append(path, seg{key: m.key}))
		}
	}
}

func isLiteral(path []seg) bool { return len(path) == 1 && !path[0].isIdx }

// add records a unit. A key seen before from the same kind of place is a
// duplicate: it keeps the first position and takes the later text (last
// wins, as in JSON.parse). A top-level key written with a dot that equals a
// nested path ({"a.b": …, "a": {"b": …}}) is a different string: the
// top-level one is then keyed with its dot escaped ("a\.b").
func (b *builder) add(u format.Unit, literal bool) int {
	if b.translation && u.Text == "" && u.Plural == nil {
		u.HasStatus, u.Status = true, format.Untranslated
	}
	if literal {
		if k, ok := b.escaped[u.Key]; ok {
			u.Key = k
		}
	}
	i, ok := b.byKey[u.Key]
	if !ok {
		return b.insert(u, literal)
	}
	if b.literal[i] == literal {
		return b.duplicate(i, u)
	}
	esc, ok := b.escapeLiteral(u.Key, u.Line, b.d.units[i].Line)
	if !ok {
		return i
	}
	if literal {
		u.Key = esc
		return b.insert(u, literal)
	}
	// The earlier unit is the top-level one: it moves to the escaped key.
	b.d.units[i].Key = esc
	b.byKey[esc] = i
	delete(b.byKey, u.Key)
	return b.insert(u, literal)
}

func (b *builder) insert(u format.Unit, literal bool) int {
	i := len(b.d.units)
	b.byKey[u.Key] = i
	b.literal[i] = literal
	b.d.units = append(b.d.units, u)
	return i
}

func (b *builder) duplicate(i int, u format.Unit) int {
	if !slices.Contains(b.d.dups, u.Key) {
		b.d.dups = append(b.d.dups, u.Key)
	}
	u.Line = b.d.units[i].Line
	b.d.units[i] = u
	return i
}

// escapeLiteral gives the escaped unit key of a top-level key that equals a
// nested path. It fails, with a ParseError, only when the file also has a
// top-level key spelled like that escaped key.
func (b *builder) escapeLiteral(key string, line, other int) (string, bool) {
	esc := escapeSegment(key)
	if _, taken := b.byKey[esc]; taken {
		if b.err == nil {
			b.err = &format.ParseError{File: b.name, Line: line, Key: key,
				Msg: fmt.Sprintf("a top-level key, a nested path (lines %d and %d) and the top-level key %q cannot get distinct unit keys", other, line, esc)}
		}
		return "", false
	}
	b.escaped[key] = esc
	return esc, true
}

func (b *builder) addGroup(obj *value, g *pluralGroup, path []seg) int {
	forms := format.Forms{}
	for k, mi := range g.members {
		forms[g.cats[k]] = obj.members[mi].val.text
	}
	first := obj.members[g.members[0]]
	return b.add(format.Unit{Key: unitKey(path), Text: forms["other"], Plural: forms, Line: first.val.line}, isLiteral(path))
}

// findGroups finds the i18next plural groups of an object: string members
// stem_<category> sharing a stem, one of them stem_other. A category seen
// twice (a duplicate key) makes the stem an ordinary key.
func (b *builder) findGroups(obj *value) map[int]*pluralGroup {
	byStem := map[string]*pluralGroup{}
	var order []*pluralGroup
	for i, m := range obj.members {
		stem, cat, ok := splitPluralKey(m.key)
		if !ok || m.val.kind != kindString {
			continue
		}
		g := byStem[stem]
		if g == nil {
			g = &pluralGroup{stem: stem}
			byStem[stem] = g
			order = append(order, g)
		}
		g.members = append(g.members, i)
		g.cats = append(g.cats, cat)
	}
	plain := map[string]bool{}
	for _, m := range obj.members {
		plain[m.key] = true
	}
	out := map[int]*pluralGroup{}
	for _, g := range order {
		if !hasOther(g.cats) || hasRepeat(g.cats) {
			continue
		}
		g.key = g.stem
		if plain[g.stem] {
			g.key = g.stem + "_other"
		}
		for _, mi := range g.members {
			out[mi] = g
		}
	}
	if len(out) > 0 {
		if b.d.groups == nil {
			b.d.groups = map[*value]map[int]*pluralGroup{}
		}
		b.d.groups[obj] = out
	}
	return out
}

func splitPluralKey(key string) (stem, cat string, ok bool) {
	i := strings.LastIndexByte(key, '_')
	if i <= 0 {
		return "", "", false
	}
	for _, c := range plural.Order {
		if key[i+1:] == c {
			return key[:i], c, true
		}
	}
	return "", "", false
}

func hasOther(cats []string) bool {
	for _, c := range cats {
		if c == "other" {
			return true
		}
	}
	return false
}

func hasRepeat(cats []string) bool {
	seen := map[string]bool{}
	for _, c := range cats {
		if seen[c] {
			return true
		}
		seen[c] = true
	}
	return false
}

// groupAt returns the plural group member i of obj belongs to, if any.
func (d *Document) groupAt(obj *value, i int) *pluralGroup {
	return d.groups[obj][i]
}
