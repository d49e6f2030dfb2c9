package cbc_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/randinst"
)

// crossSize sits between randinst.Tiny and randinst.Small: CBC proves
// each in well under a second, and the instances still have several towns,
// years, specialties and share rules that bind.
func crossSize() randinst.Size {
	s := randinst.Small()
	s.Name = "cross"
	s.Towns = 2
	s.GroupsPerTown = 3
	s.MaxGroupCount = 4
	return s
}

// crossSeeds name the seeded instances on which parkplan's solver and CBC
// on the MPS export must reach the same optimum (or both find none).
var crossSeeds = []int64{101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124}

// TestSolverMatchesCBC is the cross-check of issue 3: parkplan's solver
// against CBC on the exact MPS model, ≥ 20 seeded random instances.
func TestSolverMatchesCBC(t *testing.T) {
	sizes := []randinst.Size{randinst.Tiny(), crossSize()}
	for _, size := range sizes {
		both := 0
		for _, seed := range crossSeeds {
			inst := randinst.Generate(seed, size)
			inst.Scenario.TimeLimit = planner.Duration{Duration: 5 * time.Second}
			inst.Scenario.GapTarget = 0
			ctx := context.Background()
			ref, cerr := cbc.Solve(ctx, inst, nil)
			got, perr := engine.Parkplan(ctx, inst, nil)
			name := size.Name
			switch {
			case errors.Is(cerr, planner.ErrInfeasible):
				if !errors.Is(perr, planner.ErrInfeasible) {
					t.Errorf("%s seed %d: CBC proves infeasible; parkplan: %v", name, seed, perr)
				}
				continue
			case cerr != nil:
				t.Fatalf("%s seed %d: cbc: %v", name, seed, cerr)
			case perr != nil:
				t.Errorf("%s seed %d: CBC optimum %.9g; parkplan: %v", name, seed, ref.Info.Objective, perr)
				continue
			}
			if ref.Info.Status != planner.StatusOptimal {
				t.Fatalf("%s seed %d: CBC did not prove optimality: %+v", name, seed, ref.Info)
			}
			both++
			if opt := ref.Info.Objective; got.Info.Bound < opt-objRelTol*math.Max(1, math.Abs(opt)) {
				t.Errorf("%s seed %d: parkplan's bound %.9g is below CBC's optimum %.9g: not a bound", name, seed, got.Info.Bound, opt)
			}
			m := mps.Build(inst)
			obj, bad := m.Violations(m.Values(got), 1e-6)
			if len(bad) > 0 {
				t.Errorf("%s seed %d: parkplan's plan breaks rows: %v", name, seed, bad)
			}
			if d := math.Abs(obj-ref.Info.Objective) / math.Max(1, math.Abs(ref.Info.Objective)); d > objRelTol {
				t.Errorf("%s seed %d: parkplan %.9g (status %s), CBC %.9g", name, seed, obj, got.Info.Status, ref.Info.Objective)
			}
		}
		t.Logf("%s: %d of %d seeds feasible and compared", size.Name, both, len(crossSeeds))
		if both < 10 {
			t.Errorf("%s: only %d feasible seeds: the cross-check says little", size.Name, both)
		}
	}
}
