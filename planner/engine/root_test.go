package engine

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/mps"
)

// TestRootBoundBesideNodeLimit: a node-limited solve on the shipped demo
// with firms kept in their towns (where CBC's root cuts take the bound
// 2.2 % below the LP bound) reports CBC's root bound, named, below the LP
// bound and at least its own plan, which is parkplan's and keeps every
// row; twice the same plan and bound.
func TestRootBoundBesideNodeLimit(t *testing.T) {
	requireCBC(t)
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	sc := planner.Defaults()
	sc.WithinTown = true
	sc.NodeLimit = 200
	sc.TimeLimit = planner.Duration{Duration: 10 * time.Minute}
	inst, err := planner.BuildInstance(ds, sc)
	if err != nil {
		t.Fatal(err)
	}
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
