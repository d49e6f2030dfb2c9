package province

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// claim is what county k's column c takes of year t's pool: at least the
// county's floor.
func (co *coordinator) claim(k *county, c *column, t int) float64 {
	return math.Max(k.floor[t], c.use[t])
}

// choose picks one plan (column) per county so that the pool holds: each
// county starts from its plan that claims least of the pool (ties: the
// more valuable, then the earlier round); then, while some county has a
// more valuable plan that still fits, the switch of highest gain per mu
// of extra pool is made (a switch that needs no extra pool first; ties by
// county order, then round). It returns the plans' summed value (without
// price terms) and whether the pool holds.
func (co *coordinator) choose() (float64, bool) {
	load := make([]float64, len(co.years))
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
		for t := range co.years {
			load[t] += co.claim(k, k.pick, t)
		}
	}
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
				for t := range co.years {
					if !co.inPool[t] {
						continue
					}
					d := co.claim(k, c, t) - co.claim(k, k.pick, t)
					if load[t]+d > co.pool[t]+poolTol {
						fits = false
						break
					}
					extra += math.Max(0, d)
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
		for t := range co.years {
			load[t] += co.claim(bk, bc, t) - co.claim(bk, bk.pick, t)
		}
		bk.pick = bc
	}
	return co.pickedValue(), true
}

// overload is how far load exceeds the pool, summed over the years, mu.
func (co *coordinator) overload(load []float64) float64 {
	o := 0.0
	for t := range co.years {
		if co.inPool[t] {
			o += math.Max(0, load[t]-co.pool[t]-poolTol)
		}
	}
	return o
}

// repair switches counties to other plans while the pool is overloaded
// (years are substitutes: a county's least claim in total may sit in the
// wrong year): each time the switch that lowers the overload most per
// unit of value lost (a switch that loses nothing first; ties by county
// order, then round). It reports whether the pool holds.
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
				for t := range co.years {
					next[t] += co.claim(k, c, t) - co.claim(k, k.pick, t)
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
		for t := range co.years {
			load[t] += co.claim(bk, bc, t) - co.claim(bk, bk.pick, t)
		}
		bk.pick = bc
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
// to what its plan claims (at least its floor).
func (co *coordinator) assemble(ctx context.Context) error {
	_, ok := co.choose()
	if !ok && co.overloadedOnlyByChoice() {
		if err := co.allocateRound(ctx); err != nil {
			return err
		}
		_, ok = co.choose()
	}
	if !ok {
		for _, k := range co.counties {
			if len(k.cols) == 0 {
				return fmt.Errorf("%w: county %s: %s", planner.ErrNoPlan, k.code, k.lastErr)
			}
		}
		for t, y := range co.years {
			need := 0.0
			for _, k := range co.counties {
				need += co.claim(k, k.pick, t)
			}
			if co.inPool[t] && need > co.pool[t]+poolTol {
				return fmt.Errorf("%w: the counties' most frugal plans need %.2f mu of new land in %d, the pool has %.2f mu (pool[%d])",
					planner.ErrNoPlan, need, y, co.pool[t], co.poolIndex(y))
			}
		}
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
		tasks = append(tasks, co.task(w.k, round, w.c.price, alloc))
		prices = append(prices, w.c.price)
		allocs = append(allocs, alloc)
	}
	return co.resolve(ctx, ks, tasks, prices, allocs)
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
	for i, k := range co.counties {
		prices[i] = append([]float64(nil), co.finalPrice...)
		tasks[i] = co.task(k, round, co.finalPrice, allocs[i])
	}
	if _, err := co.solveRound(ctx, co.counties, tasks, prices, allocs); err != nil {
		return err
	}
	co.resolves++
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
		tasks = append(tasks, co.task(k, round, k.pick.price, alloc))
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
// when it is worth more and keeps the county's allocation.
func (co *coordinator) takeBetter(ks []*county, cols []*column) {
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
		if fits {
			k.pick = c
		}
	}
}
