package province

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// claim is what county k's column c takes of year t's pool: at least the
// county's floor.
func (co *coordinator) claim(k *county, c *column, t int) float64 {
	return math.Max(k.floor[t], c.use[t])
}

// choose picks one plan (column) per county so that the shared rows
// hold (the pool years, and the province-wide target and cap where
// set): each county starts from its plan that claims least of the pool
// (ties: the more valuable, then the earlier round); repair then makes
// the rows hold; then, while some county has a more valuable plan that
// still keeps every row, the switch of highest gain per unit of extra
// use of the rows (mu, the park rows weighted as sharedRow.weight) is
// made (a switch that needs nothing more first; ties by county order,
// then round). It returns the plans' summed value (without price terms)
// and whether the rows hold.
func (co *coordinator) choose() (float64, bool) {
	for _, k := range co.counties {
		if len(k.cols) == 0 {
			return math.NaN(), false
		}
		k.pick = nil
		bestClaim := math.Inf(1)
		for _, c := range k.cols {
			cl := 0.0
			for t := range co.years {
				if co.inPool[t] {
					cl += co.claim(k, c, t)
				}
			}
			if k.pick == nil || cl < bestClaim-poolTol || (math.Abs(cl-bestClaim) <= poolTol && c.value > k.pick.value) {
				k.pick, bestClaim = c, cl
			}
		}
	}
	load := co.load()
	if !co.repair(load) {
		return co.pickedValue(), false
	}
	for {
		var bk *county
		var bc *column
		bestRatio := 0.0
		for _, k := range co.counties {
			for _, c := range k.cols {
				df := c.value - k.pick.value
				if c == k.pick || df <= 1e-9*math.Max(1, math.Abs(k.pick.value)) {
					continue
				}
				extra, fits := 0.0, true
				for i, r := range co.rows {
					d := co.rowClaim(k, c, r) - co.rowClaim(k, k.pick, r)
					if !r.holds(load[i] + d) {
						fits = false
						break
					}
					extra += r.weight * math.Max(0, r.sign()*d)
				}
				if !fits {
					continue
				}
				if r := df / math.Max(extra, 1e-9); r > bestRatio {
					bestRatio, bk, bc = r, k, c
				}
			}
		}
		if bk == nil {
			break
		}
		co.switchPick(load, bk, bc)
	}
	return co.pickedValue(), true
}

// load is Σ over the counties of their picks' claims, per shared row.
func (co *coordinator) load() []float64 {
	load := make([]float64, len(co.rows))
	for _, k := range co.counties {
		for i, r := range co.rows {
			load[i] += co.rowClaim(k, k.pick, r)
		}
	}
	return load
}

// switchPick makes c county k's pick and moves load with it.
func (co *coordinator) switchPick(load []float64, k *county, c *column) {
	for i, r := range co.rows {
		load[i] += co.rowClaim(k, c, r) - co.rowClaim(k, k.pick, r)
	}
	k.pick = c
}

// overload is how far load breaks the shared rows, summed: mu over the
// pool years, the park rows weighted into mu (sharedRow.weight).
func (co *coordinator) overload(load []float64) float64 {
	o := 0.0
	for i, r := range co.rows {
		o += r.weight * r.violation(load[i])
	}
	return o
}

// repair switches counties to other plans while a shared row is broken
// (years are substitutes: a county's least claim in total may sit in the
// wrong year; the target may need parks the frugal plans lack): each
// time the switch that lowers the overload most per unit of value lost
// (a switch that loses nothing first; ties by county order, then round).
// It reports whether the rows hold.
func (co *coordinator) repair(load []float64) bool {
	for {
		over := co.overload(load)
		if over == 0 {
			return true
		}
		var bk *county
		var bc *column
		bestScore := 0.0
		for _, k := range co.counties {
			for _, c := range k.cols {
				if c == k.pick {
					continue
				}
				next := append([]float64(nil), load...)
				for i, r := range co.rows {
					next[i] += co.rowClaim(k, c, r) - co.rowClaim(k, k.pick, r)
				}
				gain := over - co.overload(next)
				if gain <= poolTol {
					continue
				}
				loss := math.Max(0, k.pick.value-c.value)
				if score := gain / math.Max(loss, 1e-9); score > bestScore {
					bestScore, bk, bc = score, k, c
				}
			}
		}
		if bk == nil {
			return false
		}
		co.switchPick(load, bk, bc)
	}
}

func (co *coordinator) pickedValue() float64 {
	v := 0.0
	for _, k := range co.counties {
		if k.pick != nil {
			v += k.pick.value
		}
	}
	return v
}

// assemble chooses the counties' plans and sets each county's allocation
// to what its plan claims (at least its floor). When no choice keeps the
// shared rows it fails with planner.ErrNoPlan naming the row: the pool
// year the counties' most frugal plans overrun, or the province-wide
// target or cap that no choice of the plans seen keeps.
func (co *coordinator) assemble(ctx context.Context) error {
	_, ok := co.choose()
	if !ok && co.overloadedOnlyByChoice() {
		if err := co.allocateRound(ctx); err != nil {
			return err
		}
		_, ok = co.choose()
		if !ok {
			ok = co.pickAllocated()
		}
	}
	if !ok {
		for _, k := range co.counties {
			if len(k.cols) == 0 {
				return fmt.Errorf("%w: county %s: %s", planner.ErrNoPlan, k.code, k.lastErr)
			}
		}
		for _, r := range co.rows {
			// the best any choice of the plans seen does on the row alone
			best := 0.0
			for _, k := range co.counties {
				b := math.Inf(1)
				if r.ge() {
					b = math.Inf(-1)
				}
				for _, c := range k.cols {
					if v := co.rowClaim(k, c, r); (r.ge() && v > b) || (!r.ge() && v < b) {
						b = v
					}
				}
				best += b
			}
			switch {
			case r.kind == rowPool && !r.holds(best):
				y := co.years[r.t]
				return fmt.Errorf("%w: the counties' most frugal plans need %.2f mu of new land in %d, the pool has %.2f mu (pool[%d])",
					planner.ErrNoPlan, best, y, r.rhs, co.poolIndex(y))
			case r.kind == rowTarget && !r.holds(best):
				return fmt.Errorf("%w: the counties' plans open at most %.0f parks by %d, the province's target_parks is %.0f",
					planner.ErrNoPlan, best, co.targetYear, r.rhs)
			case r.kind == rowCap && !r.holds(best):
				return fmt.Errorf("%w: the counties' plans need at least %.0f parks on new land, the province's max_new_land_parks is %.0f",
					planner.ErrNoPlan, best, r.rhs)
			}
		}
		return fmt.Errorf("%w: no choice of the counties' plans keeps the pool and the province-wide targets together (%s)",
			planner.ErrNoPlan, co.broken())
	}
	for _, k := range co.counties {
		k.alloc = make([]float64, len(co.years))
		for t := range co.years {
			if co.inPool[t] {
				k.alloc[t] = co.claim(k, k.pick, t)
			}
		}
	}
	return nil
}

func (co *coordinator) poolIndex(y int) int {
	for i, p := range co.ps.Pool {
		if p.Year == y {
			return i
		}
	}
	return -1
}

// rest is what the allocations leave of each year's pool.
func (co *coordinator) rest() []float64 {
	r := make([]float64, len(co.years))
	for t := range co.years {
		if !co.inPool[t] {
			continue
		}
		r[t] = co.pool[t]
		for _, k := range co.counties {
			r[t] -= k.alloc[t]
		}
		r[t] = math.Max(0, r[t])
	}
	return r
}

// spendRest gives what is left of the pool to the counties whose other
// plans were worth more per mu than their chosen one (highest first), as
// much of each year as that plan used beyond the allocation, up to the
// county's cap; the counties so raised are solved again under the new
// allocation at that plan's prices, and the new plan is taken when it is
// worth more.
func (co *coordinator) spendRest(ctx context.Context) error {
	rest := co.rest()
	type want struct {
		k     *county
		c     *column
		ratio float64
		order int
	}
	var wants []want
	for i, k := range co.counties {
		var best *column
		bestRatio := 0.0
		for _, c := range k.cols {
			df := c.value - k.pick.value
			if df <= 1e-9*math.Max(1, math.Abs(k.pick.value)) {
				continue
			}
			extra := 0.0
			for t := range co.years {
				if co.inPool[t] {
					extra += math.Max(0, c.use[t]-k.alloc[t])
				}
			}
			if extra <= poolTol {
				continue
			}
			if r := df / extra; r > bestRatio {
				best, bestRatio = c, r
			}
		}
		if best != nil {
			wants = append(wants, want{k, best, bestRatio, i})
		}
	}
	sort.SliceStable(wants, func(i, j int) bool { return wants[i].ratio > wants[j].ratio })
	var ks []*county
	var tasks []planner.CountyTask
	var prices, allocs [][]float64
	round := len(co.out.Rounds) + co.resolves
	slack := co.capSlack()
	for _, w := range wants {
		alloc := append([]float64(nil), w.k.alloc...)
		raised := false
		for t := range co.years {
			if !co.inPool[t] {
				continue
			}
			inc := math.Min(rest[t], math.Max(0, math.Min(w.c.use[t], w.k.cap[t])-alloc[t]))
			if inc > poolTol {
				alloc[t] += inc
				rest[t] -= inc
				raised = true
			}
		}
		if !raised {
			continue
		}
		w.k.alloc = alloc
		ks = append(ks, w.k)
		extra := min(slack, max(0, w.c.newLandParks-w.k.pick.newLandParks))
		slack -= extra
		tasks = append(tasks, co.keepParkRows(co.task(w.k, round, w.c.price, alloc), w.k, extra))
		prices = append(prices, w.c.price)
		allocs = append(allocs, alloc)
	}
	return co.resolve(ctx, ks, tasks, prices, allocs)
}

// capSlack is how many more parks on new land the province-wide cap
// allows beyond the picks' (0 without a cap).
func (co *coordinator) capSlack() int {
	load := co.load()
	for i, r := range co.rows {
		if r.kind == rowCap {
			return max(0, int(r.rhs-load[i]+poolTol))
		}
	}
	return 0
}

// keepParkRows makes county k's re-solve task keep its share of the
// province-wide rows: at most its pick's parks on new land plus extra
// (a share of the cap's slack) as its max_new_land_parks, at least its
// pick's parks by the target year as its target_parks (when its own
// target_year is the province's). Re-solved plans then keep the target
// and the cap with the other counties' picks.
func (co *coordinator) keepParkRows(task planner.CountyTask, k *county, extra int) planner.CountyTask {
	sc := &task.Scenario
	for _, r := range co.rows {
		switch r.kind {
		case rowCap:
			if share := k.pick.newLandParks + extra; sc.MaxNewLandParks < 0 || share < sc.MaxNewLandParks {
				sc.MaxNewLandParks = share
			}
		case rowTarget:
			if sc.TargetYear == co.targetYear {
				sc.TargetParks = max(sc.TargetParks, k.pick.byTarget)
			}
		}
	}
	return task
}

// pickAllocated picks every county's plan of the allocation round, when
// each has one and together they keep the shared rows (they should: the
// pool, the target and the cap were shared among them); it reports
// whether it did.
func (co *coordinator) pickAllocated() bool {
	if len(co.allocCols) != len(co.counties) {
		return false
	}
	prev := make([]*column, len(co.counties))
	for i, k := range co.counties {
		if co.allocCols[i] == nil {
			return false
		}
		prev[i] = k.pick
		k.pick = co.allocCols[i]
	}
	if co.overload(co.load()) == 0 {
		return true
	}
	for i, k := range co.counties {
		k.pick = prev[i]
	}
	return false
}

// overloadedOnlyByChoice reports whether the counties' floors fit the
// pool (so that an allocation of it exists), every county having a plan.
func (co *coordinator) overloadedOnlyByChoice() bool {
	for _, k := range co.counties {
		if k.pick == nil {
			return false
		}
	}
	return true
}

// allocateRound is the fallback when no choice of the rounds' plans fits
// the pool: each pool year is shared in proportion to what the counties'
// current plans claim beyond their floors (floors first, caps kept), and
// every county is solved under that allocation at the prices of the best
// bound; those plans fit the pool together.
func (co *coordinator) allocateRound(ctx context.Context) error {
	nT := len(co.years)
	allocs := make([][]float64, len(co.counties))
	for i := range allocs {
		allocs[i] = make([]float64, nT)
	}
	for t := range co.years {
		if !co.inPool[t] {
			continue
		}
		floors, above := 0.0, 0.0
		for _, k := range co.counties {
			floors += k.floor[t]
			above += math.Max(0, co.claim(k, k.pick, t)-k.floor[t])
		}
		scale := 1.0
		if above > 0 {
			scale = math.Min(1, math.Max(0, co.pool[t]-floors)/above)
		}
		for i, k := range co.counties {
			a := k.floor[t] + scale*math.Max(0, co.claim(k, k.pick, t)-k.floor[t])
			allocs[i][t] = math.Min(a, k.cap[t])
		}
	}
	tasks := make([]planner.CountyTask, len(co.counties))
	prices := make([][]float64, len(co.counties))
	round := len(co.out.Rounds) + co.resolves
	target, capShare := co.parkShares()
	for i, k := range co.counties {
		prices[i] = append([]float64(nil), co.finalPrice...)
		tasks[i] = co.task(k, round, co.finalPrice, allocs[i])
		sc := &tasks[i].Scenario
		if target[i] >= 0 {
			sc.TargetParks = max(sc.TargetParks, target[i])
		}
		if capShare[i] >= 0 && (sc.MaxNewLandParks < 0 || capShare[i] < sc.MaxNewLandParks) {
			sc.MaxNewLandParks = capShare[i]
		}
	}
	cols, err := co.solveRound(ctx, co.counties, tasks, prices, allocs)
	if err != nil {
		return err
	}
	co.resolves++
	co.allocCols = cols
	return nil
}

// finalSolves solves again, with the county scenario's own node limit,
// every county whose chosen plan came from a cheap pricing round
// (Options.PricingNodeLimit), under its allocation at that plan's
// prices; the new plan is taken when it is worth more (it fits the
// allocation by its county row).
func (co *coordinator) finalSolves(ctx context.Context) error {
	var ks []*county
	var tasks []planner.CountyTask
	var prices, allocs [][]float64
	round := len(co.out.Rounds) + co.resolves
	for _, k := range co.counties {
		if !k.pick.light {
			continue
		}
		alloc := append([]float64(nil), k.alloc...)
		ks = append(ks, k)
		tasks = append(tasks, co.keepParkRows(co.task(k, round, k.pick.price, alloc), k, 0))
		prices = append(prices, k.pick.price)
		allocs = append(allocs, alloc)
	}
	return co.resolve(ctx, ks, tasks, prices, allocs)
}

// resolve solves one re-solve round of tasks (tasks[i] for ks[i] at
// prices[i] under allocs[i]) and takes each county's new plan where it is
// worth more. No tasks, no round.
func (co *coordinator) resolve(ctx context.Context, ks []*county, tasks []planner.CountyTask, prices, allocs [][]float64) error {
	if len(tasks) == 0 {
		return nil
	}
	cols, err := co.solveRound(ctx, ks, tasks, prices, allocs)
	if err != nil {
		return err
	}
	co.resolves++
	co.takeBetter(ks, cols)
	return nil
}

// takeBetter makes each county's new column (cols[i] of ks[i]) its pick
// when it is worth more, keeps the county's allocation and, with the
// other counties' picks, the province-wide target and cap (counties in
// order).
func (co *coordinator) takeBetter(ks []*county, cols []*column) {
	load := co.load()
	for i, c := range cols {
		k := ks[i]
		if c == nil || c.value <= k.pick.value {
			continue
		}
		fits := true
		for t := range co.years {
			if co.inPool[t] && c.use[t] > k.alloc[t]+poolTol {
				fits = false
			}
		}
		for j, r := range co.rows {
			if r.kind != rowPool && !r.holds(load[j]+co.rowClaim(k, c, r)-co.rowClaim(k, k.pick, r)) {
				fits = false
			}
		}
		if fits {
			co.switchPick(load, k, c)
		}
	}
}

// broken names the shared rows the picks break, with their load.
func (co *coordinator) broken() string {
	var out []string
	all := co.load()
	for i, r := range co.rows {
		load := all[i]
		if r.holds(load) {
			continue
		}
		switch r.kind {
		case rowPool:
			out = append(out, fmt.Sprintf("pool %d: %.2f of %.2f mu", co.years[r.t], load, r.rhs))
		case rowTarget:
			out = append(out, fmt.Sprintf("target_parks: %.0f parks open by %d, target %.0f", load, co.targetYear, r.rhs))
		case rowCap:
			out = append(out, fmt.Sprintf("max_new_land_parks: %.0f parks on new land, cap %.0f", load, r.rhs))
		}
	}
	return strings.Join(out, "; ")
}
