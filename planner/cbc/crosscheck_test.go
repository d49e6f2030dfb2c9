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

// Time limits of the cross-check: CBC proves each instance in about a
// second on an idle machine; parkplan's solver should too.
const (
	cbcLimit      = 60 * time.Second
	parkplanLimit = 5 * time.Second
)

// crossSeeds name the seeded instances on which parkplan's solver and CBC
// on the MPS export must reach the same optimum (or both find none): 30
// tiny ones (about 17 feasible) and 12 of the larger cross size (about 10
// feasible), so that more than 20 optima are compared within the
// package's time budget.
var crossSeeds = map[string][]int64{
	"tiny":  seq(101, 130),
	"cross": seq(101, 112),
}

func seq(from, to int64) []int64 {
	var s []int64
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

// TestSolverMatchesCBC is the cross-check of issue 3: parkplan's solver
// against CBC on the exact MPS model. On every seed both agree on
// feasibility, parkplan's plan keeps every row and never beats CBC's
// proven optimum, its bound is not below it, and when it claims
// optimality it equals it; and on at least 20 seeds the optima are equal
// (within 1e-6 relative). A parkplan solve cut short by its time limit
// (the machine may be loaded) is logged, not failed, as long as plan and
// bound are valid.
func TestSolverMatchesCBC(t *testing.T) {
	sizes := []randinst.Size{randinst.Tiny(), crossSize()}
	equal := 0
	defer func() {
		t.Logf("parkplan's optimum equals CBC's on %d seeds", equal)
		if equal < 20 {
			t.Errorf("parkplan's optimum equals CBC's on only %d seeds; the issue asks for 20 or more", equal)
		}
	}()
	for _, size := range sizes {
		both := 0
		seeds := crossSeeds[size.Name]
		for _, seed := range seeds {
			inst := randinst.Generate(seed, size)
			inst.Scenario.GapTarget = 0
			ctx := context.Background()
			inst.Scenario.TimeLimit = planner.Duration{Duration: cbcLimit}
			ref, cerr := cbc.Solve(ctx, inst, nil)
			inst.Scenario.TimeLimit = planner.Duration{Duration: parkplanLimit}
			got, perr := engine.ParkplanOnly(ctx, inst, nil)
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
			t.Logf("%s seed %d: optimum %.9g; CBC %v, parkplan %v (%d nodes)", name, seed, ref.Info.Objective, ref.Info.Elapsed.Round(time.Millisecond), got.Info.Elapsed.Round(time.Millisecond), got.Info.Nodes)
			if opt := ref.Info.Objective; got.Info.Bound < opt-objRelTol*math.Max(1, math.Abs(opt)) {
				t.Errorf("%s seed %d: parkplan's bound %.9g is below CBC's optimum %.9g: not a bound", name, seed, got.Info.Bound, opt)
			}
			m := mps.Build(inst)
			obj, bad := m.Violations(m.Values(got), 1e-6)
			if len(bad) > 0 {
				t.Errorf("%s seed %d: parkplan's plan breaks rows: %v", name, seed, bad)
			}
			d := math.Abs(obj-ref.Info.Objective) / math.Max(1, math.Abs(ref.Info.Objective))
			switch {
			case obj > ref.Info.Objective+objRelTol*math.Max(1, math.Abs(ref.Info.Objective)):
				t.Errorf("%s seed %d: parkplan's plan %.9g beats CBC's proven optimum %.9g", name, seed, obj, ref.Info.Objective)
			case got.Info.Status == planner.StatusOptimal && d > objRelTol:
				t.Errorf("%s seed %d: parkplan claims optimum %.9g, CBC proves %.9g", name, seed, obj, ref.Info.Objective)
			case d <= objRelTol:
				equal++
			default: // stopped by the time limit short of the optimum: a valid plan and bound, not a proof
				t.Logf("%s seed %d: parkplan stopped at %.9g (gap %.3g), CBC optimum %.9g", name, seed, obj, got.Info.Gap, ref.Info.Objective)
			}
		}
		t.Logf("%s: %d of %d seeds feasible and compared", size.Name, both, len(seeds))
		if both < 8 {
			t.Errorf("%s: only %d feasible seeds: the cross-check says little", size.Name, both)
		}
	}
}
