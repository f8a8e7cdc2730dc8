package arb

// braceProblem returns the byte offset in text of an ICU brace that does not
// balance (a '}' without its '{', or the first '{' left open) and true, or
// false when they balance. Text quoted the ICU way ('{' … ') is skipped when
// quoting is set; Flutter's gen_l10n reads apostrophes literally unless
// use-escaping is on, so callers try both readings.
func braceProblem(text string, quoting bool) (int, bool) {
	var open []int
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\'':
			if quoting {
				i = skipQuoted(text, i)
			}
		case '{':
			open = append(open, i)
		case '}':
			if len(open) == 0 {
				return i, true
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		return open[0], true
	}
	return 0, false
}

// skipQuoted returns the index of the last byte of the ICU quotation that
// starts with the apostrophe at i: a doubled apostrophe is one, and an
// apostrophe before '{', '}', '#' or '|' quotes up to the next lone one.
func skipQuoted(text string, i int) int {
	if i+1 >= len(text) {
		return i
	}
	switch text[i+1] {
	case '\'':
		return i + 1
	case '{', '}', '#', '|':
	default:
		return i
	}
	for j := i + 1; j < len(text); j++ {
		if text[j] != '\'' {
			continue
		}
		if j+1 < len(text) && text[j+1] == '\'' {
			j++
			continue
		}
		return j
	}
	return len(text) - 1
}
