package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

func handScenario() planner.Scenario {
	sc := planner.Defaults()
	sc.Name = "hand"
	sc.TargetParks = 2
	return sc
}

// TestHandPlan solves the hand dataset with both solvers: the plan the
// figures in plantest.Hand imply, passing the checker.
func TestHandPlan(t *testing.T) {
	for _, name := range []string{"cbc", "parkplan"} {
		t.Run(name, func(t *testing.T) {
			solve, _ := engine.SolverByName(name)
			ds := plantest.Hand()
			sc := handScenario()
			plan, err := (&engine.Engine{Store: memStore{ds}, Solver: solve}).Solve(context.Background(), &sc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if vs := rules.Check(ds, sc, plan); len(vs) > 0 {
				t.Fatalf("rules broken:\n%s", rules.Format(vs))
			}
			// Guanhaiwei needs a park: G-farm is on farmland, so G-new (45 mu ≤ 50 mu quota in 2020).
			open := map[string]planner.Park{}
			for _, p := range plan.Parks {
				open[p.ParcelID] = p
			}
			if p, ok := open["G-new"]; !ok || p.OpenYear != 2020 {
				t.Errorf("G-new not open in 2020: %+v", plan.Parks)
			}
			if _, ok := open["G-farm"]; ok {
				t.Error("park on basic farmland")
			}
			if p := open["Z-built"]; !p.Locked || p.OpenYear != 2016 {
				t.Errorf("built park: %+v", p)
			}
			// Z-new is 65 mu; Zhouxiang's quota is 20 mu a year: it cannot open.
			if _, ok := open["Z-new"]; ok {
				t.Error("Z-new opened beyond its town's quota")
			}
			reasons := map[string]planner.UnplacedReason{}
			for _, u := range plan.Unplaced {
				reasons[u.EnterpriseID] = u.Reason
			}
			want := map[string]planner.UnplacedReason{"E5": planner.ReasonBarredPollution, "E6": planner.ReasonLowScattered, "E7": planner.ReasonSafety}
			for id, r := range want {
				if reasons[id] != r {
					t.Errorf("%s unplaced for %q, want %q", id, reasons[id], r)
				}
			}
			if plan.KPI.TownsCovered != 2 {
				t.Errorf("towns covered %d, want 2", plan.KPI.TownsCovered)
			}
		})
	}
}

// TestHandQuotaExplanation halves the quota: Guanhaiwei's only admissible
// site (45 mu) no longer fits its 25 mu, so every-town fails — the
// explanation names the town, the quota and the candidate, and gives the
// smallest quota increase (20 mu) or dropping every_town.
func TestHandQuotaExplanation(t *testing.T) {
	ds := plantest.Hand()
	sc := handScenario()
	sc.QuotaScale = 0.5
	plan, err := (&engine.Engine{Store: memStore{ds}, Solver: engine.CBC}).Solve(context.Background(), &sc, nil)
	if !errors.Is(err, planner.ErrInfeasible) {
		t.Fatalf("want infeasible, got %v", err)
	}
	ex := plan.Explanation
	t.Logf("conflicts %q\nrelaxations %q", ex.Conflicts, ex.Relaxations)
	wantConflict := "观海卫镇 (guanhaiwei): quota 2019–2020 is 25.0 mu; the smallest admissible candidate is 45.0 mu"
	if !anyContains(ex.Conflicts, wantConflict) {
		t.Errorf("conflicts %q lack %q", ex.Conflicts, wantConflict)
	}
	for _, want := range []string{"add 20.00 mu of quota to guanhaiwei/2020", "set every_town: false"} {
		if !anyContains(ex.Relaxations, want) {
			t.Errorf("relaxations %q lack %q", ex.Relaxations, want)
		}
	}
	// The relaxation restores a plan.
	sc.QuotaExtra = map[string]float64{"guanhaiwei/2020": 20}
	if _, err := (&engine.Engine{Store: memStore{ds}, Solver: engine.CBC}).Solve(context.Background(), &sc, nil); err != nil {
		t.Errorf("after the relaxation: %v", err)
	}
}

// TestHandTargetExplanation asks for more parks than there are sites.
func TestHandTargetExplanation(t *testing.T) {
	ds := plantest.Hand()
	sc := handScenario()
	sc.TargetParks = 5
	plan, err := (&engine.Engine{Store: memStore{ds}, Solver: engine.CBC}).Solve(context.Background(), &sc, nil)
	if !errors.Is(err, planner.ErrInfeasible) {
		t.Fatalf("want infeasible, got %v", err)
	}
	// Sites by 2020: Z-built (locked), Z-old (old factory), G-new (new land); Z-new exceeds the quota.
	want := "target 5 parks by 2020: only 3 sites are admissible by then (1 locked, 1 on old factory or other land, 1 on new land)"
	if !anyContains(plan.Explanation.Conflicts, want) {
		t.Errorf("conflicts %q lack %q", plan.Explanation.Conflicts, want)
	}
	if !anyContains(plan.Explanation.Relaxations, "lower target_parks from 5 to 3") {
		t.Errorf("relaxations %q", plan.Explanation.Relaxations)
	}
}

// TestHandTownWithoutSite adds a town with no parcel: every_town cannot
// hold, and both solvers and the explanation say so.
func TestHandTownWithoutSite(t *testing.T) {
	ds := plantest.Hand()
	ds.Towns = append(ds.Towns, planner.Town{Code: "xinpu", NameZh: "新浦镇", Industries: []string{"textile"}, Seat: ds.Towns[0].Seat})
	sc := handScenario()
	for _, name := range []string{"cbc", "parkplan"} {
		solve, _ := engine.SolverByName(name)
		plan, err := (&engine.Engine{Store: memStore{ds}, Solver: solve}).Solve(context.Background(), &sc, nil)
		if !errors.Is(err, planner.ErrInfeasible) {
			t.Fatalf("%s: want infeasible, got %v", name, err)
		}
		if !anyContains(plan.Explanation.Conflicts, "新浦镇 (xinpu): no admissible site for a park") {
			t.Errorf("%s: conflicts %q", name, plan.Explanation.Conflicts)
		}
		if !anyContains(plan.Explanation.Relaxations, "set every_town: false (town xinpu gets no park by 2020)") {
			t.Errorf("%s: relaxations %q", name, plan.Explanation.Relaxations)
		}
	}
	sc.EveryTown = false
	if _, err := (&engine.Engine{Store: memStore{ds}, Solver: engine.CBC}).Solve(context.Background(), &sc, nil); err != nil {
		t.Errorf("without every_town: %v", err)
	}
}

// TestHandCountyAllocationExplanation gives the county 10 mu of the
// province's pool a year: Guanhaiwei's only admissible site (G-new,
// 45 mu of new land) no longer fits, so every-town fails. The
// explanation's alternatives: raise the 2020 allocation to 45 mu, or
// drop every_town; the first restores a plan.
func TestHandCountyAllocationExplanation(t *testing.T) {
	ds := plantest.Hand()
	sc := handScenario()
	sc.CountyAllocation = map[int]float64{2019: 10, 2020: 10}
	plan, err := (&engine.Engine{Store: memStore{ds}, Solver: engine.CBC}).Solve(context.Background(), &sc, nil)
	if !errors.Is(err, planner.ErrInfeasible) {
		t.Fatalf("want infeasible, got %v", err)
	}
	ex := plan.Explanation
	t.Logf("conflicts %q\nrelaxations %q", ex.Conflicts, ex.Relaxations)
	for _, want := range []string{"raise the county's 2020 allocation of the province's pool from 10.00 to 45.00 mu (county_allocation: {2020: 45.00})", "set every_town: false"} {
		if !anyContains(ex.Relaxations, want) {
			t.Errorf("relaxations %q lack %q", ex.Relaxations, want)
		}
	}
	if !anyContains(ex.Conflicts, "county allocation 2020 (10.00 mu) is 35.00 mu short") {
		t.Errorf("conflicts %q", ex.Conflicts)
	}
	sc.CountyAllocation[2020] = 45
	if _, err := (&engine.Engine{Store: memStore{ds}, Solver: engine.CBC}).Solve(context.Background(), &sc, nil); err != nil {
		t.Errorf("after the relaxation: %v", err)
	}
}

// TestExplainFeasible asks for an explanation of a feasible scenario (as
// if a solver had wrongly said infeasible): it must say no conflict exists.
func TestExplainFeasible(t *testing.T) {
	ds := plantest.Hand()
	inst, err := planner.BuildInstance(ds, handScenario())
	if err != nil {
		t.Fatal(err)
	}
	ex := engine.Explain(context.Background(), ds, inst)
	if len(ex.Conflicts) != 1 || !strings.Contains(ex.Conflicts[0], "no rule conflict found") || len(ex.Relaxations) != 0 {
		t.Errorf("explanation of a feasible scenario: %+v", ex)
	}
}

// TestHandTwoConflicts needs two rule families relaxed at once: the target
// beyond the sites and Guanhaiwei's halved quota.
func TestHandTwoConflicts(t *testing.T) {
	ds := plantest.Hand()
	sc := handScenario()
	sc.QuotaScale = 0.5
	sc.TargetParks = 5
	plan, err := (&engine.Engine{Store: memStore{ds}, Solver: engine.CBC}).Solve(context.Background(), &sc, nil)
	if !errors.Is(err, planner.ErrInfeasible) {
		t.Fatalf("want infeasible, got %v", err)
	}
	ex := plan.Explanation
	t.Logf("conflicts %q\nrelaxations %q", ex.Conflicts, ex.Relaxations)
	if len(ex.Relaxations) != 1 || !strings.HasPrefix(ex.Relaxations[0], "together: ") || !strings.Contains(ex.Relaxations[0], "lower target_parks from 5 to") {
		t.Errorf("relaxations %q, want one combined relaxation lowering the target", ex.Relaxations)
	}
	if !anyContains(ex.Conflicts, "观海卫镇 (guanhaiwei): quota") || !anyContains(ex.Conflicts, "target 5 parks by 2020") {
		t.Errorf("conflicts %q", ex.Conflicts)
	}
}
