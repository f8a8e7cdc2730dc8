package targetrule

import (
	"errors"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	tests := []struct {
		rule, src, locale, want string
	}{
		{"$(sourceFilePath)/$(targetLocale)$(sourceFileExt)", "lang/en.json", "de-DE", "lang/de-DE.json"},
		{"$(sourceFilePath)/$(targetLocale)$(sourceFileExt)", "en.json", "de-DE", "de-DE.json"},
		{"$(SOURCEFILEPATH)/$(targetlocale)$(SourceFileExt)", "a/b/en.json", "de_DE", "a/b/de-DE.json"},
		{"$(targetLocale)/$(targetLanguage)-$(targetRegion)", "en.json", "de_de", "de-de/de-DE"},
		{"$(targetLocale).json", "locales/en.json", "qps-ploc", "qps-ploc.json"},
		{"$(sourceFilePath)/$(targetLocaleUnderscore)/$(sourceFileName)", "res/msg.po", "pt-BR", "res/pt_BR/msg.po"},
		{"$(sourceFilePath)/$(sourceFileNameNoExt).$(targetLanguage)$(sourceFileExt)", "translations/validators.en.xlf", "ja", "translations/validators.en.ja.xlf"},
		{"$(targetLanguage)/$(targetRegion)/$(targetScript)/x", "f.json", "sr-Latn-RS", "sr/RS/Latn/x"},
		{"$(targetLanguage)-$(targetRegion)$(targetScript).txt", "f", "de", "de-.txt"},
		{"$(sourceFileNameNoExt)$(sourceFileExt)", "dir/Makefile", "de", "Makefile"},
		{"$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)", "app/res/values/strings.xml", "de-DE", "app/res/values-de-rDE/strings.xml"},
		{"$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)", "res/values/strings.xml", "ja", "res/values-ja/strings.xml"},
		{"$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)", "res/values/strings.xml", "sr-Latn", "res/values-b+sr+Latn/strings.xml"},
		{"values-$(androidQualifier)", "x", "es-419", "values-b+es+419"},
		{"$(sourceFilePath)//./$(targetLocale).json", "a/en.json", "ar-SA", "a/ar-SA.json"},
		{"$(sourceFilePath)$(targetLocale).json", "en.json", "fr", "fr.json"},
		{"$(targetLocale)/$(androidQualifier)", "en.json", "zh-hant-tw", "zh-hant-tw/b+zh+Hant+TW"},
	}
	for _, tt := range tests {
		got, err := Expand(tt.rule, tt.src, tt.locale)
		if err != nil {
			t.Errorf("Expand(%q, %q, %q): %v", tt.rule, tt.src, tt.locale, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Expand(%q, %q, %q) = %q, want %q", tt.rule, tt.src, tt.locale, got, tt.want)
		}
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		rule, src, locale, wantMsg string
		outside                    bool
	}{
		{"$(sourceFolder)/x", "a/en.json", "de", "$(sourceFolder)", false},
		{"$(targetLocale", "a/en.json", "de", "unterminated", false},
		{"/etc/$(targetLocale)", "a/en.json", "de", "outside the project", true},
		{"../$(targetLocale).json", "a/en.json", "de", "outside the project", true},
		{"$(sourceFilePath)/../../$(targetLocale).json", "a/en.json", "de", "outside the project", true},
		{"$(sourceFilePath)/../$(targetLocale).json", "en.json", "de", "outside the project", true},
		{"a\\$(targetLocale)", "a/en.json", "de", "backslash", false},
		{"a/\x00$(targetLocale)", "a/en.json", "de", "NUL", false},
		{"$(sourceFilePath)", "en.json", "de", "empty", false},
		{"x/$(targetLocale)", "a/en.json", "", "locale", false},
		{"x/$(targetLocale)", "a/en.json", "de-D!", "locale", false},
		{"x/$(targetLocale)", "../en.json", "de", "outside the project", true},
		{"x/$(targetLocale)", "/abs/en.json", "de", "not a relative", false},
	}
	for _, tt := range tests {
		got, err := Expand(tt.rule, tt.src, tt.locale)
		if err == nil {
			t.Errorf("Expand(%q, %q, %q) = %q, want error", tt.rule, tt.src, tt.locale, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("Expand(%q): error %q does not mention %q", tt.rule, err, tt.wantMsg)
		}
		if errors.Is(err, ErrOutside) != tt.outside {
			t.Errorf("Expand(%q): errors.Is(ErrOutside) = %v", tt.rule, !tt.outside)
		}
	}
}

func TestValidate(t *testing.T) {
	good := []string{
		"$(sourceFilePath)/$(targetLocale)$(sourceFileExt)",
		"locales/$(TARGETLANGUAGE)/$(sourceFileName)",
		"$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)",
	}
	for _, r := range good {
		if err := Validate(r); err != nil {
			t.Errorf("Validate(%q): %v", r, err)
		}
	}
	bad := []string{"", "  ", "$(nope)", "/abs/$(targetLocale)", "../x", "$(targetLocale", "a\\b"}
	for _, r := range bad {
		if err := Validate(r); err == nil {
			t.Errorf("Validate(%q) = nil, want error", r)
		}
	}
}
