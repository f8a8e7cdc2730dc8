package stringsdict

import (
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/format"
)

func TestZZProbe(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	files := corpusFiles(t)
	var total time.Duration
	for n := 0; n < 300; n++ {
		src, _ := os.ReadFile(files[n%len(files)])
		for k := 0; k < 1+r.Intn(5); k++ {
			src[r.Intn(len(src))] = byte(r.Intn(256))
		}
		start := time.Now()
		Parse(src, format.ParseOptions{})
		d := time.Since(start)
		total += d
		if d > 20*time.Millisecond {
			t.Logf("slow %v", d)
		}
	}
	t.Logf("total %v", total)
}
