package cbc_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/rules"
)

// townsNodeLimit is the node limit of the town-by-town test: enough for
// the first endgame's town-by-town search on the demo within towns.
const townsNodeLimit = 20_000

// TestTownByTownAgainstCBC: on the shipped demo with firms kept in their
// towns (the towns then share only the counting rows, and the solver
// solves them one by one: docs/solver.md, "Town by town"), parkplan
// alone under a node limit reports a bound well below the LP bound — which
// its relaxation alone cannot go below — and it is still a bound: CBC's
// plan on the same model never beats it, parkplan's plan never beats
// CBC's bound, the plan keeps every rule (planner/rules), and a second
// solve gives the same plan, bound and nodes.
func TestTownByTownAgainstCBC(t *testing.T) {
	if !cbc.Installed() {
		t.Fatal("cbc is not installed (scripts/deps.sh installs coinor-cbc)")
	}
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	sc := planner.Defaults()
	sc.WithinTown = true
	sc.NodeLimit = townsNodeLimit
	sc.TimeLimit = planner.Duration{Duration: 10 * time.Minute}
	inst, err := planner.BuildInstance(ds, sc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := engine.ParkplanOnly(ctx, inst, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := engine.ParkplanOnly(ctx, inst, nil)
	if err != nil {
		t.Fatal(err)
	}
	i, j := got.Info, again.Info
	if i.Objective != j.Objective || i.Bound != j.Bound || i.Nodes != j.Nodes {
		t.Fatalf("two node-limited solves differ: %+v and %+v", i, j)
	}
	plan, err := planner.DecodePlan(ds, inst, got)
	if err != nil {
		t.Fatal(err)
	}
	if v := rules.Check(ds, sc, plan); len(v) > 0 {
		t.Fatalf("plan breaks %d rules:\n%s", len(v), rules.Format(v))
	}
	ref, err := cbc.Run(ctx, mps.Build(inst), cbc.Options{TimeLimit: drawnCBCLimit})
	if err != nil {
		t.Fatal(err)
	}
	bound := ref.Bound
	if math.IsNaN(bound) {
		bound = ref.LPBound
	}
	t.Logf("parkplan %.2f / %.2f (gap %.3f %%, %d nodes); CBC %s: plan %.2f, bound %.2f, LP bound %.2f",
		i.Objective, i.Bound, 100*i.Gap, i.Nodes, ref.Status, ref.Objective, bound, ref.LPBound)
	if math.IsNaN(ref.LPBound) {
		t.Fatal("CBC gave no LP bound")
	}
	if i.Bound > ref.LPBound*(1-0.01) || i.Bound < i.Objective {
		t.Errorf("bound %.3f: want at least 1 %% below the LP bound %.3f and at least the plan %.3f", i.Bound, ref.LPBound, i.Objective)
	}
	tol := objRelTol * math.Max(1, math.Abs(i.Objective))
	if !math.IsNaN(ref.Objective) && ref.Objective > i.Bound+tol {
		t.Errorf("CBC's plan %.9g beats parkplan's bound %.9g", ref.Objective, i.Bound)
	}
	if !math.IsNaN(bound) && i.Objective > bound+tol {
		t.Errorf("parkplan's plan %.9g beats CBC's bound %.9g", i.Objective, bound)
	}
}
