package planner_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
)

// classedHand is plantest.Hand with 亩均效益 figures and classes that the
// admission cases below reason about: E1 textile 300/20 A, E2 textile
// 120/6 D, E3 garment 200/12 C, E4 appliance 500/30 B.
func classedHand() *planner.Dataset {
	ds := plantest.Hand()
	set := map[string]struct {
		out, tax float64
		cls      planner.MuClass
	}{"E1": {300, 20, "A"}, "E2": {120, 6, "D"}, "E3": {200, 12, "C"}, "E4": {500, 30, "B"}}
	for i, e := range ds.Enterprises {
		if v, ok := set[e.ID]; ok {
			ds.Enterprises[i].OutputPerMu, ds.Enterprises[i].TaxPerMu, ds.Enterprises[i].MuClass = v.out, v.tax, v.cls
		}
	}
	return ds
}

func TestMuAdmission(t *testing.T) {
	type out struct{ reason, detail string }
	cases := []struct {
		name string
		edit func(*planner.Scenario)
		want map[string]out // excluded firms among E1–E4, with reason and a piece of the detail
	}{
		{"no thresholds", nil, map[string]out{}},
		{"global output", func(s *planner.Scenario) { s.MinOutputPerMu = 200 },
			map[string]out{"E2": {"below_output_per_mu", "output 120 < minimum 200 (10,000 yuan/mu/year, global threshold)"}}},
		{"global tax", func(s *planner.Scenario) { s.MinTaxPerMu = 15 },
			map[string]out{"E2": {"below_tax_per_mu", "tax 6 < minimum 15"}, "E3": {"below_tax_per_mu", "tax 12 < minimum 15"}}},
		{"industry output replaces the global", func(s *planner.Scenario) {
			s.MinOutputPerMu = 100
			s.IndustryAdmission = map[string]planner.IndustryAdmission{"garment": {MinOutputPerMu: 250}}
		}, map[string]out{"E3": {"below_output_per_mu", "output 200 < minimum 250 (10,000 yuan/mu/year, threshold for garment)"}}},
		{"industry threshold below the global", func(s *planner.Scenario) {
			s.MinOutputPerMu = 250
			s.IndustryAdmission = map[string]planner.IndustryAdmission{"garment": {MinOutputPerMu: 150}}
		}, map[string]out{"E2": {"below_output_per_mu", "minimum 250"}}},
		{"classes A–C", func(s *planner.Scenario) { s.MinMuClass = planner.MuClassC },
			map[string]out{"E2": {"mu_class", "class D; scenario admits classes A–C"}}},
		{"classes A–B", func(s *planner.Scenario) { s.MinMuClass = planner.MuClassB },
			map[string]out{"E2": {"mu_class", "class D"}, "E3": {"mu_class", "class C"}}},
		{"D upgraded", func(s *planner.Scenario) { s.MinMuClass, s.UpgradedMuClass = planner.MuClassC, true }, map[string]out{}},
		{"class before output", func(s *planner.Scenario) { s.MinMuClass, s.MinOutputPerMu = planner.MuClassC, 200 },
			map[string]out{"E2": {"mu_class", "class D"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := planner.Defaults()
			sc.TargetParks = 2
			if c.edit != nil {
				c.edit(&sc)
			}
			inst, err := planner.BuildInstance(classedHand(), sc)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]out{}
			for _, u := range inst.Excluded {
				switch u.EnterpriseID {
				case "E5", "E6", "E7":
					if u.Detail != "" {
						t.Errorf("%s (%s) has a detail %q", u.EnterpriseID, u.Reason, u.Detail)
					}
					continue
				}
				got[u.EnterpriseID] = out{string(u.Reason), u.Detail}
			}
			if len(got) != len(c.want) {
				t.Errorf("excluded %v, want %v", got, c.want)
			}
			for id, w := range c.want {
				g := got[id]
				if g.reason != w.reason || !strings.Contains(g.detail, w.detail) {
					t.Errorf("%s: got %s %q, want %s with %q", id, g.reason, g.detail, w.reason, w.detail)
				}
			}
			for _, g := range inst.Groups {
				for _, id := range g.Members {
					if _, out := c.want[id]; out {
						t.Errorf("%s is excluded but in group %v", id, g.Members)
					}
				}
			}
		})
	}
}

func TestMuAdmissionScenarioErrors(t *testing.T) {
	cases := []struct {
		name, yaml, field string
	}{
		{"negative output", "min_output_per_mu: -1", "min_output_per_mu"},
		{"infinite tax", "min_tax_per_mu: .inf", "min_tax_per_mu"},
		{"industry threshold", "industry_admission: {textile: {min_tax_per_mu: -3}}", "industry_admission.textile.min_tax_per_mu"},
		{"unknown class", "min_mu_class: E", "min_mu_class"},
		{"unknown field", "industry_admission: {textile: {min_floor: 3}}", "industry_admission.textile.min_floor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := planner.LoadScenario(strings.NewReader("name: x\n" + c.yaml + "\n"))
			var pe *planner.Error
			if !errors.As(err, &pe) || pe.Field != c.field {
				t.Fatalf("want an error on %s, got %v", c.field, err)
			}
		})
	}
	t.Run("unknown industry", func(t *testing.T) {
		sc := planner.Defaults()
		sc.IndustryAdmission = map[string]planner.IndustryAdmission{"shoes": {MinOutputPerMu: 100}}
		_, err := planner.BuildInstance(classedHand(), sc)
		var pe *planner.Error
		if !errors.As(err, &pe) || pe.Field != "industry_admission.shoes" {
			t.Fatalf("want an error on industry_admission.shoes, got %v", err)
		}
	})
}

func ExampleScenario_MuThresholds() {
	sc := planner.Defaults()
	sc.MinOutputPerMu, sc.MinTaxPerMu = 150, 10
	sc.IndustryAdmission = map[string]planner.IndustryAdmission{"textile": {MinOutputPerMu: 200}}
	for _, ind := range []string{"textile", "garment"} {
		out, tax := sc.MuThresholds(ind)
		fmt.Printf("%s: output ≥ %g, tax ≥ %g (10,000 yuan/mu/year)\n", ind, out, tax)
	}
	// Output:
	// textile: output ≥ 200, tax ≥ 10 (10,000 yuan/mu/year)
	// garment: output ≥ 150, tax ≥ 10 (10,000 yuan/mu/year)
}
