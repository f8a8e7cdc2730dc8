// Package format defines the contract every resource-file format implements:
// parse a file into translatable units, then write the same file back with any
// unit's text replaced, leaving every other byte as it was.
//
// A format package (format/json, format/po, ...) knows nothing of projects,
// jobs or HTTP. It registers itself with Register and is found by name.
package format

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/tolk-l10n/tolk/internal/placeholder"
)

// Status is the state of a translation. The order matters: a higher status
// is a further-checked translation.
type Status int

const (
	Untranslated Status = iota
	Translated
	Reviewed
	Validated
)

var statusNames = [...]string{"untranslated", "translated", "reviewed", "validated"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// ParseStatus reads a status name as the API spells it.
func ParseStatus(s string) (Status, error) {
	for i, n := range statusNames {
		if strings.EqualFold(s, n) {
			return Status(i), nil
		}
	}
	return 0, fmt.Errorf("unknown status %q (want one of %s)", s, strings.Join(statusNames[:], ", "))
}

// Forms holds one text per CLDR plural category ("zero", "one", "two",
// "few", "many", "other"). A nil Forms means the unit is not a plural.
type Forms map[string]string

// Unit is one translatable string of a file.
type Unit struct {
	// Key identifies the unit within its file; it is stable across uploads
	// and, with the file id, forms the string id. Formats with a context
	// (PO msgctxt) fold it into the key.
	Key string
	// Text is the decoded text: the source text when a source file is
	// parsed, the translation when a translated file is parsed for import.
	// For a plural unit it is the "other" form.
	Text string
	// Plural is non-nil for a plural unit: the text of each category the
	// file has.
	Plural Forms
	// Notes are comments meant for translators (developer comments,
	// character limits, extracted comments).
	Notes []string
	// Status is set only when a translated file is parsed for import and
	// the file itself says how far the text is (PO's fuzzy flag, XLIFF's
	// state); Untranslated there means "the file says: not translated".
	// HasStatus tells whether the file said anything at all.
	Status    Status
	HasStatus bool
	// Line is the 1-based line where the unit starts, for messages.
	Line int
}

// Output is what the exporter decided to write for one unit.
type Output struct {
	// Text is the text to write; for a plural unit, the "other" form.
	Text string
	// Plural holds the forms to write for a plural unit, one per category
	// the target locale needs (Target.Categories).
	Plural Forms
	// Status is the status of Text. Untranslated with an empty Text means
	// the format's own way of saying "no translation" (PO's empty msgstr,
	// XLIFF without <target>).
	Status Status
	// Omit leaves the unit out of the written file.
	Omit bool
	// Source is true when Text is exactly the unit's source text; writers
	// then reproduce the source bytes unchanged.
	Source bool
}

// Kind says which export a document is written for.
type Kind int

const (
	KindTarget Kind = iota // translated file for Target.Locale
	KindSource             // the source file, texts wrapped in tokens
	KindPseudo             // pseudo-translation for Target.Locale
)

// Target describes the file being written.
type Target struct {
	Kind Kind
	// Locale is the BCP 47 locale the file is written for (the source
	// locale for KindSource).
	Locale string
	// SourceLocale is the project's source locale.
	SourceLocale string
	// Categories are the plural categories Locale needs, in CLDR order.
	Categories []string
}

// A Document is a parsed file. It is read-only after Parse and may be
// written many times, concurrently.
type Document interface {
	// Units returns the translatable units in file order.
	Units() []Unit
	// Write renders the document to w, asking out for the text of every
	// unit. Every byte that belongs to no unit text is written as parsed.
	Write(w io.Writer, t Target, out func(u *Unit) Output) error
}

// ParseOptions carries what a parser needs besides the bytes.
type ParseOptions struct {
	// Name is the file's path, for error messages.
	Name string
	// Settings are the file's parser settings, defaults filled in.
	Settings Settings
	// Translation is true when the file is a translation being imported
	// rather than a source file (bilingual formats then read targets).
	Translation bool
}

// Format is a resource-file format.
type Format interface {
	// Name is the parser id used in the API ("json", "po", ...).
	Name() string
	// Settings lists the format's own settings; CommonSettings apply to
	// every format in addition.
	Settings() []Setting
	// Syntax tells which placeholder syntaxes occur in the format's texts,
	// so pseudo-translation and QA keep them intact.
	Syntax(s Settings) placeholder.Syntax
	// Parse reads src. Errors are *ParseError when the input is at fault.
	Parse(src []byte, opts ParseOptions) (Document, error)
}

var (
	regMu    sync.RWMutex
	registry = map[string]Format{}
	aliases  = map[string]string{}
)

// Register makes f available under its name and any aliases. It panics on a
// duplicate, as it runs from init.
func Register(f Format, alias ...string) {
	regMu.Lock()
	defer regMu.Unlock()
	name := strings.ToLower(f.Name())
	if _, dup := registry[name]; dup {
		panic("format: Register called twice for " + name)
	}
	registry[name] = f
	for _, a := range alias {
		aliases[strings.ToLower(a)] = name
	}
}

// Lookup finds a format by name or alias, case-insensitively.
func Lookup(name string) (Format, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	n := strings.ToLower(name)
	if a, ok := aliases[n]; ok {
		n = a
	}
	f, ok := registry[n]
	return f, ok
}

// Names lists the registered formats, sorted.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
