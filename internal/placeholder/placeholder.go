// Package placeholder finds the parts of a text that a translation must keep
// verbatim: format specifiers, interpolations, ICU syntax, markup, entities.
// Pseudo-translation alters only the other parts; QA compares them.
package placeholder

// Syntax is a set of placeholder syntaxes that may occur in a text.
type Syntax uint32

const (
	Printf      Syntax = 1 << iota // %s, %d, %1$s, %@, %%, %.2f, %lld (C, Java, Apple, Android)
	ICU                            // ICU MessageFormat: {name}, {n, number}, {n, plural, one {# x} other {...}}
	MessageFmt                     // java.text.MessageFormat: {0}, {1,number}; '' is a quote
	I18next                        // {{name}}, $t(key)
	Ruby                           // %{name}, %<name>s
	Markup                         // <b>, </b>, <br/>, <x id="1"/>, <link>...</link>
	Entity                         // &amp; &#8217; &nbsp;
	Percent                        // %name% (Symfony)
	DoubleBrace                    // {{ limit }} (Symfony, Twig)
	AppleVar                       // %#@var@ (stringsdict)
	Escape                         // backslash escapes left in text: \n, \t
	PythonBrace                    // Python str.format: {name}, {0}, {x:+.1f}, {obj.attr!r}, {{ }}
	Strftime                       // date formats: %Y, %m, %-d, %B, %H:%M (Ruby, C, Python)
)

// Segment is a piece of a text. Protected segments are kept verbatim.
type Segment struct {
	Text      string
	Protected bool
}
