package xmlscan

import (
	"bytes"
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, p := range corpusFiles(f, corpusDirs...) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, tc := range refused {
		f.Add([]byte(tc.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Parse(src, Options{AllowExternalDTD: true})
		if err != nil {
			_ = err.Error()
			return
		}
		var b bytes.Buffer
		if doc.BOM {
			b.Write(bom)
		}
		for _, tok := range doc.Tokens {
			b.Write(src[tok.Span.Start:tok.Span.End])
		}
		if !bytes.Equal(b.Bytes(), src) {
			t.Fatalf("tokens do not tile the input")
		}
		// Re-encoding the root's content must give a document that reads
		// back the same.
		inner, markup, err := doc.InnerXML(doc.Root)
		if err != nil {
			t.Fatalf("InnerXML: %v", err)
		}
		enc := Style{}.EncodeContent(inner, markup, false)
		doc2, err := Parse([]byte("<r>"+enc+"</r>"), Options{})
		if err != nil {
			t.Fatalf("re-encoded content does not parse: %v\n%q", err, enc)
		}
		inner2, _, err := doc2.InnerXML(doc2.Root)
		if err != nil || inner2 != inner {
			t.Fatalf("re-encoded content reads back as %q, want %q (%v)", inner2, inner, err)
		}
	})
}
