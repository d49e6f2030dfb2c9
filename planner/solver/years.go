package solver

import (
	"math"
	"sort"
)

// assignYears turns a master choice that overspends some yearly budget
// into a plan's site years by a greedy packing: locked sites stay; open
// candidates, most valuable first (a town's best first when the town
// still needs a park by the target year), take the year with most budget
// left among those their quota allows, early (≤ target year) when the
// target or the town still needs them, late otherwise; a candidate that
// fits no year stays closed. Closed candidates of positive value are then
// added while budget, quota and the new-land cap allow. (Early slots the
// target still needs go to the cheapest chosen sites.) It returns nil
// when the target or every-town rule fails.
func (r *relaxation) assignYears(masterYear []int) []int {
	m := r.m
	inst := m.inst
	sc := &inst.Scenario
	nT, tt := m.nT, inst.TargetT
	year := make([]int, len(inst.Sites))
	spend := make([]float64, nT)
	use := make([][]float64, len(inst.Towns))
	for i := range use {
		use[i] = make([]float64, nT)
	}
	early, newLand := 0, 0
	townEarly := make([]bool, len(inst.Towns))
	var cands []int
	for s, site := range inst.Sites {
		year[s] = -1
		if site.Locked {
			t := site.LockedYear
			year[s] = t
			spend[t] += site.CostWan
			if m.newLand(s) {
				use[site.Town][t] += site.AreaMu
				newLand++
			}
			if t <= tt {
				early++
				townEarly[site.Town] = true
			}
		} else if masterYear[s] >= 0 {
			cands = append(cands, s)
		}
	}
	// Order: value, but a town's best candidate first while it lacks a park.
	sort.SliceStable(cands, func(a, b int) bool { return r.w[cands[a]] > r.w[cands[b]] })
	var first, rest []int
	seenTown := make([]bool, len(inst.Towns))
	for _, s := range cands {
		town := inst.Sites[s].Town
		if !townEarly[town] && !seenTown[town] {
			seenTown[town] = true
			first = append(first, s)
		} else {
			rest = append(rest, s)
		}
	}
	quotaOK := func(town int) bool {
		used := 0.0
		for t := 0; t < nT; t++ {
			if sc.QuotaCarryOver {
				used += use[town][t]
			} else {
				used = use[town][t]
			}
			if used > m.quotaLimit(town, t)+ruleTol {
				return false
			}
		}
		return true
	}
	place := func(s int, wantEarly bool) bool {
		site := inst.Sites[s]
		if m.newLand(s) && sc.MaxNewLandParks >= 0 && newLand >= sc.MaxNewLandParks {
			return false
		}
		best, bestSlack := -1, math.Inf(-1)
		for pass := 0; pass < 2 && best < 0; pass++ {
			for t := 0; t < nT; t++ {
				isEarly := t <= tt
				if (pass == 0) != (isEarly == wantEarly) {
					continue
				}
				slack := math.Inf(1)
				if m.budgeted[t] {
					slack = inst.BudgetWan[t] - spend[t] - site.CostWan
					if slack < -ruleTol {
						continue
					}
				}
				if m.newLand(s) {
					use[site.Town][t] += site.AreaMu
					ok := quotaOK(site.Town)
					use[site.Town][t] -= site.AreaMu
					if !ok {
						continue
					}
				}
				if slack > bestSlack {
					best, bestSlack = t, slack
				}
			}
			if wantEarly {
				break // a park needed early must not go late
			}
		}
		if best < 0 {
			return false
		}
		year[s] = best
		spend[best] += site.CostWan
		if m.newLand(s) {
			use[site.Town][best] += site.AreaMu
			newLand++
		}
		if best <= tt {
			early++
			townEarly[site.Town] = true
		}
		return true
	}
	for _, s := range first {
		place(s, true)
	}
	// Early slots still needed for the target go to the cheapest of the
	// chosen sites (the early years' budgets go furthest), the rest late
	// where they can.
	byCost := append([]int(nil), rest...)
	sort.SliceStable(byCost, func(a, b int) bool { return inst.Sites[byCost[a]].CostWan < inst.Sites[byCost[b]].CostWan })
	for _, s := range byCost {
		if early >= sc.TargetParks {
			break
		}
		place(s, true)
	}
	for _, s := range rest {
		if year[s] < 0 {
			place(s, false)
		}
	}
	if early < sc.TargetParks {
		// more early parks needed: any closed candidate, cheapest first
		closed := r.closedByValue(year)
		sort.SliceStable(closed, func(a, b int) bool { return inst.Sites[closed[a]].CostWan < inst.Sites[closed[b]].CostWan })
		for _, s := range closed {
			if early >= sc.TargetParks {
				break
			}
			place(s, true)
		}
	}
	if early < sc.TargetParks {
		return nil
	}
	if sc.EveryTown {
		for town, ok := range townEarly {
			if !ok {
				for _, s := range m.townSites[town] {
					if year[s] < 0 && place(s, true) {
						break
					}
				}
				if !townEarly[town] {
					return nil
				}
			}
		}
	}
	for _, s := range r.closedByValue(year) {
		if r.w[s] > 0 {
			place(s, false)
		}
	}
	return year
}

// closedByValue lists closed candidates by decreasing master value.
func (r *relaxation) closedByValue(year []int) []int {
	var out []int
	for s, site := range r.m.inst.Sites {
		if year[s] < 0 && !site.Locked {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return r.w[out[a]] > r.w[out[b]] })
	return out
}

// yearSpend is the cost (wan yuan) of the sites a choice opens in each
// year (year[s]: year index, −1 closed).
func (m *model) yearSpend(year []int) []float64 {
	spend := make([]float64, m.nT)
	for s, t := range year {
		if t >= 0 {
			spend[t] += m.inst.Sites[s].CostWan
		}
	}
	return spend
}
