package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// jnode is a JSON value that remembers the order of object keys, which
// encoding/json's maps forget.
type jnode struct {
	Kind string // "object", "array", "string" or "other"
	Str  string // the decoded text of a string
	Keys []string
	Kids []*jnode // one per key of an object, or the elements of an array
}

// parseOrdered parses one JSON document keeping key order.
func parseOrdered(data []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return n, nil
}

func parseValue(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("reading JSON at offset %d: %w", dec.InputOffset(), err)
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return parseObject(dec)
		}
		return parseArray(dec)
	case string:
		return &jnode{Kind: "string", Str: v}, nil
	default:
		return &jnode{Kind: "other", Str: fmt.Sprint(v)}, nil
	}
}

func parseObject(dec *json.Decoder) (*jnode, error) {
	n := &jnode{Kind: "object"}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("reading a key: %w", err)
		}
		kid, err := parseValue(dec)
		if err != nil {
			return nil, err
		}
		n.Keys = append(n.Keys, tok.(string))
		n.Kids = append(n.Kids, kid)
	}
	_, err := dec.Token() // '}'
	return n, err
}

func parseArray(dec *json.Decoder) (*jnode, error) {
	n := &jnode{Kind: "array"}
	for dec.More() {
		kid, err := parseValue(dec)
		if err != nil {
			return nil, err
		}
		n.Keys = append(n.Keys, fmt.Sprint(len(n.Kids)))
		n.Kids = append(n.Kids, kid)
	}
	_, err := dec.Token() // ']'
	return n, err
}

// get follows a key path; ok is false when a step is missing.
func (n *jnode) get(path []string) (*jnode, bool) {
	for _, k := range path {
		i := -1
		for j, key := range n.Keys {
			if key == k {
				i = j
			}
		}
		if i < 0 {
			return nil, false
		}
		n = n.Kids[i]
	}
	return n, true
}

// walkPair walks want and got together and reports the first place where
// their shape or key order differs; for every pair of strings it calls leaf
// with the key path.
func walkPair(want, got *jnode, path []string, leaf func(path []string, want, got string)) error {
	where := "/" + strings.Join(path, "/")
	if want.Kind != got.Kind {
		return fmt.Errorf("%s: got a %s, want a %s", where, got.Kind, want.Kind)
	}
	switch want.Kind {
	case "string":
		leaf(path, want.Str, got.Str)
	case "other":
		if want.Str != got.Str {
			return fmt.Errorf("%s: got %s, want %s", where, got.Str, want.Str)
		}
	default:
		if strings.Join(want.Keys, "\x00") != strings.Join(got.Keys, "\x00") {
			return fmt.Errorf("%s: keys %q, want %q in this order", where, got.Keys, want.Keys)
		}
		for i := range want.Kids {
			if err := walkPair(want.Kids[i], got.Kids[i], append(path[:len(path):len(path)], want.Keys[i]), leaf); err != nil {
				return err
			}
		}
	}
	return nil
}

var jsonStringLiteral = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// skeleton blanks every string literal, leaving the layout a renderer must
// keep: indentation, line ends, punctuation and the final newline.
func skeleton(data []byte) string {
	return string(jsonStringLiteral.ReplaceAll(data, []byte(`""`)))
}
