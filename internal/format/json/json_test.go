package json

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
)

func parse(t testing.TB, src string, settings format.Settings) *Document {
	t.Helper()
	doc, err := Format{}.Parse([]byte(src), format.ParseOptions{Name: "test.json", Settings: settings})
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return doc.(*Document)
}

func write(t testing.TB, d format.Document, tgt format.Target, out func(u *format.Unit) format.Output) string {
	t.Helper()
	var b bytes.Buffer
	if err := d.Write(&b, tgt, out); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.String()
}

func sourceOut(u *format.Unit) format.Output {
	return format.Output{Text: u.Text, Plural: u.Plural, Source: true}
}

func keys(d format.Document) []string {
	var ks []string
	for _, u := range d.Units() {
		ks = append(ks, u.Key)
	}
	return ks
}

func TestUnitKeys(t *testing.T) {
	tests := []struct {
		src  string
		want []string // key=text
	}{
		{`{"a": "x", "b": {"c": "y", "d": {"e": "z"}}}`, []string{"a=x", "b.c=y", "b.d.e=z"}},
		{`{"components.Discover.title": "Discover", "x.y": "z"}`, []string{"components.Discover.title=Discover", "x.y=z"}},
		{`{"a.b": {"c": "1"}, "a": {"b.c": "2", "b": {"c": "3"}}}`, []string{`a\.b.c=1`, `a.b\.c=2`, `a.b.c=3`}},
		{`{"days": ["Mon", "Tue"], "m": [{"t": "x"}, 5, ["y"]]}`, []string{"days[0]=Mon", "days[1]=Tue", "m[0].t=x", "m[2][0]=y"}},
		{`{"k[0]": {"a\\b": "v"}}`, []string{`k\[0].a\\b=v`}},
		{`["a", "b"]`, []string{"[0]=a", "[1]=b"}},
		{`{"n": 1, "b": true, "z": null, "e": {}, "ea": [], "s": ""}`, []string{"s="}},
		{`{"esc": "a\"b\\c\/d\n\u00e9\ud83d\ude00"}`, []string{"esc=a\"b\\c/d\né😀"}},
		{`{"dup": "first", "x": "y", "dup": "last"}`, []string{"dup=last", "x=y"}},
		{`"top"`, nil},
	}
	for _, tt := range tests {
		d := parse(t, tt.src, nil)
		var got []string
		for _, u := range d.Units() {
			got = append(got, u.Key+"="+u.Text)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: units %q, want %q", tt.src, got, tt.want)
		}
		if out := write(t, d, format.Target{}, sourceOut); out != tt.src {
			t.Errorf("%s: round trip gave %s", tt.src, out)
		}
	}
}

func TestUnitLines(t *testing.T) {
	d := parse(t, "{\r\n  \"a\": \"x\",\r\n\r\n  \"b\": {\n    \"c\": \"y\"}}", nil)
	var lines []int
	for _, u := range d.Units() {
		lines = append(lines, u.Line)
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 5 {
		t.Errorf("lines = %v, want [2 5]", lines)
	}
}

func TestRoundTripLayouts(t *testing.T) {
	srcs := []string{
		"\uFEFF{\r\n\t\"a\": \"x\",\r\n\t\"b\": 1.5e-3\r\n}\r\n",
		"{\"a\":\"x\",\"b\":[1,2,{\"c\":\"d\"}]}",
		"  {  \"a\"  :  \"x\"  ,  \"b\"  :  \"y\"  }  \n\n",
		"{}",
		"[]",
		"{\n}\n",
	}
	for _, src := range srcs {
		d := parse(t, src, nil)
		if out := write(t, d, format.Target{}, sourceOut); out != src {
			t.Errorf("round trip of %q gave %q", src, out)
		}
		// Text equal to the source but Source false must also keep bytes.
		same := func(u *format.Unit) format.Output { return format.Output{Text: u.Text} }
		if out := write(t, d, format.Target{}, same); out != src {
			t.Errorf("unchanged texts of %q gave %q", src, out)
		}
	}
}

func TestEscapingStyle(t *testing.T) {
	tests := []struct {
		src, text, want string
	}{
		// Minimal escaping by default.
		{`{"a": "x"}`, "é/<b>\"q\"\n\t\x01", `{"a": "é/<b>\"q\"\n\t\u0001"}`},
		// Non-ASCII escaped like the source, with its hex case.
		{`{"a": "\u00E9t\u00E9"}`, "ß😀", `{"a": "\u00DF\uD83D\uDE00"}`},
		{`{"a": "\u00e9", "b": "x"}`, "ü", `{"a": "\u00fc", "b": "x"}`},
		// More literal than escaped non-ASCII: literal.
		{`{"a": "\u00e9", "b": "äöü"}`, "ß", `{"a": "ß", "b": "äöü"}`},
		// Escaped slashes and HTML characters are mimicked.
		{`{"a": "a\/b"}`, "c/d", `{"a": "c\/d"}`},
		{`{"a": "\u003cb\u003e"}`, "<i>&", `{"a": "\u003ci\u003e\u0026"}`},
	}
	for _, tt := range tests {
		d := parse(t, tt.src, nil)
		first := true
		out := write(t, d, format.Target{}, func(u *format.Unit) format.Output {
			if first {
				first = false
				return format.Output{Text: tt.text}
			}
			return sourceOut(u)
		})
		if out != tt.want {
			t.Errorf("%s with %q:\n got %s\nwant %s", tt.src, tt.text, out, tt.want)
		}
		re := parse(t, out, nil)
		if got := re.Units()[0].Text; got != tt.text {
			t.Errorf("%s: re-parsed text %q, want %q", tt.src, got, tt.text)
		}
	}
}

func TestOmit(t *testing.T) {
	src := "{\n  \"a\": \"1\",\n  \"b\": \"2\",\n  \"n\": {\n    \"c\": \"3\",\n    \"d\": \"4\"\n  },\n  \"arr\": [\"5\", \"6\"],\n  \"z\": \"7\"\n}\n"
	tests := []struct {
		omit []string
		want string
	}{
		{[]string{"a"}, "{\n  \"b\": \"2\",\n  \"n\": {\n    \"c\": \"3\",\n    \"d\": \"4\"\n  },\n  \"arr\": [\"5\", \"6\"],\n  \"z\": \"7\"\n}\n"},
		{[]string{"z"}, "{\n  \"a\": \"1\",\n  \"b\": \"2\",\n  \"n\": {\n    \"c\": \"3\",\n    \"d\": \"4\"\n  },\n  \"arr\": [\"5\", \"6\"]\n}\n"},
		{[]string{"n.c", "n.d"}, "{\n  \"a\": \"1\",\n  \"b\": \"2\",\n  \"n\": {\n  },\n  \"arr\": [\"5\", \"6\"],\n  \"z\": \"7\"\n}\n"},
		{[]string{"n.d", "b"}, "{\n  \"a\": \"1\",\n  \"n\": {\n    \"c\": \"3\"\n  },\n  \"arr\": [\"5\", \"6\"],\n  \"z\": \"7\"\n}\n"},
		// Array elements are kept with their source text.
		{[]string{"arr[0]"}, src},
		{[]string{"a", "b", "n.c", "n.d", "z"}, "{\n  \"n\": {\n  },\n  \"arr\": [\"5\", \"6\"]\n}\n"},
	}
	for _, tt := range tests {
		d := parse(t, src, nil)
		out := write(t, d, format.Target{}, func(u *format.Unit) format.Output {
			for _, k := range tt.omit {
				if k == u.Key {
					return format.Output{Omit: true}
				}
			}
			return sourceOut(u)
		})
		if out != tt.want {
			t.Errorf("omit %v:\n got %q\nwant %q", tt.omit, out, tt.want)
		}
		if _, err := (Format{}).Parse([]byte(out), format.ParseOptions{}); err != nil {
			t.Errorf("omit %v: output does not parse: %v", tt.omit, err)
		}
	}
}

func TestDuplicateKeysWriteEveryOccurrence(t *testing.T) {
	d := parse(t, `{"k": "a", "k": "b"}`, nil)
	if len(d.Units()) != 1 {
		t.Fatalf("units = %v", keys(d))
	}
	out := write(t, d, format.Target{}, func(u *format.Unit) format.Output { return format.Output{Text: "T"} })
	if out != `{"k": "T", "k": "T"}` {
		t.Errorf("got %s", out)
	}
}

func TestUnixNewline(t *testing.T) {
	src := "{\r\n  \"a\": \"x\\r\\n\",\r\n  \"b\": 1\r\n}\r\n"
	d := parse(t, src, format.Settings{"unixNewline": true})
	out := write(t, d, format.Target{}, sourceOut)
	if want := "{\n  \"a\": \"x\\r\\n\",\n  \"b\": 1\n}\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestTranslationEmptyIsUntranslated(t *testing.T) {
	doc, err := Format{}.Parse([]byte(`{"a": "", "b": "x"}`), format.ParseOptions{Translation: true})
	if err != nil {
		t.Fatal(err)
	}
	us := doc.Units()
	if !us[0].HasStatus || us[0].Status != format.Untranslated || us[1].HasStatus {
		t.Errorf("units = %+v", us)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src        string
		line, col  int
		key, inMsg string
	}{
		{"{\n  \"a\": \"x\",\n  \"b\": {\n    \"c\": tru\n  }\n}", 4, 10, "b.c", "want a value"},
		{`{"a": "x" "b": "y"}`, 1, 11, "", "want ','"},
		{`{"a": "x",}`, 1, 11, "", "want a key"},
		{`{"a" "x"}`, 1, 6, "a", "want ':'"},
		{`{"a": "unterminated}`, 1, 7, "a", "unterminated string"},
		{"{\"a\": \"tab\there\"}", 1, 11, "a", "control character"},
		{`{"a": "\x"}`, 1, 8, "a", "invalid escape"},
		{`{"a": "\u12G4"}`, 1, 8, "a", "invalid \\u escape"},
		{`{"a": 01}`, 1, 8, "", "want ','"},
		{`{"a": -}`, 1, 8, "a", "invalid number"},
		{`{"a": 1.}`, 1, 9, "a", "no digits after"},
		{`{"a": [1, 2}`, 1, 12, "a", "want ',' or ']'"},
		{`{"a.b": {"c": ["x", nul]}}`, 1, 21, `a\.b.c[1]`, "want a value"},
		{`{"a": "x"} x`, 1, 12, "", "after the top-level value"},
		{"", 1, 1, "", "end of file"},
		{"{\"é\": \"x\xff\"}", 1, 9, "é", "invalid UTF-8"},
	}
	for _, tt := range tests {
		_, err := Format{}.Parse([]byte(tt.src), format.ParseOptions{Name: "f.json"})
		pe, ok := format.AsParseError(err)
		if !ok {
			t.Errorf("%q: error %v is not a ParseError", tt.src, err)
			continue
		}
		if pe.Line != tt.line || pe.Column != tt.col || pe.Key != tt.key || !strings.Contains(pe.Msg, tt.inMsg) || pe.File != "f.json" {
			t.Errorf("%q: got %d:%d key %q %q, want %d:%d key %q ~%q", tt.src, pe.Line, pe.Column, pe.Key, pe.Msg, tt.line, tt.col, tt.key, tt.inMsg)
		}
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	_, err := Format{}.Parse([]byte(deep), format.ParseOptions{})
	if pe, ok := format.AsParseError(err); !ok || !strings.Contains(pe.Msg, "nesting") {
		t.Errorf("deep nesting: %v", err)
	}
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := (Format{}).Parse([]byte(ok), format.ParseOptions{}); err != nil {
		t.Errorf("nesting of %d refused: %v", MaxDepth, err)
	}
	big := make([]byte, MaxSize+1)
	_, err = Format{}.Parse(big, format.ParseOptions{})
	var pe *format.ParseError
	if !errors.As(err, &pe) {
		t.Errorf("oversized file: %v", err)
	}
}

func TestRegistered(t *testing.T) {
	f, ok := format.Lookup("JSON")
	if !ok || f.Name() != "json" {
		t.Fatalf("json not registered")
	}
	s, err := format.Resolve(f, map[string]any{"plurals": "i18next"})
	if err != nil || s.String("plurals") != "i18next" || s.String("untranslated") != "source" {
		t.Errorf("Resolve: %v %v", s, err)
	}
	if _, err := format.Resolve(f, map[string]any{"plurals": "rails"}); err == nil {
		t.Error("plurals=rails accepted")
	}
}

// corpusDir finds the shared corpus from the package directory.
func corpusDir(t testing.TB) string {
	for _, d := range []string{"../../../../shared/corpus", "/work/shared/corpus"} {
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	t.Skip("corpus not found")
	return ""
}

func corpusFiles(t testing.TB) []string {
	dir := corpusDir(t)
	var files []string
	for _, sub := range []string{"json-nested", "json-flat-icu"} {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(p, ".json") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) != 8 {
		t.Fatalf("found %d corpus files, want 8", len(files))
	}
	return files
}
