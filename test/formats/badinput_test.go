package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// problem is an application/problem+json answer.
type problem struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// malformed breaks a corpus file the way a bad merge or an interrupted
// write does: cut in the middle of a quoted string or a tag. Properties
// files accept any cut, so they get a \u escape java.util.Properties
// refuses ("Malformed \uxxxx encoding").
func malformed(parser string, src []byte) []byte {
	markers := map[string]string{
		"json": `": "`, "arb": `": "`, "po": `msgid "`, "yaml": `: "`, "strings": `= "`,
		"xliff": "<", "android": "<", "resx": "<", "stringsdict": "<",
	}
	if parser == "properties" {
		return append(bytes.Clone(src), "\nbroken.key = caf\\u00e\n"...)
	}
	marker := []byte(markers[parser])
	from := len(src) / 2
	for {
		i := bytes.Index(src[from:], marker)
		if i < 0 {
			return src[:len(src)/2]
		}
		cut := from + i + len(marker)
		// A cut inside an empty string ("") or a closing tag would not break
		// what it should; take the next one.
		if cut+3 < len(src) && src[cut] != '"' && src[cut] != '/' && src[cut] != '!' && src[cut] != '?' {
			return src[:cut+3]
		}
		from = cut
	}
}

// checkBadInput uploads a malformed file per format over its corpus file:
// 400 problem+json naming file, line and column, and nothing changed.
func (p *project) checkBadInput(t *testing.T, results map[string]*setResult) {
	t.Helper()
	total := p.totalStrings(t)
	for _, set := range corpusSets {
		f := set.files[0]
		bad := malformed(set.parser, readCorpus(t, f.path))
		q := url.Values{"path": {f.path}, "parser": {set.parser}, "targetRule": {set.ruleID}}
		resp := p.s.do(t, "PUT", p.path("/files/%s?%s", f.id, q.Encode()), bad)
		err := checkProblem(resp, f.path, bad)
		if err != nil {
			t.Errorf("malformed %s upload (%s): %v", set.name, f.path, err)
		}
		results[set.name].badInput = outcome(err, resp)
		if trans, ok := anyTranslation(f); ok {
			badTrans := malformed(set.parser, readCorpus(t, trans.path))
			resp := p.s.do(t, "PUT", p.path("/files/%s/translations/%s", f.id, trans.loc), badTrans)
			if err := checkProblem(resp, "", badTrans); err != nil {
				t.Errorf("malformed %s translation (%s): %v", set.name, trans.path, err)
				results[set.name].badInput += "; translation: " + outcome(err, resp)
			}
		}
		if now := p.totalStrings(t); now != total {
			t.Errorf("malformed %s upload changed the project's strings: %d -> %d", set.name, total, now)
			total = now
		}
	}
}

type localeFile struct{ loc, path string }

func anyTranslation(f corpusFile) (localeFile, bool) {
	for _, loc := range targetLocales {
		if p, ok := f.trans[loc]; ok {
			return localeFile{loc, p}, true
		}
	}
	return localeFile{}, false
}

func outcome(err error, resp response) string {
	if err != nil {
		return fmt.Sprintf("FAIL (%d)", resp.Status)
	}
	var pr problem
	_ = json.Unmarshal(resp.Body, &pr)
	return fmt.Sprintf("400 at %d:%d", pr.Line, pr.Column)
}

// checkProblem requires a 400 problem+json with file, line and column; when
// wantFile is set, file must name it and line must lie within content.
func checkProblem(resp response, wantFile string, content []byte) error {
	if resp.Status != 400 {
		return errorf("status %d, want 400: %s", resp.Status, clip(resp.Body))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		return errorf("Content-Type %q, want application/problem+json", ct)
	}
	var pr problem
	if err := json.Unmarshal(resp.Body, &pr); err != nil {
		return errorf("decoding %s: %w", clip(resp.Body), err)
	}
	if pr.File == "" || pr.Line < 1 || pr.Column < 1 {
		return errorf("problem lacks file/line/column: %s", clip(resp.Body))
	}
	if wantFile != "" && pr.File != wantFile {
		return errorf("problem names file %q, want %q", pr.File, wantFile)
	}
	if content != nil {
		// The damage is on the file's last line that has text: the cut, or
		// the bad escape appended to a properties file.
		body := bytes.TrimRight(content, "\n")
		want := bytes.Count(body, []byte("\n")) + 1
		lastLen := utf8.RuneCount(body[bytes.LastIndexByte(body, '\n')+1:])
		if pr.Line != want || pr.Column > lastLen+1 {
			return errorf("position %d:%d, want line %d (column at most %d), where the file is broken", pr.Line, pr.Column, want, lastLen+1)
		}
	}
	return nil
}

// hostileXML are XML documents that must never be expanded or resolved.
var hostileXML = map[string]string{
	"xxe": `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
`,
	"parameter-entity": `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/x.dtd"> %ext;]>
`,
	"billion-laughs": `<?xml version="1.0"?>
<!DOCTYPE r [
 <!ENTITY a "lol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
`,
}

// hostileBodies are the XML formats' documents with an entity reference
// where a text belongs.
var hostileBodies = map[string]string{
	"xliff":       `<xliff version="1.2"><file source-language="en" datatype="plaintext" original="x"><body><trans-unit id="1"><source>&%s;</source></trans-unit></body></file></xliff>`,
	"android":     `<resources><string name="a">&%s;</string></resources>`,
	"resx":        `<root><data name="a" xml:space="preserve"><value>&%s;</value></data></root>`,
	"stringsdict": `<plist version="1.0"><dict><key>a</key><dict><key>NSStringLocalizedFormatKey</key><string>&%s;</string></dict></dict></plist>`,
}

// checkHostileXML uploads XXE and billion-laughs documents to every XML
// format: 4xx, and no strings added.
func (p *project) checkHostileXML(t *testing.T) {
	t.Helper()
	for parser, body := range hostileBodies {
		// The control: the same document with a plain text is accepted, so
		// a refusal below is the entities' doing.
		q := url.Values{"path": {"hostile/control." + parser}, "parser": {parser}}
		doc := `<?xml version="1.0"?>` + "\n" + strings.Replace(fmt.Sprintf(body, "amp"), "&amp;", "plain text", 1)
		if resp := p.s.do(t, "PUT", p.path("/files/control-%s?%s", parser, q.Encode()), []byte(doc)); resp.Status != 201 {
			t.Errorf("control %s upload: status %d, want 201: %s", parser, resp.Status, clip(resp.Body))
		}
	}
	total := p.totalStrings(t)
	for parser, body := range hostileBodies {
		for name, prolog := range hostileXML {
			entity := map[string]string{"xxe": "xxe", "parameter-entity": "ext", "billion-laughs": "i"}[name]
			doc := prolog[:len(prolog)-1] + "\n" + fmt.Sprintf(body, entity)
			doc = strings.Replace(doc, "<!DOCTYPE r", "<!DOCTYPE "+rootName(body), 1)
			q := url.Values{"path": {"hostile/" + name + "." + parser}, "parser": {parser}}
			resp := p.s.do(t, "PUT", p.path("/files/hostile-%s-%s?%s", name, parser, q.Encode()), []byte(doc))
			if resp.Status < 400 || resp.Status > 499 {
				t.Errorf("%s %s upload: status %d, want 4xx: %s", name, parser, resp.Status, clip(resp.Body))
				continue
			}
			var pr problem
			_ = json.Unmarshal(resp.Body, &pr)
			t.Logf("%s %s refused: %d %s", name, parser, resp.Status, pr.Detail)
		}
	}
	if now := p.totalStrings(t); now != total {
		t.Errorf("hostile XML uploads changed the project's strings: %d -> %d", total, now)
	}
}

func rootName(body string) string {
	name := strings.TrimPrefix(body, "<")
	return name[:strings.IndexAny(name, " >")]
}
