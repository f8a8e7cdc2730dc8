// Package plural tells which CLDR plural categories a locale uses, from the
// CLDR data that golang.org/x/text maintains.
package plural

import (
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Order is the canonical order of the CLDR categories.
var Order = []string{"zero", "one", "two", "few", "many", "other"}

var formNames = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

var cache sync.Map // locale string -> []string

// Categories returns the cardinal categories locale needs, in Order. A
// malformed locale is treated as the root locale, which has only "other".
func Categories(locale string) []string {
	if c, ok := cache.Load(locale); ok {
		return c.([]string)
	}
	tag, err := language.Parse(locale)
	if err != nil {
		tag = language.Und
	}
	// x/text does not export a locale's category list, so evaluate its rules
	// over integers and decimals: every category a rule can produce shows up
	// for some operand below 1,000,000 with at most two fraction digits.
	seen := map[plural.Form]bool{plural.Other: true}
	probe := func(i, v, f int) {
		w, t := v, f
		for w > 0 && t%10 == 0 {
			w--
			t /= 10
		}
		seen[plural.Cardinal.MatchPlural(tag, i, v, w, f, t)] = true
	}
	for i := 0; i <= 1000; i++ {
		probe(i, 0, 0)
		probe(i, 1, i%10)
		probe(i, 2, i%100)
	}
	for _, i := range []int{10000, 100000, 1000000, 2000000} {
		probe(i, 0, 0)
	}
	var out []string
	for _, name := range Order {
		for f, n := range formNames {
			if n == name && seen[f] {
				out = append(out, name)
			}
		}
	}
	cache.Store(locale, out)
	return out
}

// Valid reports whether name is a CLDR category name.
func Valid(name string) bool {
	for _, n := range Order {
		if n == name {
			return true
		}
	}
	return false
}
