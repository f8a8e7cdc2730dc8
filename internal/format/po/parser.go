package po

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
)

// Phases of an entry: which keyword came last.
const (
	phaseNone = iota
	phaseCtx
	phaseID
	phasePlural
	phaseStr
)

// entry is one message with its comments, and where its parts lie.
type entry struct {
	start, end int      // raw span, from the first comment to the last line's end
	strStart   int      // start of the first msgstr line
	flagLines  [][2]int // spans of "#," lines, terminators excluded
	flags      []string
	hasCtx     bool
	ctx        string
	id         string
	hasPlural  bool
	idPlural   string
	strs       []string
	notes      []string
	line       int // line of the msgid keyword
}

func (e *entry) key() string {
	if e.hasCtx {
		return e.ctx + "\x04" + e.id
	}
	return e.id
}

func (e *entry) fuzzy() bool {
	for _, f := range e.flags {
		if f == "fuzzy" {
			return true
		}
	}
	return false
}

// parser reads a PO file line by line.
type parser struct {
	lineNo, lineOff int // lines counted up to lineOff
	src             []byte
	name            string
	entries         []*entry
	seen            map[string]bool

	pending      []int // starts of the comment lines waiting for an entry
	pendObsolete bool  // the last pending line is #~
	cur          *entry
	phase        int
	field        *string // what a continuation string appends to
}

func parse(src []byte, opts format.ParseOptions) (*Document, error) {
	p := &parser{src: src, name: opts.Name, seen: map[string]bool{}}
	for pos := 0; pos < len(src); {
		end := bytes.IndexByte(src[pos:], '\n')
		next := len(src)
		if end < 0 {
			end = len(src)
		} else {
			end += pos
			next = end + 1
		}
		if err := p.line(pos, end, next); err != nil {
			return nil, err
		}
		pos = next
	}
	if err := p.finish(len(src)); err != nil {
		return nil, err
	}
	return newDocument(src, opts, p.entries), nil
}

func (p *parser) errorf(offset int, msg string, args ...any) error {
	return format.Errorf(p.name, p.src, offset, msg, args...)
}

// line handles the line src[start:end]; next is where the following line
// starts.
func (p *parser) line(start, end, next int) error {
	text := strings.TrimRight(string(p.src[start:end]), "\r")
	trimmed := strings.TrimLeft(text, " \t")
	indent := start + len(text) - len(trimmed)
	switch {
	case trimmed == "":
		if err := p.finish(start); err != nil {
			return err
		}
		p.pending, p.pendObsolete = nil, false
		return nil
	case trimmed[0] == '#':
		if err := p.finish(start); err != nil {
			return err
		}
		obsolete := strings.HasPrefix(trimmed, "#~")
		if p.pendObsolete && !obsolete {
			// A new comment block starts after an obsolete entry.
			p.pending = nil
		}
		p.pending = append(p.pending, start)
		p.pendObsolete = obsolete
		return nil
	case trimmed[0] == '"':
		if p.field == nil {
			return p.errorf(indent, "string without a keyword before it")
		}
		s, err := p.str(trimmed, indent)
		if err != nil {
			return err
		}
		*p.field += s
		p.cur.end = next
		return nil
	}
	return p.keyword(trimmed, indent, start, next)
}

// keyword handles a msgctxt, msgid, msgid_plural or msgstr line.
func (p *parser) keyword(text string, at, start, next int) error {
	kw, rest := text, ""
	if i := strings.IndexAny(text, " \t"); i >= 0 {
		kw, rest = text[:i], strings.TrimLeft(text[i:], " \t")
	}
	strAt := at + len(text) - len(rest)
	if rest == "" || rest[0] != '"' {
		return p.errorf(at, "expected a keyword and a quoted string, found %q", clip(text))
	}
	if err := p.advance(kw, at, start); err != nil {
		return err
	}
	s, err := p.str(rest, strAt)
	if err != nil {
		return err
	}
	*p.field = s
	p.cur.end = next
	return nil
}

// advance moves the entry's state machine to keyword kw.
func (p *parser) advance(kw string, at, start int) error {
	switch {
	case kw == "msgctxt" || kw == "msgid" && p.phase != phaseCtx:
		if err := p.finish(start); err != nil {
			return err
		}
		p.begin(start)
		if kw == "msgctxt" {
			p.phase, p.cur.hasCtx, p.field = phaseCtx, true, &p.cur.ctx
			return nil
		}
		fallthrough
	case kw == "msgid":
		p.phase, p.field = phaseID, &p.cur.id
		p.cur.line = p.lineAt(at)
	case kw == "msgid_plural":
		if p.phase != phaseID {
			return p.errorf(at, "msgid_plural without msgid")
		}
		p.phase, p.cur.hasPlural, p.field = phasePlural, true, &p.cur.idPlural
	case kw == "msgstr":
		if p.phase != phaseID {
			return p.errorf(at, "msgstr without msgid")
		}
		p.startStr(start)
	case strings.HasPrefix(kw, "msgstr["):
		return p.pluralStr(kw, at, start)
	default:
		return p.errorf(at, "unknown keyword %q", clip(kw))
	}
	return nil
}

func (p *parser) pluralStr(kw string, at, start int) error {
	n, err := strconv.Atoi(strings.TrimSuffix(kw[len("msgstr["):], "]"))
	if err != nil || !strings.HasSuffix(kw, "]") {
		return p.errorf(at, "malformed keyword %q", clip(kw))
	}
	if p.phase != phasePlural && (p.phase != phaseStr || !p.cur.hasPlural) {
		return p.errorf(at, "%s without msgid_plural", kw)
	}
	if p.phase == phasePlural {
		p.cur.strStart = start
	}
	if n != len(p.cur.strs) {
		return p.errorf(at, "%s out of order: want msgstr[%d]", kw, len(p.cur.strs))
	}
	p.phase = phaseStr
	p.cur.strs = append(p.cur.strs, "")
	p.field = &p.cur.strs[n]
	return nil
}

func (p *parser) startStr(start int) {
	p.phase = phaseStr
	p.cur.strStart = start
	p.cur.strs = []string{""}
	p.field = &p.cur.strs[0]
}

// begin starts an entry at the keyword line start, taking the comment
// lines right above it.
func (p *parser) begin(start int) {
	e := &entry{start: start}
	if len(p.pending) > 0 && !p.pendObsolete {
		e.start = p.pending[0]
		p.comments(e)
	}
	p.pending, p.pendObsolete = nil, false
	p.cur = e
}

// finish closes the current entry, if any, before the line at offset.
func (p *parser) finish(offset int) error {
	if p.cur == nil {
		return nil
	}
	if p.phase != phaseStr {
		return p.errorf(offset, "entry without msgstr (msgid at line %d)", p.cur.line)
	}
	if k := p.cur.key(); p.seen[k] {
		return &format.ParseError{File: p.name, Line: p.cur.line, Column: 1, Key: k, Msg: "duplicate message definition"}
	}
	p.seen[p.cur.key()] = true
	p.entries = append(p.entries, p.cur)
	p.cur, p.phase, p.field = nil, phaseNone, nil
	return nil
}

// comments reads the pending comment lines into e.
func (p *parser) comments(e *entry) {
	var extracted, translator, refs []string
	for _, start := range p.pending {
		raw := p.rawLine(start)
		line := strings.TrimLeft(raw, " \t")
		body := strings.TrimPrefix(line[min(2, len(line)):], " ")
		switch {
		case strings.HasPrefix(line, "#,"):
			e.flagLines = append(e.flagLines, [2]int{start, start + len(raw)})
			for _, f := range strings.Split(line[2:], ",") {
				if f = strings.TrimSpace(f); f != "" {
					e.flags = append(e.flags, f)
				}
			}
		case strings.HasPrefix(line, "#."):
			extracted = append(extracted, body)
		case strings.HasPrefix(line, "#:"):
			refs = append(refs, body)
		case strings.HasPrefix(line, "#|"), strings.HasPrefix(line, "#~"):
		default:
			translator = append(translator, strings.TrimPrefix(line[1:], " "))
		}
	}
	e.notes = appendNote(e.notes, "", extracted)
	e.notes = appendNote(e.notes, "", translator)
	e.notes = appendNote(e.notes, "References: ", refs)
}

func appendNote(notes []string, prefix string, lines []string) []string {
	if len(lines) == 0 {
		return notes
	}
	joiner := "\n"
	if prefix != "" {
		joiner = " "
	}
	return append(notes, prefix+strings.Join(lines, joiner))
}

// rawLine returns the line at start without its terminator.
func (p *parser) rawLine(start int) string {
	end := bytes.IndexByte(p.src[start:], '\n')
	if end < 0 {
		end = len(p.src) - start
	}
	return strings.TrimRight(string(p.src[start:start+end]), "\r")
}

// clip shortens s for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "..."
	}
	return s
}

// lineAt returns the 1-based line of offset off; offsets must not
// decrease between calls, so the whole file is counted once.
func (p *parser) lineAt(off int) int {
	p.lineNo += bytes.Count(p.src[p.lineOff:off], []byte("\n"))
	p.lineOff = off
	return p.lineNo + 1
}
