package po

import (
	"bytes"
	"io"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// Document is a parsed PO or POT file.
type Document struct {
	src     []byte
	entries []*entry
	header  *entry // nil without a header entry
	units   []format.Unit
	unitOf  []int      // entry index -> unit index, -1 for the header
	rule    pluralRule // the file's own Plural-Forms, when it has one
	hasRule bool
	eol     string
	unixEOL bool
}

var _ format.Document = (*Document)(nil)

func newDocument(src []byte, opts format.ParseOptions, entries []*entry) *Document {
	d := &Document{src: src, entries: entries, eol: "\n", unixEOL: opts.Settings.Bool("unixNewline")}
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		d.eol = "\r\n"
	}
	for _, e := range entries {
		if !e.hasCtx && e.id == "" && d.header == nil {
			d.header = e
		}
	}
	lang := ""
	if d.header != nil {
		lang = headerField(d.header.strs[0], "Language")
		d.rule, d.hasRule = headerRule(headerField(d.header.strs[0], "Plural-Forms"), lang)
	}
	d.unitOf = make([]int, len(entries))
	for i, e := range entries {
		d.unitOf[i] = -1
		if e != d.header {
			d.unitOf[i] = len(d.units)
			d.units = append(d.units, d.unit(e, opts, lang))
		}
	}
	return d
}

// unit builds the unit of a message entry.
func (d *Document) unit(e *entry, opts format.ParseOptions, lang string) format.Unit {
	u := format.Unit{Key: e.key(), Line: e.line, Notes: e.notes}
	if e.hasCtx {
		u.Notes = append([]string{"Context: " + e.ctx}, e.notes...)
	}
	if !opts.Translation {
		u.Text = e.id
		if e.hasPlural {
			u.Text = e.idPlural
			u.Plural = format.Forms{"one": e.id, "other": e.idPlural}
		}
		return u
	}
	u.HasStatus = true
	u.Text = e.strs[0]
	done := e.strs[0] != ""
	if e.hasPlural {
		u.Plural = d.importForms(e.strs, lang)
		u.Text = u.Plural["other"]
		for _, s := range e.strs {
			done = done && s != ""
		}
	}
	if done && (!e.fuzzy() || opts.Settings.Bool("importFuzzy")) {
		u.Status = format.Translated
	}
	return u
}

// importForms maps msgstr[i] to CLDR categories by the file's formula; a
// category of the language that no index covers (one reached only by
// fractions) takes the last form, gettext's catch-all.
func (d *Document) importForms(strs []string, lang string) format.Forms {
	rule := d.rule
	if !d.hasRule {
		rule = pluralRule{cats: fallbackCats(lang, len(strs))}
	}
	f := format.Forms{}
	for i, s := range strs {
		if i < len(rule.cats) {
			f[rule.cats[i]] = s
		}
	}
	last := strs[min(len(strs), len(rule.cats))-1]
	for _, c := range plural.Categories(lang) {
		if _, ok := f[c]; !ok {
			f[c] = last
		}
	}
	if _, ok := f["other"]; !ok {
		f["other"] = last
	}
	return f
}

// Units implements format.Document.
func (d *Document) Units() []format.Unit {
	out := make([]format.Unit, len(d.units))
	copy(out, d.units)
	return out
}

// headerField returns the value of a "Name: value" line of a header.
func headerField(header, name string) string {
	for _, l := range strings.Split(header, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Write implements format.Document.
func (d *Document) Write(w io.Writer, t format.Target, out func(u *format.Unit) format.Output) error {
	var sb strings.Builder
	prev := 0
	if d.header == nil && t.Kind != format.KindSource {
		prev = d.writeNewHeader(&sb, t)
	}
	for i, e := range d.entries {
		gap := string(d.src[prev:e.start])
		prev = e.end
		if d.unitOf[i] < 0 {
			sb.WriteString(gap)
			d.writeHeader(&sb, e, t)
			continue
		}
		u := d.units[d.unitOf[i]]
		o := out(&u)
		if o.Omit {
			// Drop the blank line that separated the entry, too.
			sb.WriteString(trimBlankLines(gap))
			continue
		}
		sb.WriteString(gap)
		d.writeEntry(&sb, e, &u, o, t)
	}
	sb.WriteString(string(d.src[prev:]))
	b := []byte(sb.String())
	if d.unixEOL {
		b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	_, err := w.Write(b)
	return err
}

// trimBlankLines drops the blank lines at the end of gap, which holds
// whole lines.
func trimBlankLines(gap string) string {
	for gap != "" {
		body := strings.TrimSuffix(gap, "\n")
		i := strings.LastIndexByte(body, '\n')
		if strings.TrimSpace(body[i+1:]) != "" {
			return gap
		}
		gap = gap[:i+1]
	}
	return gap
}
