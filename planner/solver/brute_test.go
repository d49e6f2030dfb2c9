package solver

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/planner"
)

// bruteForce is the test oracle: it enumerates every site/year/specialty
// choice and, for each one meeting the site rules, every integer firm
// placement (per park, then combined under place-once with a simple upper
// bound cut). It returns the optimum and false when no plan exists. It
// shares no code with the solver.
func bruteForce(inst *planner.Instance) (float64, bool) {
	nS, nT := len(inst.Sites), len(inst.Years)
	place := brutePlacer(inst)
	best, found := math.Inf(-1), false
	year := make([]int, nS)
	spec := make([]int, nS)
	var enumSites func(s int)
	enumSites = func(s int) {
		if s == nS {
			val, ok := siteRulesValue(inst, year)
			if !ok {
				return
			}
			bestX := place(year, spec)
			if val+bestX > best {
				best = val + bestX
			}
			found = true
			return
		}
		site := inst.Sites[s]
		if site.Locked {
			year[s], spec[s] = site.LockedYear, 0
			enumSites(s + 1)
			return
		}
		year[s] = -1
		enumSites(s + 1)
		for t := 0; t < nT; t++ {
			for k := range site.Specialties {
				year[s], spec[s] = t, k
				enumSites(s + 1)
			}
		}
		year[s] = -1
	}
	enumSites(0)
	return best, found
}

// siteRulesValue checks the site-level rules (target, every town, new-land
// cap, quota, budget) for the opening years and returns the sites' value.
func siteRulesValue(inst *planner.Instance, year []int) (float64, bool) {
	sc := inst.Scenario
	nT := len(inst.Years)
	val := 0.0
	byTarget, newLand := 0, 0
	townHas := make([]bool, len(inst.Towns))
	use := make([][]float64, len(inst.Towns))
	for i := range use {
		use[i] = make([]float64, nT)
	}
	spend := make([]float64, nT)
	for s, site := range inst.Sites {
		t := year[s]
		if t < 0 {
			continue
		}
		val += site.FixedValue
		if t <= inst.TargetT {
			byTarget++
			townHas[site.Town] = true
		}
		if site.Kind == planner.KindNewLand {
			newLand++
			use[site.Town][t] += site.AreaMu
		}
		spend[t] += site.CostWan
	}
	if byTarget < sc.TargetParks || (sc.MaxNewLandParks >= 0 && newLand > sc.MaxNewLandParks) {
		return 0, false
	}
	for town := range inst.Towns {
		if sc.EveryTown && !townHas[town] {
			return 0, false
		}
		u, q := 0.0, 0.0
		for t := 0; t < nT; t++ {
			if sc.QuotaCarryOver {
				u += use[town][t]
				q += inst.QuotaMu[town][t]
			} else {
				u, q = use[town][t], inst.QuotaMu[town][t]
			}
			if u > q+1e-6 {
				return 0, false
			}
		}
	}
	for t := 0; t < nT; t++ {
		if spend[t] > inst.BudgetWan[t]+1e-6 {
			return 0, false
		}
	}
	return val, true
}

// brutePlacer returns the oracle's optimum of the firm placement for a
// site choice (year[s] < 0: closed; spec[s] an index into the site's
// Specialties): every feasible count vector of each park, combined under
// place-once with a simple upper bound cut (−Inf when no placement keeps
// the rows: never, the empty one does). It shares no code with the
// solver.
func brutePlacer(inst *planner.Instance) func(year, spec []int) float64 {
	nS := len(inst.Sites)
	siteArcs := make([][]int, nS)
	for a, arc := range inst.Arcs {
		siteArcs[arc.Site] = append(siteArcs[arc.Site], a)
	}
	// Every feasible count vector of each (site, specialty), with its value.
	type vec struct {
		counts []int
		value  float64
	}
	parkVecs := make([][][]vec, nS)
	for s, site := range inst.Sites {
		parkVecs[s] = make([][]vec, len(site.Specialties))
		arcs := siteArcs[s]
		for k, spec := range site.Specialties {
			counts := make([]int, len(arcs))
			var rec func(i int)
			rec = func(i int) {
				if i == len(arcs) {
					val, ok := bruteParkValue(inst, s, spec, arcs, counts)
					if !ok {
						return
					}
					parkVecs[s][k] = append(parkVecs[s][k], vec{append([]int(nil), counts...), val})
					return
				}
				g := inst.Groups[inst.Arcs[arcs[i]].Group]
				for c := 0; c <= g.Count && float64(c)*g.FloorM2 <= site.CapacityM2+1e-6; c++ {
					counts[i] = c
					rec(i + 1)
				}
				counts[i] = 0
			}
			rec(0)
		}
	}
	return func(year, spec []int) float64 {
		// Combine firm placements over the open parks.
		open := []int{}
		for i := range year {
			if year[i] >= 0 {
				open = append(open, i)
			}
		}
		maxRest := make([]float64, len(open)+1)
		for i := len(open) - 1; i >= 0; i-- {
			mx := 0.0
			for _, v := range parkVecs[open[i]][spec[open[i]]] {
				mx = math.Max(mx, v.value)
			}
			maxRest[i] = maxRest[i+1] + mx
		}
		left := make([]int, len(inst.Groups))
		for g := range left {
			left[g] = inst.Groups[g].Count
		}
		bestX := math.Inf(-1)
		var combine func(i int, acc float64)
		combine = func(i int, acc float64) {
			if acc+maxRest[i] <= bestX+1e-12 {
				return
			}
			if i == len(open) {
				bestX = acc
				return
			}
			st := open[i]
		next:
			for _, v := range parkVecs[st][spec[st]] {
				for j, a := range siteArcs[st] {
					if v.counts[j] > left[inst.Arcs[a].Group] {
						continue next
					}
				}
				for j, a := range siteArcs[st] {
					left[inst.Arcs[a].Group] -= v.counts[j]
				}
				combine(i+1, acc+v.value)
				for j, a := range siteArcs[st] {
					left[inst.Arcs[a].Group] += v.counts[j]
				}
			}
		}
		combine(0, 0)
		return bestX
	}
}

// bruteParkValue is the oracle's test of one park: counts[j] firms of
// the group of arcs[j] in site s under specialty spec (an industry
// index) keep the capacity and the three share rules; it returns their
// value.
func bruteParkValue(inst *planner.Instance, s, spec int, arcs, counts []int) (float64, bool) {
	sc := inst.Scenario
	site := inst.Sites[s]
	floor, n, relN, relF, sm, val := 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
	for j, a := range arcs {
		c := float64(counts[j])
		g := inst.Groups[inst.Arcs[a].Group]
		floor += c * g.FloorM2
		n += c
		val += c * inst.Arcs[a].Value
		if inst.Related[spec][g.Industry] {
			relN += c
			relF += c * g.FloorM2
		}
		if g.SmallMicro {
			sm += c
		}
	}
	if floor > site.CapacityM2+1e-6 || relN < sc.SpecialtyShareFirms*n-1e-6 ||
		relF < sc.SpecialtyShareFloor*floor-1e-6 || sm < sc.SmallMicroShare*n-1e-6 {
		return 0, false
	}
	return val, true
}

// brutePlacementHolds is the oracle's test of a whole placement: every
// open park keeps its rows (bruteParkValue), closed sites hold no firm,
// and no group places more firms than it has. It returns what fails, or
// "".
func brutePlacementHolds(inst *planner.Instance, sol *planner.Solution) string {
	siteArcs := make([][]int, len(inst.Sites))
	placed := make([]int, len(inst.Groups))
	for a, arc := range inst.Arcs {
		siteArcs[arc.Site] = append(siteArcs[arc.Site], a)
		placed[arc.Group] += sol.Count[a]
		if sol.Count[a] < 0 || (sol.Count[a] > 0 && sol.Year[arc.Site] < 0) {
			return fmt.Sprintf("arc %d: %d firms at site %d (year %d)", a, sol.Count[a], arc.Site, sol.Year[arc.Site])
		}
	}
	for g, n := range placed {
		if n > inst.Groups[g].Count {
			return fmt.Sprintf("group %d: %d firms placed of %d", g, n, inst.Groups[g].Count)
		}
	}
	for s, y := range sol.Year {
		if y < 0 {
			continue
		}
		counts := make([]int, len(siteArcs[s]))
		for j, a := range siteArcs[s] {
			counts[j] = sol.Count[a]
		}
		if _, ok := bruteParkValue(inst, s, inst.Sites[s].Specialties[sol.Specialty[s]], siteArcs[s], counts); !ok {
			return fmt.Sprintf("site %d: counts %v break capacity or a share rule", s, counts)
		}
	}
	return ""
}
