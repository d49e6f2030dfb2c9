package engine_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// objRelTol: optima must agree within 1e-6 relative (CBC reads the MPS's
// 12-significant-digit coefficients).
const objRelTol = 1e-6

// bruteSeeds name the plantest.Tiny datasets whose built instances are
// solved by enumeration and by both solvers.
var bruteSeeds = []int64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}

// TestDatasetsAgainstBruteForce builds instances from random datasets
// (BuildInstance, not randinst) and checks the optimum of CBC and of
// parkplan's solver against brute-force enumeration, and each decoded plan
// against the rule checker.
func TestDatasetsAgainstBruteForce(t *testing.T) {
	compared := 0
	for _, seed := range bruteSeeds {
		ds := plantest.Dataset(seed, plantest.Tiny())
		sc := planner.Defaults()
		sc.Name = "brute"
		sc.LastYear = 2020
		sc.TargetParks = 2
		sc.MaxNewLandParks = 1
		inst, err := planner.BuildInstance(ds, sc)
		if err != nil {
			t.Fatal(err)
		}
		_, want, ok := rules.BruteForce(inst)
		t.Logf("seed %d: %d sites, %d groups, %d arcs, optimum %.6g (feasible %v)", seed, len(inst.Sites), len(inst.Groups), len(inst.Arcs), want, ok)
		for _, name := range []string{"cbc", "parkplan"} {
			solve, _ := engine.SolverByName(name)
			plan, err := (&engine.Engine{Solver: solve}).SolveDataset(context.Background(), ds, &sc, nil)
			if !ok {
				if !errors.Is(err, planner.ErrInfeasible) {
					t.Errorf("seed %d %s: enumeration finds no plan; solver: %v", seed, name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("seed %d %s: %v (enumeration: %.9g)", seed, name, err, want)
				continue
			}
			if d := math.Abs(plan.Solve.Objective-want) / math.Max(1, math.Abs(want)); d > objRelTol {
				t.Errorf("seed %d %s: optimum %.9g, enumeration %.9g", seed, name, plan.Solve.Objective, want)
			}
			if vs := rules.Check(ds, sc, plan); len(vs) > 0 {
				t.Errorf("seed %d %s: rules broken:\n%s", seed, name, rules.Format(vs))
			}
		}
		if ok {
			compared++
		}
	}
	t.Logf("%d of %d datasets feasible and compared", compared, len(bruteSeeds))
	if compared < len(bruteSeeds)/2 {
		t.Errorf("only %d feasible datasets", compared)
	}
}
