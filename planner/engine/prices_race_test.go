package engine

import (
	"context"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/randinst"
	"github.com/parkplan/parkplan/planner/solver"
)

// TestRaceCutLP: given all the time it wants, raceCutLP returns the
// whole LP's duals (the prices lpPrices gives a small model, to the
// bit); with no time for the whole LP (wait 0) it returns the prices of
// whichever LP ends first, named by where they came from, and either
// starts the solver's relaxation at a valid bound — never below a plan
// the solver finds on its own — within 1 % of the whole LP's.
func TestRaceCutLP(t *testing.T) {
	requireCBC(t)
	cases := []struct {
		name string
		inst *planner.Instance
	}{
		{"small/seed1", randinst.Generate(1, randinst.Small())},
		{"small/seed3", randinst.Generate(3, randinst.Small())},
		{"small/seed5", randinst.Generate(5, randinst.Small())},
		{"county1x/seed1", randinst.Generate(1, randinst.County(1))},
	}
	for _, c := range cases {
		inst := c.inst
		t.Run(c.name, func(t *testing.T) {
			inst.Scenario.TimeLimit.Duration = 20 * time.Second
			model := mps.Build(inst)
			ctx := context.Background()
			want := lpPrices(ctx, inst, lpPricesShare)
			if want == nil {
				t.Fatal("no LP prices")
			}
			whole := raceCutLP(ctx, inst, model, time.Hour)
			if whole == nil || whole.From != PricesFromLP {
				t.Fatalf("waiting for the whole LP: got %+v, want its prices", whole)
			}
			for g := range want.Groups {
				if whole.Groups[g] != want.Groups[g] {
					t.Fatalf("group %d: price %v, the whole LP's %v", g, whole.Groups[g], want.Groups[g])
				}
			}
			raced := raceCutLP(ctx, inst, model, 0)
			if raced == nil || (raced.From != PricesFromLP && raced.From != PricesFromTowns) {
				t.Fatalf("racing: got %+v", raced)
			}
			bound := func(p *solver.Prices) float64 {
				sol, err := solver.Solve(ctx, inst, solver.Options{NodeLimit: 1, Prices: p, TimeLimit: 20 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				return sol.Info.Bound
			}
			own, err := solver.Solve(ctx, inst, solver.Options{NodeLimit: 400, TimeLimit: 20 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			lb, rb := bound(want), bound(raced)
			if rb < own.Info.Objective-1e-6*own.Info.Objective {
				t.Fatalf("bound at the raced prices (%s) %.3f below a plan %.3f", raced.From, rb, own.Info.Objective)
			}
			if rb > lb*1.01 {
				t.Errorf("bound at the raced prices (%s) %.3f, at the whole LP's %.3f: more than 1 %% above", raced.From, rb, lb)
			}
			t.Logf("%s: bound %.3f (whole LP's %.3f), a plan %.3f", raced.From, rb, lb, own.Info.Objective)
		})
	}
}
