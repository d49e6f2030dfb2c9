package rules_test

import (
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// TestFiltersNameTheCheckersRules puts what BuildInstance's pre-model
// filters leave out into a plan anyway — each dropped parcel opened as a
// park, each excluded firm placed in an open park — and expects the
// checker to catch it under the rule the filter is tagged with
// (DroppedSite.Rule, UnplacedReason.Rule): filters and checker name a
// rule alike, although the checker never reads the Instance.
func TestFiltersNameTheCheckersRules(t *testing.T) {
	ds := plantest.Hand()
	for _, tc := range []struct {
		name  string
		edit  func(*planner.Scenario)
		rules []string // the rules this scenario's filters must use
	}{
		{"protected-and-admission", func(*planner.Scenario) {}, []string{planner.RuleProtected, planner.RuleAdmission}},
		{"lock-out", func(sc *planner.Scenario) { sc.LockOut = []string{"Z-old"} }, []string{planner.RuleLocked}},
		{"relocation", func(sc *planner.Scenario) { sc.MaxRelocationKm = 0.001 }, []string{planner.RuleRelocation}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := handScenario()
			tc.edit(&sc)
			inst, err := planner.BuildInstance(ds, sc)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, d := range inst.Dropped {
				if d.Rule == "" {
					t.Errorf("parcel %s dropped without a rule: %s", d.ParcelID, d.Reason)
					continue
				}
				seen[d.Rule] = true
				parks, assign := good()
				parks[d.ParcelID] = planner.Park{Specialty: townIndustry(ds, d.Town), OpenYear: sc.FirstYear}
				expectViolation(t, rules.Check(ds, sc, handPlan(ds, sc, parks, assign)), d.Rule, d.ParcelID)
			}
			for _, u := range inst.Excluded {
				rule := u.Reason.Rule()
				if rule == "" {
					t.Errorf("firm %s excluded for %s, which names no rule", u.EnterpriseID, u.Reason)
					continue
				}
				seen[rule] = true
				parks, assign := good()
				assign[u.EnterpriseID] = "Z-built"
				expectViolation(t, rules.Check(ds, sc, handPlan(ds, sc, parks, assign)), rule, u.EnterpriseID)
			}
			for _, r := range tc.rules {
				if !seen[r] {
					t.Errorf("no parcel or firm left out by %s: the case tests nothing", r)
				}
			}
		})
	}
}

func townIndustry(ds *planner.Dataset, code string) string {
	for _, t := range ds.Towns {
		if t.Code == code && len(t.Industries) > 0 {
			return t.Industries[0]
		}
	}
	return ""
}

func expectViolation(t *testing.T, vs []rules.Violation, rule, subject string) {
	t.Helper()
	for _, v := range vs {
		if v.Rule == rule && v.Subject == subject {
			return
		}
	}
	t.Errorf("%s left out by %s before the model, but the checker reports no %s for it: %v", subject, rule, rule, vs)
}
