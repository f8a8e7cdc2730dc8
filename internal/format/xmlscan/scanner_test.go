package xmlscan

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpus = "../../../../shared/corpus"

// corpusFiles lists the XML files of the corpus directories named.
func corpusFiles(t testing.TB, dirs ...string) []string {
	t.Helper()
	var files []string
	for _, d := range dirs {
		err := filepath.WalkDir(filepath.Join(corpus, d), func(p string, de os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !de.IsDir() && (strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".xlf") || strings.HasSuffix(p, ".resx") || strings.HasSuffix(p, ".stringsdict")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walking corpus: %v", err)
		}
	}
	if len(files) == 0 {
		t.Fatalf("no corpus files under %v", dirs)
	}
	return files
}

var corpusDirs = []string{"xliff-1.2", "xliff-2.0", "resx", "android-strings", "apple-strings"}

// TestTokensCoverInput checks that the tokens of every corpus file tile it
// exactly: concatenating their spans gives back the file.
func TestTokensCoverInput(t *testing.T) {
	for _, f := range corpusFiles(t, corpusDirs...) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(src, Options{Name: f, AllowExternalDTD: strings.HasSuffix(f, ".stringsdict")})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var b bytes.Buffer
		if doc.BOM {
			b.Write(bom)
		}
		for _, tok := range doc.Tokens {
			if tok.Span.Start != b.Len() {
				t.Fatalf("%s: token %v starts at %d, previous ended at %d", f, tok.Kind, tok.Span.Start, b.Len())
			}
			b.Write(src[tok.Span.Start:tok.Span.End])
		}
		if !bytes.Equal(b.Bytes(), src) {
			t.Errorf("%s: tokens do not reproduce the file", f)
		}
		if doc.Root == nil {
			t.Errorf("%s: no root", f)
		}
	}
}

func TestTokens(t *testing.T) {
	src := "<?xml version='1.0' encoding=\"UTF-8\"?>\n<!DOCTYPE r>\n<r a:b = 'x&amp;y' c=\"&#x41;\">t&lt;<![CDATA[<b>]]><!-- c --><?pi x?><e/></r>\n"
	sc := NewScanner([]byte(src), Options{})
	var kinds []string
	var toks []Token
	for {
		tok, err := sc.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, tok.Kind.String())
		toks = append(toks, tok)
	}
	want := "declaration,text,doctype,text,start tag,text,CDATA,comment,processing instruction,empty-element tag,end tag,text"
	if got := strings.Join(kinds, ","); got != want {
		t.Fatalf("kinds\n got %s\nwant %s", got, want)
	}
	decl := toks[0]
	if decl.Attrs[0].Quote != '\'' || decl.Attrs[1].Value != "UTF-8" {
		t.Errorf("declaration attrs = %+v", decl.Attrs)
	}
	r := toks[4]
	if r.Name != "r" || len(r.Attrs) != 2 {
		t.Fatalf("start tag = %+v", r)
	}
	a := r.Attrs[0]
	if a.Name != "a:b" || a.Value != "x&y" || a.Quote != '\'' || src[a.Span.Start:a.Span.End] != "a:b = 'x&amp;y'" || src[a.ValueSpan.Start:a.ValueSpan.End] != "x&amp;y" {
		t.Errorf("attr = %+v", a)
	}
	if r.Attrs[1].Value != "A" {
		t.Errorf("char ref attr = %q", r.Attrs[1].Value)
	}
	doc, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	inner, markup, err := doc.InnerXML(doc.Root)
	if err != nil {
		t.Fatal(err)
	}
	if inner != "t<<b><!-- c --><?pi x?><e/>" || strings.Join(markup, "|") != "<!-- c -->|<?pi x?>|<e/>" {
		t.Errorf("InnerXML = %q, %q", inner, markup)
	}
	if _, err := doc.Text(doc.Root); err == nil {
		t.Error("Text of mixed content: want an error")
	}
	if doc.Root.Child("e") == nil || !doc.Root.Child("e").Empty {
		t.Error("child e not found as self-closing")
	}
}
