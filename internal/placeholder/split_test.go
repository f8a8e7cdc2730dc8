package placeholder

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// seg writes a segmentation compactly: protected parts in ⟦⟧.
func seg(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Protected {
			b.WriteString("⟦" + s.Text + "⟧")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestSplit(t *testing.T) {
	tests := []struct {
		syn  Syntax
		in   string
		want string
	}{
		// printf
		{Printf, "Hello %s!", "Hello ⟦%s⟧!"},
		{Printf, "%1$d of %2$d", "⟦%1$d⟧ of ⟦%2$d⟧"},
		{Printf, "%@ liked %.2f%% %lld", "⟦%@⟧ liked ⟦%.2f%%⟧ ⟦%lld⟧"},
		{Printf, "100% of %-5s", "100% of ⟦%-5s⟧"},
		{Printf, "%ld items, %hhu", "⟦%ld⟧ items, ⟦%hhu⟧"},
		{Printf, "trailing %", "trailing %"},
		// ICU
		{ICU, "Hi {name}!", "Hi ⟦{name}⟧!"},
		{ICU, "{n, number} files", "⟦{n, number}⟧ files"},
		{ICU, "{d, date, ::yyyyMMdd}", "⟦{d, date, ::yyyyMMdd}⟧"},
		{ICU, "{count, plural, =1{one item} one {# item} other {# items}}",
			"⟦{count, plural, =1{⟧one item⟦} one {#⟧ item⟦} other {#⟧ items⟦}}⟧"},
		{ICU, "{g, select, male {He} female {She} other {They}} left",
			"⟦{g, select, male {⟧He⟦} female {⟧She⟦} other {⟧They⟦}}⟧ left"},
		{ICU, "{n, plural, offset:1 one {# and {name}} other {#}}",
			"⟦{n, plural, offset:1 one {#⟧ and ⟦{name}} other {#}}⟧"},
		{ICU, "{n, plural, other {{g, select, f {# her} other {# them}}}}",
			"⟦{n, plural, other {{g, select, f {#⟧ her⟦} other {#⟧ them⟦}}}}⟧"},
		{ICU, "# is not special outside plurals", "# is not special outside plurals"},
		{ICU, "It''s '{literal}' here", "It''s '{literal}' here"},
		{ICU, "{n, plural, one {'#' sign} other {# signs}}", "⟦{n, plural, one {⟧'#' sign⟦} other {#⟧ signs⟦}}⟧"},
		{ICU, "Don't {x}", "Don't ⟦{x}⟧"},
		{ICU, "broken {n, plural, one {x}", "broken {n, plural, one ⟦{x}⟧"},
		{ICU, "{}", "{}"},
		{ICU | Markup, "<strong>{playCount, number}</strong> {playCount, plural, one {play} other {plays}}",
			"⟦<strong>{playCount, number}</strong>⟧ ⟦{playCount, plural, one {⟧play⟦} other {⟧plays⟦}}⟧"},
		{ICU | Markup, "{n, plural, one {<b>#</b> x} other {<b>#</b> xs}}",
			"⟦{n, plural, one {<b>#</b>⟧ x⟦} other {<b>#</b>⟧ xs⟦}}⟧"},
		// java MessageFormat
		{MessageFmt, "File {0} has {1,number,#.##} lines", "File ⟦{0}⟧ has ⟦{1,number,#.##}⟧ lines"},
		{MessageFmt, "{name} stays", "{name} stays"},
		// i18next
		{I18next, "Hello {{name}}, see $t(common.ok)", "Hello ⟦{{name}}⟧, see ⟦$t(common.ok)⟧"},
		{I18next | ICU, "'{{name}}' is {{count}}", "'⟦{{name}}⟧' is ⟦{{count}}⟧"},
		{I18next, "$t(key, {\"n\": 1}) and $t(", "⟦$t(key, {\"n\": 1})⟧ and $t("},
		// Ruby, Symfony, Apple
		{Ruby, "%{count} days, %<n>.2f and %{", "⟦%{count}⟧ days, ⟦%<n>.2f⟧ and %{"},
		{Percent, "%name% has 100% and %count%", "⟦%name%⟧ has 100% and ⟦%count%⟧"},
		{DoubleBrace, "at most {{ limit }} chars", "at most ⟦{{ limit }}⟧ chars"},
		{AppleVar | Printf, "%#@names@%#@count@ and %d", "⟦%#@names@%#@count@⟧ and ⟦%d⟧"},
		// markup and entities
		{Markup, "<b>Bold</b><br/><x id=\"1\"/> a < b", "⟦<b>⟧Bold⟦</b><br/><x id=\"1\"/>⟧ a < b"},
		{Markup, "<a href='x>y'>link</a>", "⟦<a href='x>y'>⟧link⟦</a>⟧"},
		{Markup, "<!-- note --> text <3", "⟦<!-- note -->⟧ text <3"},
		{Entity, "Tom &amp; Jerry&#8217;s &#x2019; & co &;", "Tom ⟦&amp;⟧ Jerry⟦&#8217;⟧s ⟦&#x2019;⟧ & co &;"},
		{Escape, `line\nnext \"q\" \u00e9`, `line⟦\n⟧next ⟦\"⟧q⟦\"⟧ ⟦\u00e9⟧`},
		// syntaxes off
		{0, "Hello %s {x} <b>", "Hello %s {x} <b>"},
	}
	for _, tt := range tests {
		segs := Split(tt.in, tt.syn)
		if got := seg(segs); got != tt.want {
			t.Errorf("Split(%q, %b)\n got %s\nwant %s", tt.in, tt.syn, got, tt.want)
		}
		checkSegments(t, tt.in, segs)
	}
}

func checkSegments(t *testing.T, in string, segs []Segment) {
	t.Helper()
	var b strings.Builder
	for i, s := range segs {
		if s.Text == "" {
			t.Errorf("Split(%q): empty segment %d", in, i)
		}
		if i > 0 && segs[i-1].Protected == s.Protected {
			t.Errorf("Split(%q): segments %d and %d not merged", in, i-1, i)
		}
		b.WriteString(s.Text)
	}
	if b.String() != in {
		t.Errorf("Split(%q) concatenates to %q", in, b.String())
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		syn  Syntax
		in   string
		want []string
	}{
		{ICU | Markup, "<strong>{title}</strong> has {n, plural, one {# <b>x</b>} other {# xs}}",
			[]string{"<strong>", "{title}", "</strong>", "{n, plural}", "#", "<b>", "</b>", "#"}},
		{I18next | Markup, "Hello {{name}} <bold>now</bold>", []string{"{{name}}", "<bold>", "</bold>"}},
		{Printf, "%1$s and %%", []string{"%1$s", "%%"}},
		{ICU, "no placeholders", nil},
	}
	for _, tt := range tests {
		got := Find(tt.in, tt.syn)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Find(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSplitCorpus checks real strings: concatenation is preserved and
// every ICU argument and {{x}} is protected.
func TestSplitCorpus(t *testing.T) {
	files := []string{
		"../../../shared/corpus/json-flat-icu/overseerr/src/i18n/locale/en.json",
		"../../../shared/corpus/json-nested/excalidraw/packages/excalidraw/locales/en.json",
	}
	value := regexp.MustCompile(`: "((?:[^"\\]|\\.)*)"`)
	arg := regexp.MustCompile(`\{\{\w+\}\}|\{\w+\}`)
	for _, f := range files {
		src, err := os.ReadFile(corpusPath(f))
		if err != nil {
			t.Skipf("corpus not found: %v", err)
		}
		n := 0
		for _, m := range value.FindAllStringSubmatch(string(src), -1) {
			text := m[1]
			segs := Split(text, ICU|I18next|Markup)
			checkSegments(t, text, segs)
			for _, s := range segs {
				if !s.Protected && arg.MatchString(s.Text) {
					t.Errorf("%s: %q left translatable in %q", f, arg.FindString(s.Text), text)
				}
			}
			n++
		}
		if n < 500 {
			t.Errorf("%s: only %d strings", f, n)
		}
	}
}

func corpusPath(rel string) string {
	if _, err := os.Stat(rel); err == nil {
		return rel
	}
	return strings.Replace(rel, "../../../shared", "/work/shared", 1)
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"{count, plural, =1{one item} one {# item} other {# items}}",
		"<b>%1$s</b> {{x}} $t(a) %{y} %z% &amp; \\n %#@v@",
		"{a, select, x {{b, plural, one {#} other {'{'}}}} other {}}",
		"'{' '' {0,number,#}",
	} {
		f.Add(s, uint32(1<<11-1))
	}
	f.Fuzz(func(t *testing.T, in string, syn uint32) {
		segs := Split(in, Syntax(syn))
		var b strings.Builder
		for i, s := range segs {
			if s.Text == "" || i > 0 && segs[i-1].Protected == s.Protected {
				t.Fatalf("bad segment list %+v", segs)
			}
			b.WriteString(s.Text)
		}
		if b.String() != in {
			t.Fatalf("concatenation %q != %q", b.String(), in)
		}
		Find(in, Syntax(syn))
	})
}

func TestPythonBrace(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Rotate {rotation:+.1f}°", []string{"{rotation:+.1f}"}},
		{"Press '{action}' now", []string{"{action}"}},
		{"{0} of {1}", []string{"{0}", "{1}"}},
		{"{obj.name!r} at {x:{width}}", []string{"{obj.name!r}", "{x:{width}}"}},
		{"literal {{braces}}", []string{"{{", "}}"}},
		{"%(count)d files, %s", []string{"%(count)d", "%s"}},
		{"a { b", nil},
	}
	for _, tt := range tests {
		got := Find(tt.text, PythonBrace|Printf)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestStrftime(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"%m/%d/%Y", []string{"%m", "%d", "%Y"}},
		{"%B %-d, %Y %H:%M", []string{"%B", "%-d", "%Y", "%H", "%M"}},
		{"%{count} days, 100% sure", []string{"%{count}"}},
	}
	for _, tt := range tests {
		got := Find(tt.text, Strftime|Ruby)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
