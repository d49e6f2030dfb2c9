package evaluate_test

import (
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/evaluate"
)

// TestDemoDrift evaluates the demo's two synthetic monitoring years: in
// 2020 every park keeps the 70 % rules and has its tier's facilities; in
// 2021 exactly one park (the sliding park) falls below the specialty
// rule and lacks its canteen, and vacancy rose overall. The same seed
// gives the same record.
func TestDemoDrift(t *testing.T) {
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	mon := demo.Monitoring(ds, demo.DefaultSeed)
	in := evaluate.Input{Dataset: ds, Scenario: planner.Defaults(), Monitoring: mon, Rubric: evaluate.DefaultRubric()}
	y1, y2 := demo.MonitoringYears[0], demo.MonitoringYears[1]
	r1, err := evaluate.Evaluate(in, y1)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := evaluate.Evaluate(in, y2)
	if err != nil {
		t.Fatal(err)
	}
	if len(r1.Parks) < 10 || len(r2.Parks) != len(r1.Parks) {
		t.Fatalf("%d parks in %d, %d in %d", len(r1.Parks), y1, len(r2.Parks), y2)
	}
	for _, p := range r1.Parks {
		if len(p.Broken) > 0 {
			t.Errorf("%d: %s breaks %v", y1, p.ParkID, p.Broken)
		}
	}
	var sliding []string
	occ := func(p evaluate.Park) float64 { return p.Indicators[0].Value }
	var occ1, occ2 float64
	for i, p := range r2.Parks {
		occ1 += occ(r1.Parks[i])
		occ2 += occ(p)
		if len(p.Broken) == 0 {
			continue
		}
		sliding = append(sliding, p.ParkID)
		rules := map[string]bool{}
		for _, b := range p.Broken {
			rules[b.Rule] = true
		}
		if !rules["ruleSpecialtyShare"] || !rules["ruleTierFacilities"] || p.Trend != "down" {
			t.Errorf("%s in %d: broken %v, trend %s", p.ParkID, y2, p.Broken, p.Trend)
		}
	}
	if len(sliding) != 1 {
		t.Errorf("parks breaking rules in %d: %v, want exactly the sliding park", y2, sliding)
	}
	if !(occ2 < occ1) {
		t.Errorf("occupancy did not fall: %.3f → %.3f (sum over parks)", occ1, occ2)
	}
	again := demo.Monitoring(ds, demo.DefaultSeed)
	if len(again.Firms) != len(mon.Firms) || again.Firms[len(mon.Firms)-1] != mon.Firms[len(mon.Firms)-1] {
		t.Error("the same seed gave a different record")
	}
}
