package compliance

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// toySolver is an exact brute-force planner for the fixture: every new-land
// candidate stays closed or opens in one year of the horizon; each town's
// new land per year stays within its scenario quota (no carry-over); at
// least TargetParks parks (locked ones included) must be open. The
// objective is 10 per mu opened + 100 per park. It counts its solves.
type toySolver struct {
	ds     *planner.Dataset
	solves int
}

func (s *toySolver) solve(ctx context.Context, sc *planner.Scenario) (*planner.Plan, error) {
	s.solves++
	years := ScenarioYears(s.ds, sc)
	var cands, locked []planner.Parcel
	for _, p := range s.ds.Parcels {
		switch {
		case p.Kind.Locked():
			locked = append(locked, p)
		case p.Kind == planner.KindNewLand:
			cands = append(cands, p)
		}
	}
	quota := map[string]float64{}
	for _, q := range s.ds.Quotas {
		quota[QuotaKey(q.Town, q.Year)] = ScenarioQuotaMu(sc, q.Town, q.Year, q.NewLandMu)
	}
	choice := make([]int, len(cands)) // 0 closed, i+1 opens in years[i]
	best, bestObj := []int(nil), math.Inf(-1)
	var rec func(i int)
	rec = func(i int) {
		if i == len(cands) {
			used := map[string]float64{}
			obj, n := 0.0, len(locked)
			for j, c := range choice {
				if c == 0 {
					continue
				}
				used[QuotaKey(cands[j].Town, years[c-1])] += cands[j].AreaMu
				obj += 10*cands[j].AreaMu + 100
				n++
			}
			for k, u := range used {
				if u > quota[k]+1e-9 {
					return
				}
			}
			if n < sc.TargetParks {
				return
			}
			if obj > bestObj {
				bestObj, best = obj, append([]int(nil), choice...)
			}
			return
		}
		for c := 0; c <= len(years); c++ {
			choice[i] = c
			rec(i + 1)
		}
		choice[i] = 0
	}
	rec(0)
	if best == nil {
		return nil, fmt.Errorf("toy: %w", planner.ErrInfeasible)
	}
	plan := &planner.Plan{Solve: planner.SolveInfo{Status: planner.StatusOptimal, Objective: bestObj, Bound: bestObj}}
	for _, p := range locked {
		plan.Parks = append(plan.Parks, park(p.ID, p.Town, p.Kind, p.OpenYear, p.AreaMu))
	}
	for j, c := range best {
		if c > 0 {
			plan.Parks = append(plan.Parks, park(cands[j].ID, cands[j].Town, cands[j].Kind, years[c-1], cands[j].AreaMu))
		}
	}
	return plan, nil
}

func TestMarginalValues(t *testing.T) {
	ds := fixtureDataset()
	toy := &toySolver{ds: ds}
	sc := &planner.Scenario{FirstYear: 2019, LastYear: 2020}
	base, err := toy.solve(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	// Base optimum: P1 (35 mu) in 2019 and P4 (25 mu) in 2020; P2 (70 mu)
	// fits no zhouxiang year (40, 60): objective 10·60 + 200 = 800.
	if base.Solve.Objective != 800 {
		t.Fatalf("base objective %v, want 800", base.Solve.Objective)
	}
	toy.solves = 0
	mvs, err := MarginalValues(context.Background(), toy.solve, ds, sc, base, MarginalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]MarginalValue{}
	for _, mv := range mvs {
		got[QuotaKey(mv.Town, mv.Year)] = mv
	}
	tests := []struct {
		key        string
		status     string
		step, gain float64
		opened     []string
	}{
		// zhangqi: no candidate left (P4 opened).
		{"zhangqi/2019", "no_candidate", 0, 0, nil},
		{"zhangqi/2020", "no_candidate", 0, 0, nil},
		// zhouxiang 2019: slack 5, P2 needs 65 more; with it P2 opens in
		// 2019 and P1 moves to 2020: gain 10·70 + 100 = 800.
		{"zhouxiang/2019", "solved", 65, 800, []string{"P2"}},
		// zhouxiang 2020: slack 60, P2 needs 10 more.
		{"zhouxiang/2020", "solved", 10, 800, []string{"P2"}},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			mv := got[tc.key]
			if mv.Status != tc.status || mv.StepMu != tc.step || mv.ObjectiveGain != tc.gain || !reflect.DeepEqual(mv.OpenedParks, tc.opened) {
				t.Errorf("got %+v\nwant status %s step %v gain %v opened %v", mv, tc.status, tc.step, tc.gain, tc.opened)
			}
			if tc.step > 0 && math.Abs(mv.GainPerMu-tc.gain/tc.step) > 1e-12 {
				t.Errorf("gain per mu %v, want %v", mv.GainPerMu, tc.gain/tc.step)
			}
			// Both solves optimal: the bounds close on the gain.
			if mv.Status == "solved" && (mv.GainLow != tc.gain || mv.GainHigh != tc.gain) {
				t.Errorf("gain bounds [%v, %v], want both %v", mv.GainLow, mv.GainHigh, tc.gain)
			}
		})
	}
	if toy.solves != 2 {
		t.Errorf("%d solves, want 2 (the other rows need none)", toy.solves)
	}

	t.Run("bounds with an unproven base plan", func(t *testing.T) {
		// A base plan stopped at a gap: objective 790, bound 850. The
		// optimal re-solve (1600) gains at least 1600 − 850 and at most 1600 − 790.
		loose := *base
		loose.Solve.Objective, loose.Solve.Bound = 790, 850
		mvs, err := MarginalValues(context.Background(), toy.solve, ds, sc, &loose, MarginalOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, mv := range mvs {
			if mv.Status == "solved" && (mv.GainLow != 750 || mv.GainHigh != 810 || mv.ObjectiveGain != 810) {
				t.Errorf("%s/%d: gain %v in [%v, %v], want 810 in [750, 810]", mv.Town, mv.Year, mv.ObjectiveGain, mv.GainLow, mv.GainHigh)
			}
		}
	})

	t.Run("solve budget", func(t *testing.T) {
		mvs, err := MarginalValues(context.Background(), toy.solve, ds, sc, base, MarginalOptions{MaxSolves: 1})
		if err != nil {
			t.Fatal(err)
		}
		st := map[string]string{}
		for _, mv := range mvs {
			st[QuotaKey(mv.Town, mv.Year)] = mv.Status
		}
		// Cheapest step first: zhouxiang/2020 (10 mu) is solved, 2019 (65 mu) is not.
		if st["zhouxiang/2020"] != "solved" || st["zhouxiang/2019"] != "not_solved" {
			t.Errorf("statuses %v", st)
		}
	})
}

func TestSmallestQuotaIncrease(t *testing.T) {
	ds := fixtureDataset()
	tests := []struct {
		name     string
		target   int
		feasible bool
		extras   []QuotaExtraNeed
		total    float64
	}{
		// 1 existing + P1 + P4 = 3 parks with the granted quotas.
		{"already feasible", 3, true, []QuotaExtraNeed{}, 0},
		// A fourth park needs P2 (70 mu): zhouxiang 2020 has 60 mu, so 10
		// more there (P1 in 2019, P2 in 2020).
		{"4 parks need 10 mu in zhouxiang 2020", 4, true, []QuotaExtraNeed{{Town: "zhouxiang", NameZh: "周巷镇", Year: 2020, ExtraMu: 10}}, 10},
		// Only three candidates exist: no quota makes 5 parks.
		{"5 parks: quota cannot help", 5, false, []QuotaExtraNeed{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toy := &toySolver{ds: ds}
			sc := &planner.Scenario{FirstYear: 2019, LastYear: 2020, TargetParks: tc.target}
			res, err := SmallestQuotaIncrease(context.Background(), toy.solve, ds, sc, MarginalOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Feasible != tc.feasible || res.TotalMu != tc.total || !reflect.DeepEqual(res.Extras, tc.extras) {
				t.Errorf("got %+v\nwant feasible %v total %v extras %+v", res, tc.feasible, tc.total, tc.extras)
			}
			if res.Solves != toy.solves || res.Solves > defaultMaxSolves {
				t.Errorf("solves %d (toy counted %d)", res.Solves, toy.solves)
			}
			if tc.feasible && tc.total > 0 {
				// The extras found must really make it feasible.
				if _, err := toy.solve(context.Background(), withExtra(sc, extraMap(map[townYear]float64{{"zhouxiang", 2020}: tc.total}))); err != nil {
					t.Errorf("re-check: %v", err)
				}
			}
		})
	}
}
