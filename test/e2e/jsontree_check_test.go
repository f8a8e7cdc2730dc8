package e2e

import (
	"strings"
	"testing"
)

// TestCheckersCatchDefects makes sure the ZIP checkers' building blocks see
// the defects they exist for, so that a passing e2e run means something.
func TestCheckersCatchDefects(t *testing.T) {
	src := []byte("{\n  \"a\": \"A\",\n  \"b\": {\"c\": \"C \\\"q\\\"\", \"n\": 1}\n}\n")
	parse := func(s string) *jnode {
		n, err := parseOrdered([]byte(s))
		if err != nil {
			t.Fatalf("parseOrdered(%q): %v", s, err)
		}
		return n
	}
	want := parse(string(src))
	var leaves []string
	if err := walkPair(want, want, nil, func(path []string, w, g string) {
		leaves = append(leaves, strings.Join(path, ".")+"="+g)
	}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(leaves, ","); got != `a=A,b.c=C "q"` {
		t.Errorf("leaves %s", got)
	}
	for name, bad := range map[string]string{
		"reordered keys": `{"b": {"c": "C", "n": 1}, "a": "A"}`,
		"missing key":    `{"a": "A", "b": {"c": "C"}}`,
		"changed number": `{"a": "A", "b": {"c": "C", "n": 2}}`,
		"string to tree": `{"a": {"x": "A"}, "b": {"c": "C", "n": 1}}`,
	} {
		if err := walkPair(want, parse(bad), nil, func([]string, string, string) {}); err == nil {
			t.Errorf("walkPair missed %s", name)
		}
	}
	if _, err := parseOrdered([]byte(`{"a": "A"} {}`)); err == nil {
		t.Error("parseOrdered accepted trailing data")
	}
	if skeleton(src) != skeleton([]byte("{\n  \"a\": \"Ä\",\n  \"b\": {\"c\": \"\", \"n\": 1}\n}\n")) {
		t.Error("skeleton changed with string contents only")
	}
	if skeleton(src) == skeleton([]byte("{\n    \"a\": \"A\",\n  \"b\": {\"c\": \"C\", \"n\": 1}\n}")) {
		t.Error("skeleton missed a changed indentation and a lost final newline")
	}
	if n, ok := want.get([]string{"b", "c"}); !ok || n.Str != `C "q"` {
		t.Errorf("get b.c = %+v, %v", n, ok)
	}
	if _, ok := want.get([]string{"b", "x"}); ok {
		t.Error("get found a missing key")
	}
	tok := "\u206A\u206A\u206A\u200C\u200B\u200D\u206AHello {{name}}\u206A\u206A"
	if m := invisibleToken.FindStringSubmatch(tok); m == nil || m[1] != "\u200C\u200B\u200D" || m[2] != "Hello {{name}}" {
		t.Errorf("invisibleToken on %+q: %q", tok, m)
	}
	for _, bad := range []string{"Hello", "\u206A\u206A\u206A\u206AHello\u206A\u206A", "\u206A\u206A\u206A\u200C1\u206AHello\u206A\u206A"} {
		if invisibleToken.MatchString(bad) {
			t.Errorf("invisibleToken matched %+q", bad)
		}
	}
}
