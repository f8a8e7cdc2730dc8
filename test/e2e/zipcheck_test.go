package e2e

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// readZip returns the files of a ZIP by name.
func readZip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a ZIP (%d bytes, starts %q): %v", len(data), data[:min(len(data), 60)], err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("opening %s in the ZIP: %v", f.Name, err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("reading %s in the ZIP: %v", f.Name, err)
		}
		files[f.Name] = body
	}
	return files
}

func requireNames(t *testing.T, files map[string][]byte, want ...string) {
	t.Helper()
	var got []string
	for name := range files {
		got = append(got, name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("ZIP holds %q, want exactly %q", got, want)
	}
}

func mustParse(t *testing.T, name string, data []byte) *jnode {
	t.Helper()
	n, err := parseOrdered(data)
	if err != nil {
		t.Fatalf("%s is not valid JSON: %v", name, err)
	}
	return n
}

// sameLayout requires that out differs from src only inside string literals.
func sameLayout(t *testing.T, name string, src, out []byte) {
	t.Helper()
	if a, b := skeleton(src), skeleton(out); a != b {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Errorf("%s: layout differs from the source at skeleton offset %d: %q vs source %q",
			name, i, b[i:min(len(b), i+40)], a[i:min(len(a), i+40)])
	}
}

// checkTargetsZip checks a targets export of the excalidraw project: one file
// per target locale at the TR_json path, the source's key order and layout,
// translations kept and untranslated strings (empty or missing in the
// uploaded translation) written with the source text.
func checkTargetsZip(t *testing.T, data []byte) {
	t.Helper()
	src := readCorpus(t, excalidrawDir+"/en.json")
	srcTree := mustParse(t, "en.json", src)
	files := readZip(t, data)
	requireNames(t, files, "locales/de-DE.json", "locales/ja-JP.json")
	for _, loc := range targetLocales {
		name := "locales/" + loc + ".json"
		tr := mustParse(t, loc+".json", readCorpus(t, excalidrawDir+"/"+loc+".json"))
		out := mustParse(t, name, files[name])
		kept, fallback, bad := 0, 0, 0
		err := walkPair(srcTree, out, nil, func(path []string, source, got string) {
			want, translated := source, false
			if n, ok := tr.get(path); ok && n.Kind == "string" && n.Str != "" {
				want, translated = n.Str, true
			}
			if got != want {
				if bad++; bad <= 5 {
					t.Errorf("%s %s = %q, want %q", name, strings.Join(path, "."), got, want)
				}
				return
			}
			if translated {
				kept++
			} else {
				fallback++
			}
		})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		sameLayout(t, name, src, files[name])
		t.Logf("%s: %d translations kept, %d untranslated written as source, %d wrong", name, kept, fallback, bad)
		if kept == 0 || fallback == 0 {
			t.Errorf("%s: %d translated and %d untranslated strings; the corpus has both", name, kept, fallback)
		}
	}
}

// invisibleToken is the default string token of the process API contract.
var invisibleToken = regexp.MustCompile("^\u206A\u206A\u206A([\u200B\u200C\u200D]+)\u206A((?s).*)\u206A\u206A$")

// checkSourcesZip checks a sources export: locales/en.json with every string
// wrapped in the invisible token around its original text, one distinct
// signature per string.
func checkSourcesZip(t *testing.T, data []byte) {
	t.Helper()
	src := readCorpus(t, excalidrawDir+"/en.json")
	files := readZip(t, data)
	requireNames(t, files, "locales/en.json")
	out := mustParse(t, "locales/en.json", files["locales/en.json"])
	seen := map[string]string{}
	bad := 0
	err := walkPair(mustParse(t, "en.json", src), out, nil, func(path []string, source, got string) {
		key := strings.Join(path, ".")
		m := invisibleToken.FindStringSubmatch(got)
		if m == nil || m[2] != source {
			if bad++; bad <= 5 {
				t.Errorf("locales/en.json %s = %+q, want the token around %q", key, got, source)
			}
			return
		}
		if strings.HasPrefix(m[1], "\u200B") && m[1] != "\u200B" {
			t.Errorf("%s: signature %+q has a leading zero digit", key, m[1])
		}
		if other, dup := seen[m[1]]; dup {
			t.Errorf("%s and %s share the signature %+q", key, other, m[1])
		}
		seen[m[1]] = key
	})
	if err != nil {
		t.Errorf("locales/en.json: %v", err)
	}
	sameLayout(t, "locales/en.json", src, files["locales/en.json"])
	t.Logf("locales/en.json: %d tokenized strings, %d wrong", len(seen), bad)
}

var (
	i18nextPlaceholder = regexp.MustCompile(`\{\{[^{}]*\}\}`)
	pseudoTag          = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*\s*/?>`)
)

// checkPseudoZip checks a pseudo export: locales/qps-ploc.json in the
// source's shape, every text changed and every {{placeholder}} and <tag> of
// the source kept.
func checkPseudoZip(t *testing.T, data []byte) {
	t.Helper()
	src := readCorpus(t, excalidrawDir+"/en.json")
	files := readZip(t, data)
	const name = "locales/qps-ploc.json" // the project's pseudoLocale, as api.md gives it
	body, ok := files[name]
	if !ok || len(files) != 1 {
		t.Errorf("ZIP holds %q, want exactly %q", slices.Sorted(maps.Keys(files)), name)
		if len(files) != 1 {
			return
		}
		for _, b := range files { // check the content all the same
			body = b
		}
	}
	out := mustParse(t, name, body)
	strs, kept, tokens, bad := 0, 0, 0, 0
	err := walkPair(mustParse(t, "en.json", src), out, nil, func(path []string, source, got string) {
		strs++
		key := strings.Join(path, ".")
		if invisibleToken.MatchString(got) {
			tokens++
		}
		text := pseudoTag.ReplaceAllString(i18nextPlaceholder.ReplaceAllString(source, ""), "")
		if strings.IndexFunc(text, unicode.IsLetter) >= 0 && got == source {
			if bad++; bad <= 5 {
				t.Errorf("locales/qps-ploc.json %s = %q, unchanged from the source", key, got)
			}
		}
		for _, re := range []*regexp.Regexp{i18nextPlaceholder, pseudoTag} {
			for _, ph := range re.FindAllString(source, -1) {
				if strings.Count(got, ph) < strings.Count(source, ph) {
					if bad++; bad <= 5 {
						t.Errorf("locales/qps-ploc.json %s = %q lost %q of %q", key, got, ph, source)
					}
					continue
				}
				kept++
			}
		}
	})
	if err != nil {
		t.Errorf("locales/qps-ploc.json: %v", err)
	}
	sameLayout(t, name, src, body)
	t.Logf("%s: %d strings, %d placeholders and tags kept, %d tokenized, %d problems", name, strs, kept, tokens, bad)
	if tokens != strs {
		t.Errorf("%s: %d of %d strings carry a string token; pseudo exports include tokens by default", name, tokens, strs)
	}
	if kept < 40 {
		t.Errorf("only %d placeholders and tags seen; the source has about 47 {{…}} and several tags", kept)
	}
}
