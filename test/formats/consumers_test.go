package formats

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// consumerCheck runs the check of a file's consumer on the file at
// disk (its bytes are data) and returns what the consumer objects to.
// Properties files are checked in one batch by checkProperties instead.
func consumerCheck(t *testing.T, name, disk string, data []byte) error {
	t.Helper()
	switch ext := filepath.Ext(name); ext {
	case ".po":
		if !needTool(t, "msgfmt", "apt-get install gettext") {
			return nil
		}
		return runTool("msgfmt", "-c", "-o", os.DevNull, disk)
	case ".pot":
		// A template is read by msgmerge and msginit, not compiled: msgfmt -c
		// refuses its placeholder header (nplurals=INTEGER) by design.
		if !needTool(t, "msgcat", "apt-get install gettext") {
			return nil
		}
		return runTool("msgcat", "-o", os.DevNull, disk)
	case ".json", ".arb":
		var v any
		return json.Unmarshal(data, &v)
	case ".yml":
		_, err := yamlRoot(data)
		return err
	case ".strings":
		_, err := readAppleStrings(data)
		return err
	case ".xlf", ".xml", ".resx", ".stringsdict":
		if needTool(t, "xmllint", "apt-get install libxml2-utils") {
			if err := runTool("xmllint", "--noout", "--nonet", disk); err != nil {
				return err
			}
		}
		if ext == ".stringsdict" {
			_, err := readPlist(data)
			return err
		}
		return nil
	case ".properties":
		return nil
	default:
		return fmt.Errorf("no consumer check for %s", ext)
	}
}

func runTool(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, clip(out))
	}
	return nil
}

// yamlRoot decodes a Rails locale file and returns its single root key.
func yamlRoot(data []byte) (string, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("yaml.v3: %w", err)
	}
	if len(doc) != 1 {
		return "", fmt.Errorf("yaml: %d root keys, want 1 (the locale)", len(doc))
	}
	for k := range doc {
		return k, nil
	}
	return "", nil
}

// javaProperties loads every file with java.util.Properties (one JVM for
// all of them) and returns each file's entries.
func javaProperties(t *testing.T, files []string) map[string]map[string]string {
	t.Helper()
	if len(files) == 0 || !needTool(t, "java", "apt-get install default-jdk-headless") {
		return nil
	}
	checker, err := filepath.Abs("testdata/PropsCheck.java")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("java", append([]string{checker}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("java PropsCheck.java: %v: %s", err, clip(stderr.Bytes()))
		return nil
	}
	return parsePropsCheck(t, out)
}

func parsePropsCheck(t *testing.T, out []byte) map[string]map[string]string {
	t.Helper()
	all := map[string]map[string]string{}
	var cur map[string]string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if f, ok := strings.CutPrefix(line, "FILE "); ok {
			cur = map[string]string{}
			all[f] = cur
			continue
		}
		k, v, _ := strings.Cut(line, " ")
		kb, err1 := base64.StdEncoding.DecodeString(k)
		vb, err2 := base64.StdEncoding.DecodeString(v)
		if cur == nil || err1 != nil || err2 != nil {
			t.Fatalf("PropsCheck printed an unexpected line %q", line)
		}
		cur[string(kb)] = string(vb)
	}
	return all
}

// readPlist decodes an XML property list with encoding/xml, as plutil
// -lint would check it: a <plist> holding one value, dicts of key/value
// pairs, and only the plist value elements.
func readPlist(data []byte) (any, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("plist: no <plist> element: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "plist" {
				return nil, fmt.Errorf("plist: root element <%s>", se.Name.Local)
			}
			v, end, err := plistValue(d)
			if err != nil {
				return nil, err
			}
			if end {
				return nil, errors.New("plist: empty <plist>")
			}
			return v, nil
		}
	}
}

// plistValue reads the next value; end reports the parent's end tag.
func plistValue(d *xml.Decoder) (v any, end bool, err error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, false, fmt.Errorf("plist: %w", err)
		}
		switch tk := tok.(type) {
		case xml.EndElement:
			return nil, true, nil
		case xml.CharData:
			if len(bytes.TrimSpace(tk)) > 0 {
				return nil, false, fmt.Errorf("plist: stray text %q", tk)
			}
		case xml.StartElement:
			v, err := plistElement(d, tk)
			return v, false, err
		}
	}
}

func plistElement(d *xml.Decoder, se xml.StartElement) (any, error) {
	switch se.Name.Local {
	case "dict":
		return plistDict(d)
	case "array":
		var arr []any
		for {
			v, end, err := plistValue(d)
			if err != nil || end {
				return arr, err
			}
			arr = append(arr, v)
		}
	case "string", "key", "integer", "real", "date", "data":
		var s string
		err := d.DecodeElement(&s, &se)
		return s, err
	case "true", "false":
		return se.Name.Local == "true", d.Skip()
	}
	return nil, fmt.Errorf("plist: unknown element <%s>", se.Name.Local)
}

func plistDict(d *xml.Decoder) (map[string]any, error) {
	m := map[string]any{}
	for {
		k, end, err := plistValue(d)
		if err != nil || end {
			return m, err
		}
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("plist: dict key is %T, not <key>", k)
		}
		v, end, err := plistValue(d)
		if err != nil {
			return nil, err
		}
		if end {
			return nil, fmt.Errorf("plist: key %q without a value", key)
		}
		m[key] = v
	}
}

// readAppleStrings is an independent reader of Apple .strings files (UTF-8,
// optionally with BOM): "key" = "value"; pairs with /* */ and // comments
// and the escapes Foundation resolves. It returns the pairs in file order.
func readAppleStrings(data []byte) (map[string]string, error) {
	r := &stringsReader{src: []rune(string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))), line: 1}
	out := map[string]string{}
	for {
		r.skipSpace()
		if r.eof() {
			return out, nil
		}
		key, err := r.token()
		if err != nil {
			return nil, err
		}
		r.skipSpace()
		if err := r.expect('='); err != nil {
			return nil, err
		}
		r.skipSpace()
		val, err := r.token()
		if err != nil {
			return nil, err
		}
		r.skipSpace()
		if err := r.expect(';'); err != nil {
			return nil, err
		}
		out[key] = val
	}
}

type stringsReader struct {
	src  []rune
	pos  int
	line int
}

func (r *stringsReader) eof() bool { return r.pos >= len(r.src) }

func (r *stringsReader) errorf(format string, args ...any) error {
	return fmt.Errorf(".strings line %d: %s", r.line, fmt.Sprintf(format, args...))
}

func (r *stringsReader) next() rune {
	c := r.src[r.pos]
	r.pos++
	if c == '\n' {
		r.line++
	}
	return c
}

func (r *stringsReader) skipSpace() {
	for !r.eof() {
		rest := string(r.src[r.pos:min(r.pos+2, len(r.src))])
		switch {
		case strings.HasPrefix(rest, "/*"):
			for !r.eof() && !strings.HasPrefix(string(r.src[r.pos:min(r.pos+2, len(r.src))]), "*/") {
				r.next()
			}
			r.pos = min(r.pos+2, len(r.src))
		case strings.HasPrefix(rest, "//"):
			for !r.eof() && r.src[r.pos] != '\n' {
				r.next()
			}
		case strings.ContainsRune(" \t\r\n", r.src[r.pos]):
			r.next()
		default:
			return
		}
	}
}

func (r *stringsReader) expect(c rune) error {
	if r.eof() || r.src[r.pos] != c {
		return r.errorf("want %q", c)
	}
	r.next()
	return nil
}

func (r *stringsReader) token() (string, error) {
	if r.eof() {
		return "", r.errorf("unexpected end of file")
	}
	if r.src[r.pos] != '"' {
		start := r.pos
		for !r.eof() && (strings.ContainsRune("_$+/:.-", r.src[r.pos]) || isAlnum(r.src[r.pos])) {
			r.next()
		}
		if start == r.pos {
			return "", r.errorf("unexpected %q", r.src[r.pos])
		}
		return string(r.src[start:r.pos]), nil
	}
	r.next()
	var b strings.Builder
	for {
		if r.eof() {
			return "", r.errorf("unterminated string")
		}
		c := r.next()
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			if err := r.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteRune(c)
		}
	}
}

func (r *stringsReader) escape(b *strings.Builder) error {
	if r.eof() {
		return r.errorf("unterminated escape")
	}
	c := r.next()
	switch c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'U', 'u':
		var n rune
		for i := 0; i < 4; i++ {
			if r.eof() {
				return r.errorf("short \\U escape")
			}
			d := hexVal(r.next())
			if d < 0 {
				return r.errorf("bad \\U escape")
			}
			n = n*16 + d
		}
		b.WriteRune(n)
	default: // \" \\ \' and any other character stand for themselves
		b.WriteRune(c)
	}
	return nil
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func hexVal(c rune) rune {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return -1
}
