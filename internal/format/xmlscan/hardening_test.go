package xmlscan

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/format"
)

// Inputs that must be refused, each with a part of the expected message.
var refused = []struct {
	name, src, msg string
}{
	{"xxe system", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, "entity declaration"},
	{"external dtd", `<!DOCTYPE r SYSTEM "http://127.0.0.1/evil.dtd"><r/>`, "external identifier"},
	{"public dtd", `<!DOCTYPE r PUBLIC "-//x//EN" "x.dtd"><r/>`, "external identifier"},
	{"billion laughs", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`, "entity declaration"},
	{"parameter entity", `<!DOCTYPE r [%pe;]><r/>`, "parameter-entity"},
	{"undefined entity", `<r>&nbsp;</r>`, "undefined entity"},
	{"bare ampersand", `<r>a & b</r>`, "'&'"},
	{"bad char ref", `<r>&#0;</r>`, "invalid character reference"},
	{"mismatched", `<r><a></b></r>`, "does not match"},
	{"unclosed", "<r>\n<a>", "not closed"},
	{"two roots", `<r/><s/>`, "second root"},
	{"text outside", `<r/>x`, "outside the root"},
	{"dup attr", `<r a="1" a="2"/>`, "repeated"},
	{"dup attr late", `<r a="1" b="1" c="1" d="1" e="1" f="1" g="1" h="1" i="1" j="1" e="2"/>`, "repeated"},
	{"unquoted attr", `<r a=1/>`, "quoted"},
	{"lt in attr", `<r a="<"/>`, "'<'"},
	{"cdata end in text", `<r>]]></r>`, "]]>"},
	{"control char", "<r>\x01</r>", "control character"},
	{"utf16", "\xff\xfe<\x00r\x00/\x00>\x00", "UTF-16"},
	{"latin1 decl", `<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, "not supported"},
	{"invalid utf8", "<r>\xc3</r>", "invalid UTF-8"},
	{"empty", ``, "no root"},
	{"comment dashes", `<r><!-- a -- b --></r>`, "--"},
	{"late decl", ` <?xml version="1.0"?><r/>`, "must come first"},
}

func TestRefused(t *testing.T) {
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), Options{Name: "f.xml"})
			pe, ok := format.AsParseError(err)
			if !ok {
				t.Fatalf("err = %v, want a *format.ParseError", err)
			}
			if !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("message %q does not mention %q", pe.Msg, tc.msg)
			}
			if pe.Line == 0 && tc.name != "empty" {
				t.Errorf("no line in %v", pe)
			}
		})
	}
}

func TestErrorPosition(t *testing.T) {
	_, err := Parse([]byte("<r>\n  <a>x&bogus;</a>\n</r>"), Options{Name: "f.xml"})
	pe, ok := format.AsParseError(err)
	if !ok || pe.Line != 2 || pe.Column != 7 || pe.File != "f.xml" {
		t.Fatalf("err = %#v", err)
	}
}

func TestExternalDTDOption(t *testing.T) {
	src := []byte(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist/>`)
	if _, err := Parse(src, Options{AllowExternalDTD: true}); err != nil {
		t.Errorf("plist DOCTYPE refused with AllowExternalDTD: %v", err)
	}
	evil := []byte(`<!DOCTYPE r SYSTEM "x.dtd" [<!ENTITY e "x">]><r>&e;</r>`)
	if _, err := Parse(evil, Options{AllowExternalDTD: true}); err == nil {
		t.Error("entity declaration accepted with AllowExternalDTD")
	}
}

func TestDoctypeAccepted(t *testing.T) {
	src := `<!DOCTYPE r [<!ELEMENT r (#PCDATA)><!-- <!ENTITY in comment> --><!ATTLIST r a CDATA "]">]><r>x</r>`
	doc, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := doc.Text(doc.Root); text != "x" {
		t.Errorf("text = %q", text)
	}
}

// TestDepthLimit checks that a 50 MB document of nested elements is
// refused quickly: by size with the defaults, by depth with a size limit
// raised above it.
func TestDepthLimit(t *testing.T) {
	const size = 50 << 20
	src := bytes.Repeat([]byte("<a>"), size/3)
	for _, opts := range []Options{{}, {MaxBytes: 64 << 20}} {
		start := time.Now()
		_, err := Parse(src, opts)
		if _, ok := format.AsParseError(err); !ok {
			t.Fatalf("opts %+v: err = %v, want a ParseError", opts, err)
		}
		if d := time.Since(start); d > slowdown*2*time.Second {
			t.Errorf("opts %+v: took %v", opts, d)
		}
		t.Logf("opts %+v: %v", opts, err)
	}
	deep := strings.Repeat("<a>", MaxDepthDefault) + strings.Repeat("</a>", MaxDepthDefault)
	if _, err := Parse([]byte(deep), Options{}); err != nil {
		t.Errorf("depth %d refused: %v", MaxDepthDefault, err)
	}
	if _, err := Parse([]byte("<r>"+deep+"</r>"), Options{}); err == nil {
		t.Errorf("depth %d accepted", MaxDepthDefault+1)
	}
}

// TestManyReferences checks that text full of references stays linear.
func TestManyReferences(t *testing.T) {
	src := "<r a='" + strings.Repeat("&amp;", 1<<20) + "'>" + strings.Repeat("&lt;&#65;", 1<<20) + "</r>"
	start := time.Now()
	doc, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text, err := doc.Text(doc.Root)
	if err != nil || len(text) != 2<<20 {
		t.Fatalf("text len %d, err %v", len(text), err)
	}
	if d := time.Since(start); d > slowdown*3*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestManyAttributes checks that the duplicate-attribute check stays linear.
func TestManyAttributes(t *testing.T) {
	var el strings.Builder
	el.WriteString("<e")
	for i := range maxAttrs {
		el.WriteString(" a" + strconv.Itoa(i) + `="1"`)
	}
	el.WriteString("/>")
	src := "<r>" + strings.Repeat(el.String(), 300) + "</r>"
	start := time.Now()
	if _, err := Parse([]byte(src), Options{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > slowdown*3*time.Second {
		t.Errorf("took %v", d)
	}
	if _, err := Parse([]byte("<r"+strings.Repeat(" a=''", 1)+el.String()[2:]), Options{}); err == nil {
		t.Error("too many attributes accepted")
	}
}
