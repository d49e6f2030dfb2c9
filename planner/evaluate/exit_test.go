package evaluate_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/evaluate"
	"github.com/parkplan/parkplan/planner/rules"
)

func entrantIDs(r *evaluate.Refill) []string {
	var ids []string
	for _, e := range r.Entrants {
		ids = append(ids, e.EnterpriseID)
	}
	return ids
}

// checkRefill checks a refill with the independent checker and against
// the other solver on the same model: CBC's proven optimum equals a
// refill solved by parkplan's solver; a refill solved by CBC bounds
// parkplan's plan (its objective never above, its bound never below, equal
// when it proves optimality). Small models are also enumerated.
func checkRefill(t *testing.T, in evaluate.Input, px evaluate.ParkExit, byCBC, brute bool) {
	t.Helper()
	r := px.Refill
	if vs := rules.CheckRefill(in.Dataset, in.Scenario, px.ParkID, px.Specialty, r.Staying(), r.FreeFloorM2, entrantIDs(r)); len(vs) > 0 && r.Restores {
		t.Errorf("%s: refill said to restore the rules breaks:\n%s", px.ParkID, rules.Format(vs))
	}
	other := engine.CBC
	if byCBC {
		other = engine.Parkplan
	}
	sol, err := other(context.Background(), r.Instance(), nil)
	if err != nil {
		t.Fatalf("other solver: %v", err)
	}
	cbcObj, ppObj, ppBound, ppOptimal := sol.Info.Objective, r.Solve.Objective, r.Solve.Bound, r.Solve.Status == planner.StatusOptimal
	if byCBC {
		cbcObj, ppObj, ppBound, ppOptimal = r.Solve.Objective, sol.Info.Objective, sol.Info.Bound, sol.Info.Status == planner.StatusOptimal
	}
	tol := 1e-9 * math.Max(1, math.Abs(cbcObj))
	if ppObj > cbcObj+tol || ppBound < cbcObj-tol || (ppOptimal && ppObj < cbcObj-tol) {
		t.Errorf("%s: parkplan objective %.12g bound %.12g (optimal %v), CBC optimum %.12g", px.ParkID, ppObj, ppBound, ppOptimal, cbcObj)
	}
	if brute {
		if _, obj, ok := rules.BruteForce(r.Instance()); !ok || math.Abs(obj-cbcObj) > tol {
			t.Errorf("%s: enumeration %v (%v), CBC %v", px.ParkID, obj, ok, cbcObj)
		}
	}
}

// TestExitsHand: with output ≥ 300 per mu, F2 (250), F3 (133) and F4
// (200) fail admission in 2020 and leave Z-built; F1 stays. The park
// breaks the specialty rule now (2 of 4 firms), so it gets a refill: the
// free floor is 3,000 vacant + 17,000 freed; the waiting firms of the hand
// dataset that may enter are E1, E2 (textile micro), E3 (garment small)
// and E4 (appliance medium, 9.4 km away): all four fit and keep every
// share (4 of 5 related, 4 of 5 small/micro). With the small/micro share
// raised to 85 %, E4 no longer fits the rule and the refill is E1–E3.
func TestExitsHand(t *testing.T) {
	cases := []struct {
		name  string
		small float64
		want  string
	}{
		{"all four", 0.7, "E1 E2 E3 E4"},
		{"small/micro 85 %", 0.85, "E1 E2 E3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := handInput()
			in.Scenario.MinOutputPerMu = 300
			in.Scenario.SmallMicroShare = c.small
			ex, err := evaluate.Exits(context.Background(), in, 2020, engine.Parkplan)
			if err != nil {
				t.Fatal(err)
			}
			var leaving []string
			for _, f := range ex.Firms {
				leaving = append(leaving, f.FirmID)
			}
			if strings.Join(leaving, " ") != "F2 F3 F4" || len(ex.Parks) != 1 {
				t.Fatalf("exit list %+v", ex)
			}
			px := ex.Parks[0]
			if px.Leaving != 3 || len(px.BrokenNow) == 0 || px.BrokenNow[0].Rule != "ruleSpecialtyShare" || px.Refill == nil {
				t.Fatalf("park %+v", px)
			}
			r := px.Refill
			if r.FreeFloorM2 != 20000 || r.Waiting != 4 || !r.Restores || strings.Join(entrantIDs(r), " ") != c.want {
				t.Errorf("refill: free %v waiting %d restores %v entrants %v; want 20000 4 true %s", r.FreeFloorM2, r.Waiting, r.Restores, entrantIDs(r), c.want)
			}
			checkRefill(t, in, px, false, true)
		})
	}
}

// TestCheckRefillCatches breaks a refill and expects the checker to name it.
func TestCheckRefillCatches(t *testing.T) {
	in := handInput()
	in.Scenario.MinOutputPerMu = 300
	stay := []planner.FirmYear{in.Monitoring.Firms[0]} // F1
	cases := []struct {
		name     string
		free     float64
		entrants []string
		rule     string
	}{
		{"heavy polluter", 20000, []string{"E1", "E5"}, "ruleAdmission"},
		{"too much floor", 1500, []string{"E1", "E2"}, "ruleCapacity"},
		{"share", 20000, []string{"E4"}, "ruleSpecialtyShare"},
		{"twice", 20000, []string{"E1", "E1"}, "rulePlaceOnce"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vs := rules.CheckRefill(in.Dataset, in.Scenario, "Z-built", "textile", stay, c.free, c.entrants)
			for _, v := range vs {
				if v.Rule == c.rule {
					return
				}
			}
			t.Errorf("want %s, got:\n%s", c.rule, rules.Format(vs))
		})
	}
}

// TestExitsDemo: in 2021 the demo's sliding park breaks the specialty
// rule with no firm failing admission; its refill from the county's
// waiting firms, solved by CBC, restores the rules, passes the
// independent checker and bounds parkplan's solver on the same model.
func TestExitsDemo(t *testing.T) {
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	in := evaluate.Input{Dataset: ds, Scenario: planner.Defaults(), Monitoring: demo.Monitoring(ds, demo.DefaultSeed), Rubric: evaluate.DefaultRubric()}
	in.Scenario.TimeLimit = planner.Duration{Duration: 5 * time.Second} // CBC proves it in about a second
	ex, err := evaluate.Exits(context.Background(), in, demo.MonitoringYears[1], engine.CBC)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Firms) != 0 || len(ex.Parks) != 1 || ex.Parks[0].Refill == nil {
		t.Fatalf("exit list: %d firms, parks %+v", len(ex.Firms), ex.Parks)
	}
	px := ex.Parks[0]
	r := px.Refill
	t.Logf("%s: %d waiting, %d entrants, %.0f of %.0f m² free, shares %.3f/%.3f/%.3f, %s in %v",
		px.ParkID, r.Waiting, len(r.Entrants), r.FloorAddedM2, r.FreeFloorM2, r.SpecialtyShareFirms, r.SpecialtyShareFloor, r.SmallMicroShare, r.Solve.Status, r.Solve.Elapsed)
	if !r.Restores || len(r.Entrants) == 0 || r.Solve.Status != planner.StatusOptimal {
		t.Errorf("refill of the sliding park: restores %v, %d entrants, %s", r.Restores, len(r.Entrants), r.Solve.Status)
	}
	checkRefill(t, in, px, true, false)
}
