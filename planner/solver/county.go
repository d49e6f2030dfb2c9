package solver

import (
	"fmt"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// The county-wide new-land row (ruleCountyAllocation, a county under a
// province: docs/province.md) and the price per mu of new land
// (Scenario.NewLandPrice). The price is part of each site's yearly value
// (landCharge, in the site master). The county row is not priced by the
// relaxation: leaving it out keeps the bound valid, and the province's
// coordinator sets the price so that the county's choice fits its
// allocation. Plans that overrun it are repaired (repairCounty) before
// they are offered.

// landCharge is the year-dependent part of opening site s in year index t:
// −NewLandPrice·AreaMu on new land, 0 otherwise.
func (m *model) landCharge(s, t int) float64 {
	return m.inst.OpenValue(s, t) - m.inst.Sites[s].FixedValue
}

// countyUse returns the new land a site choice (year per site, −1
// closed) opens in each year, mu.
func (m *model) countyUse(year []int) []float64 {
	use := make([]float64, m.nT)
	for s, site := range m.inst.Sites {
		if t := year[s]; t >= 0 && t < m.nT && m.newLand(s) {
			use[t] += site.AreaMu
		}
	}
	return use
}

// checkCounty returns the first year whose new land, in a site choice
// (year per site), overruns the county allocation, in planning words, or "".
func (m *model) checkCounty(year []int) string {
	if m.inst.CountyMu == nil {
		return ""
	}
	for t, u := range m.countyUse(year) {
		if m.inst.CountyCapped(t) && u > m.inst.CountyMu[t]+ruleTol {
			return fmt.Sprintf("county allocation %d: %.3f > %.3f mu", m.inst.Years[t], u, m.inst.CountyMu[t])
		}
	}
	return ""
}

// repairCounty makes a plan that overruns the county allocation keep it:
// in each overrun year, the unlocked new-land parks of that year close,
// the least valuable per mu first (their opening value plus their firms'
// values), until the year fits; their firms are taken out. It returns a
// new Solution, or nil when sol needs no repair or locked parks alone
// overrun the allocation. The repaired plan may break another site rule
// (a town left without a park); check says so.
func (m *model) repairCounty(sol *planner.Solution) *planner.Solution {
	if m.checkCounty(sol.Year) == "" {
		return nil
	}
	inst := m.inst
	out := &planner.Solution{
		Year:      append([]int(nil), sol.Year...),
		Specialty: append([]int(nil), sol.Specialty...),
		Count:     append([]int(nil), sol.Count...),
	}
	value := make([]float64, len(inst.Sites))
	for s := range inst.Sites {
		if t := sol.Year[s]; t >= 0 {
			value[s] = inst.OpenValue(s, t)
		}
	}
	for a, arc := range inst.Arcs {
		value[arc.Site] += arc.Value * float64(sol.Count[a])
	}
	use := m.countyUse(sol.Year)
	for t := range use {
		if !inst.CountyCapped(t) || use[t] <= inst.CountyMu[t]+ruleTol {
			continue
		}
		var open []int
		for s, site := range inst.Sites {
			if sol.Year[s] == t && m.newLand(s) && !site.Locked {
				open = append(open, s)
			}
		}
		sort.SliceStable(open, func(i, j int) bool {
			a, b := open[i], open[j]
			return value[a]/inst.Sites[a].AreaMu < value[b]/inst.Sites[b].AreaMu
		})
		for _, s := range open {
			if use[t] <= inst.CountyMu[t]+ruleTol {
				break
			}
			out.Year[s] = -1
			use[t] -= inst.Sites[s].AreaMu
			for _, a := range m.siteArcs[s] {
				out.Count[a] = 0
			}
		}
		if use[t] > inst.CountyMu[t]+ruleTol {
			return nil
		}
	}
	return out
}
