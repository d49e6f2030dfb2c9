package evaluate_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/evaluate"
	"github.com/parkplan/parkplan/planner/plantest"
)

// handMonitoring is two years of the hand park Z-built (60 mu, FAR 1.5,
// specialty textile, garment related; basic tier: fire, safety,
// environment). 2020: 30,000 m² built, 3,000 vacant, no environment
// facility; F1 textile micro 10,000 m² (output 6,000, tax 300), F2
// garment small 8,000 (3,000, 150), F3 plastics medium 6,000 (1,200, 60),
// F4 appliance micro 3,000 (900, 30). 2021: F3 and F4 have left, F5
// textile micro 5,000 (4,000, 250) came; 7,000 vacant; every facility.
func handMonitoring() *planner.Monitoring {
	firm := func(y int, id, ind string, size planner.SizeClass, floor, out, tax float64) planner.FirmYear {
		return planner.FirmYear{Year: y, FirmID: id, ParkID: "Z-built", Industry: ind, Size: size, FloorM2: floor, OutputWan: out, TaxWan: tax, MuClass: planner.MuClassB}
	}
	return &planner.Monitoring{
		Parks: []planner.ParkYear{
			{Year: 2020, ParkID: "Z-built", FloorBuiltM2: 30000, FloorVacantM2: 3000, Facilities: []planner.Facility{"fire", "safety"}},
			{Year: 2021, ParkID: "Z-built", FloorBuiltM2: 30000, FloorVacantM2: 7000, Facilities: []planner.Facility{"environment", "fire", "safety"}},
		},
		Firms: []planner.FirmYear{
			firm(2020, "F1", "textile", planner.SizeMicro, 10000, 6000, 300),
			firm(2020, "F2", "garment", planner.SizeSmall, 8000, 3000, 150),
			firm(2020, "F3", "plastics", planner.SizeMedium, 6000, 1200, 60),
			firm(2020, "F4", "appliance", planner.SizeMicro, 3000, 900, 30),
			firm(2021, "F1", "textile", planner.SizeMicro, 10000, 6000, 300),
			firm(2021, "F2", "garment", planner.SizeSmall, 8000, 3000, 150),
			firm(2021, "F5", "textile", planner.SizeMicro, 5000, 4000, 250),
		},
	}
}

func handInput() evaluate.Input {
	return evaluate.Input{Dataset: plantest.Hand(), Scenario: planner.Defaults(), Monitoring: handMonitoring(), Rubric: evaluate.DefaultRubric()}
}

func indicator(t *testing.T, p evaluate.Park, name string) evaluate.Indicator {
	t.Helper()
	for _, ind := range p.Indicators {
		if ind.Name == name {
			return ind
		}
	}
	t.Fatalf("no indicator %s", name)
	return evaluate.Indicator{}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

// TestHandPark checks every indicator, the score, the rating and the
// trend against figures worked out by hand (see handMonitoring).
func TestHandPark(t *testing.T) {
	cases := []struct {
		year   int
		want   map[string]float64
		meets  map[string]bool
		score  float64
		rating string
		trend  string
		broken []string
	}{
		{2020, map[string]float64{
			"occupancy": 0.9, "specialty_share_firms": 0.5, "specialty_share_floor": 18000.0 / 27000,
			"small_micro_share": 0.75, "output_per_mu": 185, "tax_per_mu": 9, "facilities": 2.0 / 3, "floor_use": 27000.0 / 48000,
		}, map[string]bool{"specialty_share_firms": false, "specialty_share_floor": false, "small_micro_share": true, "facilities": false, "floor_use": true},
			// 20·0.4/0.45 + 15·0 + 10·(2/3−0.5)/0.35 + 15·0.25/0.35 + 0 + 0 + 10·(2/3−0.5)/0.5 + 5·0.0625/0.4 = 37.37
			37.4, "fail", "first", []string{"ruleSpecialtyShare", "ruleSpecialtyShare", "ruleTierFacilities"}},
		{2021, map[string]float64{
			"occupancy": 23000.0 / 30000, "specialty_share_firms": 1, "specialty_share_floor": 1,
			"small_micro_share": 1, "output_per_mu": 13000.0 / 60, "tax_per_mu": 700.0 / 60, "facilities": 1, "floor_use": 23000.0 / 48000,
		}, map[string]bool{"specialty_share_firms": true, "specialty_share_floor": true, "small_micro_share": true, "facilities": true, "floor_use": true},
			// 20·(23/30−0.5)/0.45 + 15 + 10 + 15 + 15·(216.67−200)/800 + 10·(11.667−10)/50 + 10 + 0 = 62.50
			62.5, "pass", "up", nil},
	}
	for _, c := range cases {
		t.Run(strconv.Itoa(c.year), func(t *testing.T) {
			rep, err := evaluate.Evaluate(handInput(), c.year)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Parks) != 1 {
				t.Fatalf("%d parks", len(rep.Parks))
			}
			p := rep.Parks[0]
			for name, v := range c.want {
				ind := indicator(t, p, name)
				if !near(ind.Value, v) {
					t.Errorf("%s = %.9g, want %.9g", name, ind.Value, v)
				}
				if m, ok := c.meets[name]; ok && (ind.Meets == nil || *ind.Meets != m) {
					t.Errorf("%s meets %v, want %v", name, ind.Meets, m)
				}
			}
			if p.Score != c.score || p.Rating != c.rating || p.Trend != c.trend {
				t.Errorf("score %v rating %s trend %s; want %v %s %s", p.Score, p.Rating, p.Trend, c.score, c.rating, c.trend)
			}
			var got []string
			for _, b := range p.Broken {
				got = append(got, b.Rule)
			}
			if strings.Join(got, ",") != strings.Join(c.broken, ",") {
				t.Errorf("broken %v, want %v", p.Broken, c.broken)
			}
			if len(p.History) != c.year-2019 {
				t.Errorf("history %v", p.History)
			}
		})
	}
}

// TestBrokenRules breaks each rule on the hand park and expects it by name.
func TestBrokenRules(t *testing.T) {
	cases := []struct {
		name   string
		year   int
		edit   func(*evaluate.Input)
		rule   string
		detail string
	}{
		{"specialty share of firms", 2020, nil, "ruleSpecialtyShare", "50.0 % of firms, need 70 %"},
		{"specialty share of floor", 2020, nil, "ruleSpecialtyShare", "66.7 % of floor, need 70 %"},
		{"small/micro share", 2021, func(in *evaluate.Input) { in.Scenario.SmallMicroShare = 1.01 }, "", ""},
		{"small/micro share below", 2020, func(in *evaluate.Input) { in.Scenario.SmallMicroShare = 0.8 }, "ruleSmallMicroShare", "75.0 % of firms, need 80 %"},
		{"capacity", 2020, func(in *evaluate.Input) { in.Scenario.UsableShare = 0.4 }, "ruleCapacity", "firms occupy 27000 m², above the capacity 24000 m²"},
		{"tier facilities", 2020, nil, "ruleTierFacilities", "basic tier (60 mu) lacks environment"},
		{"admission output", 2020, func(in *evaluate.Input) { in.Scenario.MinOutputPerMu = 300 }, "ruleMuAdmission", "3 firms fail the admission rule: F2 (output 250 per mu below 300), F3 (output 133 per mu below 300), F4 (output 200 per mu below 300)"},
		{"admission class", 2021, func(in *evaluate.Input) { in.Scenario.MinMuClass = planner.MuClassA }, "ruleMuAdmission", "F1 (class B below A)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := handInput()
			if c.edit != nil {
				c.edit(&in)
			}
			rep, err := evaluate.Evaluate(in, c.year)
			if err != nil {
				t.Fatal(err)
			}
			p := rep.Parks[0]
			if c.rule == "" {
				for _, b := range p.Broken {
					if b.Rule == "ruleSmallMicroShare" {
						return
					}
				}
				t.Errorf("a share rule of 101 %% is not caught: %v", p.Broken)
				return
			}
			for _, b := range p.Broken {
				if b.Rule == c.rule && strings.Contains(b.Detail, c.detail) {
					if p.Rating == "excellent" || p.Rating == "good" {
						t.Errorf("a park breaking %s rated %s (cap: pass)", c.rule, p.Rating)
					}
					return
				}
			}
			t.Errorf("want %s (%q), got %v", c.rule, c.detail, p.Broken)
		})
	}
}

func TestPlanPromise(t *testing.T) {
	in := handInput()
	in.Plan = &planner.Plan{Scenario: "hand", Parks: []planner.Park{{ParcelID: "Z-built", Specialty: "textile", OpenYear: 2019, Firms: 2,
		SpecialtyFirmShare: 1, SpecialtyFloorShare: 1, SmallMicroShare: 0.5, OutputWan: 1200}}}
	rep, err := evaluate.Evaluate(in, 2021)
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Parks[0]
	if p.PlanFigure == nil || p.PlanFigure.Firms != 22 || p.PlanFigure.OutputPerMu != 20 {
		t.Fatalf("promise %+v, want 20 built + 2 entrants, 1200/60 per mu", p.PlanFigure)
	}
	if ind := indicator(t, p, "small_micro_share"); ind.Plan == nil || *ind.Plan != 0.5 {
		t.Errorf("small/micro plan figure %v", ind.Plan)
	}
	if ind := indicator(t, p, "occupancy"); ind.Plan != nil {
		t.Errorf("occupancy has a plan figure %v; the plan promises none", *ind.Plan)
	}
	// A plan placing no entrant in the park promises no shares.
	in.Plan.Parks[0].Firms = 0
	if rep, err = evaluate.Evaluate(in, 2021); err != nil {
		t.Fatal(err)
	}
	if ind := indicator(t, rep.Parks[0], "small_micro_share"); ind.Plan != nil || rep.Parks[0].PlanFigure.Firms != 20 {
		t.Errorf("no entrants: plan figure %v, promised firms %d", ind.Plan, rep.Parks[0].PlanFigure.Firms)
	}
}

func TestEvaluateErrors(t *testing.T) {
	in := handInput()
	if _, err := evaluate.Evaluate(in, 2019); err == nil || !strings.Contains(err.Error(), "no monitoring record for 2019") {
		t.Errorf("year without a record: %v", err)
	}
	in.Monitoring.Parks = append(in.Monitoring.Parks, planner.ParkYear{Year: 2021, ParkID: "ghost"})
	if _, err := evaluate.Evaluate(in, 2021); err == nil || !strings.Contains(err.Error(), "park ghost") {
		t.Errorf("unknown park: %v", err)
	}
}

func TestRubricFile(t *testing.T) {
	rb := evaluate.DefaultRubric()
	if !strings.Contains(rb.Note, "not an official standard") {
		t.Errorf("the default rubric must say it is not an official standard: %q", rb.Note)
	}
	cases := []struct{ name, yaml, field string }{
		{"unknown indicator", "indicators: {beauty: {weight: 1, zero: 0, full: 1}}\ngrades: [{rating: ok, min_score: 0}]\n", "indicators.beauty"},
		{"negative weight", "indicators: {occupancy: {weight: -1, zero: 0, full: 1}, tax_per_mu: {weight: 1, zero: 0, full: 1}}\ngrades: [{rating: ok, min_score: 0}]\n", "indicators.occupancy.weight"},
		{"zero = full", "indicators: {occupancy: {weight: 1, zero: 1, full: 1}, tax_per_mu: {weight: 1, zero: 0, full: 1}}\ngrades: [{rating: ok, min_score: 0}]\n", "indicators.occupancy"},
		{"grades out of order", "indicators: {occupancy: {weight: 1, zero: 0, full: 1}}\ngrades: [{rating: a, min_score: 50}, {rating: b, min_score: 60}, {rating: c, min_score: 0}]\n", "grades[1].min_score"},
		{"unknown cap", "indicators: {occupancy: {weight: 1, zero: 0, full: 1}}\ngrades: [{rating: ok, min_score: 0}]\nbroken_rule_cap: meh\n", "broken_rule_cap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := evaluate.LoadRubric(strings.NewReader(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.field) {
				t.Errorf("want an error on %s, got %v", c.field, err)
			}
		})
	}
}
