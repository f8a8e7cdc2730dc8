//go:build race

package xmlscan

// slowdown scales time budgets: the race detector makes code ~10-20x slower.
const slowdown = 20
