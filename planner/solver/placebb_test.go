package solver

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/parkplan/parkplan/planner/randinst"
)

// TestSubInstanceRoundTrip: the instance of one town with the rest of a
// plan fixed (subInstance) takes the plan's part of that town as a plan
// that keeps its rows, worth the plan's value less that of the sites
// outside; extending the plan by its own part gives the plan back. On
// seeded County 1× instances, every town whose model fits.
func TestSubInstanceRoundTrip(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("county1x-seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, randinst.County(1))
			sr := decomposed(inst, 100)
			if sr.best == nil {
				t.Fatal("no plan")
			}
			m := sr.m
			fits := 0
			for town := range inst.Towns {
				in := make([]bool, len(inst.Towns))
				in[town] = true
				sub, mp, ok := m.subInstance(sr.best, in)
				if !ok {
					continue
				}
				fits++
				sm := newModel(sub)
				part := mp.restrict(sr.best)
				if msg := sm.check(part); msg != "" {
					t.Fatalf("town %d: the plan's part breaks a row of the town's instance: %s", town, msg)
				}
				outside := 0.0
				for s := range inst.Sites {
					if inst.Sites[s].Town == town || sr.best.Year[s] < 0 {
						continue
					}
					outside += inst.OpenValue(s, sr.best.Year[s])
					for _, a := range m.siteArcs[s] {
						outside += inst.Arcs[a].Value * float64(sr.best.Count[a])
					}
				}
				if got, want := sm.objective(part), sr.bestObj-outside; math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Fatalf("town %d: part worth %.6f, plan less outside %.6f", town, got, want)
				}
				if back := mp.extend(sr.best, part); !reflect.DeepEqual(back.Year, sr.best.Year) || !reflect.DeepEqual(back.Count, sr.best.Count) {
					t.Fatalf("town %d: extending the plan by its own part changed it", town)
				}
			}
			if fits == 0 {
				t.Fatal("no town's model fits the dense branch and bound")
			}
		})
	}
}

// TestPlaceBBAgainstBruteForce: the branch and bound over every town of
// a Tiny instance (subSolve), started from the plan of a short
// relaxation, keeps every rule, never returns less than its start nor
// more than the brute-force optimum, and reaches the optimum on at least
// half of the feasible instances (30 seeds).
func TestPlaceBBAgainstBruteForce(t *testing.T) {
	optimal, feasible := 0, 0
	for seed := int64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprintf("tiny-seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, randinst.Tiny())
			want, ok := bruteForce(inst)
			if !ok {
				return
			}
			sr := decomposed(inst, 5)
			if sr.best == nil {
				return // no plan to start from
			}
			feasible++
			start := sr.bestObj
			all := make([]bool, len(inst.Towns))
			for i := range all {
				all[i] = true
			}
			sr.opts.NodeLimit = 0
			sr.subSolve(all, func() bool { return false })
			if msg := sr.m.check(sr.best); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			tol := objRelTol * math.Max(1, math.Abs(want))
			if sr.bestObj < start-tol || sr.bestObj > want+tol {
				t.Fatalf("plan %.6f: start %.6f, optimum %.6f", sr.bestObj, start, want)
			}
			if sr.bestObj >= want-tol {
				optimal++
			}
		})
	}
	t.Logf("optimum reached on %d of %d", optimal, feasible)
	if optimal*2 < feasible || feasible < 10 {
		t.Errorf("optimum reached on %d of %d feasible instances with a start, want at least half of at least 10", optimal, feasible)
	}
}
