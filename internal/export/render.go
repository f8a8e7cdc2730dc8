package export

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/pseudo"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/token"
)

// parsed is a workspace file parsed once per build, with its translations.
type parsed struct {
	doc      format.Document
	f        format.Format
	settings format.Settings
	// tr maps locale, then key, to the stored translation.
	tr map[string]map[string]store.Translation
}

type renderer struct {
	ctx  context.Context
	r    Reader
	req  Request
	docs map[string]*parsed
}

func (rd *renderer) render(w io.Writer, e entry) error {
	p, err := rd.load(e.file)
	if err != nil {
		return err
	}
	t := format.Target{
		Kind:         kindOf(rd.req.Kind),
		Locale:       e.locale,
		SourceLocale: rd.req.Project.SourceLocale,
		Categories:   categoriesFor(rd.req, e.locale),
	}
	var out func(u *format.Unit) format.Output
	switch rd.req.Kind {
	case store.JobSources:
		out = func(u *format.Unit) format.Output { return tokenized(e.file.ID, u, nil) }
	case store.JobPseudo:
		syntax := p.f.Syntax(p.settings)
		withTokens := rd.req.Params.Tokens == nil || *rd.req.Params.Tokens
		out = func(u *format.Unit) format.Output {
			o := pseudoOutput(u, t.Categories, func(s string) string { return pseudo.Translate(s, syntax) })
			if withTokens {
				o = tokenized(e.file.ID, u, &o)
			}
			return o
		}
	default:
		tr := p.tr[e.locale]
		out = func(u *format.Unit) format.Output { return targetOutput(u, tr[u.Key], p.settings, t.Categories) }
	}
	if err := p.doc.Write(w, t, out); err != nil {
		return fmt.Errorf("export: render %s for %s: %w", e.file.Path, e.locale, err)
	}
	return nil
}

// load parses a file and reads its translations, once per build.
func (rd *renderer) load(f *store.File) (*parsed, error) {
	if p, ok := rd.docs[f.ID]; ok {
		return p, nil
	}
	fm, ok := format.Lookup(f.Parser)
	if !ok {
		return nil, permanent("file %q: unknown parser %q", f.ID, f.Parser)
	}
	settings, err := format.Resolve(fm, f.Settings)
	if err != nil {
		return nil, &Error{Err: fmt.Errorf("file %q: %w", f.ID, err)}
	}
	doc, err := fm.Parse(f.Content, format.ParseOptions{Name: f.Path, Settings: settings})
	if err != nil {
		return nil, &Error{Err: fmt.Errorf("parse %s: %w", f.Path, err)}
	}
	p := &parsed{doc: doc, f: fm, settings: settings, tr: map[string]map[string]store.Translation{}}
	if rd.req.Kind == store.JobTargets {
		locales, _ := locales(rd.req)
		list, err := rd.r.TranslationList(rd.ctx, rd.req.Project.ID, f.ID, locales)
		if err != nil {
			return nil, fmt.Errorf("export: read translations of %s: %w", f.ID, err)
		}
		for _, t := range list {
			if p.tr[t.Locale] == nil {
				p.tr[t.Locale] = map[string]store.Translation{}
			}
			p.tr[t.Locale][t.Key] = t
		}
	}
	rd.docs[f.ID] = p
	return p, nil
}

func kindOf(k store.JobKind) format.Kind {
	switch k {
	case store.JobSources:
		return format.KindSource
	case store.JobPseudo:
		return format.KindPseudo
	}
	return format.KindTarget
}

// writeFlag names the setting that decides whether a status is written.
var writeFlag = map[format.Status]string{
	format.Translated: "writeTranslated",
	format.Reviewed:   "writeReviewed",
	format.Validated:  "writeValidated",
}

// targetOutput decides what a target file holds for one unit: the
// translation when there is one and the file's settings write its status,
// otherwise whatever the untranslated policy says.
func targetOutput(u *format.Unit, t store.Translation, s format.Settings, cats []string) format.Output {
	has := t.Status > format.Untranslated && (t.Text != "" || len(t.Plural) > 0)
	if has && s.Bool(writeFlag[t.Status]) {
		o := format.Output{Text: t.Text, Status: t.Status}
		if u.Plural != nil {
			// A form the translation lacks, "other" included, falls back
			// to the source's rather than to an empty text.
			o.Plural = fillForms(cats, t.Plural, "")
			src := fillForms(cats, u.Plural, u.Text)
			for c, text := range o.Plural {
				if text == "" {
					o.Plural[c] = src[c]
				}
			}
			o.Text = o.Plural["other"]
		}
		return o
	}
	return untranslatedOutput(u, s, cats)
}

// untranslatedOutput applies the writeUntranslated setting and the format's
// untranslated policy (source, omit or empty; source when the format has
// no such setting).
func untranslatedOutput(u *format.Unit, s format.Settings, cats []string) format.Output {
	if !s.Bool("writeUntranslated") {
		return format.Output{Omit: true}
	}
	switch s.String("untranslated") {
	case format.UntranslatedOmit:
		return format.Output{Omit: true}
	case format.UntranslatedEmpty:
		o := format.Output{Status: format.Untranslated}
		if u.Plural != nil {
			o.Plural = fillForms(cats, nil, "")
		}
		return o
	}
	o := format.Output{Text: u.Text, Status: format.Untranslated, Source: true}
	if u.Plural != nil {
		o.Plural = fillForms(cats, u.Plural, u.Text)
		o.Source = sameForms(o.Plural, u.Plural)
	}
	return o
}

// fillForms gives every category of cats a text: the form itself when
// present, else the "other" form, else fallback. Categories that forms has
// beyond cats are filled too: a format may keep an explicit form of its
// own (Rails uses "zero" for a count of 0 in every locale); the others
// write only Target.Categories.
func fillForms(cats []string, forms format.Forms, fallback string) format.Forms {
	out := make(format.Forms, len(cats)+1)
	for c, text := range forms {
		if text != "" && !slices.Contains(cats, c) {
			out[c] = text
		}
	}
	for _, c := range cats {
		switch {
		case forms[c] != "":
			out[c] = forms[c]
		case forms["other"] != "":
			out[c] = forms["other"]
		default:
			out[c] = fallback
		}
	}
	return out
}

func sameForms(a, b format.Forms) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

// pseudoOutput pseudo-translates the source text (every form of a plural).
func pseudoOutput(u *format.Unit, cats []string, translate func(string) string) format.Output {
	o := format.Output{Text: translate(u.Text), Status: format.Translated}
	if u.Plural != nil {
		src := fillForms(cats, u.Plural, u.Text)
		o.Plural = make(format.Forms, len(src))
		for c, text := range src {
			o.Plural[c] = translate(text)
		}
		o.Text = o.Plural["other"]
	}
	return o
}

// tokenized wraps each text of base (the unit's source when base is nil) in
// the string's token.
func tokenized(fileID string, u *format.Unit, base *format.Output) format.Output {
	sig := token.Signature(fileID, u.Key)
	o := format.Output{Text: u.Text, Plural: u.Plural, Status: format.Translated}
	if base != nil {
		o = *base
	}
	o.Text = token.Wrap(sig, o.Text)
	if o.Plural != nil {
		forms := make(format.Forms, len(o.Plural))
		for c, text := range o.Plural {
			forms[c] = token.Wrap(sig, text)
		}
		o.Plural = forms
	}
	o.Source = false
	return o
}
