package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// memStore is a DatasetStore over a dataset in memory.
type memStore struct{ ds *planner.Dataset }

func (m memStore) LoadDataset(context.Context) (*planner.Dataset, error) { return m.ds, nil }

func smallScenario() planner.Scenario {
	sc := planner.Defaults()
	sc.Name = "test"
	sc.TargetParks = 3
	sc.MaxNewLandParks = 2
	sc.TimeLimit = planner.Duration{Duration: 2 * time.Second}
	return sc
}

// pipelineSeeds name the plantest datasets solved end to end.
var pipelineSeeds = []int64{1, 2, 3, 4, 5, 6}

// TestPipelineRulesHold solves random datasets through the whole engine
// with both solvers and checks every plan with the independent checker.
func TestPipelineRulesHold(t *testing.T) {
	solvers := map[string]engine.SolveFunc{"cbc": engine.CBC, "parkplan": engine.Parkplan}
	for _, name := range []string{"cbc", "parkplan"} {
		for _, seed := range pipelineSeeds {
			size := plantest.Small()
			if name == "cbc" {
				size = plantest.Tiny() // CBC proves these at once; Small takes it seconds
			}
			ds := plantest.Dataset(seed, size)
			sc := smallScenario()
			e := &engine.Engine{Store: memStore{ds}, Solver: solvers[name]}
			plan, err := e.Solve(context.Background(), &sc, nil)
			if errors.Is(err, planner.ErrInfeasible) {
				if plan == nil || plan.Explanation == nil || len(plan.Explanation.Conflicts) == 0 {
					t.Errorf("%s seed %d: infeasible without an explanation", name, seed)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s seed %d: %v", name, seed, err)
				continue
			}
			if vs := rules.Check(ds, sc, plan); len(vs) > 0 {
				t.Errorf("%s seed %d: plan breaks rules:\n%s", name, seed, rules.Format(vs))
			}
			if len(plan.Assignments)+len(plan.Unplaced) != len(ds.Enterprises) {
				t.Errorf("%s seed %d: %d assigned + %d unplaced ≠ %d firms", name, seed, len(plan.Assignments), len(plan.Unplaced), len(ds.Enterprises))
			}
		}
	}
}

// TestCheckerCatchesBrokenPlans breaks a valid plan in several ways and
// expects the checker to name the rule.
func TestCheckerCatchesBrokenPlans(t *testing.T) {
	ds := plantest.Dataset(3, plantest.Small())
	sc := smallScenario()
	e := &engine.Engine{Store: memStore{ds}, Solver: engine.CBC}
	plan, err := e.Solve(context.Background(), &sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if vs := rules.Check(ds, sc, plan); len(vs) > 0 {
		t.Fatalf("valid plan fails:\n%s", rules.Format(vs))
	}
	clone := func() *planner.Plan {
		b, _ := json.Marshal(plan)
		var p planner.Plan
		_ = json.Unmarshal(b, &p)
		return &p
	}
	cases := []struct {
		name, rule string
		scenario   func(*planner.Scenario)
		plan       func(*planner.Plan)
	}{
		{"target raised", "ruleTargetParks", func(s *planner.Scenario) { s.TargetParks = 99 }, nil},
		{"new-land cap lowered", "ruleNewLandCap", func(s *planner.Scenario) { s.MaxNewLandParks = -1 + 0*s.MaxNewLandParks }, func(p *planner.Plan) {}},
		{"objective off", "objective", nil, func(p *planner.Plan) { p.Solve.Objective += 1 }},
		{"firm dropped", "rulePlaceOnce", nil, func(p *planner.Plan) { p.Unplaced = p.Unplaced[1:] }},
		{"capacity", "ruleCapacity", nil, func(p *planner.Plan) { p.Parks[0].CapacityM2 = 0; p.Parks[0].Firms++ }},
		{"closed park used", "ruleLink", nil, func(p *planner.Plan) {
			if len(p.Assignments) > 0 {
				p.Assignments[0].ParcelID = "nowhere"
			}
		}},
		{"quota", "ruleQuota", func(s *planner.Scenario) { s.QuotaScale = 0 }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := sc
			p := clone()
			if c.scenario != nil {
				c.scenario(&s)
			}
			if c.plan != nil {
				c.plan(p)
			}
			vs := rules.Check(ds, s, p)
			if c.rule == "ruleNewLandCap" {
				// A cap of -1 is no cap: nothing to catch; check that 0 catches new-land parks when there are any.
				s.MaxNewLandParks = 0
				if p.KPI.NewLandParks == 0 {
					return
				}
				vs = rules.Check(ds, s, p)
			}
			if c.rule == "ruleQuota" && p.KPI.NewLandParks == 0 {
				return
			}
			for _, v := range vs {
				if v.Rule == c.rule {
					return
				}
			}
			t.Errorf("checker missed %s; got:\n%s", c.rule, rules.Format(vs))
		})
	}
}

// TestInfeasibleExplained checks the explanation's figures on scenarios
// that cannot hold.
func TestInfeasibleExplained(t *testing.T) {
	ds := plantest.Dataset(7, plantest.Small())
	cases := []struct {
		name     string
		scenario func(*planner.Scenario)
		conflict string // substring of a conflict
		relax    string // substring of a relaxation
	}{
		{"target beyond the sites", func(s *planner.Scenario) { s.TargetParks = 40 }, "target 40 parks by 2020: only", "lower target_parks from 40 to"},
		{"no new land, tight target", func(s *planner.Scenario) { s.MaxNewLandParks = 0; s.TargetParks = 12 }, "target 12 parks", "lower target_parks from 12 to"},
		{"zero budget", func(s *planner.Scenario) {
			s.Budget = map[int]float64{2019: 0, 2020: 0, 2021: 0, 2022: 0}
		}, "budget", "budget"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := smallScenario()
			c.scenario(&sc)
			e := &engine.Engine{Store: memStore{ds}, Solver: engine.CBC}
			plan, err := e.Solve(context.Background(), &sc, nil)
			if !errors.Is(err, planner.ErrInfeasible) {
				t.Fatalf("want infeasible, got %v", err)
			}
			if plan.Solve.Status != planner.StatusInfeasible || plan.Explanation == nil {
				t.Fatalf("plan status %s, explanation %v", plan.Solve.Status, plan.Explanation)
			}
			if !anyContains(plan.Explanation.Conflicts, c.conflict) {
				t.Errorf("conflicts %q lack %q", plan.Explanation.Conflicts, c.conflict)
			}
			if !anyContains(plan.Explanation.Relaxations, c.relax) {
				t.Errorf("relaxations %q lack %q", plan.Explanation.Relaxations, c.relax)
			}
		})
	}
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestSolveDeterministic solves the same input twice: same plan bytes
// (timing aside).
func TestSolveDeterministic(t *testing.T) {
	ds := plantest.Dataset(5, plantest.Tiny())
	sc := smallScenario()
	sc.TargetParks = 2
	var out [2][]byte
	for i := range out {
		e := &engine.Engine{Store: memStore{ds}, Solver: engine.CBC}
		plan, err := e.Solve(context.Background(), &sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		plan.Solve.Elapsed = 0
		out[i], _ = json.Marshal(plan)
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("two solves of the same input differ")
	}
}
