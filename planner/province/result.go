package province

import (
	"fmt"
	"math"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// finish writes the Outcome: each county's plan under its final scenario
// (its allocation as county_allocation, no price), the allocation table
// with marginal and release values, the prices, the provincial
// objective, bound and gap, the KPIs and the province-wide targets.
func (co *coordinator) finish() {
	ps := co.ps
	res := &planner.ProvinceResult{Scenario: ps.Name, Iterations: len(co.out.Rounds) + co.resolves}
	for _, k := range co.counties {
		sc := co.finalScenario(k)
		plan := co.finalPlan(k, sc)
		co.out.Plans[k.code] = plan
		co.out.Scenarios[k.code] = sc
		res.Objective += plan.Solve.Objective
		res.Counties = append(res.Counties, planner.CountyOutcome{
			County: k.code, Objective: plan.Solve.Objective, Bound: plan.Solve.Bound,
			Parks: plan.KPI.ParksTotal, FirmsHoused: plan.KPI.FirmsPlaced,
		})
		res.KPI = addKPIs(res.KPI, plan.KPI)
		for t, y := range co.years {
			if !co.inPool[t] {
				continue
			}
			mv, rv := co.values(k, t)
			res.Allocation = append(res.Allocation, planner.CountyAllocation{
				County: k.code, Year: y, RequestMu: k.request[t], AllocatedMu: k.alloc[t],
				UsedMu: k.pick.use[t], MarginalValue: mv, ReleaseValue: rv,
			})
		}
	}
	res.KPI = finishKPIs(res.KPI)
	for t, y := range co.years {
		if !co.inPool[t] {
			continue
		}
		res.Prices = append(res.Prices, planner.PoolPrice{Year: y, Price: co.finalPrice[t]})
		if left := co.rest()[t]; left > 0.005 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%.2f mu of the %d pool left unallocated: no county's plans used more", left, y))
		}
	}
	res.TargetPrice, res.NewLandParkPrice = co.finalPrice[len(co.years)], co.finalPrice[len(co.years)+1]
	for _, k := range co.counties {
		res.TargetParksOpen += k.pick.byTarget
		res.NewLandParksOpen += k.pick.newLandParks
	}
	res.Bound = co.bestBound
	if math.IsInf(res.Bound, 1) {
		res.Bound = res.Objective
		res.Warnings = append(res.Warnings, "no round gave every county a bound: the provincial bound and gap are not proven")
	}
	res.Bound = math.Max(res.Bound, res.Objective)
	res.Gap = provGap(res.Bound, res.Objective)
	if b := co.broken(); b != "" {
		// the assembly and takeBetter keep the rows: this is a fault
		res.Warnings = append(res.Warnings, "shared rows broken: "+b)
	}
	res.Elapsed = planner.Duration{Duration: time.Since(co.start)}
	co.out.Result = res
}

// finalScenario is county k's scenario as its plan keeps it: the
// province's allocation in each pool year (and the county's cap in the
// other years) as county_allocation, no price.
func (co *coordinator) finalScenario(k *county) planner.Scenario {
	noPrice := make([]float64, co.nPrice)
	alloc := make([]float64, len(co.years))
	for t := range co.years {
		alloc[t] = math.Inf(1)
		if co.inPool[t] {
			alloc[t] = k.alloc[t]
		}
	}
	return co.task(k, 0, noPrice, alloc).Scenario
}

// finalPlan is county k's chosen plan under its final scenario: the
// objective without price terms (what rules.Objective recomputes under
// sc), and the bound of its solve carried over — bound at price π of the
// priced objective + Σ π × allocation + ν × the most parks it can open
// on new land bounds the county's objective under that allocation (a
// plan using at most the allocation loses at most π × allocation to the
// pool's price and ν per new-land park to the cap's; the target's bonus
// only adds).
func (co *coordinator) finalPlan(k *county, sc planner.Scenario) *planner.Plan {
	c := k.pick
	plan := *c.plan
	bound := c.bound
	for t := range co.years {
		if c.price[t] > 0 {
			bound += c.price[t] * k.alloc[t]
		}
	}
	if nu := c.price[len(co.years)+1]; nu > 0 {
		most := 0
		for _, p := range k.ds.Parcels {
			if p.Kind == planner.KindNewLand {
				most++
			}
		}
		if k.sc.MaxNewLandParks >= 0 {
			most = min(most, k.sc.MaxNewLandParks)
		}
		bound += nu * float64(most)
	}
	plan.Scenario = sc.Name
	plan.ScenarioHash = planner.ScenarioHash(sc, k.ds)
	plan.Solve.Objective = c.value
	plan.Solve.Bound = math.Max(bound, c.value)
	plan.Solve.Gap = planner.RelGap(plan.Solve.Bound, c.value)
	plan.Solve.Status = planner.StatusFeasible
	if plan.Solve.Gap <= sc.GapTarget {
		plan.Solve.Status = planner.StatusOptimal
	}
	return &plan
}

// values measures, from the prices county k was seen to answer, what a
// mu of year t is worth to it at its allocation A (docs/province.md):
// MarginalValue is the highest price at which one of its solves used
// more than A in year t (it would pay at least that per mu for more; 0
// when none did); ReleaseValue is the lowest price at which one used less
// than A (the mu it gave up there were worth at most that), or, when none
// did, the highest price tried in year t (it kept its land even there).
func (co *coordinator) values(k *county, t int) (marginal, release float64) {
	a := k.alloc[t]
	release = math.Inf(1)
	top := 0.0
	for _, c := range k.cols {
		p := c.price[t]
		top = math.Max(top, p)
		if c.use[t] > a+poolTol {
			marginal = math.Max(marginal, p)
		}
		if c.use[t] < a-poolTol {
			release = math.Min(release, p)
		}
	}
	if math.IsInf(release, 1) {
		release = top
	}
	return marginal, release
}

// addKPIs sums two plans' KPIs; the means are carried as sums until
// finishKPIs (OutputPerMu as output, MeanRelocationKm as firm-km).
func addKPIs(a, b planner.KPIs) planner.KPIs {
	a.ParksByTarget += b.ParksByTarget
	a.ParksTotal += b.ParksTotal
	a.TownsCovered += b.TownsCovered
	a.NewLandParks += b.NewLandParks
	a.NewLandMu += b.NewLandMu
	a.OldFactoryMu += b.OldFactoryMu
	a.LockedMu += b.LockedMu
	a.FirmsPlaced += b.FirmsPlaced
	a.FloorPlacedM2 += b.FloorPlacedM2
	a.OutputPerMu += b.OutputPerMu * b.FloorPlacedM2 / planner.MuM2
	a.MeanRelocationKm += b.MeanRelocationKm * float64(b.FirmsPlaced)
	a.MaxRelocationKm = math.Max(a.MaxRelocationKm, b.MaxRelocationKm)
	a.CostWan += b.CostWan
	return a
}

// finishKPIs turns addKPIs' sums into the province's means.
func finishKPIs(k planner.KPIs) planner.KPIs {
	if k.FloorPlacedM2 > 0 {
		k.OutputPerMu /= k.FloorPlacedM2 / planner.MuM2
	} else {
		k.OutputPerMu = 0
	}
	if k.FirmsPlaced > 0 {
		k.MeanRelocationKm /= float64(k.FirmsPlaced)
	} else {
		k.MeanRelocationKm = 0
	}
	return k
}
