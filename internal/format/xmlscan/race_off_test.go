//go:build !race

package xmlscan

// slowdown scales time budgets; see race_on_test.go.
const slowdown = 1
