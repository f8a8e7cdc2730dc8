package export

import (
	"bytes"
	stdflate "compress/flate"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/flate"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

// corpusProject is the overseerr JSON corpus (1,259 keys) with its three
// translations, as the exporter reads it.
func corpusProject(b *testing.B) (*memReader, Request) {
	b.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "json-flat-icu", "overseerr", "src", "i18n", "locale")
	en, err := os.ReadFile(filepath.Join(dir, "en.json"))
	if err != nil {
		b.Skipf("corpus not beside the checkout: %v", err)
	}
	fm, _ := format.Lookup("json")
	settings, _ := format.Resolve(fm, nil)
	r := &memReader{rules: []store.TargetRule{{ID: "TR", Rule: DefaultRule}}}
	locales := []string{"de", "ru", "ja"}
	// Eight copies of the file make a project of about 10,000 strings.
	for i := range 8 {
		id := "f" + string(rune('0'+i))
		r.files = append(r.files, store.File{ID: id, Path: id + "/en.json", Parser: "json", TargetRule: "TR", Content: en})
		for _, loc := range locales {
			tr, err := os.ReadFile(filepath.Join(dir, loc+".json"))
			if err != nil {
				b.Fatal(err)
			}
			doc, err := fm.Parse(tr, format.ParseOptions{Settings: settings, Translation: true})
			if err != nil {
				b.Fatal(err)
			}
			for _, u := range doc.Units() {
				r.tr = append(r.tr, store.Translation{FileID: id, Key: u.Key, Locale: loc, Text: u.Text, Status: format.Translated})
			}
		}
	}
	req := Request{Project: store.Project{ID: 1, SourceLocale: "en", TargetLocales: locales, PseudoLocale: "qps-ploc"}, Kind: store.JobTargets}
	return r, req
}

// BenchmarkBuild measures whole exports of a 10,000-string project.
func BenchmarkBuild(b *testing.B) {
	r, req := corpusProject(b)
	for _, kind := range []store.JobKind{store.JobTargets, store.JobSources, store.JobPseudo} {
		b.Run(string(kind), func(b *testing.B) {
			req.Kind = kind
			var size int64
			b.ReportAllocs()
			for b.Loop() {
				cw := &counter{}
				if err := Build(context.Background(), r, req, cw, nil); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(size), "zip-bytes")
		})
	}
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkDeflate compares the standard library's deflate with
// klauspost/compress on rendered target files, the choice Build makes.
func BenchmarkDeflate(b *testing.B) {
	r, _ := corpusProject(b)
	// 24 copies of the source file: the size of the targets of the
	// project BenchmarkBuild exports (8 files x 3 locales).
	data := bytes.Repeat(r.files[0].Content, 24)
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			w, _ := stdflate.NewWriter(io.Discard, stdflate.DefaultCompression)
			_, _ = w.Write(data)
			_ = w.Close()
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			w, _ := flate.NewWriter(io.Discard, flate.DefaultCompression)
			_, _ = w.Write(data)
			_ = w.Close()
		}
	})
}
