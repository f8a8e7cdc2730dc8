package po

import (
	"strconv"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
)

// writeEntry writes a message entry: its original bytes when neither the
// msgstr nor the flags change, else its comments and keywords as they were
// followed by the new msgstr.
func (d *Document) writeEntry(sb *strings.Builder, e *entry, u *format.Unit, o format.Output, t format.Target) {
	raw := string(d.src[e.start:e.end])
	// A source export keeps an entry whose text is the source's. In a
	// target the source text is a translation (policy "source"): it goes
	// into msgstr like any other.
	if t.Kind == format.KindSource && (o.Source || o.Text == u.Text && formsEqual(o.Plural, u.Plural)) {
		sb.WriteString(raw)
		return
	}
	strs := d.targetStrs(e, o, t)
	unfuzzy := t.Kind != format.KindSource && o.Status >= format.Translated && o.Text != "" && e.fuzzy()
	if !unfuzzy && equal(strs, e.strs) {
		sb.WriteString(raw)
		return
	}
	var msg strings.Builder
	d.writePrefix(&msg, e, unfuzzy)
	if e.hasPlural {
		for i, s := range strs {
			writeMsg(&msg, "msgstr["+strconv.Itoa(i)+"]", s, d.eol)
		}
	} else {
		writeMsg(&msg, "msgstr", strs[0], d.eol)
	}
	d.writeEnd(sb, msg.String(), raw)
}

// writeEnd writes a rewritten entry, without a final line terminator when
// the original had none (the last line of a file).
func (d *Document) writeEnd(sb *strings.Builder, msg, raw string) {
	if !strings.HasSuffix(raw, "\n") {
		msg = strings.TrimSuffix(msg, d.eol)
	}
	sb.WriteString(msg)
}

// targetStrs are the msgstr texts to write: one, or one per index of the
// plural formula in force.
func (d *Document) targetStrs(e *entry, o format.Output, t format.Target) []string {
	if !e.hasPlural {
		return []string{o.Text}
	}
	rule := writeRule(t)
	if t.Kind == format.KindSource && d.hasRule {
		rule = d.rule
	}
	strs := make([]string, len(rule.cats))
	for i, c := range rule.cats {
		s, ok := o.Plural[c]
		if !ok {
			s = o.Text
		}
		strs[i] = s
	}
	return strs
}

// writePrefix writes the entry up to its msgstr, without the fuzzy flag
// when unfuzzy is set.
func (d *Document) writePrefix(sb *strings.Builder, e *entry, unfuzzy bool) {
	pos := e.start
	if unfuzzy {
		for _, span := range e.flagLines {
			sb.Write(d.src[pos:span[0]])
			pos = span[1]
			flags := withoutFuzzy(string(d.src[span[0]:span[1]]))
			if flags == "" {
				// Drop the whole line with its terminator.
				pos = skipEOL(d.src, pos)
				continue
			}
			sb.WriteString("#, " + flags)
		}
	}
	sb.Write(d.src[pos:e.strStart])
}

func skipEOL(src []byte, i int) int {
	if i < len(src) && src[i] == '\r' {
		i++
	}
	if i < len(src) && src[i] == '\n' {
		i++
	}
	return i
}

// withoutFuzzy returns the flags of a "#," line other than fuzzy, joined
// as gettext writes them.
func withoutFuzzy(line string) string {
	var keep []string
	for _, f := range strings.Split(strings.TrimPrefix(strings.TrimLeft(line, " \t"), "#,"), ",") {
		if f = strings.TrimSpace(f); f != "" && f != "fuzzy" {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, ", ")
}

// writeHeader writes the header entry, for a target with the target's
// Language and Plural-Forms.
func (d *Document) writeHeader(sb *strings.Builder, e *entry, t format.Target) {
	raw := string(d.src[e.start:e.end])
	if t.Kind == format.KindSource || e.hasPlural {
		sb.WriteString(raw)
		return
	}
	h := e.strs[0]
	if t.Locale != "" {
		h = setField(h, "Language", gettextLocale(t.Locale), "Language-Team")
	}
	h = setField(h, "Plural-Forms", writeRule(t).header(), "")
	if ct := headerField(h, "Content-Type"); strings.Contains(ct, "charset=CHARSET") {
		h = setField(h, "Content-Type", strings.Replace(ct, "charset=CHARSET", "charset=UTF-8", 1), "")
	}
	if h == e.strs[0] && !e.fuzzy() {
		sb.WriteString(raw)
		return
	}
	var msg strings.Builder
	d.writePrefix(&msg, e, true)
	writeMsg(&msg, "msgstr", h, d.eol)
	d.writeEnd(sb, msg.String(), raw)
}

// writeNewHeader writes a minimal header entry at the top of a target made
// from a file that has none (a POT written by hand or by a tool that skips
// it): without Plural-Forms, msgfmt refuses plural entries, and without a
// charset it cannot read non-ASCII translations. It returns the number of
// source bytes written (a BOM stays in front).
func (d *Document) writeNewHeader(sb *strings.Builder, t format.Target) int {
	n := 0
	if strings.HasPrefix(string(d.src), "\uFEFF") {
		n = len("\uFEFF")
		sb.WriteString("\uFEFF")
	}
	h := "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
	if t.Locale != "" {
		h += "Language: " + gettextLocale(t.Locale) + "\n"
	}
	h += "Plural-Forms: " + writeRule(t).header() + "\n"
	sb.WriteString("msgid \"\"" + d.eol + "msgstr \"\"" + d.eol)
	for _, l := range splitAfterNewline(h) {
		sb.WriteString(`"` + quote(l) + `"` + d.eol)
	}
	if len(d.entries) > 0 {
		sb.WriteString(d.eol)
	}
	return n
}

// setField sets "name: value" in a header, replacing the field's line or
// adding one after the field named after (at the end when absent).
func setField(header, name, value, after string) string {
	nl := strings.HasSuffix(header, "\n")
	lines := strings.Split(strings.TrimSuffix(header, "\n"), "\n")
	line := name + ": " + value
	at := len(lines)
	for i, l := range lines {
		k, _, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case name:
			lines[i] = line
			return join(lines, nl)
		case after:
			at = i + 1
		}
	}
	if len(lines) == 1 && lines[0] == "" {
		lines = nil
		at = 0
	}
	lines = append(lines[:at], append([]string{line}, lines[at:]...)...)
	return join(lines, true)
}

func join(lines []string, nl bool) string {
	s := strings.Join(lines, "\n")
	if nl {
		s += "\n"
	}
	return s
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func formsEqual(a, b format.Forms) bool {
	if len(a) != len(b) {
		return false
	}
	for c, s := range a {
		if t, ok := b[c]; !ok || s != t {
			return false
		}
	}
	return true
}
