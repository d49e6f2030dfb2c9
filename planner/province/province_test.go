package province

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// ownEngine solves the tests' counties with parkplan's solver alone
// (no CBC LP prices or root beside it): these tests are of the
// coordinator, and the engine's default costs several times more per
// county solve.
func ownEngine() *engine.Engine { return &engine.Engine{Solver: engine.ParkplanOnly} }

// testProvince is n counties drawn by plantest (seeds seed, seed+1, …).
func testProvince(n int, seed int64, sz plantest.Size) *Province {
	p := &Province{Datasets: map[string]*planner.Dataset{}}
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("k%02d", i+1)
		p.Counties = append(p.Counties, planner.County{Code: code})
		p.Datasets[code] = plantest.Dataset(seed+int64(i), sz)
	}
	return p
}

// testScenario is a province whose county rules the merged one-model
// province can state too: no per-county target or new-land cap, firms
// within their town, node-limited solves; the pool is share × the
// counties' quotas in each year.
func testScenario(p *Province, share float64) *planner.ProvinceScenario {
	sc := planner.Defaults()
	sc.TargetParks = 0
	sc.EveryTown = false
	sc.MaxNewLandParks = -1
	sc.WithinTown = true
	sc.NodeLimit = 3000
	sc.TimeLimit = planner.Duration{Duration: time.Minute}
	ps := &planner.ProvinceScenario{Name: "test", County: sc, MaxNewLandParks: -1}
	for y := sc.FirstYear; y <= sc.LastYear; y++ {
		q := 0.0
		for _, code := range p.Codes() {
			q += townQuotas(p.Datasets[code], sc)[y]
		}
		ps.Pool = append(ps.Pool, planner.PoolYear{Year: y, NewLandMu: math.Round(share*q*100) / 100})
	}
	return ps
}

// checkOutcome asserts what every provincial plan must keep: each county
// plan passes planner/rules under its final scenario (its allocation
// included), the allocations and the use fit the pool, the objective is
// the counties' sum and the bound is not below it.
func checkOutcome(t *testing.T, ps *planner.ProvinceScenario, p *Province, out *Outcome) {
	t.Helper()
	res := out.Result
	sum := 0.0
	for _, code := range p.Codes() {
		plan, sc := out.Plans[code], out.Scenarios[code]
		if vs := rules.Check(p.Datasets[code], sc, plan); len(vs) > 0 {
			t.Errorf("county %s: %s", code, rules.Format(vs))
		}
		sum += plan.Solve.Objective
	}
	if math.Abs(sum-res.Objective) > 1e-6*math.Max(1, math.Abs(sum)) {
		t.Errorf("objective %v, counties sum to %v", res.Objective, sum)
	}
	if res.Bound < res.Objective {
		t.Errorf("bound %v below objective %v", res.Bound, res.Objective)
	}
	for _, pool := range ps.Pool {
		alloc, used := 0.0, 0.0
		for _, a := range res.Allocation {
			if a.Year == pool.Year {
				alloc += a.AllocatedMu
				used += a.UsedMu
				if a.UsedMu > a.AllocatedMu+1e-6 {
					t.Errorf("county %s %d uses %.2f mu of %.2f allocated", a.County, a.Year, a.UsedMu, a.AllocatedMu)
				}
			}
		}
		if alloc > pool.NewLandMu+1e-6 || used > pool.NewLandMu+1e-6 {
			t.Errorf("pool %d: allocated %.3f, used %.3f of %.3f mu", pool.Year, alloc, used, pool.NewLandMu)
		}
	}
	byTarget, newLand := 0, 0
	targetYear := ps.TargetYear // absent: the county section's
	if targetYear == 0 {
		targetYear = ps.County.TargetYear
	}
	for _, code := range p.Codes() {
		for _, pk := range out.Plans[code].Parks {
			if pk.OpenYear <= targetYear {
				byTarget++
			}
			if pk.Kind == planner.KindNewLand {
				newLand++
			}
		}
	}
	if ps.TargetParks > 0 && byTarget < ps.TargetParks {
		t.Errorf("province-wide target: %d parks open by %d, target %d", byTarget, targetYear, ps.TargetParks)
	}
	if ps.MaxNewLandParks >= 0 && newLand > ps.MaxNewLandParks {
		t.Errorf("province-wide cap: %d parks on new land, cap %d", newLand, ps.MaxNewLandParks)
	}
	if byTarget != res.TargetParksOpen || newLand != res.NewLandParksOpen {
		t.Errorf("result counts %d parks by the target year and %d on new land, the plans %d and %d", res.TargetParksOpen, res.NewLandParksOpen, byTarget, newLand)
	}
	if len(res.Warnings) > 0 {
		for _, w := range res.Warnings {
			if strings.HasPrefix(w, "shared rows broken") {
				t.Error(w)
			}
		}
	}
}

// wholeScenario is the province as one model's scenario (for Merge): the
// county rules, the pool as county_allocation and the province-wide
// target and cap as the one county's.
func wholeScenario(ps *planner.ProvinceScenario) planner.Scenario {
	whole := ps.County
	whole.CountyAllocation = map[int]float64{}
	for _, pool := range ps.Pool {
		whole.CountyAllocation[pool.Year] = pool.NewLandMu
	}
	whole.TargetParks, whole.MaxNewLandParks = ps.TargetParks, ps.MaxNewLandParks
	if ps.TargetYear != 0 {
		whole.TargetYear = ps.TargetYear
	}
	return whole
}

// TestAgainstCBC: on seeded provinces of 2–3 small counties, the
// provincial bound is never below the optimum of the whole province as
// one model (Merge, the pool as its county_allocation) solved by CBC,
// the provincial plan never above it, and every county plan passes
// planner/rules with the pool holding.
func TestAgainstCBC(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		n := 2 + int(seed%2)
		share := []float64{0.15, 0.3, 0.5}[seed%3]
		t.Run(fmt.Sprintf("seed=%d counties=%d pool=%.2f", seed, n, share), func(t *testing.T) {
			p := testProvince(n, 100*seed, plantest.Small())
			ps := testScenario(p, share)
			out, err := Solve(context.Background(), ps, p, Options{Solver: &InProcess{Datasets: p.Datasets, Concurrency: 2, Engine: ownEngine()}, GapTarget: 1e-4, MaxRounds: 14, Progress: func(r Round) { t.Logf("%+v", r) }})
			if err != nil {
				t.Fatal(err)
			}
			checkOutcome(t, ps, p, out)

			inst, err := planner.BuildInstance(Merge(p), wholeScenario(ps))
			if err != nil {
				t.Fatal(err)
			}
			sol, err := cbc.Solve(context.Background(), inst, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sol.Info.Status != planner.StatusOptimal {
				t.Fatalf("CBC did not prove its optimum: %+v", sol.Info)
			}
			opt, res := sol.Info.Objective, out.Result
			tol := 1e-6 * math.Max(1, math.Abs(opt))
			if res.Bound < opt-tol {
				t.Errorf("provincial bound %.6f below CBC's optimum %.6f", res.Bound, opt)
			}
			if res.Objective > opt+tol {
				t.Errorf("provincial plan %.6f above CBC's optimum %.6f", res.Objective, opt)
			}
			t.Logf("plan %.2f, bound %.2f, CBC %.2f; gap %.4f, %d rounds, prices %v", res.Objective, res.Bound, opt, res.Gap, res.Iterations, res.Prices)
		})
	}
}

// TestAgainstCBCTargets: seeded provinces of 2–3 small counties with a
// pool and a province-wide target or new-land cap set to bind: three
// parks more by the target year than CBC's optimum of the province
// without them opens, or one park on new land fewer. The target and cap
// are priced (park_bonus, new_land_park_price; at least one province
// ends with a positive price on each): where CBC proves the whole
// province as one model optimal, the provincial bound is not below its
// optimum, the plan not above it, the target or cap holds and every
// county plan passes planner/rules; where CBC proves it infeasible, the
// coordinator finds no plan (planner.ErrNoPlan) and says why.
func TestAgainstCBCTargets(t *testing.T) {
	ctx := context.Background()
	priced := map[string]bool{}
	defer func() {
		if !t.Failed() && (!priced["target"] || !priced["cap"]) {
			t.Errorf("no province priced both rows: %v", priced)
		}
	}()
	for seed := int64(7); seed <= 12; seed++ {
		n := 2 + int(seed%2)
		kind := []string{"target", "cap"}[seed%2]
		t.Run(fmt.Sprintf("seed=%d counties=%d %s", seed, n, kind), func(t *testing.T) {
			p := testProvince(n, 100*seed, plantest.Small())
			ps := testScenario(p, 0.4)
			ps.TargetYear = ps.County.TargetYear
			free, err := planner.BuildInstance(Merge(p), wholeScenario(ps))
			if err != nil {
				t.Fatal(err)
			}
			ref, err := cbc.Solve(ctx, free, nil)
			if err != nil {
				t.Fatal(err)
			}
			byTarget, newLand := 0, 0
			for s, y := range ref.Year {
				if y >= 0 && y <= free.TargetT {
					byTarget++
				}
				if y >= 0 && free.Sites[s].Kind == planner.KindNewLand {
					newLand++
				}
			}
			if kind == "target" {
				ps.TargetParks = byTarget + 3
			} else {
				ps.MaxNewLandParks = max(0, newLand-1)
			}
			if err := ps.Validate(); err != nil {
				t.Fatal(err)
			}
			inst, err := planner.BuildInstance(Merge(p), wholeScenario(ps))
			if err != nil {
				t.Fatal(err)
			}
			sol, cerr := cbc.Solve(ctx, inst, nil)
			out, err := Solve(ctx, ps, p, Options{Solver: &InProcess{Datasets: p.Datasets, Concurrency: 2, Engine: ownEngine()}, GapTarget: 1e-4, MaxRounds: 14, Progress: func(r Round) { t.Logf("%+v", r) }})
			if errors.Is(cerr, planner.ErrInfeasible) {
				if !errors.Is(err, planner.ErrNoPlan) {
					t.Fatalf("CBC proves the province infeasible; the coordinator: %v", err)
				}
				t.Logf("infeasible: %v", err)
				return
			}
			if cerr != nil {
				t.Fatal(cerr)
			}
			if sol.Info.Status != planner.StatusOptimal {
				t.Fatalf("CBC did not prove its optimum: %+v", sol.Info)
			}
			if err != nil {
				t.Fatalf("CBC's optimum %.2f; the coordinator: %v", sol.Info.Objective, err)
			}
			checkOutcome(t, ps, p, out)
			opt, res := sol.Info.Objective, out.Result
			priced["target"] = priced["target"] || res.TargetPrice > 0
			priced["cap"] = priced["cap"] || res.NewLandParkPrice > 0
			tol := 1e-6 * math.Max(1, math.Abs(opt))
			if res.Bound < opt-tol {
				t.Errorf("provincial bound %.6f below CBC's optimum %.6f", res.Bound, opt)
			}
			if res.Objective > opt+tol {
				t.Errorf("provincial plan %.6f above CBC's optimum %.6f", res.Objective, opt)
			}
			t.Logf("%s %d/%d: plan %.2f, bound %.2f, CBC %.2f (without the row %.2f); gap %.4f, %d rounds, prices %v, target price %.3f, cap price %.3f",
				kind, ps.TargetParks, ps.MaxNewLandParks, res.Objective, res.Bound, opt, ref.Info.Objective, res.Gap, res.Iterations, res.Prices, res.TargetPrice, res.NewLandParkPrice)
		})
	}
}

// TestSameBytesAnyConcurrency: 12 counties, node-limited: the provincial
// plan is the same to the byte with 1 and with 4 concurrent county solves
// (timings aside), passes planner/rules county by county, and the pool
// holds.
func TestSameBytesAnyConcurrency(t *testing.T) {
	p := testProvince(12, 7, plantest.Small())
	ps := testScenario(p, 0.3)
	ps.County.NodeLimit = 400
	run := func(conc int) ([]byte, *Outcome) {
		out, err := Solve(context.Background(), ps, p, Options{Solver: &InProcess{Datasets: p.Datasets, Concurrency: conc, Engine: ownEngine()}, MaxRounds: 6})
		if err != nil {
			t.Fatal(err)
		}
		res := *out.Result
		res.Elapsed = planner.Duration{}
		plans := map[string]planner.Plan{}
		for code, pl := range out.Plans {
			c := *pl
			c.Solve.Elapsed = 0
			plans[code] = c
		}
		b, err := json.Marshal(struct {
			R planner.ProvinceResult
			P map[string]planner.Plan
			S map[string]planner.Scenario
		}{res, plans, out.Scenarios})
		if err != nil {
			t.Fatal(err)
		}
		return b, out
	}
	one, out := run(1)
	four, _ := run(4)
	if string(one) != string(four) {
		t.Errorf("1 and 4 concurrent solves differ:\n%s\n%s", one, four)
	}
	checkOutcome(t, ps, p, out)
	if len(out.Result.Allocation) != 12*len(ps.Pool) {
		t.Errorf("%d allocation rows, want %d", len(out.Result.Allocation), 12*len(ps.Pool))
	}
}

// TestNoPlanNamesTheRow: a province-wide target no choice of the
// counties' plans can keep (1,000 parks from two small counties) ends
// the solve with planner.ErrNoPlan naming the row and its figures.
func TestNoPlanNamesTheRow(t *testing.T) {
	p := testProvince(2, 300, plantest.Small())
	ps := testScenario(p, 0.5)
	ps.TargetParks, ps.TargetYear = 1000, ps.County.TargetYear
	ps.County.NodeLimit = 200
	_, err := Solve(context.Background(), ps, p, Options{Solver: &InProcess{Datasets: p.Datasets, Concurrency: 2, Engine: ownEngine()}, MaxRounds: 2})
	if !errors.Is(err, planner.ErrNoPlan) {
		t.Fatalf("want ErrNoPlan, got %v", err)
	}
	if want := fmt.Sprintf("parks by %d, the province's target_parks is 1000", ps.TargetYear); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}
