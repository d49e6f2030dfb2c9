package engine_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// classed gives a plantest dataset's firms 亩均效益 classes in turn
// (A, B, C, D by firm order), so that a class rule bites.
func classed(ds *planner.Dataset) *planner.Dataset {
	classes := []planner.MuClass{planner.MuClassA, planner.MuClassB, planner.MuClassC, planner.MuClassD}
	for i := range ds.Enterprises {
		ds.Enterprises[i].MuClass = classes[i%len(classes)]
	}
	return ds
}

// admissionScenario sets every 亩均效益 threshold: classes A–C, output ≥
// 150 (plantest firms make 100, 200 or 300), tax ≥ 12 for the first
// industry (plantest firms pay 10).
func admissionScenario(ds *planner.Dataset) planner.Scenario {
	sc := smallScenario()
	sc.MinMuClass = planner.MuClassC
	sc.MinOutputPerMu = 150
	sc.IndustryAdmission = map[string]planner.IndustryAdmission{ds.Industries[0].Code: {MinTaxPerMu: 12}}
	return sc
}

// TestMuAdmissionSolved solves seeded datasets under the 亩均效益
// thresholds with parkplan's solver and with CBC on the MPS export: both
// plans keep every rule by the independent checker, the firms left out
// carry the reason with figure and threshold, the two optima agree, and
// a plan with a firm below a threshold placed is caught by the firm's id.
func TestMuAdmissionSolved(t *testing.T) {
	reasons := map[planner.UnplacedReason]int{}
	compared, caught := 0, 0
	for _, seed := range []int64{1, 2, 3, 4} {
		ds := classed(plantest.Dataset(seed, plantest.Tiny()))
		sc := admissionScenario(ds)
		plans := map[string]*planner.Plan{}
		for name, solve := range map[string]engine.SolveFunc{"parkplan": engine.Parkplan, "cbc": engine.CBC} {
			e := &engine.Engine{Store: memStore{ds}, Solver: solve}
			plan, err := e.Solve(context.Background(), &sc, nil)
			if errors.Is(err, planner.ErrInfeasible) {
				continue
			}
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, name, err)
			}
			if vs := rules.Check(ds, sc, plan); len(vs) > 0 {
				t.Errorf("seed %d %s: plan breaks rules:\n%s", seed, name, rules.Format(vs))
			}
			plans[name] = plan
		}
		if len(plans) == 1 {
			t.Errorf("seed %d: only one solver found a plan", seed)
			continue
		}
		if len(plans) == 0 {
			continue
		}
		a, b := plans["parkplan"], plans["cbc"]
		if a.Solve.Status == planner.StatusOptimal && b.Solve.Status == planner.StatusOptimal {
			compared++
			if d := math.Abs(a.Solve.Objective-b.Solve.Objective) / math.Max(1, math.Abs(b.Solve.Objective)); d > 1e-4 {
				t.Errorf("seed %d: parkplan optimum %.9g, CBC %.9g", seed, a.Solve.Objective, b.Solve.Objective)
			}
		}
		for _, u := range a.Unplaced {
			switch u.Reason {
			case planner.ReasonMuClass, planner.ReasonOutputPerMu, planner.ReasonTaxPerMu:
				reasons[u.Reason]++
				if !strings.Contains(u.Detail, "minimum") && !strings.Contains(u.Detail, "admits classes") {
					t.Errorf("seed %d: %s left out for %s without figure and threshold: %q", seed, u.EnterpriseID, u.Reason, u.Detail)
				}
			}
		}
		// Place one firm left out by the thresholds in an open park: the checker names it.
		if len(a.Parks) == 0 {
			continue
		}
		for i, u := range a.Unplaced {
			if u.Reason != planner.ReasonOutputPerMu && u.Reason != planner.ReasonMuClass {
				continue
			}
			broken := *a
			broken.Unplaced = append(append([]planner.Unplaced{}, a.Unplaced[:i]...), a.Unplaced[i+1:]...)
			broken.Assignments = append(append([]planner.Assignment{}, a.Assignments...), planner.Assignment{EnterpriseID: u.EnterpriseID, ParcelID: a.Parks[0].ParcelID})
			found := false
			for _, v := range rules.Check(ds, sc, &broken) {
				if v.Rule == "ruleMuAdmission" && v.Subject == u.EnterpriseID {
					found = true
				}
			}
			if found {
				caught++
			} else {
				t.Errorf("seed %d: %s (%s) placed in %s not caught", seed, u.EnterpriseID, u.Reason, a.Parks[0].ParcelID)
			}
			break
		}
	}
	for _, r := range []planner.UnplacedReason{planner.ReasonMuClass, planner.ReasonOutputPerMu, planner.ReasonTaxPerMu} {
		if reasons[r] == 0 {
			t.Errorf("no firm left out for %s: the test says little", r)
		}
	}
	if caught == 0 {
		t.Error("no plan was broken by placing a firm below a threshold")
	}
	if compared == 0 {
		t.Error("no seed gave two optimal plans to compare")
	}
	t.Logf("%d optima compared; firms left out: %v", compared, reasons)
}
