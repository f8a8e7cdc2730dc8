package json

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/plural"
)

// A plain "foo" next to the plural group foo_one/foo_other: two strings,
// both offered and both written back.
func TestI18nextPlainStemAndPlural(t *testing.T) {
	src := `{"foo": "plain foo", "foo_one": "one foo", "foo_other": "many foos", "n": {"bar": "b", "bar_other": "bars"}}`
	d := parse(t, src, i18nextOn)
	us := d.Units()
	if got := strings.Join(keys(d), ","); got != "foo,foo_other,n.bar,n.bar_other" {
		t.Fatalf("keys = %s", got)
	}
	if us[0].Text != "plain foo" || us[0].Plural != nil || us[1].Plural["one"] != "one foo" || us[1].Plural["other"] != "many foos" {
		t.Fatalf("units = %+v", us)
	}
	if out := write(t, d, format.Target{}, sourceOut); out != src {
		t.Errorf("round trip gave %s", out)
	}
	tgt := format.Target{Kind: format.KindTarget, Locale: "ru", Categories: plural.Categories("ru")}
	out := write(t, d, tgt, func(u *format.Unit) format.Output {
		if u.Plural != nil {
			f := format.Forms{}
			for _, c := range tgt.Categories {
				f[c] = c + ":" + u.Key
			}
			return format.Output{Text: f["other"], Plural: f}
		}
		return format.Output{Text: "T:" + u.Key}
	})
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("target is not JSON: %v\n%s", err, out)
	}
	want := map[string]string{"foo": "T:foo", "foo_one": "one:foo_other", "foo_few": "few:foo_other", "foo_many": "many:foo_other", "foo_other": "other:foo_other"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %q\n%s", k, got[k], v, out)
		}
	}
	if n := got["n"].(map[string]any); n["bar"] != "T:n.bar" || n["bar_few"] != "few:n.bar_other" {
		t.Errorf("n = %v", n)
	}
}

// stem_zero is kept for every locale when the output has it.
func TestI18nextZeroKept(t *testing.T) {
	src := `{"cnt_zero": "none", "cnt_one": "one", "cnt_other": "many"}`
	d := parse(t, src, i18nextOn)
	for _, loc := range []string{"ru", "ja", "en"} {
		cats := plural.Categories(loc)
		f := format.Forms{"zero": "Z"}
		for _, c := range cats {
			f[c] = strings.ToUpper(c)
		}
		out := write(t, d, format.Target{Kind: format.KindTarget, Locale: loc, Categories: cats}, func(u *format.Unit) format.Output {
			return format.Output{Text: f["other"], Plural: f}
		})
		var got map[string]string
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v\n%s", loc, err, out)
		}
		if got["cnt_zero"] != "Z" || len(got) != len(cats)+1 || !strings.HasPrefix(out, `{"cnt_zero": "Z",`) {
			t.Errorf("%s: %s", loc, out)
		}
		// Without a zero text, only the locale's categories.
		out = write(t, d, format.Target{Kind: format.KindTarget, Locale: loc, Categories: cats}, func(u *format.Unit) format.Output {
			return format.Output{Text: "O", Plural: format.Forms{"other": "O"}}
		})
		if strings.Contains(out, "cnt_zero") {
			t.Errorf("%s without zero text: %s", loc, out)
		}
	}
}

// A top-level "a.b" and the nested path a → b are two strings.
func TestDottedTopLevelAndNestedPath(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`{"a.b": "flat", "a": {"b": "nested"}}`, `a\.b=flat|a.b=nested`},
		{`{"a": {"b": "nested"}, "a.b": "flat"}`, `a.b=nested|a\.b=flat`},
		{`{"a.b": "flat", "a": {"b": "nested"}, "a.b": "flat2"}`, `a\.b=flat2|a.b=nested`},
		{`{"x.y": "1", "x.y": "2"}`, `x.y=2`},
	} {
		d := parse(t, tt.src, nil)
		var got []string
		for _, u := range d.Units() {
			got = append(got, u.Key+"="+u.Text)
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%s: units %q, want %s", tt.src, got, tt.want)
		}
		out := write(t, d, format.Target{}, func(u *format.Unit) format.Output { return format.Output{Text: "<" + u.Key + ">"} })
		for _, u := range d.Units() {
			if !strings.Contains(out, `"<`+strings.ReplaceAll(u.Key, `\`, `\\`)+`>"`) {
				t.Errorf("%s: %s not written: %s", tt.src, u.Key, out)
			}
		}
	}
	_, err := Format{}.Parse([]byte(`{"a\\.b": "x", "a.b": "flat", "a": {"b": "nested"}}`), format.ParseOptions{Name: "c.json"})
	if pe, ok := format.AsParseError(err); !ok || pe.Line != 1 || !strings.Contains(pe.Msg, `a\\.b`) {
		t.Errorf("three-way collision: %v", err)
	}
}

func TestDuplicatesReported(t *testing.T) {
	d := parse(t, `{"k": "a", "x": {"y": "1", "y": "2"}, "k": "b", "k": "c", "a.b": "f", "a": {"b": "n"}}`, nil)
	if got := strings.Join(d.Duplicates(), ","); got != "x.y,k" {
		t.Errorf("Duplicates = %q", got)
	}
	if d := parse(t, `{"a": "1", "b": "2"}`, nil); len(d.Duplicates()) != 0 {
		t.Errorf("no duplicates: %q", d.Duplicates())
	}
}
