package cbc_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/randinst"
	"github.com/parkplan/parkplan/planner/rules"
)

// objRelTol is how close two optima must be: CBC reads coefficients
// written with 12 significant digits.
const objRelTol = 1e-6

// tinySeeds are the randinst.Tiny seeds checked against brute force; some
// of them are infeasible, which both sides must agree on.
var tinySeeds = []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}

func relDiff(a, b float64) float64 { return math.Abs(a-b) / math.Max(1, math.Abs(b)) }

// TestCBCMatchesBruteForce solves tiny random instances with CBC on the MPS
// export and by enumeration: same feasibility, same optimum.
func TestCBCMatchesBruteForce(t *testing.T) {
	feasible := 0
	for _, seed := range tinySeeds {
		inst := randinst.Generate(seed, randinst.Tiny())
		inst.Scenario.TimeLimit = planner.Duration{Duration: 30 * time.Second}
		inst.Scenario.GapTarget = 0
		_, want, ok := rules.BruteForce(inst)
		sol, err := cbc.Solve(context.Background(), inst, nil)
		if !ok {
			if !errors.Is(err, planner.ErrInfeasible) {
				t.Errorf("seed %d: brute force finds no plan; cbc: %v", seed, err)
			}
			continue
		}
		feasible++
		if err != nil {
			t.Errorf("seed %d: brute force optimum %v; cbc: %v", seed, want, err)
			continue
		}
		if d := relDiff(sol.Info.Objective, want); d > objRelTol {
			t.Errorf("seed %d: cbc optimum %.9g, brute force %.9g", seed, sol.Info.Objective, want)
		}
		m := mps.Build(inst)
		res, err := cbc.Run(context.Background(), m, cbc.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !(res.LPBound >= want-objRelTol*math.Max(1, math.Abs(want))) {
			t.Errorf("seed %d: LP bound %.9g below the optimum %.9g", seed, res.LPBound, want)
		}
		obj, bad := m.Violations(m.Values(sol), 1e-6)
		if len(bad) > 0 {
			t.Errorf("seed %d: cbc plan breaks rows: %v", seed, bad)
		}
		if relDiff(obj, want) > objRelTol {
			t.Errorf("seed %d: plan objective from rows %.9g, want %.9g", seed, obj, want)
		}
	}
	t.Logf("%d of %d seeds feasible", feasible, len(tinySeeds))
	if feasible < len(tinySeeds)/3 {
		t.Errorf("only %d of %d seeds feasible: the check says little", feasible, len(tinySeeds))
	}
}

func TestReadSolution(t *testing.T) {
	cols := map[string]int{"Y0": 0, "X1": 1}
	cases := []struct {
		name, file string
		status     planner.SolveStatus
		objective  float64
		values     []float64
	}{
		{"optimal", "Optimal - objective value -12.5\n      0 Y0                     1                    0.23\n      1 X1                     3                       0\n", planner.StatusOptimal, 12.5, []float64{1, 3}},
		{"stopped with plan", "Stopped on time - objective value -4\n      1 X1                     2                       0\n", planner.StatusFeasible, 4, []float64{0, 2}},
		{"infeasible", "Integer infeasible - objective value -10.70373599\n      0 Y0                     1                       0\n", planner.StatusInfeasible, math.NaN(), nil},
		{"stopped without plan", "Stopped on time (no integer solution - continuous used) - objective value -3\n", planner.StatusNoPlan, math.NaN(), nil},
		{"marked row", "Optimal - objective value 0\n**    0 Y0                     1                       0\n", planner.StatusOptimal, 0, []float64{1, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := cbc.ReadSolution(strings.NewReader(c.file), cols)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != c.status {
				t.Errorf("status %s, want %s", res.Status, c.status)
			}
			if !(res.Objective == c.objective || math.IsNaN(res.Objective) && math.IsNaN(c.objective)) {
				t.Errorf("objective %v, want %v", res.Objective, c.objective)
			}
			if fmt.Sprint(res.Values) != fmt.Sprint(c.values) {
				t.Errorf("values %v, want %v", res.Values, c.values)
			}
		})
	}
	if _, err := cbc.ReadSolution(strings.NewReader("Gibberish\n"), cols); err == nil {
		t.Error("unknown status accepted")
	}
}
