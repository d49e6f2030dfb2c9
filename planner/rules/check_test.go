package rules_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// handPlan builds a plan on plantest.Hand by hand: parks (parcel → year,
// specialty) and assignments (firm → parcel); every other firm unplaced
// with its admission reason or no_capacity; park figures and the
// objective from the dataset, so that only the rule under test can fail.
func handPlan(ds *planner.Dataset, sc planner.Scenario, parks map[string]planner.Park, assign map[string]string) *planner.Plan {
	parcels := map[string]planner.Parcel{}
	for _, p := range ds.Parcels {
		parcels[p.ID] = p
	}
	seat := map[string]planner.Town{}
	for _, t := range ds.Towns {
		seat[t.Code] = t
	}
	plan := &planner.Plan{Scenario: "hand"}
	ids := make([]string, 0, len(parks))
	for id := range parks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	idx := map[string]int{}
	for _, id := range ids {
		p := parcels[id]
		pk := parks[id]
		pk.ParcelID, pk.Town, pk.Kind, pk.AreaMu, pk.FAR, pk.Tier = id, p.Town, p.Kind, p.AreaMu, p.FAR, planner.TierOf(p.AreaMu)
		idx[id] = len(plan.Parks)
		plan.Parks = append(plan.Parks, pk)
	}
	for _, e := range ds.Enterprises {
		if parcel, ok := assign[e.ID]; ok {
			d := geo.DistanceM(seat[e.Town].Seat, geo.Centroid(parcels[parcel].Geometry))
			plan.Assignments = append(plan.Assignments, planner.Assignment{EnterpriseID: e.ID, ParcelID: parcel, DistanceM: d})
			if i, ok := idx[parcel]; ok {
				plan.Parks[i].Firms++
				plan.Parks[i].FloorUsedM2 += e.FloorM2
			}
			continue
		}
		reason := planner.ReasonNoCapacity
		switch {
		case e.Pollution == planner.PollutionHeavy:
			reason = planner.ReasonBarredPollution
		case e.LowScattered && !sc.UpgradedLowScattered:
			reason = planner.ReasonLowScattered
		case !e.SafetyOK:
			reason = planner.ReasonSafety
		}
		plan.Unplaced = append(plan.Unplaced, planner.Unplaced{EnterpriseID: e.ID, Reason: reason})
	}
	plan.Solve.Objective = rules.Objective(ds, sc, plan)
	return plan
}

func handScenario() planner.Scenario {
	sc := planner.Defaults()
	sc.TargetParks = 2
	return sc
}

// good is a plan on plantest.Hand that keeps every rule.
func good() (map[string]planner.Park, map[string]string) {
	return map[string]planner.Park{
			"Z-built": {Specialty: "textile", OpenYear: 2016, Locked: true},
			"G-new":   {Specialty: "appliance", OpenYear: 2020},
		}, map[string]string{
			"E1": "Z-built", "E2": "Z-built", "E3": "Z-built",
		}
}

func TestCheckHand(t *testing.T) {
	cases := []struct {
		name     string
		scenario func(*planner.Scenario)
		edit     func(parks map[string]planner.Park, assign map[string]string)
		rule     string // "" when the plan must pass
		detail   string
	}{
		{"valid", nil, nil, "", ""},
		{"target", func(s *planner.Scenario) { s.TargetParks = 3 }, nil, "ruleTargetParks", "2 parks open by 2020, target 3"},
		{"every town", nil, func(p map[string]planner.Park, a map[string]string) { delete(p, "G-new") }, "ruleEveryTown", "guanhaiwei"},
		{"late for target", nil, func(p map[string]planner.Park, a map[string]string) {
			p["G-new"] = planner.Park{Specialty: "appliance", OpenYear: 2021}
		}, "ruleEveryTown", "no park open by 2020"},
		{"new-land cap", func(s *planner.Scenario) { s.MaxNewLandParks = 0 }, nil, "ruleNewLandCap", "1 parks on new land, cap 0"},
		{"quota", nil, func(p map[string]planner.Park, a map[string]string) {
			p["G-new"] = planner.Park{Specialty: "appliance", OpenYear: 2019}
		}, "ruleQuota", "new land used 45.00 mu, quota 0.00 mu"},
		{"quota carry-over does not help before the quota", func(s *planner.Scenario) { s.QuotaCarryOver = true }, func(p map[string]planner.Park, a map[string]string) {
			p["Z-new"] = planner.Park{Specialty: "textile", OpenYear: 2020}
		}, "ruleQuota", "new land used 65.00 mu, quota 40.00 mu"},
		{"budget", func(s *planner.Scenario) { s.Budget = map[int]float64{2020: 1000} }, nil, "ruleBudget", "cost 2500.00 (10,000 yuan), budget 1000.00"},
		{"farmland", nil, func(p map[string]planner.Park, a map[string]string) {
			delete(p, "G-new")
			p["G-farm"] = planner.Park{Specialty: "appliance", OpenYear: 2020}
		}, "ruleProtected", "basic farmland by 3.200 mu"},
		{"specialty outside the town's industries", nil, func(p map[string]planner.Park, a map[string]string) {
			p["G-new"] = planner.Park{Specialty: "textile", OpenYear: 2020}
		}, "ruleSpecialtyShare", "not among town guanhaiwei's block industries"},
		{"built park's specialty changed", nil, func(p map[string]planner.Park, a map[string]string) {
			p["Z-built"] = planner.Park{Specialty: "garment", OpenYear: 2016, Locked: true}
		}, "ruleLocked", "specialty is textile"},
		{"built park missing", nil, func(p map[string]planner.Park, a map[string]string) {
			delete(p, "Z-built")
			for k := range a {
				delete(a, k)
			}
			p["Z-old"] = planner.Park{Specialty: "textile", OpenYear: 2019}
		}, "ruleLocked", "missing from the plan"},
		{"lock out", func(s *planner.Scenario) { s.LockOut = []string{"G-new"} }, nil, "ruleLocked", "in lock_out but opens"},
		{"heavy polluter", nil, func(p map[string]planner.Park, a map[string]string) { a["E5"] = "G-new" }, "ruleAdmission", "heavy polluter"},
		{"low scattered", nil, func(p map[string]planner.Park, a map[string]string) { a["E6"] = "G-new" }, "ruleAdmission", "low/scattered"},
		{"unsafe", nil, func(p map[string]planner.Park, a map[string]string) { a["E7"] = "Z-built" }, "ruleAdmission", "safety"},
		{"relocation", func(s *planner.Scenario) { s.MaxRelocationKm = 5 }, func(p map[string]planner.Park, a map[string]string) { a["E4"] = "Z-built" }, "ruleRelocation", "cap 5 km"},
		{"within town", func(s *planner.Scenario) { s.WithinTown = true }, func(p map[string]planner.Park, a map[string]string) { a["E4"] = "Z-built" }, "ruleRelocation", "moves from town guanhaiwei"},
		{"small/micro share", nil, func(p map[string]planner.Park, a map[string]string) { a["E4"] = "G-new" }, "ruleSmallMicroShare", "0 of 1 firms"},
		{"specialty share", nil, func(p map[string]planner.Park, a map[string]string) {
			a["E1"], a["E2"], a["E3"] = "G-new", "G-new", "G-new"
		}, "ruleSpecialtyShare", "0 of 3 firms"},
		{"capacity", func(s *planner.Scenario) { s.UsableShare = 0.35 }, nil, "ruleCapacity", "floor used 3500.0 m² > capacity"},
		{"output per mu", func(s *planner.Scenario) { s.MinOutputPerMu = 400 }, nil, "ruleMuAdmission", "E1: placed in Z-built: output 300 per mu below the minimum 400 for textile"},
		{"output per mu of the industry", func(s *planner.Scenario) {
			s.IndustryAdmission = map[string]planner.IndustryAdmission{"garment": {MinOutputPerMu: 350}}
		}, nil, "ruleMuAdmission", "E3: placed in Z-built: output 300 per mu below the minimum 350 for garment"},
		{"tax per mu", func(s *planner.Scenario) { s.MinTaxPerMu = 5 }, nil, "ruleMuAdmission", "E2: placed in Z-built: tax 0 per mu below the minimum 5"},
		{"mu class", func(s *planner.Scenario) { s.MinMuClass = planner.MuClassC }, nil, "ruleMuAdmission", "E1: placed in Z-built: no 亩均效益 class on record, scenario admits A–C"},
		{"unplaced for the wrong reason", func(s *planner.Scenario) { s.MinOutputPerMu = 400 }, nil, "ruleMuAdmission", "E4: unplaced for no_capacity, want below_output_per_mu"},
		{"closed park", nil, func(p map[string]planner.Park, a map[string]string) { a["E4"] = "Z-old" }, "ruleLink", "not an open park"},
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
			vs := rules.Check(ds, sc, handPlan(ds, sc, parks, assign))
			if c.rule == "" {
				if len(vs) > 0 {
					t.Fatalf("valid plan fails:\n%s", rules.Format(vs))
				}
				return
			}
			for _, v := range vs {
				if v.Rule == c.rule && strings.Contains(v.String(), c.detail) {
					return
				}
			}
			t.Errorf("want %s (%q); got:\n%s", c.rule, c.detail, rules.Format(vs))
		})
	}
}

func TestCheckObjectiveAndBookkeeping(t *testing.T) {
	ds := plantest.Hand()
	sc := handScenario()
	parks, assign := good()
	plan := handPlan(ds, sc, parks, assign)
	plan.Solve.Objective *= 1 + 2e-6
	plan.Unplaced = plan.Unplaced[1:]
	plan.Parks[1].Firms = 9
	got := map[string]bool{}
	for _, v := range rules.Check(ds, sc, plan) {
		got[v.Rule] = true
	}
	for _, want := range []string{"objective", "rulePlaceOnce", "ruleCapacity"} {
		if !got[want] {
			t.Errorf("missed %s", want)
		}
	}
}
