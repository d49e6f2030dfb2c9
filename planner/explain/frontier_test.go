package explain_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/explain"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// checkFrontier asserts the points are non-dominated and monotone: X
// ascending strictly and Y moving the same way when one objective is
// maximised and the other minimised (more firms cost more land), the
// opposite way when both are maximised or both minimised.
func checkFrontier(t *testing.T, res *explain.FrontierResult) {
	t.Helper()
	sameDir := res.X.Maximised() == res.Y.Maximised()
	for i := 1; i < len(res.Points); i++ {
		p, q := res.Points[i-1], res.Points[i]
		if !(q.X > p.X) {
			t.Errorf("points %d, %d: X %v then %v, want ascending", i, i+1, p.X, q.X)
		}
		if sameDir && !(q.Y < p.Y) || !sameDir && !(q.Y > p.Y) {
			t.Errorf("points %d, %d: (%v, %v) then (%v, %v): not a trade-off", i, i+1, p.X, p.Y, q.X, q.Y)
		}
	}
	gain := func(o explain.Objective, v float64) float64 {
		if o.Maximised() {
			return v
		}
		return -v
	}
	for i, p := range res.Points {
		for j, q := range res.Points {
			if i != j && gain(res.X, q.X) >= gain(res.X, p.X) && gain(res.Y, q.Y) >= gain(res.Y, p.Y) {
				t.Errorf("point %d (%v, %v) is dominated by point %d (%v, %v)", i+1, p.X, p.Y, j+1, q.X, q.Y)
			}
		}
	}
}

// TestFrontierTown: on frontierTown, firms against new land: the four
// corners of the frontier's convex hull, complete, and not the point
// (31 firms, 40 mu) in the hull's dent — weighted sums cannot find it.
func TestFrontierTown(t *testing.T) {
	for _, solver := range []string{"parkplan", "cbc"} {
		t.Run(solver, func(t *testing.T) {
			solve, _ := engine.SolverByName(solver)
			ds, sc := frontierTown(), frontierScenario()
			res, err := explain.Frontier(context.Background(), ds, &sc, explain.Firms, explain.NewLandMu, 7, solve, explain.FrontierOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := [][2]float64{{5, 0}, {15, 10}, {27, 30}, {40, 60}}
			if len(res.Points) != len(want) {
				t.Fatalf("%d points %+v, want %v", len(res.Points), res.Points, want)
			}
			for i, w := range want {
				if p := res.Points[i]; !near(p.X, w[0]) || !near(p.Y, w[1]) {
					t.Errorf("point %d: (%v firms, %v mu), want %v", i+1, p.X, p.Y, w)
				}
			}
			if !res.Complete || res.Unproven != 0 || res.Dominated != 0 || res.Failed != 0 {
				t.Errorf("complete %v, dominated %d, failed %d", res.Complete, res.Dominated, res.Failed)
			}
			checkFrontier(t, res)
			for _, p := range res.Points {
				w := sc
				w.Weights = planner.Weights{Firms: p.WeightX, LandMu: p.WeightY}
				if vs := rules.Check(ds, w, p.Plan); len(vs) > 0 {
					t.Errorf("point (%v, %v) breaks rules:\n%s", p.X, p.Y, rules.Format(vs))
				}
			}
		})
	}
}

// TestFrontierPointsOptimal: on tiny random datasets, each frontier point
// is optimal for its own weights — its weighted objective equals the
// enumerated optimum (rules.BruteForce) under those weights — so it is a
// supported non-dominated plan; and the points are monotone.
func TestFrontierPointsOptimal(t *testing.T) {
	pairs := [][2]explain.Objective{{explain.Firms, explain.NewLandMu}, {explain.FloorM2, explain.DistanceKm}}
	checked := 0
	for _, seed := range oracleSeeds[:6] {
		for _, pair := range pairs {
			ds := plantest.Dataset(seed, plantest.Tiny())
			sc := tinyScenario()
			if _, err := planner.BuildInstance(ds, sc); err != nil {
				t.Fatal(err)
			}
			res, err := explain.Frontier(context.Background(), ds, &sc, pair[0], pair[1], 5, engine.Parkplan, explain.FrontierOptions{})
			if err != nil {
				if planner.ErrorCode(err) == planner.EINTERNAL && isInfeasible(err) {
					continue
				}
				t.Fatalf("seed %d: %v", seed, err)
			}
			checkFrontier(t, res)
			for _, p := range res.Points {
				w := sc
				w.Weights = planner.Weights{}
				setWeight(&w.Weights, pair[0], p.WeightX)
				setWeight(&w.Weights, pair[1], p.WeightY)
				inst, err := planner.BuildInstance(ds, w)
				if err != nil {
					t.Fatal(err)
				}
				if vs := rules.Check(ds, w, p.Plan); len(vs) > 0 {
					t.Errorf("seed %d %v: point (%v, %v) breaks rules:\n%s", seed, pair, p.X, p.Y, rules.Format(vs))
				}
				_, opt, ok := rules.BruteForce(inst)
				if !ok || !near(p.Objective, opt) {
					t.Errorf("seed %d %v: point (%v, %v) objective %v, enumerated optimum at its weights %v", seed, pair, p.X, p.Y, p.Objective, opt)
				}
				checked++
			}
		}
	}
	t.Logf("%d frontier points checked against enumeration", checked)
	if checked < 10 {
		t.Errorf("only %d points checked", checked)
	}
}

// TestFrontierDeterministic: the same inputs give the same CSV bytes.
func TestFrontierDeterministic(t *testing.T) {
	var outs [2]bytes.Buffer
	for i := range outs {
		ds, sc := frontierTown(), frontierScenario()
		res, err := explain.Frontier(context.Background(), ds, &sc, explain.Firms, explain.NewLandMu, 7, engine.Parkplan, explain.FrontierOptions{NodeLimit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if err := explain.WriteFrontierCSV(&outs[i], res); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(outs[0].Bytes(), outs[1].Bytes()) {
		t.Errorf("two runs differ:\n%s---\n%s", outs[0].String(), outs[1].String())
	}
}

// TestFrontierBadInput: named errors for bad objectives and point counts.
func TestFrontierBadInput(t *testing.T) {
	ds, sc := frontierTown(), frontierScenario()
	tests := []struct {
		name   string
		x, y   explain.Objective
		points int
	}{
		{"same objective", explain.Firms, explain.Firms, 5},
		{"unknown objective", explain.Firms, "parks", 5},
		{"one point", explain.Firms, explain.NewLandMu, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := explain.Frontier(context.Background(), ds, &sc, tc.x, tc.y, tc.points, engine.Parkplan, explain.FrontierOptions{})
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("got %v, want an EINVALID error", err)
			}
		})
	}
}

func setWeight(w *planner.Weights, o explain.Objective, v float64) {
	switch o {
	case explain.Firms:
		w.Firms = v
	case explain.FloorM2:
		w.FloorM2 = v
	case explain.Output:
		w.Output = v
	case explain.NewLandMu:
		w.LandMu = v
	case explain.DistanceKm:
		w.DistanceKm = v
	case explain.Cost:
		w.Cost = v
	}
}

func isInfeasible(err error) bool { return errors.Is(err, planner.ErrInfeasible) }

// TestPlanTermsWeighted: a plan's six terms, weighted by its scenario,
// give back its objective — so each frontier point's x, y and
// scenario_objective are the model's own figures.
func TestPlanTermsWeighted(t *testing.T) {
	for _, seed := range oracleSeeds[:5] {
		ds, sc := plantest.Dataset(seed, plantest.Tiny()), tinyScenario()
		plan, err := (&engine.Engine{}).SolveDataset(context.Background(), ds, &sc, nil)
		if errors.Is(err, planner.ErrInfeasible) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if got := explain.PlanTerms(plan).Weighted(sc.Weights); !near(got, plan.Solve.Objective) {
			t.Errorf("seed %d: terms weight to %v, plan objective %v", seed, got, plan.Solve.Objective)
		}
	}
}
