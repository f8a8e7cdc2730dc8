package po

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	xplural "golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// TestPluralTable evaluates every embedded gettext formula for n = 0..1000
// and checks that each msgstr index is labelled with the CLDR category most
// of its numbers have in that language, and that the formula's results
// stay within nplurals.
func TestPluralTable(t *testing.T) {
	names := map[xplural.Form]string{xplural.Zero: "zero", xplural.One: "one", xplural.Two: "two",
		xplural.Few: "few", xplural.Many: "many", xplural.Other: "other"}
	for lang, r := range rules {
		tag := language.MustParse(strings.ReplaceAll(lang, "_", "-"))
		votes := make([]map[string]int, len(r.cats))
		for i := range votes {
			votes[i] = map[string]int{}
		}
		for n := 0; n <= 1000; n++ {
			idx, err := evalPlural(r.expr, n)
			if err != nil {
				t.Fatalf("%s: %v", lang, err)
			}
			if idx < 0 || idx >= len(r.cats) {
				t.Fatalf("%s: n=%d gives index %d of %d", lang, n, idx, len(r.cats))
			}
			votes[idx][names[xplural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]]++
		}
		for i, v := range votes {
			best := ""
			for c, k := range v {
				if best == "" || k > v[best] || k == v[best] && c < best {
					best = c
				}
			}
			if best != r.cats[i] {
				t.Errorf("%s: msgstr[%d] holds mostly CLDR %q numbers (%v), table says %q", lang, i, best, v, r.cats[i])
			}
		}
	}
}

func TestHeaderRule(t *testing.T) {
	cases := []struct {
		value, lang string
		want        []string
	}{
		{"nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;", "ru", []string{"one", "few", "many"}},
		{"nplurals=2; plural=n != 1;", "de", []string{"one", "other"}},
		{"nplurals=1; plural=0;", "ja", []string{"other"}},
		{"nplurals=2; plural=(n > 1);", "", []string{"one", "other"}},
		{"nplurals=2; plural=(n != 1);", "uk", []string{"one", "other"}},
	}
	for _, c := range cases {
		r, ok := headerRule(c.value, c.lang)
		if !ok || strings.Join(r.cats, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q (%s): %v %v, want %v", c.value, c.lang, r.cats, ok, c.want)
		}
	}
	if _, ok := headerRule("nplurals=INTEGER; plural=EXPRESSION;", "en"); ok {
		t.Error("the template's placeholder Plural-Forms must not parse")
	}
}

// evalPlural evaluates a gettext plural expression (C syntax) for n.
func evalPlural(expr string, n int) (int, error) {
	e := &evaluator{toks: tokenize(expr), n: n}
	v := e.ternary()
	if e.err == nil && e.pos != len(e.toks) {
		e.err = fmt.Errorf("trailing %q in %q", e.toks[e.pos], expr)
	}
	return v, e.err
}

func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ':
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks, i = append(toks, s[i:j]), j
		case i+1 < len(s) && strings.Contains("== != <= >= && ||", s[i:i+2]) && s[i+1] != ' ':
			toks, i = append(toks, s[i:i+2]), i+2
		default:
			toks, i = append(toks, s[i:i+1]), i+1
		}
	}
	return toks
}

type evaluator struct {
	toks []string
	pos  int
	n    int
	err  error
}

func (e *evaluator) peek() string {
	if e.pos < len(e.toks) {
		return e.toks[e.pos]
	}
	return ""
}

func (e *evaluator) ternary() int {
	c := e.binary(0)
	if e.peek() != "?" {
		return c
	}
	e.pos++
	a := e.ternary()
	if e.peek() != ":" {
		e.err = fmt.Errorf("missing ':'")
		return 0
	}
	e.pos++
	b := e.ternary()
	if c != 0 {
		return a
	}
	return b
}

var precedence = [][]string{{"||"}, {"&&"}, {"==", "!="}, {"<", ">", "<=", ">="}, {"+", "-"}, {"*", "/", "%"}}

func (e *evaluator) binary(level int) int {
	if level == len(precedence) {
		return e.unary()
	}
	v := e.binary(level + 1)
	for {
		op := e.peek()
		found := false
		for _, o := range precedence[level] {
			found = found || o == op
		}
		if !found {
			return v
		}
		e.pos++
		v = apply(op, v, e.binary(level+1))
	}
}

func apply(op string, a, b int) int {
	bool2int := func(x bool) int {
		if x {
			return 1
		}
		return 0
	}
	switch op {
	case "||":
		return bool2int(a != 0 || b != 0)
	case "&&":
		return bool2int(a != 0 && b != 0)
	case "==":
		return bool2int(a == b)
	case "!=":
		return bool2int(a != b)
	case "<":
		return bool2int(a < b)
	case ">":
		return bool2int(a > b)
	case "<=":
		return bool2int(a <= b)
	case ">=":
		return bool2int(a >= b)
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	}
	return a % b
}

func (e *evaluator) unary() int {
	switch t := e.peek(); {
	case t == "!":
		e.pos++
		if e.unary() == 0 {
			return 1
		}
		return 0
	case t == "(":
		e.pos++
		v := e.ternary()
		if e.peek() != ")" {
			e.err = fmt.Errorf("missing ')'")
		}
		e.pos++
		return v
	case t == "n":
		e.pos++
		return e.n
	default:
		v, err := strconv.Atoi(t)
		if err != nil && e.err == nil {
			e.err = fmt.Errorf("unexpected %q", t)
		}
		e.pos++
		return v
	}
}
