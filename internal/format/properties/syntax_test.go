package properties

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

// syntaxCases are the corners of the .properties syntax; Java decides what
// each one means.
var syntaxCases = []struct {
	name, charset, src string
}{
	{"separators", "ISO-8859-1", "a=1\nb:2\nc 3\nd\t=\t4\ne   :  5\nf\ng=\nh = = x\ni::y\n"},
	{"continuations", "ISO-8859-1", "a=one \\\n    two \\\n\tthree\nb=\\\n  x\nc=odd\\\\\nd=\\\\\\\n  cont\n"},
	{"comments", "ISO-8859-1", "# c1\n! c2\n  # indented\na=#not a comment\nb=x \\\n# part of b\n"},
	{"escapes", "ISO-8859-1", "a\\:b=1\nc\\=d=2\n\\#e=3\n\\!f=4\ng\\ h=5\nkey\\ =6\nv=\\ \\ lead\nw=x\\ty\\nz\\\\\nu=\\u00e4\\u20AC\\uD83D\\uDE00\nq=\\q\\\"\n"},
	{"crlf", "ISO-8859-1", "a=1\r\nb=2 \\\r\n  more\r\nc=3\rd=4"},
	{"latin1", "ISO-8859-1", "a=caf\xe9\nb=\xfcber \\u00e4\n"},
	{"utf8", "UTF-8", "\ufeffa=café\nb=Привет \\u00e4\n"},
	{"eof backslash", "ISO-8859-1", "a=1\nb=x\\"},
}

func TestSyntaxMatchesJava(t *testing.T) {
	dir := t.TempDir()
	var args []string
	var want []map[string]string
	for _, c := range syntaxCases {
		doc, err := Format{}.Parse([]byte(c.src), format.ParseOptions{Name: c.name})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := formattest.Write(t, doc, format.Target{Kind: format.KindSource}, formattest.AllSource)
		if d := formattest.FirstDiff([]byte(c.src), got); d != "" {
			t.Errorf("%s: %s", c.name, d)
		}
		path := filepath.Join(dir, c.name+".properties")
		if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, c.charset, path)
		want = append(want, formattest.Texts(doc.Units()))
	}
	got := javaLoad(t, args...)
	for i, c := range syntaxCases {
		compareMaps(t, c.name, want[i], got[i])
	}
}

// tricky are texts whose written form needs escapes.
var tricky = []string{" leading space", "a=b:c#d!e\\f", "tab\tnl\ncr\r", "Ünïcödé €uro 😀", "trailing ", "", "#hash", "'{0}' ''"}

// TestWriteMatchesJava rewrites every entry of each syntax case with tricky
// texts, under each encoding setting, and has Java read them back.
func TestWriteMatchesJava(t *testing.T) {
	dir := t.TempDir()
	var args []string
	var want []map[string]string
	for _, enc := range []string{EncodingAuto, EncodingUTF8, EncodingEscaped} {
		for _, c := range syntaxCases {
			settings := formattest.Settings(t, Format{}, map[string]any{"encoding": enc})
			doc, err := Format{}.Parse([]byte(c.src), format.ParseOptions{Name: c.name, Settings: settings})
			if err != nil {
				t.Fatal(err)
			}
			expect := map[string]string{}
			i := 0
			out := formattest.Write(t, doc, format.Target{Kind: format.KindTarget}, func(u *format.Unit) format.Output {
				s := tricky[i%len(tricky)]
				i++
				expect[u.Key] = s
				return format.Output{Text: s, Status: format.Translated}
			})
			back, err := Format{}.Parse(out, format.ParseOptions{Name: c.name})
			if err != nil {
				t.Fatalf("%s/%s: re-parse: %v\n%s", enc, c.name, err, out)
			}
			compareMaps(t, enc+"/"+c.name, expect, formattest.Texts(back.Units()))
			charset := c.charset
			switch {
			case enc == EncodingUTF8 || enc == EncodingAuto && c.charset == "UTF-8":
				charset = "UTF-8"
			case enc == EncodingEscaped || c.name != "latin1":
				if hasNonASCII(bytes.TrimPrefix(out, []byte("\ufeff"))) {
					t.Errorf("%s/%s: non-ASCII bytes in an escaped file:\n%s", enc, c.name, out)
				}
			}
			path := filepath.Join(dir, enc+"-"+c.name+".properties")
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, charset, path)
			want = append(want, expect)
		}
	}
	got := javaLoad(t, args...)
	for i := range want {
		compareMaps(t, args[2*i+1], want[i], got[i])
	}
}

func TestOmitAndDuplicates(t *testing.T) {
	src := "# head\na=1\nb=2 \\\n  cont\na=3\nc=4\n"
	doc, err := Format{}.Parse([]byte(src), format.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := doc.(*Document).Duplicates(); len(d) != 1 || d[0] != "a" {
		t.Errorf("duplicates %q, want [a]", d)
	}
	if u := doc.Units(); len(u) != 3 || u[0].Text != "3" || u[0].Line != 5 {
		t.Errorf("units %+v: want a=3 (line 5) first of 3", u)
	} else if len(u[0].Notes) != 0 || len(u[1].Notes) != 0 {
		t.Errorf("notes %q %q: the last definition of a has none, b none", u[0].Notes, u[1].Notes)
	}
	noted, _ := Format{}.Parse([]byte("# group\n\n# Shown on the button.\n! Keep short.\nok=OK\n"), format.ParseOptions{})
	if n := noted.Units()[0].Notes; strings.Join(n, "|") != "Shown on the button.|Keep short." {
		t.Errorf("notes %q, want the two comment lines above the entry", n)
	}
	out := formattest.Write(t, doc, format.Target{}, func(u *format.Unit) format.Output {
		switch u.Key {
		case "a":
			return format.Output{Omit: true}
		case "c":
			return format.Output{Text: "x"}
		}
		return formattest.AllSource(u)
	})
	if want := "# head\nb=2 \\\n  cont\nc=x\n"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestUnixNewline(t *testing.T) {
	settings := formattest.Settings(t, Format{}, map[string]any{"unixNewline": true})
	doc, err := Format{}.Parse([]byte("a=1\r\nb=2 \\\r\n  x\rc=3"), format.ParseOptions{Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	out := formattest.Write(t, doc, format.Target{}, func(u *format.Unit) format.Output {
		if u.Key == "c" {
			return format.Output{Text: "new"}
		}
		return formattest.AllSource(u)
	})
	if want := "a=1\nb=2 \\\n  x\nc=new"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range corpusFiles {
		b, err := os.ReadFile(corpusPath(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, c := range syntaxCases {
		f.Add([]byte(c.src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Fuzz(t, Format{}, data)
	})
}
