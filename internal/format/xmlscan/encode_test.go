package xmlscan

import (
	"testing"
)

func TestEncodeContent(t *testing.T) {
	tests := []struct {
		name   string
		st     Style
		text   string
		markup []string
		cdata  bool
		want   string
	}{
		{"minimal", Style{}, `a<b & "c" 'd' >`, nil, false, `a&lt;b &amp; "c" 'd' >`},
		{"mirror", Style{EscapeGT: true, EscapeQuot: true, EscapeApos: true}, `<"'>`, nil, false, `&lt;&quot;&apos;&gt;`},
		{"cdata end", Style{}, `a]]>b`, nil, false, `a]]&gt;b`},
		{"markup kept", Style{}, `<g id="1">x<y</g>`, []string{`<g id="1">`, `</g>`}, false, `<g id="1">x&lt;y</g>`},
		{"cdata kept", Style{}, `<a href="x">y</a>`, nil, true, `<![CDATA[<a href="x">y</a>]]>`},
		{"cdata split", Style{}, `a]]>b`, nil, true, `<![CDATA[a]]]]><![CDATA[>b]]>`},
		{"cdata style", Style{CDATA: true}, `x & y`, nil, false, `<![CDATA[x & y]]>`},
		{"cdata style plain", Style{CDATA: true}, `x y`, nil, false, `x y`},
		{"control dropped", Style{}, "a\x01b\r", nil, false, "ab&#13;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.st.EncodeContent(tc.text, tc.markup, tc.cdata)
			if got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
			doc, err := Parse([]byte("<r>"+got+"</r>"), Options{})
			if err != nil {
				t.Fatalf("encoded text does not parse: %v", err)
			}
			back, _, err := doc.InnerXML(doc.Root)
			if err != nil {
				t.Fatal(err)
			}
			if want := stripControls(tc.text); back != want {
				t.Errorf("decodes to %q, want %q", back, want)
			}
		})
	}
}

func stripControls(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x20 || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

func TestEncodeAttr(t *testing.T) {
	v := "a\"b'c<&\td"
	for _, q := range []byte{'"', '\''} {
		enc := EncodeAttr(v, q)
		doc, err := Parse([]byte("<r a="+string(q)+enc+string(q)+"/>"), Options{})
		if err != nil {
			t.Fatalf("quote %c: %v", q, err)
		}
		if got, _ := doc.Root.Attr("a"); got != v {
			t.Errorf("quote %c: %q reads back as %q", q, enc, got)
		}
	}
}

func TestDetectStyle(t *testing.T) {
	doc, err := Parse([]byte(`<r><s>a &gt; b</s><s><![CDATA[<b>]]></s><s>&quot;</s></r>`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := doc.DetectStyle(doc.Root.Children)
	if !st.EscapeGT || !st.EscapeQuot || st.EscapeApos || !st.CDATA {
		t.Errorf("style = %+v", st)
	}
	doc, _ = Parse([]byte(`<r><s>&lt;b></s><s><![CDATA[<b>]]></s></r>`), Options{})
	if st := doc.DetectStyle(doc.Root.Children); st.CDATA || st.EscapeGT {
		t.Errorf("mixed style = %+v, want no CDATA preference", st)
	}
}

func TestEditsApply(t *testing.T) {
	src := []byte("<r>\n  <a>x</a>\n  <b/>\n</r>")
	var ed Edits
	ed.Replace(Span{9, 10}, "y")
	ed.Insert(14, "\n  <c/>")
	start := LineStart(src, 17)
	ed.Replace(Span{start, 21}, "")
	out, err := ed.Apply(src)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<r>\n  <a>y</a>\n  <c/>\n</r>"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if Indent(src, 17) != "  " || Indent(src, 9) != "" {
		t.Errorf("Indent wrong")
	}
	ed.Replace(Span{8, 12}, "")
	if _, err := ed.Apply(src); err == nil {
		t.Error("overlapping edits accepted")
	}
}
