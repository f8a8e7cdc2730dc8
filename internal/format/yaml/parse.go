package yaml

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// document is a parsed Rails locale file.
type document struct {
	src   []byte
	lines *lines
	nl    string // the file's line break, for block scalars written anew
	units []unit
	// root is the locale key's span; its end is 0 when the file is empty.
	root    scalar
	entries []*entry // the entries below the root, for omission
	unixNL  bool
	dups    []string // keys defined more than once
}

// Duplicates lists the keys defined more than once, for the import report.
func (d *document) Duplicates() []string { return d.dups }

// unit is one translatable value or plural hash, with where it sits.
type unit struct {
	format.Unit
	value scalar // a plain unit's value
	// shadowed is set when the key is defined again later in the file;
	// Ruby's YAML reader keeps the later value, so the earlier one is kept
	// as it is and not offered.
	shadowed bool
	forms    []form // a plural unit's entries, in file order
	// region spans a plural unit's entries, from the first key's line to
	// the end of the last value's line.
	region [2]int
}

// form is one entry of a plural hash.
type form struct {
	category string
	indent   string // bytes before the key on its line
	prefix   string // the key, colon and spacing before the value
	value    scalar
}

// entry is one key of a block mapping: a unit, a nested mapping or a value
// that is not offered. Entries let Write leave out whole lines.
type entry struct {
	start, end int // from the key's line start to past the value's last line
	unit       int // index in units, or -1
	children   []*entry
}

// parser carries the state of one Parse.
type parser struct {
	doc         *document
	name        string
	keys        map[string]int // unit index by key
	translation bool
}

func parse(src []byte, opts format.ParseOptions) (*document, error) {
	p := &parser{
		doc:         &document{src: src, lines: newLines(src), nl: newline(src), unixNL: opts.Settings.Bool("unixNewline")},
		name:        opts.Name,
		keys:        map[string]int{},
		translation: opts.Translation,
	}
	root, err := p.decode()
	if err != nil {
		return nil, err
	}
	if root == nil {
		return p.doc, nil
	}
	if err := p.locale(root); err != nil {
		return nil, err
	}
	p.dropShadowed()
	return p.doc, nil
}

func newline(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// decode parses src with yaml/v3 and returns the root mapping, or nil for a
// file with no content.
func (p *parser) decode() (*yamlv3.Node, error) {
	dec := yamlv3.NewDecoder(bytes.NewReader(p.doc.src))
	var doc yamlv3.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, p.syntaxError(err)
	}
	var extra yamlv3.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, p.syntaxError(err)
		}
		return nil, p.errorAt(extra.Line, extra.Column, "a locale file holds one YAML document, found another")
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

func (p *parser) errorAt(line, col int, msg string) *format.ParseError {
	return &format.ParseError{File: p.name, Line: line, Column: col, Msg: msg}
}

// locale checks the root is "locale: mapping" and walks the mapping.
func (p *parser) locale(root *yamlv3.Node) error {
	if root.Kind != yamlv3.MappingNode || len(root.Content) != 2 {
		return p.errorAt(root.Line, root.Column, "a Rails locale file must be a mapping with one key, the locale")
	}
	k, v := root.Content[0], root.Content[1]
	if k.Kind != yamlv3.ScalarNode {
		return p.errorAt(k.Line, k.Column, "the locale key must be a scalar")
	}
	s, err := p.locateKey(k)
	if err != nil {
		return err
	}
	p.doc.root = s
	switch {
	case v.Kind == yamlv3.MappingNode:
		p.doc.entries, err = p.mapping(v, "")
		return err
	case v.Kind == yamlv3.ScalarNode && v.ShortTag() == "!!null":
		return nil
	}
	return p.errorAt(v.Line, v.Column, "the locale key must hold a mapping of translations")
}

// mapping walks a block mapping, returning its entries. Flow mappings are
// kept as they are: nothing inside them is offered, except from a
// translation being imported (see flowUnits).
func (p *parser) mapping(m *yamlv3.Node, prefix string) ([]*entry, error) {
	if m.Style&yamlv3.FlowStyle != 0 {
		if p.translation {
			p.flowPairs(m, prefix)
		}
		return nil, nil
	}
	var entries []*entry
	for i := 0; i+1 < len(m.Content); i += 2 {
		e, err := p.pair(m.Content[i], m.Content[i+1], prefix)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// pair makes the entry of one key: value, a unit when the value is offered.
func (p *parser) pair(k, v *yamlv3.Node, prefix string) (*entry, error) {
	e := &entry{unit: -1, start: p.doc.lines.offset(k.Line, 1)}
	if k.Kind != yamlv3.ScalarNode || k.Style&yamlv3.TaggedStyle != 0 || k.Anchor != "" {
		return e, nil
	}
	key := prefix + escapeKey(k.Value)
	var err error
	switch {
	case offered(v):
		err = p.single(e, k, v, key)
	case isPlural(v):
		err = p.plural(e, k, v, key)
	case p.translation && v.Style&yamlv3.FlowStyle != 0:
		p.flowValue(v, key)
	case v.Kind == yamlv3.MappingNode && v.Anchor == "":
		e.children, err = p.mapping(v, key+".")
		if n := len(e.children); n > 0 {
			e.end = e.children[n-1].end
		}
	}
	return e, err
}

func (p *parser) single(e *entry, k, v *yamlv3.Node, key string) error {
	s, err := p.locate(v, k.Column-1)
	if err != nil {
		return err
	}
	p.addKey(key)
	e.unit = len(p.doc.units)
	e.end = p.doc.lines.spanLineEnd(s.end)
	p.doc.units = append(p.doc.units, unit{
		Unit:  format.Unit{Key: key, Text: v.Value, Notes: notes(k), Line: k.Line},
		value: s,
	})
	return nil
}

func (p *parser) plural(e *entry, k, v *yamlv3.Node, key string) error {
	u := unit{Unit: format.Unit{Key: key, Plural: format.Forms{}, Notes: notes(k), Line: k.Line}}
	for i := 0; i+1 < len(v.Content); i += 2 {
		ck, cv := v.Content[i], v.Content[i+1]
		s, err := p.locate(cv, ck.Column-1)
		if err != nil {
			return err
		}
		keyAt := p.doc.lines.offset(ck.Line, ck.Column)
		lineAt := p.doc.lines.lineStart(keyAt)
		if i == 0 {
			u.region[0] = lineAt
		}
		u.region[1] = p.doc.lines.spanLineEnd(s.end)
		u.forms = append(u.forms, form{
			category: ck.Value,
			indent:   string(p.doc.src[lineAt:keyAt]),
			prefix:   string(p.doc.src[keyAt:s.start]),
			value:    s,
		})
		u.Plural[ck.Value] = cv.Value
	}
	p.addKey(key)
	u.Text = u.Plural["other"]
	e.unit = len(p.doc.units)
	e.end = u.region[1]
	p.doc.units = append(p.doc.units, u)
	return nil
}

// flowPairs reads the strings of a flow mapping ({hello: Привет}) in a
// translation being imported: whoever translated the file chose another
// style, and the strings are translations all the same. Their units have no
// entry, so a document written from such a file leaves the mapping as is.
func (p *parser) flowPairs(m *yamlv3.Node, prefix string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yamlv3.ScalarNode || k.Style&yamlv3.TaggedStyle != 0 || k.Anchor != "" {
			continue
		}
		p.flowValue(v, prefix+escapeKey(k.Value))
	}
}

// flowValue reads one value inside a flow mapping of a translation.
func (p *parser) flowValue(v *yamlv3.Node, key string) {
	switch {
	case offered(v):
		p.addKey(key)
		p.doc.units = append(p.doc.units, unit{Unit: format.Unit{Key: key, Text: v.Value, Line: v.Line}})
	case pluralShape(v):
		u := unit{Unit: format.Unit{Key: key, Plural: format.Forms{}, Line: v.Line}}
		for j := 0; j+1 < len(v.Content); j += 2 {
			u.Plural[v.Content[j].Value] = v.Content[j+1].Value
		}
		u.Text = u.Plural["other"]
		p.addKey(key)
		p.doc.units = append(p.doc.units, u)
	case v.Kind == yamlv3.MappingNode && v.Anchor == "":
		p.flowPairs(v, key+".")
	}
}

// addKey records the unit about to be added under key, shadowing an
// earlier unit with the same key.
func (p *parser) addKey(key string) {
	if prev, dup := p.keys[key]; dup {
		p.doc.units[prev].shadowed = true
		if !slices.Contains(p.doc.dups, key) {
			p.doc.dups = append(p.doc.dups, key)
		}
	}
	p.keys[key] = len(p.doc.units)
}

// dropShadowed removes shadowed units; their entries stay as plain bytes.
func (p *parser) dropShadowed() {
	index := make([]int, len(p.doc.units))
	var kept []unit
	for i, u := range p.doc.units {
		index[i] = -1
		if !u.shadowed {
			index[i] = len(kept)
			kept = append(kept, u)
		}
	}
	if len(kept) == len(p.doc.units) {
		return
	}
	p.doc.units = kept
	var renumber func(entries []*entry)
	renumber = func(entries []*entry) {
		for _, e := range entries {
			if e.unit >= 0 {
				e.unit = index[e.unit]
			}
			renumber(e.children)
		}
	}
	renumber(p.doc.entries)
}

// offered reports whether a value is a string a translator should see. A
// string tag ("! 'x'", "!!str 3") is kept in front of the value.
func offered(v *yamlv3.Node) bool {
	return v.Kind == yamlv3.ScalarNode && v.ShortTag() == "!!str" && v.Anchor == "" &&
		!(v.Style == 0 && strings.HasPrefix(v.Value, ":"))
}

// isPlural reports a Rails plural hash: a block mapping whose keys are all
// CLDR categories, "other" among them, and whose values are all strings.
func isPlural(v *yamlv3.Node) bool {
	return v.Style&yamlv3.FlowStyle == 0 && pluralShape(v)
}

// pluralShape reports a mapping of CLDR categories to strings, in either
// style.
func pluralShape(v *yamlv3.Node) bool {
	if v.Kind != yamlv3.MappingNode || v.Anchor != "" || len(v.Content) == 0 {
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yamlv3.ScalarNode || !slices.Contains(plural.Order, k.Value) || seen[k.Value] || !offered(val) {
			return false
		}
		seen[k.Value] = true
	}
	return seen["other"]
}

// notes turns the comment lines above a key into translator notes.
func notes(k *yamlv3.Node) []string {
	if k.HeadComment == "" {
		return nil
	}
	var out []string
	for _, line := range strings.Split(k.HeadComment, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// escapeKey escapes the path separator in one key: "." as "\." and "\" as
// "\\".
func escapeKey(k string) string {
	if !strings.ContainsAny(k, `.\`) {
		return k
	}
	return strings.NewReplacer(`\`, `\\`, `.`, `\.`).Replace(k)
}
