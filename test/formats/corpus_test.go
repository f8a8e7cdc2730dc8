package formats

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// setResult collects one table row.
type setResult struct {
	files, units, stored, targetsChecked, targetsFailed int
	unitsByFile                                         map[string]int
	aligned                                             map[string]alignAnswer // by "fileID/locale"
	roundTrip                                           string
	pseudo, sources, badInput                           string
}

// TestCorpusProject puts the whole corpus into one project on the real
// server and checks every file of the target, pseudo and source exports
// with its consumer. Reproduce: go test ./test/formats -v -run TestCorpusProject
func TestCorpusProject(t *testing.T) {
	started := time.Now()
	s := startServer(t)
	p := createProject(t, s)
	results := map[string]*setResult{}
	for _, set := range corpusSets {
		results[set.name] = &setResult{unitsByFile: map[string]int{}, aligned: map[string]alignAnswer{}}
	}
	p.setUp(t, results)
	checkCorpusFacts(t, results)

	targetZip := p.processZip(t, "targets")
	if async := p.processAsync(t, "targets"); !bytes.Equal(async, targetZip) {
		t.Errorf("asynchronous targets download (%d bytes) differs from the returnZip answer (%d bytes)", len(async), len(targetZip))
	}
	targets := unzip(t, targetZip, filepath.Join(t.TempDir(), "targets"))
	p.checkTargets(t, targets, results)

	pseudoDir := filepath.Join(t.TempDir(), "pseudo")
	p.checkPseudo(t, unzip(t, p.processZip(t, "pseudo"), pseudoDir), pseudoDir, results)
	checkNoTokens(t, unzip(t, p.processZip(t, "pseudo", "tokens=false"), filepath.Join(t.TempDir(), "pseudo-plain")))
	sourcesDir := filepath.Join(t.TempDir(), "sources")
	p.checkSources(t, unzip(t, p.processZip(t, "sources"), sourcesDir), sourcesDir, results)

	p.checkRoundTrip(t, targets, results)
	p.checkBadInput(t, results)
	p.checkHostileXML(t)

	table := resultTable(results)
	t.Logf("results (%.1fs):\n%s", time.Since(started).Seconds(), table)
	writeResults(t, table)
}

// expectedValues is what a key-value target must hold for locale: the
// translation when there is one, else the source text (the "source"
// untranslated policy those formats default to).
func (p *project) expectedValues(t *testing.T, fileID, locale string) map[string]string {
	t.Helper()
	want := map[string]string{}
	for _, it := range p.stringsOf(t, fileID, locale) {
		v := it.Source
		if it.Translation != nil && it.Status != "untranslated" {
			v = *it.Translation
		}
		want[it.Key] = v
	}
	return want
}

// sameBytesUntranslated are the formats whose target, for a locale nothing
// is translated into, is the source file byte for byte: the untranslated
// policy "source" writes every source text, unchanged texts keep their raw
// bytes, and the file has no locale marker (ARB has one only when the source
// has, and aves' has none).
var sameBytesUntranslated = map[string]bool{"json": true, "properties": true, "strings": true, "resx": true, "arb": true}

// reEmptyForm is a plural form written without text: an Android <item
// quantity> or a stringsdict category key followed by an empty <string>.
var reEmptyForm = regexp.MustCompile(`<item quantity="\w+">\s*</item>|<key>(?:zero|one|two|few|many|other)</key>\s*<string>\s*</string>|<key>(?:zero|one|two|few|many|other)</key>\s*<string/>`)

// checkTargets: one file per source file and locale at the rule's path,
// each accepted by its consumer and holding the expected locale marker and
// values.
func (p *project) checkTargets(t *testing.T, files map[string][]byte, results map[string]*setResult) {
	t.Helper()
	want := map[string]bool{}
	var propFiles []string
	propWant := map[string]map[string]string{}
	dirOf := map[string]string{}
	for _, set := range corpusSets {
		res := results[set.name]
		for _, f := range set.files {
			for _, loc := range targetLocales {
				name := set.target(f.path, loc)
				want[name] = true
				data, ok := files[name]
				if !ok {
					continue
				}
				disk := filepath.Join(t.TempDir(), filepath.Base(name))
				writeFile(t, disk, data)
				if set.parser == "properties" {
					propFiles = append(propFiles, disk)
					propWant[disk] = p.expectedValues(t, f.id, loc)
					dirOf[disk] = name
					continue
				}
				if err := p.checkTarget(t, set, f, loc, name, disk, data); err != nil {
					t.Errorf("target %s: %v", name, err)
					res.targetsFailed++
					continue
				}
				res.targetsChecked++
			}
		}
	}
	checkNames(t, "targets", files, want)
	p.checkPropertiesTargets(t, propFiles, propWant, dirOf, results["java-properties"])
}

func (p *project) checkTarget(t *testing.T, set corpusSet, f corpusFile, loc, name, disk string, data []byte) error {
	t.Helper()
	if err := consumerCheck(t, name, disk, data); err != nil {
		return err
	}
	if _, translated := f.trans[loc]; !translated && sameBytesUntranslated[set.parser] {
		if src := readCorpus(t, f.path); !bytes.Equal(data, src) {
			return errorf("nothing is translated into %s, yet the target differs from the source (%d vs %d bytes)", loc, len(data), len(src))
		}
	}
	switch set.parser {
	case "yaml":
		if root, _ := yamlRoot(data); root != loc {
			return errorf("YAML root key %q, want the target locale %q", root, loc)
		}
	case "strings":
		got, _ := readAppleStrings(data)
		return compareValues(got, p.expectedValues(t, f.id, loc))
	case "json", "arb":
		got, err := jsonValues(data, set.parser == "arb")
		if err != nil {
			return err
		}
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		if v, ok := m["@@locale"]; ok && set.parser == "arb" && v != under(loc) {
			return errorf("@@locale %v, want %s", v, under(loc))
		}
		return compareValues(got, p.expectedValues(t, f.id, loc))
	case "resx":
		got, err := resxValues(data)
		if err != nil {
			return err
		}
		return compareValues(got, p.expectedValues(t, f.id, loc))
	case "android", "stringsdict":
		// Only where the source has no empty form: Mastodon's stringsdict
		// has empty forms on purpose (a variable that prints nothing).
		if m := reEmptyForm.Find(data); m != nil && !reEmptyForm.Match(readCorpus(t, f.path)) {
			return errorf("empty plural form %s (written for a category the translation lacks?)", m)
		}
		if set.parser == "android" {
			return checkAndroidPlurals(data, loc)
		}
		return checkStringsdictPlurals(data, loc)
	case "xliff":
		return checkXLIFFLanguage(data, loc)
	case "po":
		if !bytes.Contains(data, []byte(`"Language: `+under(loc)+`\n"`)) {
			return errorf("PO header lacks Language: %s", under(loc))
		}
	}
	return nil
}

func (p *project) checkPropertiesTargets(t *testing.T, files []string, want map[string]map[string]string, names map[string]string, res *setResult) {
	t.Helper()
	loaded := javaProperties(t, files)
	if loaded == nil {
		return
	}
	for _, disk := range files {
		if err := compareValues(loaded[disk], want[disk]); err != nil {
			t.Errorf("target %s loaded by java.util.Properties: %v", names[disk], err)
			res.targetsFailed++
			continue
		}
		res.targetsChecked++
	}
}

// compareValues reports keys missing, extra or with another value.
func compareValues(got, want map[string]string) error {
	var diffs []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+quote(k))
		case g != w:
			diffs = append(diffs, quote(k)+": got "+quote(g)+", want "+quote(w))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "unexpected key "+quote(k))
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	sort.Strings(diffs)
	n := len(diffs)
	if n > 5 {
		diffs = append(diffs[:5], "...")
	}
	return errorf("%d of %d values differ: %s", n, len(want), strings.Join(diffs, "; "))
}

// checkNoTokens: with tokens=false the pseudo export has no invisible token.
func checkNoTokens(t *testing.T, files map[string][]byte) {
	t.Helper()
	if len(files) == 0 {
		t.Errorf("pseudo export with tokens=false is empty")
	}
	for name, data := range files {
		if n := countTokens(data); n > 0 {
			t.Errorf("pseudo %s with tokens=false holds %d tokens", name, n)
		}
	}
}
