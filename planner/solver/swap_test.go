package solver

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// exchangeInstance has two towns with one candidate each: A's site serves
// 2 firms, B's 8 (one objective unit per firm, −1 per park). Exactly one
// park may open (the rule of the case: the new-land cap or the budget)
// and one must open by 2019 (the target). The plan with A's park cannot
// be improved by changing one town: opening B's breaks the cap or the
// budget, closing A's breaks the target. Only the exchange reaches B.
func exchangeInstance(kind planner.ParcelKind, budget float64) *planner.Instance {
	sc := planner.Scenario{
		Name: "exchange", FirstYear: 2019, LastYear: 2019, TargetYear: 2019, TargetParks: 1,
		MaxNewLandParks: -1, SpecialtyShareFirms: 0.7, SpecialtyShareFloor: 0.7,
		SmallMicroShare: 0.7, UsableShare: 1, QuotaScale: 1, MaxRelocationKm: 10, GapTarget: 1e-4,
	}
	if kind == planner.KindNewLand {
		sc.MaxNewLandParks = 1
	}
	site := func(town int, id string) planner.Site {
		return planner.Site{ParcelID: id, Town: town, Kind: kind, AreaMu: 10, CapacityM2: 1e5, CostWan: 10, FixedValue: -1, Specialties: []int{0}}
	}
	group := func(town, n int) planner.Group {
		return planner.Group{Town: town, Industry: 0, SmallMicro: true, FloorM2: 100, Count: n}
	}
	return &planner.Instance{
		Scenario:   sc,
		Years:      []int{2019},
		Towns:      []string{"A", "B"},
		Sites:      []planner.Site{site(0, "A-1"), site(1, "B-1")},
		Groups:     []planner.Group{group(0, 2), group(1, 8)},
		Arcs:       []planner.Arc{{Group: 0, Site: 0, Value: 1}, {Group: 1, Site: 1, Value: 1}},
		Industries: []string{"textile"},
		Related:    [][]bool{{true}},
		QuotaMu:    [][]float64{{100}, {100}},
		BudgetWan:  []float64{budget},
		TargetT:    0,
	}
}

// endgameAt is a search on inst as the endgame finds it (the relaxation
// converged once, its master evaluated and feasible), for tests of the
// endgame's moves.
func endgameAt(t *testing.T, inst *planner.Instance) (*search, *relaxation) {
	t.Helper()
	sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute})
	sr.converged = true
	r := newRelaxation(sr.m)
	if _, ms := r.evaluate(); !ms.feasible {
		t.Fatal("master infeasible")
	}
	return sr, r
}

// TestSwapTownsExchange: from the plan with A's park, one-town moves
// (lns) find nothing and the town-pair exchange finds the optimum (B's
// park with its 8 firms, objective 7), a plan keeping every rule.
func TestSwapTownsExchange(t *testing.T) {
	for _, tc := range []struct {
		name string
		inst *planner.Instance
	}{
		{"new-land cap binds", exchangeInstance(planner.KindNewLand, math.Inf(1))},
		{"budget binds", exchangeInstance(planner.KindOldFactory, 15)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sr, r := endgameAt(t, tc.inst)
			start := &planner.Solution{Year: []int{0, -1}, Specialty: []int{0, 0}, Count: []int{2, 0}}
			if obj := sr.offer(start); obj != 1 {
				t.Fatalf("start plan objective %v, want 1 (a plan keeping every rule)", obj)
			}
			never := func() bool { return false }
			if sr.lns(r, never) {
				t.Fatalf("one-town moves improved the plan to %v: the case does not need an exchange", sr.bestObj)
			}
			if !sr.swapTowns(r, never) {
				t.Fatal("swapTowns found no better plan")
			}
			if sr.bestObj != 7 || sr.best.Year[0] != -1 || sr.best.Year[1] != 0 || sr.best.Count[1] != 8 {
				t.Fatalf("plan %+v objective %v, want B's park with 8 firms (7)", sr.best, sr.bestObj)
			}
			if msg := sr.m.check(sr.best); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
		})
	}
}
