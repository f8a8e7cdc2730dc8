package stringsdict

import (
	"bytes"
	"os"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

func FuzzParse(f *testing.F) {
	for _, p := range corpusFiles(f) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(synthetic))
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
			t.Fatal("round trip differs")
		}
		b.Reset()
		tgt := format.Target{Kind: format.KindTarget, Locale: "ru", Categories: []string{"one", "few", "many", "other"}}
		if err := d.Write(&b, tgt, func(u *format.Unit) format.Output {
			o := format.Output{Text: u.Text + "<&>]]>"}
			if u.Plural != nil {
				o.Plural = format.Forms{"one": "1 <x>", "few": "few", "many": "many", "other": o.Text}
			}
			return o
		}); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b.Bytes(), format.ParseOptions{Name: "fuzz-out"})
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, b.Bytes())
		}
		units, orig := back.Units(), d.Units()
		if len(units) != len(orig) {
			t.Fatalf("%d units after write, want %d", len(units), len(orig))
		}
		for i, u := range units {
			want := orig[i].Text + "<&>]]>"
			if orig[i].Plural != nil {
				want = "1 <x>"
				if u.Plural["one"] != want || len(u.Plural) != 4 {
					t.Fatalf("%s re-read with forms %q", u.Key, u.Plural)
				}
				continue
			}
			if u.Key != orig[i].Key || u.Text != want {
				t.Fatalf("unit %d re-read as %q = %q, want %q = %q", i, u.Key, u.Text, orig[i].Key, want)
			}
		}
	})
}
