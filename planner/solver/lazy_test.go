package solver

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parkplan/parkplan/planner/randinst"
)

// TestLazySpecialtiesExact: on large counties with many specialties per
// site, the relaxation with lazy specialties gives the same site values
// and the same bound as with every park LP solved, at a seeded walk of
// prices (small steps, where it skips most LPs, and jumps), and skips
// some LPs.
func TestLazySpecialtiesExact(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprintf("county3x-8specialties/seed%d", seed), func(t *testing.T) {
			sz := randinst.County(3)
			sz.MaxSpecialties = 8
			m := newModel(randinst.Generate(seed, sz))
			lazy, full := newRelaxation(m), newRelaxation(m)
			if lazy.lazy == nil {
				t.Fatal("no lazy evaluation on this county")
			}
			full.lazy = nil
			rng := rand.New(rand.NewPCG(uint64(seed), 9))
			solves := 0
			for it := 0; it < 12; it++ {
				step := 0.05
				if it%5 == 4 {
					step = 2 // a jump
				}
				for g := range lazy.lambda {
					lazy.lambda[g] = math.Max(0, lazy.lambda[g]+step*(rng.Float64()-0.3))
				}
				copy(full.lambda, lazy.lambda)
				lb, _ := lazy.evaluate()
				fb, _ := full.evaluate()
				if math.Abs(lb-fb) > 1e-9*math.Max(1, math.Abs(fb)) {
					t.Fatalf("iteration %d: bound %.12g lazy, %.12g with every LP", it, lb, fb)
				}
				for s := range lazy.w {
					if math.Abs(lazy.w[s]-full.w[s]) > 1e-9*math.Max(1, math.Abs(full.w[s])) {
						t.Fatalf("iteration %d site %d: value %.12g lazy, %.12g with every LP", it, s, lazy.w[s], full.w[s])
					}
				}
				for s := range lazy.lazy.ub {
					for k, ub := range lazy.lazy.ub[s] {
						if ub == lazy.v[s][k] {
							solves++
						}
					}
				}
			}
			all := 0
			for s := range lazy.rows {
				all += 12 * len(lazy.rows[s])
			}
			t.Logf("%d of %d park LPs solved (at most)", solves, all)
			if solves >= all {
				t.Error("no park LP skipped")
			}
		})
	}
}
