package province

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// newLandUse is the new land a plan opens per year, mu.
func newLandUse(plan *planner.Plan) map[int]float64 {
	use := map[int]float64{}
	for _, ts := range plan.Towns {
		for y, u := range ts.NewLandUsedMu {
			use[y] += u
		}
	}
	return use
}

// TestCountyAllocationAndPrice: a county under an allocation smaller
// than what it uses alone, a price per mu and, on even seeds, the
// province-wide targets' prices (a bonus per park opened in the first
// two years, a price per park on new land): the model has one
// ruleCountyAllocation row per capped year (coefficient: each new-land
// site's mu) and the prices in its y columns (OpenValue); parkplan's
// plan keeps the allocation, passes planner/rules (whose objective
// counts the prices, recomputed from the parks)
// and is never above CBC's optimum on the MPS, whose bound it never
// undercuts; the checker catches a plan over a smaller allocation by the
// rule's name.
func TestCountyAllocationAndPrice(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			ds := plantest.Dataset(40+seed, plantest.Small())
			sc := planner.Defaults()
			sc.TargetParks, sc.EveryTown, sc.MaxNewLandParks, sc.NodeLimit = 0, false, -1, 3000
			free, err := SolveCounty(context.Background(), ds, sc, engine.ParkplanOnly)
			if err != nil {
				t.Fatal(err)
			}
			use := newLandUse(free)
			sc.CountyAllocation = map[int]float64{}
			sc.NewLandPrice = map[int]float64{}
			for y := sc.FirstYear; y <= sc.LastYear; y++ {
				sc.CountyAllocation[y] = math.Floor(use[y] / 2)
				sc.NewLandPrice[y] = 0.5 * float64(y-sc.FirstYear)
			}
			if seed%2 == 0 {
				sc.ParkBonus = map[int]float64{sc.FirstYear: 40, sc.FirstYear + 1: 40}
				sc.NewLandParkPrice = 25
			}
			inst, err := planner.BuildInstance(ds, sc)
			if err != nil {
				t.Fatal(err)
			}
			m := mip.Build(inst, mip.Compact)
			rows := 0
			for _, r := range m.Rows {
				if r.Rule != planner.RuleCountyAllocation {
					continue
				}
				rows++
				if r.RHS != inst.CountyMu[r.Year] {
					t.Errorf("row %s: rhs %v", m.Meaning(rows), r.RHS)
				}
				for i, j := range r.Cols {
					c := m.Columns[j]
					if s := inst.Sites[c.Site]; s.Kind != planner.KindNewLand || c.Year != r.Year || r.Coefs[i] != s.AreaMu {
						t.Errorf("row year %d: column %s coefficient %v", r.Year, m.ColumnMeaning(j), r.Coefs[i])
					}
				}
			}
			if rows != len(inst.Years) {
				t.Errorf("%d ruleCountyAllocation rows, want %d", rows, len(inst.Years))
			}
			for _, c := range m.Columns {
				if c.Kind != mip.KindY {
					continue
				}
				if math.Abs(c.Obj-inst.OpenValue(c.Site, c.Year)) > 1e-12 {
					t.Errorf("%v: objective %v, want OpenValue", c, c.Obj)
				}
				// the prices, worked out from the scenario
				s := inst.Sites[c.Site]
				y := inst.Years[c.Year]
				want := s.FixedValue + sc.ParkBonus[y]
				if s.Kind == planner.KindNewLand {
					want -= sc.NewLandPrice[y]*s.AreaMu + sc.NewLandParkPrice
				}
				if math.Abs(c.Obj-want) > 1e-9 {
					t.Errorf("%v: objective %v, want %v", c, c.Obj, want)
				}
			}

			plan, err := SolveCounty(context.Background(), ds, sc, engine.ParkplanOnly)
			if err != nil {
				t.Fatal(err)
			}
			if vs := rules.Check(ds, sc, plan); len(vs) > 0 {
				t.Fatalf("plan breaks rules: %s", rules.Format(vs))
			}
			for y, u := range newLandUse(plan) {
				if u > sc.CountyAllocation[y]+1e-6 {
					t.Errorf("%d: %.2f mu used, allocation %.2f", y, u, sc.CountyAllocation[y])
				}
			}
			sol, err := cbc.Solve(context.Background(), inst, nil)
			if err != nil {
				t.Fatal(err)
			}
			tol := 1e-6 * math.Max(1, math.Abs(sol.Info.Objective))
			if sol.Info.Status == planner.StatusOptimal && (plan.Solve.Objective > sol.Info.Objective+tol || plan.Solve.Bound < sol.Info.Objective-tol) {
				t.Errorf("parkplan %v (bound %v) against CBC's optimum %v", plan.Solve.Objective, plan.Solve.Bound, sol.Info.Objective)
			}

			tight := sc
			tight.CountyAllocation = map[int]float64{}
			broken := false
			for y, u := range newLandUse(plan) {
				tight.CountyAllocation[y] = math.Max(0, u-1)
				broken = broken || u > 0
			}
			if !broken {
				return
			}
			found := false
			for _, v := range rules.Check(ds, tight, plan) {
				found = found || v.Rule == planner.RuleCountyAllocation
			}
			if !found {
				t.Errorf("a plan over its allocation passed the checker")
			}
		})
	}
}
