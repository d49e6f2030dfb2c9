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

// TestPlaceIntsAgainstBruteForce checks the cluster placement's branch
// and bound against the oracle: for the site choice of a short solve on
// Tiny instances (shares tightened so that rounding loses), placeInts
// over every open park at once, from empty parks, must reach the
// oracle's optimal placement when its search completes, never exceed
// it, and keep every rule (the solver's check and the oracle's).
func TestPlaceIntsAgainstBruteForce(t *testing.T) {
	size := randinst.Tiny()
	checked, complete := 0, 0
	for seed := int64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprintf("tiny-seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, size)
			sc := &inst.Scenario
			sc.SpecialtyShareFirms, sc.SpecialtyShareFloor, sc.SmallMicroShare = 0.8, 0.8, 0.75
			sol, err := Solve(context.Background(), inst, Options{NodeLimit: 20, TimeLimit: time.Minute})
			if err != nil {
				return // infeasible or no plan: nothing to place
			}
			want := brutePlacer(inst)(sol.Year, sol.Specialty)
			sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute})
			m := sr.m
			empty := &planner.Solution{Year: sol.Year, Specialty: sol.Specialty, Count: make([]int, len(inst.Arcs))}
			var open []int
			rowsOf := make([]parkRows, len(inst.Sites))
			for s, y := range sol.Year {
				if y >= 0 {
					open = append(open, s)
					rowsOf[s] = m.parkRowsOf(s, sol.Specialty[s])
				}
			}
			left := make([]int, len(inst.Groups))
			for g, gr := range inst.Groups {
				left[g] = gr.Count
			}
			got, bound := sr.placeInts(empty, open, rowsOf, left, 0, 100_000, 0, func() bool { return false })
			firms := 0.0
			for a, n := range empty.Count {
				firms += inst.Arcs[a].Value * float64(n)
			}
			tol := objRelTol * math.Max(1, math.Abs(want))
			if math.Abs(firms-got) > tol {
				t.Fatalf("placement worth %.6f, reported %.6f", firms, got)
			}
			if got > want+tol || bound < want-tol {
				t.Fatalf("placement %.6f, bound %.6f, oracle's optimum %.6f", got, bound, want)
			}
			if msg := m.check(empty); msg != "" {
				t.Fatalf("placement breaks a rule: %s", msg)
			}
			if msg := brutePlacementHolds(inst, empty); msg != "" {
				t.Fatalf("the oracle's check: %s", msg)
			}
			checked++
			if bound <= got+tol {
				complete++
				if got < want-tol {
					t.Fatalf("complete search at %.6f below the optimum %.6f", got, want)
				}
			}
		})
	}
	t.Logf("%d placements checked, %d searches complete", checked, complete)
	if checked < 15 || complete < checked {
		t.Errorf("%d placements checked, %d complete; want ≥ 15, all", checked, complete)
	}
}

// TestPlaceClustersImproves checks the endgame's cluster move on Small
// instances: from the placement that rounding the placement LP gives,
// placeClusters never lowers the objective, keeps every rule (the
// solver's own check and the oracle's), and raises the objective on
// some of them (else the move is dead weight).
func TestPlaceClustersImproves(t *testing.T) {
	raised, checked := 0, 0
	for seed := int64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprintf("small-seed%d", seed), func(t *testing.T) {
			inst, sol, err := tightSmall(seed)
			if err != nil {
				return
			}
			sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute})
			sr.deadline = time.Now().Add(time.Minute)
			start := &planner.Solution{Year: sol.Year, Specialty: sol.Specialty, Count: make([]int, len(inst.Arcs))}
			if ok, _ := sr.m.placeLP(start, nil, nil); !ok {
				t.Skip("the placement LP is too large for one tableau")
			}
			before := sr.offer(start)
			if math.IsNaN(before) {
				t.Fatalf("the rounded placement breaks a rule: %s", sr.m.check(start))
			}
			sr.placeClusters(func() bool { return false })
			after := sr.bestObj
			if after < before-1e-9*math.Max(1, math.Abs(before)) {
				t.Fatalf("objective fell from %.6f to %.6f", before, after)
			}
			if msg := sr.m.check(sr.best); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			if msg := brutePlacementHolds(inst, sr.best); msg != "" {
				t.Fatalf("the oracle's check: %s", msg)
			}
			checked++
			if after > before+1e-9*math.Max(1, math.Abs(before)) {
				raised++
			}
			t.Logf("rounded %.4f, clusters %.4f", before, after)
		})
	}
	t.Logf("raised on %d of %d", raised, checked)
	if checked < 8 || raised == 0 {
		t.Errorf("raised on %d of %d; want some of at least 8", raised, checked)
	}
}

// tightSmall is the randinst Small instance of seed with tight share
// rules (specialty 85 %, small/micro 70 %: placements that round badly)
// and a quick plan of it (50 nodes), or Solve's error.
func tightSmall(seed int64) (*planner.Instance, *planner.Solution, error) {
	inst := randinst.Generate(seed, randinst.Small())
	sc := &inst.Scenario
	sc.SpecialtyShareFirms, sc.SpecialtyShareFloor, sc.SmallMicroShare = 0.85, 0.85, 0.7
	sol, err := Solve(context.Background(), inst, Options{NodeLimit: 50, TimeLimit: time.Minute})
	return inst, sol, err
}
