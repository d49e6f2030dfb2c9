package solver

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/randinst"
)

// TestRememberKeepsBestDistinct checks the pool of starts: at most
// poolSize plans, best first, one per site choice (the better kept), none
// whose choice was explored or is the incumbent's, and none at all in a
// node-limited solve (which must stay reproducible) or one started
// without prices.
func TestRememberKeepsBestDistinct(t *testing.T) {
	inst := randinst.Generate(3, randinst.Small())
	n := len(inst.Sites)
	prices := zeroPrices(inst)
	plan := func(open int) *planner.Solution {
		sol := &planner.Solution{Year: make([]int, n), Specialty: make([]int, n), Count: make([]int, len(inst.Arcs))}
		for s := range sol.Year {
			sol.Year[s] = -1
			if s < open {
				sol.Year[s] = 0
			}
		}
		return sol
	}
	t.Run("time-limited", func(t *testing.T) {
		sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute, Prices: prices})
		for i := 1; i <= n; i++ {
			sr.remember(plan(i), float64(i))
		}
		sr.remember(plan(n), float64(2*n)) // the same choice, better
		sr.remember(plan(n-1), 0.5)        // the same choice, worse
		if len(sr.pool) != min(poolSize, n) {
			t.Fatalf("pool of %d, want %d", len(sr.pool), min(poolSize, n))
		}
		if sr.pool[0].obj != float64(2*n) {
			t.Errorf("best start %.1f, want %d", sr.pool[0].obj, 2*n)
		}
		seen := map[uint64]bool{}
		for i, p := range sr.pool {
			if seen[p.key] {
				t.Errorf("choice %x twice", p.key)
			}
			seen[p.key] = true
			if i > 0 && p.obj > sr.pool[i-1].obj {
				t.Errorf("pool not best first: %.1f after %.1f", p.obj, sr.pool[i-1].obj)
			}
		}
		sr.exploredKeys[choiceKey(plan(1).Year, plan(1).Specialty)] = true
		before := len(sr.pool)
		sr.pool = nil
		sr.remember(plan(1), 1e9)
		if len(sr.pool) != 0 {
			t.Errorf("an explored choice came back (pool of %d before)", before)
		}
	})
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"node-limited", Options{TimeLimit: time.Minute, NodeLimit: 100, Prices: prices}},
		{"without prices", Options{TimeLimit: time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sr := newSearch(context.Background(), inst, tc.opts)
			sr.remember(plan(2), 1)
			if len(sr.pool) != 0 || sr.explore(nil, func() bool { return false }) {
				t.Errorf("the search keeps or explores starts")
			}
		})
	}
}

// TestExploreNeverLowers runs the relaxation and its endgame on Small
// instances (node-limited, so the incumbent is the same on any machine),
// fills the pool with the plans of very short solves (other site
// choices), and explores every start far enough from the incumbent: the
// incumbent never falls, keeps every rule (the solver's check and the
// oracle's), and explorations must run on at least half of them (else
// the pool is dead weight).
func TestExploreNeverLowers(t *testing.T) {
	explored, checked := 0, 0
	for seed := int64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprintf("small-seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, randinst.Small())
			sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute, NodeLimit: 300, Prices: zeroPrices(inst)})
			sr.decompose(sr.deadline, false)
			if sr.best == nil || sr.relax == nil {
				return
			}
			checked++
			sr.opts.NodeLimit = 0 // explore runs on time-limited solves only
			for _, nodes := range []int{1, 2, 4, 8, 16} {
				sol, err := Solve(context.Background(), inst, Options{TimeLimit: time.Minute, NodeLimit: nodes})
				if err == nil {
					sr.remember(sol, sr.m.objective(sol))
				}
			}
			sr.searchEnd = time.Now().Add(4 * time.Second) // a second per exploration at most
			sr.deadline = sr.searchEnd
			for len(sr.pool) > 0 {
				before, pool := sr.bestObj, len(sr.pool)
				sr.explore(sr.relax, func() bool { return false })
				if len(sr.pool) == pool {
					break // no start far enough from the incumbent
				}
				explored++
				if sr.bestObj < before-1e-9*math.Max(1, math.Abs(before)) {
					t.Fatalf("incumbent fell from %.6f to %.6f", before, sr.bestObj)
				}
				if msg := sr.m.check(sr.best); msg != "" {
					t.Fatalf("plan breaks a rule: %s", msg)
				}
				if msg := brutePlacementHolds(inst, sr.best); msg != "" {
					t.Fatalf("the oracle's check: %s", msg)
				}
			}
		})
	}
	t.Logf("%d explorations on %d instances", explored, checked)
	if checked < 6 || 2*explored < checked {
		t.Errorf("%d explorations on %d instances; want at least one on half of at least 6", explored, checked)
	}
}

func TestChoiceDistance(t *testing.T) {
	a := &planner.Solution{Year: []int{0, -1, 1, 2}, Specialty: []int{0, 0, 1, 2}}
	for _, tc := range []struct {
		name string
		b    *planner.Solution
		want int
	}{
		{"same", &planner.Solution{Year: []int{0, -1, 1, 2}, Specialty: []int{0, 0, 1, 2}}, 0},
		{"another year", &planner.Solution{Year: []int{1, -1, 1, 2}, Specialty: []int{0, 0, 1, 2}}, 1},
		{"closed and opened", &planner.Solution{Year: []int{-1, 0, 1, 2}, Specialty: []int{0, 0, 1, 2}}, 2},
		{"another specialty", &planner.Solution{Year: []int{0, -1, 1, 2}, Specialty: []int{0, 0, 1, 0}}, 1},
		{"a closed site's specialty", &planner.Solution{Year: []int{0, -1, 1, 2}, Specialty: []int{0, 3, 1, 2}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := choiceDistance(a, tc.b); got != tc.want {
				t.Errorf("distance %d, want %d", got, tc.want)
			}
		})
	}
}

// zeroPrices are multipliers at zero for every group and year of inst.
func zeroPrices(inst *planner.Instance) *Prices {
	return &Prices{Groups: make([]float64, len(inst.Groups)), Years: make([]float64, len(inst.Years))}
}
