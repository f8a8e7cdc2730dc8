package android

import (
	"bytes"
	"os"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

// suffix is added to every text the fuzz target writes: it needs every
// kind of escaping the format has.
const suffix = ` it's "x" <b>]]></b> @ \ ` + "\n"

func FuzzParse(f *testing.F) {
	for _, p := range corpusFiles(f) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(cdataSrc))
	f.Add([]byte(decodingSrc))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse(src, format.ParseOptions{Name: "fuzz"})
		if err != nil {
			if _, ok := format.AsParseError(err); !ok {
				t.Fatalf("error %v is not a ParseError", err)
			}
			return
		}
		var b bytes.Buffer
		if err := d.Write(&b, format.Target{Kind: format.KindSource}, formattest.AllSource); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), src) {
			t.Fatal("round trip differs")
		}
		b.Reset()
		tgt := format.Target{Kind: format.KindTarget, Locale: "ru", Categories: []string{"one", "few", "many", "other"}}
		if err := d.Write(&b, tgt, func(u *format.Unit) format.Output {
			o := format.Output{Text: u.Text + suffix}
			if u.Plural != nil {
				o.Plural = format.Forms{"one": "1 <x>", "few": " few ", "many": "@many", "other": o.Text}
			}
			return o
		}); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b.Bytes(), format.ParseOptions{Name: "fuzz-out"})
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, b.Bytes())
		}
		// Units come back in order; keys may repeat in a broken file.
		orig, units := d.Units(), back.Units()
		if len(units) != len(orig) {
			t.Fatalf("%d units after write, want %d", len(units), len(orig))
		}
		for i, u := range units {
			w := orig[i]
			if u.Key != w.Key {
				t.Fatalf("unit %d is %s, want %s", i, u.Key, w.Key)
			}
			if w.Plural == nil && u.Text != w.Text+suffix {
				t.Fatalf("%s re-read as %q from %q", u.Key, u.Text, w.Text)
			}
		}
	})
}
