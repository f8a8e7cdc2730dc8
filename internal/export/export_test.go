package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	_ "github.com/tolk-l10n/tolk/internal/format/json"
	"github.com/tolk-l10n/tolk/internal/store"
)

// memReader serves a fixed project state.
type memReader struct {
	files []store.File
	rules []store.TargetRule
	tr    []store.Translation
}

func (m *memReader) FileList(context.Context, int64) ([]store.File, error) { return m.files, nil }
func (m *memReader) TargetRuleList(context.Context, int64) ([]store.TargetRule, error) {
	return m.rules, nil
}
func (m *memReader) TranslationList(_ context.Context, _ int64, fileID string, locales []string) ([]store.Translation, error) {
	var out []store.Translation
	for _, t := range m.tr {
		if t.FileID == fileID && slices.Contains(locales, t.Locale) {
			out = append(out, t)
		}
	}
	return out, nil
}

func setup(t *testing.T) (*memReader, Request) {
	t.Helper()
	src := "{\n  \"menu\": {\n    \"open\": \"Open\",\n    \"close\": \"Close {{name}}\"\n  },\n  \"count\": 3\n}\n"
	r := &memReader{
		files: []store.File{{ID: "main", Path: "locales/en.json", Parser: "json", TargetRule: "TR", Content: []byte(src)}},
		rules: []store.TargetRule{{ID: "TR", Rule: "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)"}},
		tr: []store.Translation{
			{FileID: "main", Key: "menu.open", Locale: "de-DE", Text: "Öffnen", Status: format.Translated},
			{FileID: "main", Key: "menu.open", Locale: "ja-JP", Text: "開く", Status: format.Reviewed},
		},
	}
	req := Request{Project: store.Project{ID: 1, SourceLocale: "en", TargetLocales: []string{"de-DE", "ja-JP"}, PseudoLocale: "qps-ploc"}, Kind: store.JobTargets}
	return r, req
}

func build(t *testing.T, r Reader, req Request) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Build(context.Background(), r, req, &buf, nil); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return buf.Bytes()
}

func entries(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
		names = append(names, f.Name)
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %v", names)
	}
	return out
}

func TestTargets(t *testing.T) {
	r, req := setup(t)
	data := build(t, r, req)
	got := entries(t, data)
	if len(got) != 2 {
		t.Fatalf("entries = %v, want de-DE and ja-JP", got)
	}
	de := got["locales/de-DE.json"]
	var m map[string]map[string]string
	if err := json.Unmarshal([]byte(strings.Replace(de, `"count": 3`, `"count": {}`, 1)), &m); err != nil {
		t.Fatalf("de-DE.json is not JSON: %v\n%s", err, de)
	}
	if m["menu"]["open"] != "Öffnen" || m["menu"]["close"] != "Close {{name}}" {
		t.Errorf("de-DE.json = %s; want the translation and the source text for the untranslated key", de)
	}
	if !strings.Contains(got["locales/ja-JP.json"], `"開く"`) {
		t.Errorf("ja-JP.json lacks the reviewed translation: %s", got["locales/ja-JP.json"])
	}
	if again := build(t, r, req); !bytes.Equal(again, data) {
		t.Error("two builds of the same state differ; archives must be deterministic")
	}
}

func TestWriteSettings(t *testing.T) {
	r, req := setup(t)
	r.files[0].Settings = map[string]any{"writeReviewed": false}
	got := entries(t, build(t, r, req))
	if strings.Contains(got["locales/ja-JP.json"], "開く") || !strings.Contains(got["locales/ja-JP.json"], `"Open"`) {
		t.Errorf("writeReviewed=false must write the source text: %s", got["locales/ja-JP.json"])
	}
	r.files[0].Settings = map[string]any{"writeUntranslated": false}
	got = entries(t, build(t, r, req))
	if strings.Contains(got["locales/de-DE.json"], "close") {
		t.Errorf("writeUntranslated=false must leave the untranslated key out: %s", got["locales/de-DE.json"])
	}
}

func TestSourcesAndPseudo(t *testing.T) {
	r, req := setup(t)
	req.Kind = store.JobSources
	src := entries(t, build(t, r, req))["locales/en.json"]
	if strings.Count(src, "\u206A\u206A\u206A") != 2 {
		t.Errorf("sources: want two tokens, got %q", src)
	}
	req.Kind = store.JobPseudo
	all := entries(t, build(t, r, req))
	ps := all["locales/qps-ploc.json"]
	if ps == "" {
		t.Fatalf("pseudo entries: %v", all)
	}
	if !strings.Contains(ps, "{{name}}") || strings.Contains(ps, `"Open"`) {
		t.Errorf("pseudo must keep {{name}} and change texts: %q", ps)
	}
}

func TestRuleOutsideProject(t *testing.T) {
	r, req := setup(t)
	r.rules[0].Rule = "../../$(targetLocale).json"
	err := Build(context.Background(), r, req, io.Discard, nil)
	if err == nil || !IsPermanent(err) {
		t.Fatalf("Build = %v, want a permanent error", err)
	}
}

func TestUnknownLocale(t *testing.T) {
	r, req := setup(t)
	req.Params.Locales = []string{"fr-FR"}
	if err := Build(context.Background(), r, req, io.Discard, nil); err == nil || !IsPermanent(err) {
		t.Fatalf("Build = %v, want a permanent error", err)
	}
}

func TestPluralFallback(t *testing.T) {
	u := &format.Unit{Key: "n", Text: "%d days", Plural: format.Forms{"one": "%d day", "other": "%d days"}}
	s := format.Settings{"writeTranslated": true, "writeUntranslated": true}
	ru := []string{"one", "few", "many", "other"}
	// A Russian translation without "other": the missing forms come from
	// the translation's other... which is missing too, so from the source.
	o := targetOutput(u, store.Translation{Status: format.Translated, Plural: format.Forms{"one": "%d день", "few": "%d дня"}}, s, ru)
	want := format.Forms{"one": "%d день", "few": "%d дня", "many": "%d days", "other": "%d days"}
	if !sameForms(o.Plural, want) {
		t.Errorf("forms = %v, want %v", o.Plural, want)
	}
	// With "other" translated, the missing "many" takes it.
	o = targetOutput(u, store.Translation{Status: format.Translated, Plural: format.Forms{"one": "%d день", "other": "%d дней"}}, s, ru)
	if o.Plural["many"] != "%d дней" || o.Plural["few"] != "%d дней" || o.Text != "%d дней" {
		t.Errorf("forms = %v, want few and many from the translated other", o.Plural)
	}
	// Untranslated: every form from the source.
	o = targetOutput(u, store.Translation{}, s, ru)
	if o.Plural["few"] != "%d days" || o.Plural["one"] != "%d day" || o.Status != format.Untranslated {
		t.Errorf("untranslated forms = %v", o.Plural)
	}
}
