package solver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/randinst"
)

// objRelTol is the agreement demanded between the solver and the oracle.
const objRelTol = 1e-6

func TestSolveMatchesBruteForce(t *testing.T) {
	feasible, infeasible := 0, 0
	for seed := int64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprintf("tiny-seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, randinst.Tiny())
			want, ok := bruteForce(inst)
			sol, err := Solve(context.Background(), inst, Options{TimeLimit: 40 * time.Second})
			if !ok {
				infeasible++
				if !errors.Is(err, planner.ErrInfeasible) {
					t.Fatalf("brute force: infeasible; solver: %v", err)
				}
				return
			}
			feasible++
			if err != nil {
				t.Fatalf("brute force optimum %.6f; solver error %v", want, err)
			}
			if msg := newModel(inst).check(sol); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			if math.Abs(sol.Info.Objective-want) > objRelTol*math.Max(1, math.Abs(want)) {
				t.Fatalf("objective %.9f, brute force %.9f", sol.Info.Objective, want)
			}
			if sol.Info.Bound < sol.Info.Objective || sol.Info.Status != planner.StatusOptimal {
				t.Fatalf("status %s bound %.9f objective %.9f", sol.Info.Status, sol.Info.Bound, sol.Info.Objective)
			}
		})
	}
	t.Logf("%d feasible, %d infeasible instances", feasible, infeasible)
	if feasible < 10 || infeasible < 1 {
		t.Errorf("test set unbalanced: %d feasible, %d infeasible", feasible, infeasible)
	}
}

func TestSolveDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed int64
		size randinst.Size
	}{{"tiny-seed29", 29, randinst.Tiny()}, {"county1x-seed1", 1, randinst.County(1)}} {
		t.Run(tc.name, func(t *testing.T) {
			inst := randinst.Generate(tc.seed, tc.size)
			// The limit is far beyond the solve's own end (gap target or
			// converged relaxation): results cut by a timer need not repeat.
			opts := Options{TimeLimit: 60 * time.Second}
			a, errA := Solve(context.Background(), inst, opts)
			b, errB := Solve(context.Background(), inst, opts)
			if errA != nil || errB != nil {
				t.Fatalf("errors %v, %v", errA, errB)
			}
			a.Info.Elapsed, b.Info.Elapsed = 0, 0
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("two solves differ: %+v vs %+v", a.Info, b.Info)
			}
		})
	}
}
