package solver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/randinst"
)

// budgetInstance has one town's 12 firms (100 m² each, one objective
// unit per firm) and three candidates they all reach, in three towns:
// A-1 costs 10 and holds 2 firms, B-1 costs 6 and holds 5, C-1 costs 4
// and holds 4 (each −1 when open). The one year's budget is 10: A-1
// alone or B-1 with C-1. From the plan with A-1 (objective 1) the optimum
// (B-1 and C-1, 9 firms: 7) is one exchange away — close one park, open
// two in the budget it frees.
func budgetInstance() *planner.Instance {
	sc := planner.Scenario{
		Name: "budget", FirstYear: 2019, LastYear: 2019, TargetYear: 2019, TargetParks: 1,
		MaxNewLandParks: -1, SpecialtyShareFirms: 0.7, SpecialtyShareFloor: 0.7,
		SmallMicroShare: 0.7, UsableShare: 1, QuotaScale: 1, MaxRelocationKm: 10, GapTarget: 1e-4,
	}
	site := func(town int, id string, cost, capM2 float64) planner.Site {
		return planner.Site{ParcelID: id, Town: town, Kind: planner.KindOldFactory, AreaMu: 10,
			CapacityM2: capM2, CostWan: cost, FixedValue: -1, Specialties: []int{0}}
	}
	return &planner.Instance{
		Scenario: sc,
		Years:    []int{2019},
		Towns:    []string{"A", "B", "C"},
		Sites:    []planner.Site{site(0, "A-1", 10, 200), site(1, "B-1", 6, 500), site(2, "C-1", 4, 400)},
		Groups:   []planner.Group{{Town: 0, Industry: 0, SmallMicro: true, FloorM2: 100, Count: 12}},
		Arcs: []planner.Arc{
			{Group: 0, Site: 0, Value: 1}, {Group: 0, Site: 1, Value: 1}, {Group: 0, Site: 2, Value: 1},
		},
		Industries: []string{"textile"},
		Related:    [][]bool{{true}},
		QuotaMu:    [][]float64{{100}, {100}, {100}},
		BudgetWan:  []float64{10},
		TargetT:    0,
	}
}

// TestSwapParksExchange: from a plan one exchange short of the optimum,
// swapParks reaches the optimum in one pass, a plan keeping every rule;
// a second pass around the same site choice does nothing.
func TestSwapParksExchange(t *testing.T) {
	for _, tc := range []struct {
		name      string
		inst      *planner.Instance
		start     *planner.Solution
		want      float64
		wantYears []int
	}{
		{"budget: one park closed, two opened", budgetInstance(),
			&planner.Solution{Year: []int{0, -1, -1}, Specialty: []int{0, 0, 0}, Count: []int{2, 0, 0}}, 7, []int{-1, 0, 0}},
		{"budget: one for one", exchangeInstance(planner.KindOldFactory, 15),
			&planner.Solution{Year: []int{0, -1}, Specialty: []int{0, 0}, Count: []int{2, 0}}, 7, []int{-1, 0}},
		{"new-land cap: one for one", exchangeInstance(planner.KindNewLand, math.Inf(1)),
			&planner.Solution{Year: []int{0, -1}, Specialty: []int{0, 0}, Count: []int{2, 0}}, 7, []int{-1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sr, r := endgameAt(t, tc.inst)
			if obj := sr.offer(tc.start); math.IsNaN(obj) || obj >= tc.want {
				t.Fatalf("start plan objective %v: not a plan below the optimum %v", obj, tc.want)
			}
			never := func() bool { return false }
			if !sr.swapParks(r, never) {
				t.Fatal("swapParks found no better plan")
			}
			if sr.bestObj != tc.want || fmt.Sprint(sr.best.Year) != fmt.Sprint(tc.wantYears) {
				t.Fatalf("plan %+v objective %v, want years %v objective %v", sr.best, sr.bestObj, tc.wantYears, tc.want)
			}
			if msg := sr.m.check(sr.best); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			if sr.swapParks(r, never) {
				t.Fatal("a second pass improved the optimum")
			}
			if sr.nodes == 0 {
				t.Fatal("no node counted for the moves placed")
			}
		})
	}
}

// TestSwapParksNeedsABindingRule: with no budgeted year and no new-land
// cap reached, swapParks does nothing (the town moves cover those
// scenarios) and counts no node.
func TestSwapParksNeedsABindingRule(t *testing.T) {
	inst := exchangeInstance(planner.KindNewLand, math.Inf(1))
	inst.Scenario.MaxNewLandParks = 2
	sr, r := endgameAt(t, inst)
	sr.offer(&planner.Solution{Year: []int{0, -1}, Specialty: []int{0, 0}, Count: []int{2, 0}})
	if sr.swapParks(r, func() bool { return false }) || sr.nodes != 0 {
		t.Fatalf("swapParks moved (%v nodes) with no binding rule", sr.nodes)
	}
}

// TestExchangesKeepSiteRules: on seeded random instances with budgets
// (with and without quota carry-over), around the solver's node-limited
// plan every exchange that exchanges lists closes an open candidate (or
// none) and opens closed candidates, keeps every year's budget, the
// new-land cap and every town's quota, has a positive estimated gain, and
// the list is best first.
func TestExchangesKeepSiteRules(t *testing.T) {
	carry := randinst.Small()
	carry.QuotaCarryOver = true
	listed := 0
	for i := 0; i < 16; i++ {
		seed, size := int64(1+i/2), randinst.Small()
		if i%2 == 1 {
			size = carry
		}
		t.Run(fmt.Sprintf("small-carry%v-seed%d", size.QuotaCarryOver, seed), func(t *testing.T) {
			inst := randinst.Generate(seed, size)
			sol, err := Solve(context.Background(), inst, Options{TimeLimit: time.Minute, NodeLimit: 200})
			if errors.Is(err, planner.ErrInfeasible) {
				return // an infeasible draw has no plan to move around
			}
			if err != nil {
				t.Fatal(err)
			}
			m := newModel(inst)
			base := &planner.Solution{Year: sol.Year, Specialty: sol.Specialty, Count: sol.Count}
			moves := m.exchanges(base)
			listed += len(moves)
			for i, mv := range moves {
				if i > 0 && mv.gain > moves[i-1].gain {
					t.Fatalf("move %d gain %v after %v: not best first", i, mv.gain, moves[i-1].gain)
				}
				if mv.gain <= 0 {
					t.Fatalf("move %d gain %v listed", i, mv.gain)
				}
				spend := make([]float64, m.nT)
				year := append([]int(nil), base.Year...)
				if mv.out >= 0 {
					if base.Year[mv.out] < 0 || inst.Sites[mv.out].Locked {
						t.Fatalf("move %d closes %d, not an open candidate", i, mv.out)
					}
					year[mv.out] = -1
				}
				for j, q := range mv.in {
					if q < 0 {
						continue
					}
					if base.Year[q] >= 0 || inst.Sites[q].Locked || mv.yr[j] < 0 || mv.yr[j] >= m.nT {
						t.Fatalf("move %d opens %d in year %d: not a closed candidate or no year", i, q, mv.yr[j])
					}
					year[q] = mv.yr[j]
				}
				for s, y := range year {
					if y >= 0 {
						spend[y] += inst.Sites[s].CostWan
					}
				}
				for y := range spend {
					if m.budgeted[y] && spend[y] > inst.BudgetWan[y]+ruleTol {
						t.Fatalf("move %d (%+v) spends %v in year %d, budget %v", i, mv, spend[y], y, inst.BudgetWan[y])
					}
				}
				nn := 0
				use := make([][]float64, len(inst.Towns))
				for town := range use {
					use[town] = make([]float64, m.nT)
				}
				for s, y := range year {
					if y >= 0 && m.newLand(s) {
						nn++
						use[inst.Sites[s].Town][y] += inst.Sites[s].AreaMu
					}
				}
				if c := inst.Scenario.MaxNewLandParks; c >= 0 && nn > c {
					t.Fatalf("move %d (%+v) opens %d parks on new land, cap %d", i, mv, nn, c)
				}
				for town := range use {
					sum := 0.0
					for y := 0; y < m.nT; y++ {
						if inst.Scenario.QuotaCarryOver {
							sum += use[town][y]
						} else {
							sum = use[town][y]
						}
						if sum > m.quotaLimit(town, y)+ruleTol {
							t.Fatalf("move %d (%+v): town %d uses %v mu by year %d, quota %v", i, mv, town, sum, y, m.quotaLimit(town, y))
						}
					}
				}
			}
		})
	}
	if listed == 0 {
		t.Fatal("no exchange listed on any instance: the test checks nothing")
	}
}
