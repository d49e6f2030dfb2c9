package solver

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner/randinst"
)

// BenchmarkBuildFullMIP builds the dense full model the exact path solves
// on seeded small instances (randinst.Small, seeds 1 and 2).
func BenchmarkBuildFullMIP(b *testing.B) {
	for _, seed := range []int64{1, 2} {
		m := newModel(randinst.Generate(seed, randinst.Small()))
		b.Run(fmt.Sprintf("small-seed%d", seed), func(b *testing.B) {
			b.ReportAllocs()
			var f *fullMIP
			for i := 0; i < b.N; i++ {
				f = buildFullMIP(m)
			}
			b.ReportMetric(float64(len(f.prob.rows)), "rows")
			b.ReportMetric(float64(f.prob.n), "cols")
		})
	}
}
