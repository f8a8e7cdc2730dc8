package client

import "testing"

func TestExpandTargetRule(t *testing.T) {
	tests := []struct {
		rule, src, locale, want string
	}{
		{"$(sourceFilePath)/$(targetLocale)$(sourceFileExt)", "lang/en.json", "de-DE", "lang/de-DE.json"},
		{"$(sourceFilePath)/$(targetLocale)$(sourceFileExt)", "en.json", "ja-JP", "ja-JP.json"},
		{"$(SOURCEFILEPATH)/$(targetlocaleunderscore).$(SourceFileNameNoExt)", "a/b/en.po", "zh_CN", "a/b/zh_CN.en"},
		{"$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)", "res/values/strings.xml", "de-DE", "res/values-de-rDE/strings.xml"},
		{"$(sourceFilePath)/../values-$(androidQualifier)/$(sourceFileName)", "res/values/strings.xml", "sr-Latn-RS", "res/values-b+sr+Latn+RS/strings.xml"},
		{"$(targetLanguage)/$(targetRegion)/$(targetScript)x", "f.txt", "es-419", "es/419/x"},
		{"$(sourceFilePath)/$(targetLanguage)$(sourceFileExt)", "locales/en.json", "de", "locales/de.json"},
	}
	for _, tt := range tests {
		got, err := ExpandTargetRule(tt.rule, tt.src, tt.locale)
		if err != nil || got != tt.want {
			t.Errorf("ExpandTargetRule(%q, %q, %q) = %q, %v; want %q", tt.rule, tt.src, tt.locale, got, err, tt.want)
		}
	}
	for _, bad := range [][3]string{
		{"../../$(targetLocale).json", "lang/en.json", "de-DE"},
		{"/$(targetLocale).json", "en.json", "de-DE"},
		{"$(sourceFilePath)/../$(targetLocale).json", "en.json", "de-DE"},
		{"$(nope).json", "en.json", "de-DE"},
		{"$(targetLocale.json", "en.json", "de-DE"},
		{"$(targetLocale).json", "en.json", "1"},
	} {
		if got, err := ExpandTargetRule(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("ExpandTargetRule(%q, %q, %q) = %q, want an error", bad[0], bad[1], bad[2], got)
		}
	}
}
