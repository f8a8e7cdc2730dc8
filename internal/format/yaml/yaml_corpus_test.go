package yaml

import (
	"bytes"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
	"github.com/tolk-l10n/tolk/internal/placeholder"
	"github.com/tolk-l10n/tolk/internal/plural"
	"github.com/tolk-l10n/tolk/internal/pseudo"
)

// The Redmine locale files, copied byte for byte from the shared corpus
// (yaml-rails/redmine/config/locales).
var corpus = []string{"en", "de", "ru", "ja"}

func corpusPath(locale string) string { return "testdata/corpus/" + locale + ".yml" }

// TestCorpusRoundTrip writes every corpus file back unchanged and checks
// that the units are exactly the string leaves a YAML loader sees outside
// sequences, with the same decoded text.
func TestCorpusRoundTrip(t *testing.T) {
	for _, loc := range corpus {
		doc := formattest.RoundTrip(t, Format{}, corpusPath(loc))
		units := doc.Units()
		plurals := 0
		got := map[string]any{}
		for _, u := range units {
			if u.Plural == nil {
				got[u.Key] = u.Text
				continue
			}
			plurals++
			for c, s := range u.Plural {
				got[u.Key+"."+c] = s
			}
		}
		want := map[string]any{}
		for k, v := range loadLeaves(t, mustRead(t, corpusPath(loc))) {
			if s, ok := v.(string); ok && !strings.HasPrefix(s, ":") {
				want[k] = s
			}
		}
		if !reflect.DeepEqual(got, want) {
			reportDiff(t, loc, want, got)
		}
		t.Logf("%s.yml: %d units (%d plural hashes), %d string leaves", loc, len(units), plurals, len(want))
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loadLeaves unmarshals a locale file the way an application would and
// flattens it below the root key: mappings are walked, everything else
// (strings, numbers, nil, sequences) is a leaf.
func loadLeaves(t *testing.T, src []byte) map[string]any {
	t.Helper()
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal(src, &doc); err != nil {
		t.Fatalf("yaml loader: %v", err)
	}
	root := doc.Content[0]
	if root.Kind != yamlv3.MappingNode || len(root.Content) != 2 {
		t.Fatalf("root is not a mapping with one key")
	}
	out := map[string]any{}
	flatten(t, out, "", root.Content[1])
	return out
}

// flatten walks mappings (a key defined twice keeps its later value, as in
// Ruby) and decodes every other node as a leaf.
func flatten(t *testing.T, out map[string]any, prefix string, n *yamlv3.Node) {
	if n.Kind == yamlv3.AliasNode {
		n = n.Alias
	}
	if n.Kind != yamlv3.MappingNode {
		var v any
		if err := n.Decode(&v); err != nil {
			t.Fatalf("decode line %d: %v", n.Line, err)
		}
		out[strings.TrimSuffix(prefix, ".")] = v
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		p := prefix + escapeKey(n.Content[i].Value) + "."
		for k := range out {
			if seen[p] && strings.HasPrefix(k+".", p) {
				delete(out, k)
			}
		}
		seen[p] = true
		flatten(t, out, p, n.Content[i+1])
	}
}

func reportDiff(t *testing.T, name string, want, got map[string]any) {
	t.Helper()
	n := 0
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[k]; !ok || !reflect.DeepEqual(g, want[k]) {
			t.Errorf("%s: %s = %#v, want %#v", name, k, g, want[k])
			n++
		}
		if n > 10 {
			return
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && n < 20 {
			t.Errorf("%s: unexpected %s = %#v", name, k, got[k])
			n++
		}
	}
}

// TestCorpusImport aligns each translation with en.yml by key, writes the
// target for its locale and checks, with a YAML loader, that every
// translated value comes back, every other value is the source's, the root
// key is the locale and the layout (keys, comments) is the source's.
func TestCorpusImport(t *testing.T) {
	_, src := formattest.ParseFile(t, Format{}, corpusPath("en"), false)
	srcUnits := src.Units()
	for _, loc := range corpus[1:] {
		t.Run(loc, func(t *testing.T) {
			_, tr := formattest.ParseFile(t, Format{}, corpusPath(loc), true)
			byKey := map[string]format.Unit{}
			for _, u := range tr.Units() {
				byKey[u.Key] = u
			}
			cats := plural.Categories(loc)
			out := func(u *format.Unit) format.Output {
				tu, ok := byKey[u.Key]
				if !ok {
					return format.Output{Text: u.Text, Plural: u.Plural, Source: true}
				}
				o := format.Output{Text: tu.Text, Status: format.Translated}
				if u.Plural != nil {
					o.Plural = format.Forms{}
					for _, c := range withZero(u, cats) {
						o.Plural[c] = formOf(tu, c)
					}
				}
				return o
			}
			got := formattest.Write(t, src, format.Target{Kind: format.KindTarget, Locale: loc, SourceLocale: "en", Categories: cats}, out)
			checkImport(t, loc, got, srcUnits, out, cats)
			logDifferences(t, srcUnits, tr.Units(), cats)
		})
	}
}

// withZero is cats with Rails' "zero" first when the source hash has one:
// Rails uses it for a count of 0 in every locale.
func withZero(u *format.Unit, cats []string) []string {
	if _, ok := u.Plural["zero"]; ok && !slices.Contains(cats, "zero") {
		return append([]string{"zero"}, cats...)
	}
	return cats
}

// formOf returns a translation's form for category c; a translation that
// lacks it (or is no plural at all) gives its "other" text.
func formOf(tu format.Unit, c string) string {
	if s, ok := tu.Plural[c]; ok {
		return s
	}
	return tu.Text
}

// logDifferences lists where the written target may differ from the
// translation file, each a difference the format defines:
//   - keys only in the translation are not written (the layout is the
//     source's);
//   - keys only in the source are written with the source text;
//   - plural hashes get exactly the target's categories: a category the
//     translation lacks gets its "other" text, one the target does not use
//     is dropped;
//   - a translation that is a plain string where the source has a plural
//     hash (or the reverse) is written in the source's shape.
func logDifferences(t *testing.T, src, tr []format.Unit, cats []string) {
	srcBy, trBy := map[string]format.Unit{}, map[string]format.Unit{}
	for _, u := range src {
		srcBy[u.Key] = u
	}
	for _, u := range tr {
		trBy[u.Key] = u
	}
	diff := map[string][]string{}
	for _, u := range tr {
		s, ok := srcBy[u.Key]
		switch {
		case !ok:
			diff["only in translation"] = append(diff["only in translation"], u.Key)
		case (s.Plural == nil) != (u.Plural == nil):
			diff["plural shape differs"] = append(diff["plural shape differs"], u.Key)
		case u.Plural != nil:
			for c := range u.Plural {
				if !slices.Contains(cats, c) {
					diff["category dropped"] = append(diff["category dropped"], u.Key+"."+c)
				}
			}
			for _, c := range cats {
				if _, ok := u.Plural[c]; !ok {
					diff["category filled from other"] = append(diff["category filled from other"], u.Key+"."+c)
				}
			}
		}
	}
	for _, u := range src {
		if _, ok := trBy[u.Key]; !ok {
			diff["only in source"] = append(diff["only in source"], u.Key)
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(diff)) {
		keys := diff[kind]
		t.Logf("allowed difference: %s: %d (e.g. %s)", kind, len(keys), strings.Join(keys[:min(3, len(keys))], ", "))
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func checkImport(t *testing.T, loc string, got []byte, srcUnits []format.Unit, out func(*format.Unit) format.Output, cats []string) {
	t.Helper()
	if !bytes.HasPrefix(got, []byte(loc+":\n")) {
		t.Errorf("root key: file starts %q", got[:10])
	}
	want := loadLeaves(t, mustRead(t, corpusPath("en")))
	translated, regenerated := 0, 0
	for _, u := range srcUnits {
		o := out(&u)
		if !o.Source {
			translated++
		}
		if u.Plural == nil {
			want[u.Key] = o.Text
			continue
		}
		for c := range u.Plural {
			delete(want, u.Key+"."+c)
		}
		for _, c := range withZero(&u, cats) {
			want[u.Key+"."+c] = cmpOr(o.Plural[c], o.Text)
		}
		if !slices.Equal(cats, []string{"one", "other"}) {
			regenerated++
		}
	}
	have := loadLeaves(t, got)
	if !reflect.DeepEqual(have, want) {
		reportDiff(t, loc, want, have)
	}
	checkPluralOrder(t, got, cats)
	// Layout: the same comments, and the keys in the source's order.
	if a, b := countComments(mustRead(t, corpusPath("en"))), countComments(got); a != b {
		t.Errorf("%d comment lines, source has %d", b, a)
	}
	doc, err := Format{}.Parse(got, format.ParseOptions{Name: loc})
	if err != nil {
		t.Fatalf("re-parse: %v", err)
	}
	formattest.CompareKeys(t, srcUnits, doc.Units())
	t.Logf("%s: %d of %d units translated, %d plural hashes rewritten with %v", loc, translated, len(srcUnits), regenerated, cats)
}

var commentRE = regexp.MustCompile(`(?m)^\s*#.*$`)

func countComments(b []byte) int { return len(commentRE.FindAll(b, -1)) }

// checkPluralOrder checks that every plural hash in the written file has
// exactly cats as keys, in CLDR order.
func checkPluralOrder(t *testing.T, src []byte, cats []string) {
	t.Helper()
	var n yamlv3.Node
	if err := yamlv3.Unmarshal(src, &n); err != nil {
		t.Fatal(err)
	}
	var walk func(*yamlv3.Node)
	walk = func(m *yamlv3.Node) {
		if m.Kind != yamlv3.MappingNode {
			return
		}
		if isPlural(m) {
			var keys []string
			for i := 0; i < len(m.Content); i += 2 {
				keys = append(keys, m.Content[i].Value)
			}
			// Rails' own "zero" stays before the target's categories.
			if !slices.Equal(keys, cats) && !slices.Equal(keys, append([]string{"zero"}, cats...)) {
				t.Errorf("line %d: plural keys %v, want %v", m.Line, keys, cats)
			}
			return
		}
		for i := 1; i < len(m.Content); i += 2 {
			walk(m.Content[i])
		}
	}
	walk(n.Content[0])
}

// TestCorpusPseudo pseudo-translates each corpus file and checks that every
// placeholder of every text survives the writer and a re-parse.
func TestCorpusPseudo(t *testing.T) {
	syn := Format{}.Syntax(nil)
	for _, loc := range corpus {
		_, doc := formattest.ParseFile(t, Format{}, corpusPath(loc), false)
		cats := plural.Categories("ru")
		out := func(u *format.Unit) format.Output {
			o := format.Output{Text: pseudo.Translate(u.Text, syn), Status: format.Translated}
			if u.Plural != nil {
				o.Plural = format.Forms{}
				for _, c := range cats {
					o.Plural[c] = pseudo.Translate(cmpOr(u.Plural[c], u.Text), syn)
				}
			}
			return o
		}
		got := formattest.Write(t, doc, format.Target{Kind: format.KindPseudo, Locale: "ru", Categories: cats}, out)
		re, err := Format{}.Parse(got, format.ParseOptions{Name: loc + " pseudo"})
		if err != nil {
			t.Fatalf("%s: re-parse pseudo: %v", loc, err)
		}
		count := 0
		for i, u := range doc.Units() {
			p := re.Units()[i]
			if p.Key != u.Key {
				t.Fatalf("%s: unit %d key %q, want %q", loc, i, p.Key, u.Key)
			}
			if p.Text == u.Text && u.Text != "" && len(placeholder.Find(u.Text, syn)) == 0 {
				t.Errorf("%s: %s not pseudo-translated: %q", loc, u.Key, p.Text)
			}
			for _, pair := range textPairs(u, p) {
				want, have := placeholder.Find(pair[0], syn), placeholder.Find(pair[1], syn)
				count += len(want)
				if !slices.Equal(want, have) {
					t.Errorf("%s: %s placeholders %q, want %q (text %q)", loc, u.Key, have, want, pair[1])
				}
			}
		}
		if n := strings.Count(string(mustRead(t, corpusPath(loc))), "%{"); count < n/2 {
			t.Errorf("%s: only %d placeholders checked, the file has %d %%{", loc, count, n)
		}
		t.Logf("%s: %d placeholders kept", loc, count)
	}
}

// textPairs pairs a source text with its pseudo text, form by form.
func textPairs(src, ps format.Unit) [][2]string {
	if src.Plural == nil {
		return [][2]string{{src.Text, ps.Text}}
	}
	var out [][2]string
	for _, c := range plural.Categories("ru") {
		out = append(out, [2]string{cmpOr(src.Plural[c], src.Text), ps.Plural[c]})
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, loc := range corpus {
		b, err := os.ReadFile(corpusPath(loc))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range styleCases {
		f.Add([]byte(s.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.Fuzz(t, Format{}, data)
	})
}
