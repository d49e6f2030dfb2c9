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

// townLocal is inst with every firm kept in its town (the arcs to other
// towns' sites dropped) and no budget: an instance that separates by town
// (townSeparable).
func townLocal(inst *planner.Instance) *planner.Instance {
	out := *inst
	out.Arcs = nil
	for _, a := range inst.Arcs {
		if inst.Sites[a.Site].Town == inst.Groups[a.Group].Town {
			out.Arcs = append(out.Arcs, a)
		}
	}
	out.BudgetWan = make([]float64, len(inst.Years))
	for t := range out.BudgetWan {
		out.BudgetWan[t] = math.Inf(1)
	}
	out.CountyMu = nil
	return &out
}

// TestTownExactBudgetsPriced: on Tiny instances whose firms stay in their
// towns, with yearly budgets (60 seeds), townExact at budget prices of 0,
// 2 and 20 times the objective's cost weight reports a bound at or above
// the brute-force optimum (a Lagrangian bound for any price) and, when it
// offers a plan, one that keeps every rule (the budgets among them) and
// is at most the optimum (some are offered); a price above 0 gives a
// tighter bound than 0 on a third of them (the budgets are priced, not
// dropped).
func TestTownExactBudgetsPriced(t *testing.T) {
	size := randinst.Tiny()
	size.BudgetShare = 0.5
	feasible, budgeted, tighter, plans := 0, 0, 0, 0
	for seed := int64(1); seed <= 60; seed++ {
		t.Run(fmt.Sprintf("tiny-seed%d", seed), func(t *testing.T) {
			inst := townLocal(randinst.Generate(seed, size))
			inst.BudgetWan = randinst.Generate(seed, size).BudgetWan
			want, ok := bruteForce(inst)
			if ok {
				feasible++
			}
			at0 := math.NaN()
			for _, price := range []float64{0, 2, 20} {
				sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute})
				validate(sr.m)
				if !sr.m.townSeparable() {
					t.Fatal("a town-local instance with budgets does not separate")
				}
				rho := make([]float64, len(inst.Years))
				for y, b := range sr.m.budgeted {
					if b {
						rho[y] = price * inst.Scenario.Weights.Cost
						if price == 0 && y == 0 {
							budgeted++
						}
					}
				}
				sr.townExact(make([]float64, len(inst.Groups)), rho, func() bool { return false })
				if !ok {
					if sr.best != nil {
						t.Fatalf("price %g: plan %.6f on an infeasible instance", price, sr.bestObj)
					}
					continue
				}
				tol := objRelTol * math.Max(1, math.Abs(want))
				if sr.bound < want-tol {
					t.Fatalf("price %g: bound %.6f below the optimum %.6f", price, sr.bound, want)
				}
				if sr.best != nil {
					plans++
					if msg := sr.m.check(sr.best); msg != "" {
						t.Fatalf("price %g: plan breaks a rule: %s", price, msg)
					}
					if sr.bestObj > want+tol {
						t.Fatalf("price %g: plan %.6f above the optimum %.6f", price, sr.bestObj, want)
					}
				}
				if price == 0 {
					at0 = sr.bound
				} else if sr.bound < at0-tol {
					tighter++
					at0 = math.Inf(-1) // counted once
				}
				t.Logf("price %g: plan %.4f bound %.4f optimum %.4f", price, sr.bestObj, sr.bound, want)
			}
		})
	}
	t.Logf("%d with a budget in the first year, %d feasible, a priced bound tighter than the unpriced on %d, %d plans", budgeted, feasible, tighter, plans)
	if feasible < 15 || tighter*3 < feasible || plans < 3 {
		t.Errorf("%d feasible, tighter on %d, %d plans: want ≥ 15, a third and ≥ 3", feasible, tighter, plans)
	}
}

// TestTownExactAgainstBruteForce: on Tiny instances whose firms stay in
// their towns (40 seeds), townExact alone (at zero prices, no other
// phase) reports a bound at or above the brute-force optimum, a plan
// that keeps every rule and is at most the optimum, and reaches the
// optimum, with a bound within townTol of it, on most of them.
func TestTownExactAgainstBruteForce(t *testing.T) {
	size := randinst.Tiny()
	size.BudgetShare = 0
	exact, feasible := 0, 0
	for seed := int64(1); seed <= 40; seed++ {
		t.Run(fmt.Sprintf("tiny-seed%d", seed), func(t *testing.T) {
			inst := townLocal(randinst.Generate(seed, size))
			want, ok := bruteForce(inst)
			sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute})
			validate(sr.m)
			if !sr.m.townSeparable() {
				t.Fatal("a town-local instance does not separate")
			}
			sr.townExact(make([]float64, len(inst.Groups)), nil, func() bool { return false })
			if !ok {
				if sr.best != nil {
					t.Fatalf("plan %.6f on an infeasible instance", sr.bestObj)
				}
				return
			}
			feasible++
			if sr.best == nil {
				t.Fatalf("no plan; optimum %.6f", want)
			}
			if msg := sr.m.check(sr.best); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			tol := objRelTol * math.Max(1, math.Abs(want))
			if sr.bestObj > want+tol || sr.bound < want-tol {
				t.Fatalf("plan %.6f, bound %.6f, optimum %.6f", sr.bestObj, sr.bound, want)
			}
			t.Logf("plan %.4f bound %.4f optimum %.4f", sr.bestObj, sr.bound, want)
			if sr.bestObj >= want-tol && sr.bound <= want+townTol*math.Max(1, math.Abs(want))+tol {
				exact++
			}
		})
	}
	t.Logf("optimum and a bound within townTol on %d of %d", exact, feasible)
	if exact*4 < feasible*3 || feasible < 15 {
		t.Errorf("optimum with its bound on %d of %d feasible instances, want at least 3/4 of at least 15", exact, feasible)
	}
}
