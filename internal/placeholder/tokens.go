package placeholder

import "strings"

// Each function here returns the length of the placeholder at the start
// of s, or 0 when s does not start with one.

// doubleBrace matches i18next and Twig/Symfony "{{ name }}".
func doubleBrace(s string) int {
	if !strings.HasPrefix(s, "{{") {
		return 0
	}
	end := strings.Index(s[2:], "}}")
	if end < 0 || strings.Contains(s[2:2+end], "{{") {
		return 0
	}
	return end + 4
}

// nesting matches i18next's "$t(key)" and "$t(key, {\"x\": 1})".
func nesting(s string) int {
	if !strings.HasPrefix(s, "$t(") {
		return 0
	}
	depth := 0
	for i := 2; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return 0
}

// messageFmtArg matches java.text.MessageFormat "{0}", "{1,number,#.##}".
func messageFmtArg(s string) int {
	i := 1
	for i < len(s) && s[i] == ' ' {
		i++
	}
	d := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == d {
		return 0
	}
	if end := matchBrace(s, 0); end > 0 {
		if rest := strings.TrimLeft(s[i:end], " "); rest == "" || rest[0] == ',' {
			return end + 1
		}
	}
	return 0
}

// printf matches %[argnum$][flags][width][.precision][length]conversion,
// as C, Java, Android and Apple write it ("%s", "%1$d", "%.2f", "%lld",
// "%@", "%%"). The space flag is not accepted: "100% of" is prose.
func printf(s string) int {
	i := 1
	i += digitsThen(s[i:], '$')
	// Python's named form: %(name)s.
	if i < len(s) && s[i] == '(' {
		if end := strings.IndexByte(s[i:], ')'); end > 1 && identLen(s[i+1:]) == end-1 {
			i += end + 1
		}
	}
	for i < len(s) && strings.IndexByte("-+#0", s[i]) >= 0 {
		i++
	}
	i += starOrDigits(s[i:])
	if i < len(s) && s[i] == '.' {
		if n := starOrDigits(s[i+1:]); n > 0 {
			i += 1 + n
		}
	}
	for _, l := range []string{"hh", "ll", "h", "l", "L", "q", "j", "z", "t"} {
		if strings.HasPrefix(s[i:], l) {
			i += len(l)
			break
		}
	}
	if i < len(s) && strings.IndexByte("diouxXeEfFgGaAcCsSpn@%", s[i]) >= 0 {
		return i + 1
	}
	return 0
}

// digitsThen returns the length of digits followed by c (including c), or 0.
func digitsThen(s string, c byte) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && s[i] == c {
		return i + 1
	}
	return 0
}

func starOrDigits(s string) int {
	if strings.HasPrefix(s, "*") {
		return 1
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// appleVar matches the stringsdict variable "%#@name@" and "%1$#@name@".
func appleVar(s string) int {
	i := 1 + digitsThen(s[1:], '$')
	if !strings.HasPrefix(s[i:], "#@") {
		return 0
	}
	i += 2
	n := identLen(s[i:])
	if n == 0 || i+n >= len(s) || s[i+n] != '@' {
		return 0
	}
	return i + n + 1
}

// rubyVar matches "%{name}" and "%<name>" followed by a printf conversion.
func rubyVar(s string) int {
	if len(s) < 3 {
		return 0
	}
	switch s[1] {
	case '{':
		n := identLen(s[2:])
		if n > 0 && 2+n < len(s) && s[2+n] == '}' {
			return n + 3
		}
	case '<':
		n := identLen(s[2:])
		if n > 0 && 2+n < len(s) && s[2+n] == '>' {
			// The conversion after "%<name>" has printf's shape without "%".
			if c := printf("%" + s[3+n:]); c > 1 {
				return 3 + n + c - 1
			}
		}
	}
	return 0
}

// percentName matches Symfony's "%name%".
func percentName(s string) int {
	if len(s) < 3 || !(isLetter(s[1]) || s[1] == '_') {
		return 0
	}
	i := 1
	for i < len(s) && (identByte(s[i]) || s[i] == '.' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '%' {
		return i + 1
	}
	return 0
}

// tag matches a markup tag: <b>, </b>, <br/>, <x id="1"/>, <a href='x'>,
// <!-- comment -->. A "<" not followed by a letter, "/" or "!--" is text.
func tag(s string) int {
	if strings.HasPrefix(s, "<!--") {
		if end := strings.Index(s[4:], "-->"); end >= 0 {
			return end + 7
		}
		return 0
	}
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
	}
	if i >= len(s) || !isLetter(s[i]) {
		return 0
	}
	for i < len(s) && (identByte(s[i]) || s[i] == ':' || s[i] == '-' || s[i] == '.') {
		i++
	}
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		case c == '<':
			return 0
		}
	}
	return 0
}

// entity matches "&amp;", "&#8217;", "&#x2019;".
func entity(s string) int {
	i := 1
	hex := false
	if strings.HasPrefix(s[1:], "#x") || strings.HasPrefix(s[1:], "#X") {
		i, hex = 3, true
	} else if strings.HasPrefix(s[1:], "#") {
		i = 2
	}
	start := i
	for i < len(s) && i-start < 32 {
		c := s[i]
		ok := c >= '0' && c <= '9' || hex && (c|0x20) >= 'a' && (c|0x20) <= 'f' || start == 1 && isLetter(c)
		if !ok {
			break
		}
		i++
	}
	if i == start || i >= len(s) || s[i] != ';' {
		return 0
	}
	return i + 1
}

// escape matches a backslash escape: "\n", "\"", "\\", "\u00e9".
func escape(s string) int {
	if len(s) < 2 {
		return 1
	}
	if s[1] == 'u' && len(s) >= 6 && isHex(s[2:6]) {
		return 6
	}
	if s[1] >= 0x80 {
		return 1 // keep a multi-byte rune whole in the text segment
	}
	return 2
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(s[i] >= '0' && s[i] <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func identLen(s string) int {
	i := 0
	for i < len(s) && identByte(s[i]) {
		i++
	}
	return i
}

func identByte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '_'
}

// pythonBrace matches a Python str.format replacement field
// {field[!conversion][:spec]} or an escaped brace {{ / }}. A spec may hold
// one level of nested fields ({x:{width}}), as Python allows.
func pythonBrace(s string) int {
	if strings.HasPrefix(s, "{{") || strings.HasPrefix(s, "}}") {
		return 2
	}
	if s[0] != '{' {
		return 0
	}
	i := 1
	for i < len(s) && (identByte(s[i]) || s[i] == '.' || s[i] == '[' || s[i] == ']') {
		i++
	}
	if i+1 < len(s) && s[i] == '!' && strings.IndexByte("rsa", s[i+1]) >= 0 {
		i += 2
	}
	if i < len(s) && s[i] == ':' {
		for i++; i < len(s) && s[i] != '}'; i++ {
			if s[i] == '{' {
				n := pythonBrace(s[i:])
				if n == 0 || s[i+1] == '{' {
					return 0
				}
				i += n - 1
			}
		}
	}
	if i < len(s) && s[i] == '}' {
		return i + 1
	}
	return 0
}

// strftime matches a date format directive: % [flags] [width] conversion,
// with the conversions C, Ruby and Python share ("%Y", "%-d", "%^B", "%3N").
func strftime(s string) int {
	i := 1
	for i < len(s) && strings.IndexByte("-_0^#:", s[i]) >= 0 {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < len(s) && strings.IndexByte("aAbBcCdDeFgGhHIjklLmMnNpPrRsStTuUvVwWxXyYzZ%+", s[i]) >= 0 {
		return i + 1
	}
	return 0
}
