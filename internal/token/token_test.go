package token

import (
	"hash/fnv"
	"math"
	"regexp"
	"strings"
	"testing"
)

func refSignature(fileID, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(fileID))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return h.Sum64()
}

func TestSignatureMatchesFNV1a(t *testing.T) {
	cases := [][2]string{
		{"", ""},
		{"f1", "labels.paste"},
		{"ab", "c"},
		{"a", "bc"},
		{"file-é", "ключ"},
		{"components.Discover", "x\x00y"},
	}
	seen := map[uint64]bool{}
	for _, c := range cases {
		got := Signature(c[0], c[1])
		if want := refSignature(c[0], c[1]); got != want {
			t.Errorf("Signature(%q, %q) = %d, want %d", c[0], c[1], got, want)
		}
		if seen[got] {
			t.Errorf("Signature(%q, %q) collides", c[0], c[1])
		}
		seen[got] = true
	}
}

func TestWrapFormat(t *testing.T) {
	// 5 = 12 in base 3.
	got := Wrap(5, "Hi")
	want := "\u206A\u206A\u206A\u200C\u200D\u206AHi\u206A\u206A"
	if got != want {
		t.Errorf("Wrap(5) = %q, want %q", got, want)
	}
	if got := Wrap(0, "x"); got != "\u206A\u206A\u206A\u200B\u206Ax\u206A\u206A" {
		t.Errorf("Wrap(0) = %q", got)
	}
	if got := Wrap(3, ""); got != "\u206A\u206A\u206A\u200C\u200B\u206A\u206A\u206A" {
		t.Errorf("Wrap(3) = %q", got)
	}
}

var specRE = regexp.MustCompile("\u206A\u206A\u206A([^\u206A]+)\u206A")

func TestWrapDecodeRoundTrip(t *testing.T) {
	sigs := []uint64{0, 1, 2, 3, 8, 9, 12345, math.MaxUint64, math.MaxUint64 - 1, refSignature("f", "k")}
	for _, sig := range sigs {
		for _, text := range []string{"", "Paste", "a\u206Ab", "{{count}} items"} {
			s := "before " + Wrap(sig, text) + " after"
			found := Decode(s)
			if len(found) != 1 {
				t.Fatalf("Decode(Wrap(%d, %q)) found %d tokens", sig, text, len(found))
			}
			f := found[0]
			if f.Signature != sig || f.Start != len("before ") {
				t.Errorf("Decode(Wrap(%d)) = %+v", sig, f)
			}
			if !strings.HasPrefix(s[f.Text:], text+"\u206A\u206A") {
				t.Errorf("Text offset %d wrong for %q", f.Text, s)
			}
			m := specRE.FindStringSubmatchIndex(s)
			if m == nil || m[0] != f.Start || m[1] != f.Text {
				t.Errorf("spec regexp disagrees: %v vs %+v", m, f)
			}
		}
	}
}

func TestDecodeSeveralAndNested(t *testing.T) {
	// The outer close of the first token is directly followed by ",": a
	// plain regexp scan would take "," for digits and miss the token for 13.
	s := Wrap(7, "a"+Wrap(11, "b")) + "," + Wrap(13, "c")
	var got []uint64
	for _, f := range Decode(s) {
		got = append(got, f.Signature)
	}
	want := []uint64{7, 11, 13}
	if len(got) != len(want) {
		t.Fatalf("Decode = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("token %d: %d, want %d", i, got[i], want[i])
		}
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	for _, s := range []string{"", "\u206A\u206A\u206A", "\u206A\u206A\u206Aabc\u206A", "\u206A\u206A\u206A\u206A"} {
		if f := Decode(s); len(f) != 0 {
			t.Errorf("Decode(%q) = %v, want none", s, f)
		}
	}
	// 2^64 in base 3 overflows.
	over := "\u206A\u206A\u206A" + strings.Repeat("\u200D", 41) + "\u206Ax"
	if f := Decode(over); len(f) != 0 {
		t.Errorf("overflow decoded: %v", f)
	}
}

func TestVisibleRoundTrip(t *testing.T) {
	for _, st := range []Style{Percent, Tilde} {
		for _, sig := range []uint64{0, 35, 36, math.MaxUint64, refSignature("f", "k")} {
			text := "100%% {{n}} %s ~x~"
			s := "<b>" + WrapStyle(st, sig, text) + "</b>"
			found := DecodeStyle(st, s)
			if len(found) != 1 || found[0].Signature != sig || found[0].Start != 3 {
				t.Fatalf("style %d sig %d: %+v in %q", st, sig, found, s)
			}
			if !strings.HasPrefix(s[found[0].Text:], text) {
				t.Errorf("style %d: text offset wrong", st)
			}
			for _, r := range WrapStyle(st, sig, "") {
				if r > 0x7e || r < 0x20 || r == '"' || r == '\\' || r == '<' || r == '&' || r == '\'' {
					t.Errorf("style %d token contains %q, which formats escape", st, r)
				}
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Wrap(42, "x"))
	f.Add("\u206A\u206A\u206A\u206A\u200B\u206A")
	f.Fuzz(func(t *testing.T, s string) {
		for _, fd := range Decode(s) {
			if fd.Start < 0 || fd.Text > len(s) || fd.Start >= fd.Text {
				t.Fatalf("bad offsets %+v", fd)
			}
		}
		DecodeStyle(Percent, s)
		DecodeStyle(Tilde, s)
	})
}

func TestStrip(t *testing.T) {
	a, b := Wrap(Signature("f", "a"), "Open"), Wrap(Signature("f", "b"), "Close {{x}}")
	tests := []struct{ in, want string }{
		{a, "Open"},
		{"say " + a + " and " + b + "!", "say Open and Close {{x}}!"},
		{a + b, "OpenClose {{x}}"},
		{"no tokens", "no tokens"},
		{Wrap(0, ""), ""},
	}
	for _, tt := range tests {
		got, had := Strip(tt.in)
		if got != tt.want || had != (tt.in != tt.want || strings.Contains(tt.in, "\u206A")) {
			t.Errorf("Strip(%q) = %q, %v; want %q", tt.in, got, had, tt.want)
		}
	}
	// An opening without a closer loses only the opening.
	open := Wrap(5, "x")
	open = open[:len(open)-len("\u206A\u206A")]
	if got, _ := Strip(open + " tail"); got != "x tail" {
		t.Errorf("unclosed: %q", got)
	}
}

func TestStripDamaged(t *testing.T) {
	full := Wrap(Signature("main", "labels.copy"), "Copy")
	tests := map[string]string{
		"first mark deleted": full[len("\u206A"):],
		"last mark deleted":  full[:len(full)-len("\u206A")],
		"opening deleted":    full[len("\u206A\u206A\u206A"):],
		"emoji kept":         "👩\u200D💻 " + full,
		"thai space kept":    "ภาษา\u200Bไทย " + full,
	}
	want := map[string]string{
		"first mark deleted": "Copy",
		"last mark deleted":  "Copy",
		"opening deleted":    "Copy",
		"emoji kept":         "👩\u200D💻 Copy",
		"thai space kept":    "ภาษา\u200Bไทย Copy",
	}
	for name, in := range tests {
		if got, had := Strip(in); got != want[name] || !had {
			t.Errorf("%s: Strip = %q, %v; want %q", name, got, had, want[name])
		}
	}
}
