package targetrule

import (
	"fmt"
	"strings"
)

// locale is a BCP 47 tag split into the parts rules can use. Extensions and
// variants are kept in rest, in order.
type locale struct {
	given                string // the tag as configured, with "-" separators
	lang, script, region string
	rest                 []string
}

// parseLocale reads "de", "de-DE", "de_DE", "sr-Latn-RS", "es-419". The
// parts get their canonical case (de, Latn, DE); the whole tag keeps the
// case it was configured with (a project's "qps-ploc" stays "qps-ploc").
func parseLocale(s string) (locale, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 || !alpha(parts[0]) || len(parts[0]) < 2 || len(parts[0]) > 8 {
		return locale{}, fmt.Errorf("locale %q is not a BCP 47 tag", s)
	}
	l := locale{given: strings.Join(parts, "-"), lang: strings.ToLower(parts[0])}
	for _, p := range parts[1:] {
		if !alnum(p) || len(p) > 8 {
			return locale{}, fmt.Errorf("locale %q is not a BCP 47 tag", s)
		}
		switch {
		case l.script == "" && l.region == "" && len(l.rest) == 0 && len(p) == 4 && alpha(p):
			l.script = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		case l.region == "" && len(l.rest) == 0 && (len(p) == 2 && alpha(p) || len(p) == 3 && digits(p)):
			l.region = strings.ToUpper(p)
		default:
			l.rest = append(l.rest, strings.ToLower(p))
		}
	}
	return l, nil
}

func (l locale) tag() string {
	parts := []string{l.lang}
	for _, p := range []string{l.script, l.region} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(append(parts, l.rest...), "-")
}

// android returns the resource qualifier: the legacy "de-rDE" form when it
// can express the tag, else the "b+" form Android 7 added for BCP 47.
func (l locale) android() string {
	if l.script == "" && len(l.rest) == 0 && len(l.lang) <= 3 && (l.region == "" || len(l.region) == 2) {
		if l.region == "" {
			return l.lang
		}
		return l.lang + "-r" + l.region
	}
	return "b+" + strings.ReplaceAll(l.tag(), "-", "+")
}

func alpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || (c|0x20) >= 'a' && (c|0x20) <= 'z') {
			return false
		}
	}
	return s != ""
}
