package xliff

import (
	"bytes"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

func FuzzParse(f *testing.F) {
	for _, set := range corpusSets {
		f.Add(readCorpus(f, set, set.source), false)
		for name := range set.translations {
			f.Add(readCorpus(f, set, name), true)
		}
	}
	f.Add([]byte(doc12), false)
	f.Add([]byte(doc20), true)
	f.Fuzz(func(t *testing.T, src []byte, fromTarget bool) {
		formattest.Fuzz(t, Format{}, src)
		s, _ := format.Resolve(Format{}, map[string]any{SettingSourceFromTarget: fromTarget})
		opts := format.ParseOptions{Name: "f.xlf", Settings: s}
		doc, err := Format{}.Parse(src, opts)
		if err != nil {
			_ = err.Error()
			return
		}
		var b bytes.Buffer
		if err := doc.Write(&b, format.Target{Kind: format.KindSource}, formattest.AllSource); err != nil {
			t.Fatalf("write unchanged: %v", err)
		}
		if !bytes.Equal(b.Bytes(), src) {
			t.Fatalf("unchanged write differs from the input")
		}
		// Translate every unit and read the targets back.
		b.Reset()
		out := func(u *format.Unit) format.Output {
			return format.Output{Text: u.Text + " <&>\"'", Status: format.Translated}
		}
		if err := doc.Write(&b, format.Target{Kind: format.KindTarget, Locale: "de"}, out); err != nil {
			t.Fatalf("write targets: %v", err)
		}
		opts.Translation = true
		back, err := Format{}.Parse(b.Bytes(), opts)
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, b.Bytes())
		}
		units := doc.Units()
		for i, u := range back.Units() {
			if want := units[i].Text + " <&>\"'"; u.Key != units[i].Key || u.Text != want {
				t.Fatalf("unit %d: %q = %q, want %q = %q", i, u.Key, u.Text, units[i].Key, want)
			}
		}
	})
}
