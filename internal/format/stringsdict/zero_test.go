package stringsdict

import (
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/format/formattest"
)

const zeroSource = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>files</key>
	<dict>
		<key>NSStringLocalizedFormatKey</key>
		<string>%#@n@</string>
		<key>n</key>
		<dict>
			<key>NSStringFormatSpecTypeKey</key>
			<string>NSStringPluralRuleType</string>
			<key>NSStringFormatValueTypeKey</key>
			<string>d</string>
			<key>zero</key>
			<string>no files</string>
			<key>one</key>
			<string>one file</string>
			<key>other</key>
			<string>%d files</string>
		</dict>
	</dict>
</dict>
</plist>
`

// An explicit zero key survives a target whose CLDR categories lack it.
func TestZeroKeptForEveryLocale(t *testing.T) {
	d := mustParse(t, []byte(zeroSource), "zero")
	for _, tc := range []struct {
		locale string
		cats   []string
		forms  format.Forms
		want   string
	}{
		{"de", []string{"one", "other"}, format.Forms{"zero": "keine Dateien", "one": "eine Datei", "other": "%d Dateien"},
			"<key>zero</key>\n\t\t\t<string>keine Dateien</string>\n\t\t\t<key>one</key>\n\t\t\t<string>eine Datei</string>\n\t\t\t<key>other</key>\n\t\t\t<string>%d Dateien</string>\n\t\t</dict>"},
		{"ru", []string{"one", "few", "many", "other"}, format.Forms{"zero": "нет", "one": "1", "few": "2", "many": "5", "other": "x"},
			"<key>zero</key>\n\t\t\t<string>нет</string>\n\t\t\t<key>one</key>\n\t\t\t<string>1</string>\n\t\t\t<key>few</key>\n\t\t\t<string>2</string>\n\t\t\t<key>many</key>\n\t\t\t<string>5</string>\n\t\t\t<key>other</key>\n\t\t\t<string>x</string>\n\t\t</dict>"},
		// Without a zero text (an exporter that filled only the locale's
		// categories) the key goes.
		{"de", []string{"one", "other"}, format.Forms{"one": "eine Datei", "other": "%d Dateien"},
			"<string>d</string>\n\t\t\t<key>one</key>\n\t\t\t<string>eine Datei</string>"},
	} {
		got := string(formattest.Write(t, d, format.Target{Kind: format.KindTarget, Locale: tc.locale, Categories: tc.cats}, func(u *format.Unit) format.Output {
			if u.Plural != nil {
				return format.Output{Text: tc.forms["other"], Plural: tc.forms}
			}
			return format.Output{Text: u.Text, Source: true}
		}))
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s %v:\n%s\nwant part:\n%s", tc.locale, tc.forms, got, tc.want)
		}
		back := mustParse(t, []byte(got), "back")
		if _, ok := back.Units()[1].Plural["zero"]; ok != (tc.forms["zero"] != "") {
			t.Errorf("%s: re-parsed forms %v", tc.locale, back.Units()[1].Plural)
		}
	}
}
