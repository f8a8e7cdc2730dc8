package android

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// export lays the translation in dir onto the source file as an exporter
// would for a target of lang.
func export(t *testing.T, file, dir, lang string) (out []byte, src *Document, want map[string]format.Unit) {
	t.Helper()
	src = mustParse(t, readCorpus(t, "values", file), "values/"+file, nil)
	tr := formattest.Parse(t, Format{}, readCorpus(t, dir, file), dir+"/"+file, nil, true)
	out, want = formattest.ExportTarget(t, src, tr, lang)
	return out, src, want
}

var langs = map[string]string{"values-de": "de", "values-ru": "ru", "values-ja": "ja"}

func TestImportExportTranslations(t *testing.T) {
	for dir, lang := range langs {
		for _, file := range []string{"strings.xml", "arrays.xml"} {
			out, src, want := export(t, file, dir, lang)
			back := mustParse(t, out, "export", nil)
			var keys, srcKeys []string
			matched := 0
			for _, u := range back.Units() {
				keys = append(keys, u.Key)
				w, ok := want[u.Key]
				if !ok {
					continue
				}
				matched++
				if u.Text != w.Text {
					t.Errorf("%s/%s %s = %q, want %q", dir, file, u.Key, u.Text, w.Text)
				}
				if u.Plural != nil {
					checkForms(t, lang, u, w)
				}
			}
			for _, u := range src.Units() {
				srcKeys = append(srcKeys, u.Key)
			}
			if !slices.Equal(keys, srcKeys) {
				t.Errorf("%s/%s: exported keys are not the source's, in order", dir, file)
			}
			if extra := len(want) - matched; extra != staleKeys[dir+"/"+file] {
				t.Errorf("%s/%s: %d translated units not in the source, want %d", dir, file, extra, staleKeys[dir+"/"+file])
			}
			if strings.Contains(string(out), `translatable="false"`) {
				t.Errorf("%s/%s: non-translatable resources left in the target", dir, file)
			}
			t.Logf("%s/%s: %d translated units exported and re-read (%d source units)", dir, file, matched, len(srcKeys))
		}
	}
}

// staleKeys counts the units of each corpus translation that its source no
// longer has (or has as translatable="false"); they cannot be exported.
var staleKeys = map[string]int{
	// preferences_days_per_week_labels: six items that the source now
	// marks translatable="false" (they are @string references).
	"values-de/arrays.xml": 6,
}

func checkForms(t *testing.T, lang string, u, w format.Unit) {
	t.Helper()
	cats := plural.Categories(lang)
	if len(u.Plural) != len(cats) {
		t.Errorf("%s %s: %d forms, want %v", lang, u.Key, len(u.Plural), cats)
	}
	for _, c := range cats {
		if want, ok := w.Plural[c]; ok && u.Plural[c] != want {
			t.Errorf("%s %s[%s] = %q, want %q", lang, u.Key, c, u.Plural[c], want)
		}
	}
}

// resValue is what an Android app reads for a resource, by the reader
// below: strings, plural forms and array items.
type resValue = map[string]string

// readResources reads a values file with encoding/xml and Android's string
// rules, independently of the package's decoder: it is how the platform
// sees the file. Inline tags are kept as <name> and </name> by local name.
func readResources(t *testing.T, data []byte) resValue {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	dec.Strict = true
	out := resValue{}
	var stack []xml.StartElement
	var buf []string // raw pieces of the current value: text, or "\x00tag"
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("xml: %v", err)
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			if isValue(stack, tt) {
				buf = []string{}
			} else if buf != nil {
				buf = append(buf, "\x00<"+tt.Name.Local+">")
			}
			stack = append(stack, tt.Copy())
		case xml.EndElement:
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if isValue(stack, top) {
				out[resKey(stack, top, out)] = androidString(buf)
				buf = nil
			} else if buf != nil {
				buf = append(buf, "\x00</"+tt.Name.Local+">")
			}
		case xml.CharData:
			if buf != nil {
				buf = append(buf, string(tt))
			}
		}
	}
}

func isValue(stack []xml.StartElement, e xml.StartElement) bool {
	switch {
	case len(stack) == 1 && e.Name.Local == "string":
		return true
	case len(stack) == 2 && e.Name.Local == "item":
		p := stack[1].Name.Local
		return p == "plurals" || p == "string-array"
	}
	return false
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// resKey names a value: "name", "name:quantity" or "name[index]".
func resKey(stack []xml.StartElement, e xml.StartElement, seen resValue) string {
	if e.Name.Local == "string" {
		return attr(e, "name")
	}
	parent := stack[1]
	if parent.Name.Local == "plurals" {
		return attr(parent, "name") + ":" + attr(e, "quantity")
	}
	for i := 0; ; i++ {
		k := fmt.Sprintf("%s[%d]", attr(parent, "name"), i)
		if _, ok := seen[k]; !ok {
			return k
		}
	}
}

// androidString applies aapt2's rules to the pieces of a value: double
// quotes preserve white space and are dropped, unquoted white space runs
// become one space and are trimmed at the ends, backslash escapes decode.
func androidString(pieces []string) string {
	var runes []rune
	var soft []bool // the rune is collapsible white space
	quoted, esc := false, false
	for _, p := range pieces {
		if strings.HasPrefix(p, "\x00") {
			for _, r := range p[1:] {
				runes, soft = append(runes, r), append(soft, false)
			}
			continue
		}
		rs := []rune(p)
		for i := 0; i < len(rs); i++ {
			r := rs[i]
			switch {
			case esc:
				esc = false
				switch r {
				case 'n':
					r = '\n'
				case 't':
					r = '\t'
				case 'u':
					var v rune
					fmt.Sscanf(string(rs[i+1:i+5]), "%04x", &v)
					r, i = v, i+4
				}
				runes, soft = append(runes, r), append(soft, false)
			case r == '\\':
				esc = true
			case r == '"':
				quoted = !quoted
			case !quoted && unicode.IsSpace(r):
				if n := len(runes); n == 0 || !soft[n-1] {
					runes, soft = append(runes, ' '), append(soft, true)
				}
			default:
				runes, soft = append(runes, r), append(soft, false)
			}
		}
	}
	for len(runes) > 0 && soft[0] {
		runes, soft = runes[1:], soft[1:]
	}
	for len(runes) > 0 && soft[len(soft)-1] {
		runes, soft = runes[:len(runes)-1], soft[:len(soft)-1]
	}
	return string(runes)
}

// TestConsumerAndroidReader reads each exported file as Android would and
// compares it with the corpus translation read the same way; xmllint
// checks that the file is well-formed.
func TestConsumerAndroidReader(t *testing.T) {
	for dir, lang := range langs {
		for _, file := range []string{"strings.xml", "arrays.xml"} {
			out, _, _ := export(t, file, dir, lang)
			checkXMLLint(t, dir+"-"+file, out)
			got := readResources(t, out)
			want := readResources(t, readCorpus(t, dir, file))
			srcVals := readResources(t, readCorpus(t, "values", file))
			var compared int
			cats := plural.Categories(lang)
			for k, w := range want {
				name, quantity, isPlural := strings.Cut(k, ":")
				sv, inSource := srcVals[k]
				switch {
				case !isPlural && !inSource:
					continue // stale in the translation
				case !isPlural && strings.HasPrefix(sv, "@"):
					continue // a reference in the source, not translatable
				case isPlural && !slices.Contains(cats, quantity):
					// Allowed: ja's "one" items; CLDR gives ja only "other",
					// so the target has exactly that category.
					continue
				}
				g, ok := got[k]
				if !ok {
					if !isPlural || hasPrefixKey(srcVals, name+":") {
						t.Errorf("%s/%s: %s missing from the export", dir, file, k)
					}
					continue
				}
				compared++
				if g != w {
					t.Errorf("%s/%s %s = %q, want %q", dir, file, k, g, w)
				}
			}
			if compared < len(want)/2 {
				t.Errorf("%s/%s: only %d of %d values compared", dir, file, compared, len(want))
			}
		}
	}
}

func hasPrefixKey(m resValue, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// checkXMLLint runs xmllint --noout on an exported file.
func checkXMLLint(t *testing.T, name string, data []byte) {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing (apt-get install -y libxml2-utils)")
		}
		t.Skip("xmllint is missing")
	}
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(path, "--noout", "--nonet", f).CombinedOutput(); err != nil {
		t.Errorf("xmllint %s: %v\n%s", name, err, msg)
	}
}
