package format

import (
	"fmt"
	"sort"
)

// Setting declares one parser setting of a format.
type Setting struct {
	Name    string
	Default any      // bool, string or float64 (JSON numbers)
	Values  []string // allowed values of a string setting; nil means any
	Doc     string
}

// Settings are a file's parser settings, as JSON decodes them.
type Settings map[string]any

// CommonSettings apply to every format. They decide which translations are
// written (see the spec's parser settings); the exporter applies them.
var CommonSettings = []Setting{
	{Name: "writeUntranslated", Default: true, Doc: "write untranslated strings (with their source text, or as the format's untranslated setting says); false leaves them out"},
	{Name: "writeTranslated", Default: true, Doc: "write translations whose status is translated; false treats them as untranslated"},
	{Name: "writeReviewed", Default: true, Doc: "write translations whose status is reviewed; false treats them as untranslated"},
	{Name: "writeValidated", Default: true, Doc: "write translations whose status is validated; false treats them as untranslated"},
	{Name: "unixNewline", Default: false, Doc: "write every line ending as LF; false keeps the source file's line endings"},
}

// The values of a format's "untranslated" setting: what a file written for a
// target holds for a string that has no translation to write.
const (
	UntranslatedSource = "source" // the source text
	UntranslatedOmit   = "omit"   // nothing: the entry is left out
	UntranslatedEmpty  = "empty"  // the format's own "no translation"
)

// UntranslatedSetting declares a format's "untranslated" setting with its
// default and what it means in the format.
func UntranslatedSetting(def, doc string) Setting {
	return Setting{Name: "untranslated", Default: def,
		Values: []string{UntranslatedSource, UntranslatedOmit, UntranslatedEmpty}, Doc: doc}
}

// AllSettings returns the common settings followed by f's own.
func AllSettings(f Format) []Setting {
	return append(append([]Setting(nil), CommonSettings...), f.Settings()...)
}

// Resolve validates user settings against f's declared settings and fills in
// defaults. Unknown names and values of the wrong type are errors.
func Resolve(f Format, user map[string]any) (Settings, error) {
	decl := AllSettings(f)
	byName := make(map[string]Setting, len(decl))
	out := make(Settings, len(decl))
	for _, s := range decl {
		byName[s.Name] = s
		out[s.Name] = s.Default
	}
	names := make([]string, 0, len(user))
	for n := range user {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := user[n]
		s, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("unknown setting %q for parser %s", n, f.Name())
		}
		if err := checkValue(s, v); err != nil {
			return nil, err
		}
		out[n] = v
	}
	return out, nil
}

func checkValue(s Setting, v any) error {
	switch s.Default.(type) {
	case bool:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("setting %q must be true or false, not %v", s.Name, v)
		}
	case float64:
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("setting %q must be a number, not %v", s.Name, v)
		}
	case string:
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("setting %q must be a string, not %v", s.Name, v)
		}
		if s.Values != nil {
			for _, a := range s.Values {
				if a == str {
					return nil
				}
			}
			return fmt.Errorf("setting %q must be one of %v, not %q", s.Name, s.Values, str)
		}
	}
	return nil
}

// Bool returns a boolean setting, or false when it is absent.
func (s Settings) Bool(name string) bool {
	b, _ := s[name].(bool)
	return b
}

// String returns a string setting, or "" when it is absent.
func (s Settings) String(name string) string {
	str, _ := s[name].(string)
	return str
}
