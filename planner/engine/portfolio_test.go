package engine

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
)

func solWith(solver string, obj, bound float64) *planner.Solution {
	return &planner.Solution{Info: planner.SolveInfo{Solver: solver, Status: planner.StatusFeasible, Objective: obj, Bound: bound, Nodes: 7}}
}

// TestMerge: the portfolio reports the better plan and the tighter bound,
// each with its source, and a gap from the two.
func TestMerge(t *testing.T) {
	inst := &planner.Instance{Scenario: planner.Defaults()}
	for _, tc := range []struct {
		name                 string
		own                  *planner.Solution
		ownErr               error
		cbc                  *planner.Solution
		cbcBound             float64
		wantObj, wantBound   float64
		wantPlan, wantBound2 string
		wantStatus           planner.SolveStatus
	}{
		{"own plan, cbc bound", solWith("parkplan", 100, 110), nil, solWith("cbc", 95, 0), 104, 100, 104, "parkplan", "cbc", planner.StatusFeasible},
		{"cbc plan, own bound", solWith("parkplan", 100, 103), nil, solWith("cbc", 102, 0), 108, 102, 103, "cbc", "parkplan", planner.StatusFeasible},
		{"cbc gave nothing", solWith("parkplan", 100, 103), nil, nil, math.Inf(1), 100, 103, "parkplan", "parkplan", planner.StatusFeasible},
		{"cbc proves own plan optimal", solWith("parkplan", 100, 103), nil, solWith("cbc", 100, 0), 100, 100, 100, "parkplan", "cbc", planner.StatusOptimal},
		{"own found no plan", nil, planner.ErrNoPlan, solWith("cbc", 90, 0), 95, 90, 95, "cbc", "cbc", planner.StatusFeasible},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := merge(inst, tc.own, tc.ownErr, tc.cbc, tc.cbcBound, 5, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			i := got.Info
			if i.Objective != tc.wantObj || i.Bound != tc.wantBound || i.PlanFrom != tc.wantPlan || i.BoundFrom != tc.wantBound2 || i.Status != tc.wantStatus || i.Solver != "parkplan+cbc" {
				t.Fatalf("got %+v", i)
			}
			if want := (tc.wantBound - tc.wantObj) / tc.wantObj; math.Abs(i.Gap-want) > 1e-12 {
				t.Fatalf("gap %v, want %v", i.Gap, want)
			}
		})
	}
	t.Run("infeasible stays infeasible", func(t *testing.T) {
		if _, err := merge(inst, nil, planner.ErrInfeasible, nil, math.Inf(1), 0, 0); !errors.Is(err, planner.ErrInfeasible) {
			t.Fatalf("err %v", err)
		}
	})
}

// TestPortfolioOnDemo runs parkplan with CBC beside it on the shipped demo
// with firms kept in their towns (a scenario where CBC's cuts give the
// tighter bound, docs/solver.md): both sources are named (the plan's may
// be CBC's plan polished by parkplan's solver), the plan keeps
// every row of the exact model, and the bound is at least the objective.
func TestPortfolioOnDemo(t *testing.T) {
	if !usePortfolio(&planner.Instance{}) {
		t.Fatal("cbc is not installed (scripts/deps.sh installs coinor-cbc)")
	}
	inst := demoInstance(t, func(sc *planner.Scenario) {
		sc.WithinTown = true
		sc.TimeLimit = planner.Duration{Duration: 15 * time.Second}
	})
	sol, err := Parkplan(context.Background(), inst, nil)
	if err != nil {
		t.Fatal(err)
	}
	i := sol.Info
	t.Logf("%+v", i)
	planFrom := map[string]bool{"parkplan": true, "cbc": true, "cbc+parkplan": true} // cbc+parkplan: CBC's plan handed over and polished
	if i.Solver != "parkplan+cbc" || !planFrom[i.PlanFrom] || (i.BoundFrom != "parkplan" && i.BoundFrom != "cbc") {
		t.Fatalf("sources not reported: %+v", i)
	}
	if i.Bound < i.Objective {
		t.Fatalf("bound %v below objective %v", i.Bound, i.Objective)
	}
	m := mps.Build(inst)
	obj, bad := m.Violations(m.Values(sol), 1e-6)
	if len(bad) > 0 || math.Abs(obj-i.Objective) > 1e-6*math.Max(1, math.Abs(obj)) {
		t.Fatalf("plan breaks %v; objective %v vs reported %v", bad, obj, i.Objective)
	}
}

// TestPortfolioSkipsLargeModel: on a model above portfolioMaxRows (the
// demo with other specialties allowed, 14 per site) CBC's branch and bound
// does not run beside the solver — the answer is parkplan's alone — and
// the plan keeps every row of the exact model.
func TestPortfolioSkipsLargeModel(t *testing.T) {
	if !usePortfolio(&planner.Instance{}) {
		t.Fatal("cbc is not installed (scripts/deps.sh installs coinor-cbc)")
	}
	inst := demoInstance(t, func(sc *planner.Scenario) {
		sc.AllowOtherSpecialties = true
		sc.TimeLimit = planner.Duration{Duration: 12 * time.Second}
	})
	if rows, _ := mip.Size(inst); rows <= portfolioMaxRows {
		t.Fatalf("model of %d rows: not above portfolioMaxRows %d", rows, portfolioMaxRows)
	}
	sol, err := Parkplan(context.Background(), inst, nil)
	if err != nil {
		t.Fatal(err)
	}
	i := sol.Info
	t.Logf("%+v", i)
	if i.Solver != "parkplan" || i.PlanFrom == "cbc" || i.BoundFrom == "cbc" {
		t.Fatalf("CBC ran beside the solver: %+v", i)
	}
	if i.Bound < i.Objective {
		t.Fatalf("bound %v below objective %v", i.Bound, i.Objective)
	}
	m := mps.Build(inst)
	obj, bad := m.Violations(m.Values(sol), 1e-6)
	if len(bad) > 0 || math.Abs(obj-i.Objective) > 1e-6*math.Max(1, math.Abs(obj)) {
		t.Fatalf("plan breaks %v; objective %v vs reported %v", bad, obj, i.Objective)
	}
}
