package solver

import (
	"math"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
)

// binding lists the rules that bind in sol, in planning words: the target
// and the new-land cap when met exactly, a town's quota in a year when it
// is drawn on and what is left is less than its smallest closed new-land
// candidate, a year's
// budget when what is left is less than the cheapest closed candidate.
func (m *model) binding(sol *planner.Solution) []string {
	inst := m.inst
	sc := &inst.Scenario
	var out []string
	byTarget, newLand := 0, 0
	for s, site := range inst.Sites {
		if t := sol.Year[s]; t >= 0 {
			if t <= inst.TargetT {
				byTarget++
			}
			if site.Kind == planner.KindNewLand {
				newLand++
			}
		}
	}
	if byTarget == sc.TargetParks {
		out = append(out, mip.Words(inst, &mip.Row{Rule: planner.RuleTargetParks}))
	}
	if sc.MaxNewLandParks >= 0 && newLand == sc.MaxNewLandParks {
		out = append(out, mip.Words(inst, &mip.Row{Rule: planner.RuleNewLandCap}))
	}
	for town, sites := range m.townSites {
		smallest := math.Inf(1)
		for _, s := range sites {
			if sol.Year[s] < 0 && m.newLand(s) {
				smallest = math.Min(smallest, inst.Sites[s].AreaMu)
			}
		}
		if math.IsInf(smallest, 1) {
			continue
		}
		used := 0.0
		for t := 0; t < m.nT; t++ {
			if !sc.QuotaCarryOver {
				used = 0
			}
			for _, s := range sites {
				if sol.Year[s] == t && m.newLand(s) {
					used += inst.Sites[s].AreaMu
				}
			}
			if used > 0 && m.quotaLimit(town, t)-used < smallest-ruleTol {
				out = append(out, mip.Words(inst, &mip.Row{Rule: planner.RuleQuota, Town: town, Year: t}))
			}
		}
	}
	cheapest := math.Inf(1)
	for s, site := range inst.Sites {
		if sol.Year[s] < 0 && !site.Locked {
			cheapest = math.Min(cheapest, site.CostWan)
		}
	}
	for t := 0; t < m.nT; t++ {
		if !m.budgeted[t] || math.IsInf(cheapest, 1) {
			continue
		}
		spent := 0.0
		for s, site := range inst.Sites {
			if sol.Year[s] == t {
				spent += site.CostWan
			}
		}
		if inst.BudgetWan[t]-spent < cheapest-ruleTol {
			out = append(out, mip.Words(inst, &mip.Row{Rule: planner.RuleBudget, Year: t}))
		}
	}
	return out
}
