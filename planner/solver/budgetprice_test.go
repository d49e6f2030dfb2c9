package solver

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/randinst"
)

// tightBudgets returns inst with its yearly budgets cut to share of what
// randinst gave and made unequal between the years (year t gets (t+1)
// parts), so that they bind and one price for all years is not the best.
func tightBudgets(inst *planner.Instance, share float64) *planner.Instance {
	out := *inst
	out.BudgetWan = make([]float64, len(inst.BudgetWan))
	n := float64(len(inst.BudgetWan))
	for t, b := range inst.BudgetWan {
		out.BudgetWan[t] = math.Round(b * share * 2 * float64(t+1) / (n + 1))
	}
	return &out
}

// TestTuneRho checks the budget prices tuneRho picks at fixed place-once
// prices λ (random, seeded), started from a price far above the
// objective's cost weight (as the LP's duals can be for the relaxation),
// or from no price at all:
// L never rises; the returned L is L(λ, ρ) at the prices it leaves in
// r.rho; no price of one common value over the budgeted years (a grid of
// them) gives a lower L; on Tiny instances L stays above the optimum
// (brute force). And it lowers L on at least a quarter of them.
func TestTuneRho(t *testing.T) {
	lowered, cases := 0, 0
	for _, tc := range []struct {
		size  randinst.Size
		share float64
		brute bool
	}{
		{randinst.Tiny(), 0.5, true},
		{randinst.Small(), 0.4, false},
		{randinst.Small(), 0.2, false},
	} {
		for seed := int64(1); seed <= 12; seed++ {
			for _, start := range []float64{4, 0} {
				t.Run(fmt.Sprintf("%s-%.1f-seed%d-start%v", tc.size.Name, tc.share, seed, start), func(t *testing.T) {
					inst := tightBudgets(randinst.Generate(seed, tc.size), tc.share)
					m := newModel(inst)
					r := newRelaxation(m)
					rng := rand.New(rand.NewPCG(uint64(seed), 3))
					for g := range r.lambda {
						r.lambda[g] = rng.Float64() * 2
					}
					var ratios []float64
					for _, site := range inst.Sites {
						if site.CostWan > 0 {
							ratios = append(ratios, math.Abs(site.FixedValue)/site.CostWan)
						}
					}
					sort.Float64s(ratios)
					p0 := 4 * math.Max(ratios[len(ratios)/2], 1e-3)
					for y := range r.rho {
						if m.budgeted[y] {
							r.rho[y] = start / 4 * p0
						}
					}
					L0, ms0 := r.evaluate()
					if !ms0.feasible {
						return // no site choice at all: nothing to price
					}
					cases++
					L1, ms := r.tuneRho()
					tol := 1e-9 * math.Max(1, math.Max(math.Abs(L0), math.Abs(L1)))
					if !ms.feasible {
						t.Fatalf("tuned master infeasible")
					}
					if L1 > L0+tol {
						t.Fatalf("tuned L %.9f above the starting L %.9f", L1, L0)
					}
					if L1 < L0-1e-4*math.Max(1, math.Abs(L0)) {
						lowered++
					}
					for y, p := range r.rho {
						if p < 0 || (!m.budgeted[y] && p != 0) {
							t.Fatalf("price %v in year %d (budgeted %v)", p, y, m.budgeted[y])
						}
					}
					tuned := append([]float64(nil), r.rho...)
					if L, _ := r.evaluate(); math.Abs(L-L1) > tol {
						t.Fatalf("L at the tuned prices %.9f, tuneRho said %.9f", L, L1)
					}
					// a grid of common prices: none below the tuned L (the
					// common search ends within 2⁻¹² of its bracket)
					gridTol := 1e-3 * math.Max(1, math.Abs(L1))
					for k := -8; k <= 4; k++ {
						p := 0.0
						if k > -8 {
							p = p0 * math.Pow(2, float64(k))
						}
						for y := range r.rho {
							if m.budgeted[y] {
								r.rho[y] = p
							}
						}
						if L, ms := r.evaluate(); ms.feasible && L < L1-gridTol {
							t.Fatalf("common price %v gives L %.6f below the tuned %.6f (prices %v)", p, L, L1, tuned)
						}
					}
					if tc.brute {
						if want, ok := bruteForce(inst); ok && L1 < want-objRelTol*math.Max(1, math.Abs(want)) {
							t.Fatalf("tuned L %.9f below the optimum %.9f", L1, want)
						}
					}
				})
			}
		}
	}
	t.Logf("tuneRho lowered L on %d of %d instances", lowered, cases)
	if lowered*4 < cases {
		t.Errorf("tuneRho lowered L on %d of %d instances, want at least a quarter", lowered, cases)
	}
}
