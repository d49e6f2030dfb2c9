package rules_test

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// TestChecklist checks that the checklist has a line for every rule, that
// its violations are Check's, and that each line's tightest figure is
// beyond its limit exactly when the line is broken by that figure.
func TestChecklist(t *testing.T) {
	cases := []struct {
		name     string
		scenario func(*planner.Scenario)
		edit     func(parks map[string]planner.Park, assign map[string]string)
		rule     string // the broken rule ("" : every rule kept)
		figure   string // the figure beyond its limit
		subject  string
		value    float64
		limit    float64 // -1: not compared
	}{
		{name: "valid", figure: "parks_by_target_year", subject: "2020", value: 2, limit: 2},
		{name: "target", scenario: func(s *planner.Scenario) { s.TargetParks = 3 },
			rule: planner.RuleTargetParks, figure: "parks_by_target_year", subject: "2020", value: 2, limit: 3},
		{name: "new-land cap", scenario: func(s *planner.Scenario) { s.MaxNewLandParks = 0 },
			rule: planner.RuleNewLandCap, figure: "new_land_parks", value: 1, limit: 0},
		{name: "quota", edit: func(p map[string]planner.Park, a map[string]string) {
			p["G-new"] = planner.Park{Specialty: "appliance", OpenYear: 2019}
		}, rule: planner.RuleQuota, figure: "new_land_mu", subject: "guanhaiwei/2019", value: 45, limit: 0},
		{name: "budget", scenario: func(s *planner.Scenario) { s.Budget = map[int]float64{2020: 1000} },
			rule: planner.RuleBudget, figure: "cost_wan", subject: "2020", value: 2500, limit: 1000},
		{name: "small/micro share", edit: func(p map[string]planner.Park, a map[string]string) { a["E4"] = "G-new" },
			rule: planner.RuleSmallMicroShare, figure: "small_micro_share", subject: "G-new", value: 0, limit: 0.7},
		{name: "capacity", scenario: func(s *planner.Scenario) { s.UsableShare = 0.35 },
			rule: planner.RuleCapacity, figure: "floor_used_m2", subject: "Z-built", value: 3500, limit: -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := plantest.Hand()
			sc := handScenario()
			if c.scenario != nil {
				c.scenario(&sc)
			}
			parks, assign := good()
			if c.edit != nil {
				c.edit(parks, assign)
			}
			plan := handPlan(ds, sc, parks, assign)
			lines := rules.Checklist(ds, sc, plan)
			if len(lines) != len(rules.Order) {
				t.Fatalf("%d lines for %d rules", len(lines), len(rules.Order))
			}
			nv := 0
			for i, l := range lines {
				if l.Rule != rules.Order[i] {
					t.Errorf("line %d is %s, want %s", i, l.Rule, rules.Order[i])
				}
				nv += len(l.Violations)
				if (l.Rule == c.rule) == l.Kept() {
					t.Errorf("%s: kept %v, violations %v", l.Rule, l.Kept(), l.Violations)
				}
				for _, f := range l.Figures {
					beyond := f.Value > f.Limit+1e-9
					if f.AtLeast {
						beyond = f.Value < f.Limit-1e-9
					}
					if beyond && l.Kept() {
						t.Errorf("%s: figure %+v beyond its limit on a kept line", l.Rule, f)
					}
					if f.Name != c.figure {
						continue
					}
					if f.Subject != c.subject || f.Value != c.value || c.limit >= 0 && f.Limit != c.limit {
						t.Errorf("%s: figure %+v, want %s %g against %g", f.Name, f, c.subject, c.value, c.limit)
					}
				}
			}
			if want := len(rules.Check(ds, sc, plan)); nv != want {
				t.Errorf("%d violations on the checklist, Check gives %d", nv, want)
			}
		})
	}
}

// The checklist's line for the target rule: kept, with the figure that meets it.
func ExampleChecklist() {
	ds := plantest.Hand()
	sc := handScenario()
	parks, assign := good()
	for _, l := range rules.Checklist(ds, sc, handPlan(ds, sc, parks, assign)) {
		if l.Rule == planner.RuleTargetParks {
			f := l.Figures[0]
			fmt.Printf("%s kept %v: %g parks open by %s, at least %g\n", l.Rule, l.Kept(), f.Value, f.Subject, f.Limit)
		}
	}
	// Output: ruleTargetParks kept true: 2 parks open by 2020, at least 2
}
