package applestrings

import (
	"bytes"
	"os"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

// suffix is added to every text the fuzz target writes: it needs every
// kind of escaping the format has.
const suffix = "\"\\\n x\t\u0001é"

func FuzzParse(f *testing.F) {
	for _, p := range corpusFiles(f) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("/* n */\n\"a\" = \"b\\U00e9\";\nbare = x;\n\"k\";"))
	f.Add(utf16Bytes("\"a\" = \"ü\";", false, true))
	f.Add(utf16Bytes("\"a\" = \"ü\";", true, false))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse(src, format.ParseOptions{Name: "fuzz"})
		if err != nil {
			if _, ok := format.AsParseError(err); !ok {
				t.Fatalf("error %v is not a ParseError", err)
			}
			return
		}
		var b bytes.Buffer
		if err := d.Write(&b, format.Target{}, formattest.AllSource); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), src) {
			t.Fatalf("round trip differs")
		}
		b.Reset()
		if err := d.Write(&b, format.Target{}, func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text + suffix}
		}); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b.Bytes(), format.ParseOptions{Name: "fuzz-out"})
		if err != nil {
			t.Fatalf("written file does not parse: %v", err)
		}
		units, orig := back.Units(), d.Units()
		if len(units) != len(orig) {
			t.Fatalf("%d units after write, want %d", len(units), len(orig))
		}
		for i, u := range units {
			if u.Key != orig[i].Key || u.Text != orig[i].Text+suffix {
				t.Fatalf("unit %d re-read as %q = %q, want %q = %q", i, u.Key, u.Text, orig[i].Key, orig[i].Text+suffix)
			}
		}
	})
}
