package engine

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
)

// withinTownInstance is the shipped demo (1×) with firms kept in their
// towns, where CBC's root cuts take the bound 2.2 % below the LP bound,
// node-limited to 200 nodes; limit > 0 sets its time limit.
func withinTownInstance(t *testing.T, limit time.Duration) *planner.Instance {
	t.Helper()
	return demoInstance(t, func(sc *planner.Scenario) {
		sc.WithinTown = true
		sc.NodeLimit = 200
		if limit > 0 {
			sc.TimeLimit = planner.Duration{Duration: limit}
		}
	})
}

// TestRootBoundBesideNodeLimit: a node-limited solve on the shipped demo
// with firms kept in their towns (where CBC's root cuts take the bound
// 2.2 % below the LP bound) reports CBC's root bound, named, below the LP
// bound and at least its own plan, which is parkplan's and keeps every
// row; twice the same plan and bound.
func TestRootBoundBesideNodeLimit(t *testing.T) {
	requireCBC(t)
	inst := withinTownInstance(t, 10*time.Minute)
	m := mps.Build(inst)
	lp, err := cbc.LPRelaxation(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	var infos []planner.SolveInfo
	for range 2 {
		sol, err := Parkplan(context.Background(), inst, nil)
		if err != nil {
			t.Fatal(err)
		}
		i := sol.Info
		t.Logf("%+v (LP bound %.3f)", i, lp.Objective)
		if i.BoundFrom != BoundFromRoot || i.PlanFrom != "parkplan" || i.Solver != "parkplan+cbc" {
			t.Fatalf("sources: %+v", i)
		}
		if i.Bound >= lp.Objective-1e-3*lp.Objective || i.Bound < i.Objective {
			t.Fatalf("bound %.3f: want below the LP bound %.3f and at least the objective %.3f", i.Bound, lp.Objective, i.Objective)
		}
		obj, bad := m.Violations(m.Values(sol), 1e-6)
		if len(bad) > 0 || math.Abs(obj-i.Objective) > 1e-6*math.Max(1, math.Abs(obj)) {
			t.Fatalf("plan breaks %v; objective %v vs reported %v", bad, obj, i.Objective)
		}
		infos = append(infos, i)
	}
	if infos[0].Objective != infos[1].Objective || infos[0].Bound != infos[1].Bound || infos[0].Nodes != infos[1].Nodes {
		t.Fatalf("two runs differ: %+v vs %+v", infos[0], infos[1])
	}
}

// TestRootBoundStopsAtItsLimit: CBC's root is handed the time it has (its
// -sec), so a root cut short stops by itself about then — not when the
// solve's context kills it, which loses its bound — and what it reports
// is still a bound: at most the LP bound and at least a plan's value.
func TestRootBoundStopsAtItsLimit(t *testing.T) {
	requireCBC(t)
	inst := withinTownInstance(t, 0)
	lp, err := cbc.LPRelaxation(context.Background(), mps.Build(inst))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := ParkplanOnly(context.Background(), inst, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []time.Duration{0, time.Second, 3 * time.Second} {
		t.Run(limit.String(), func(t *testing.T) {
			start := time.Now()
			b := rootBound(context.Background(), inst, limit)
			took := time.Since(start)
			t.Logf("limit %v: bound %.3f after %v (LP %.3f, plan %.3f)", limit, b, took, lp.Objective, plan.Info.Objective)
			if limit <= 0 {
				if !math.IsNaN(b) {
					t.Fatalf("no time, bound %v: want none", b)
				}
				return
			}
			// reading the model and writing the answer come on top of -sec
			if took > limit+3*time.Second {
				t.Fatalf("root ran %v with a limit of %v", took, limit)
			}
			tol := 1e-6 * math.Abs(lp.Objective)
			if !math.IsNaN(b) && (b > lp.Objective+tol || b < plan.Info.Objective-tol) {
				t.Fatalf("bound %.6f outside [plan %.6f, LP %.6f]", b, plan.Info.Objective, lp.Objective)
			}
		})
	}
}
