package mip

import (
	"math"

	"github.com/parkplan/parkplan/planner"
)

// siteRules write the rows on the sites' y alone, in this order; only they
// can conflict (a plan that places no firm keeps every firm rule), so the
// Sites layout has only these.
var siteRules = []func(*Model){ruleOpenOnce, ruleTargetParks, ruleEveryTown, ruleNewLandCap, ruleQuota, ruleBudget, ruleCountyAllocation}

// ruleOpenOnce: Σ_{t,k} y[s,t,k] ≤ 1 for each site that is not locked (a
// locked site has one y, fixed at 1).
func ruleOpenOnce(m *Model) {
	last := len(m.Inst.Years) - 1
	for s, site := range m.Inst.Sites {
		if site.Locked {
			continue
		}
		r := m.newRow(planner.RuleOpenOnce, LE, 1)
		m.Rows[r].Site = s
		m.ySum(r, s, 0, last, -1, 1)
	}
}

// ruleTargetParks: Σ_s Σ_{t ≤ target year} Σ_k y ≥ target_parks, when the
// target is positive.
func ruleTargetParks(m *Model) {
	inst := m.Inst
	if inst.Scenario.TargetParks <= 0 {
		return
	}
	r := m.newRow(planner.RuleTargetParks, GE, float64(inst.Scenario.TargetParks))
	m.Rows[r].Year = inst.TargetT
	for s := range inst.Sites {
		m.ySum(r, s, 0, inst.TargetT, -1, 1)
	}
}

// ruleEveryTown: for each town, Σ_{s in town} Σ_{t ≤ target year} Σ_k y ≥ 1,
// when every_town.
func ruleEveryTown(m *Model) {
	inst := m.Inst
	if !inst.Scenario.EveryTown {
		return
	}
	for ti := range inst.Towns {
		r := m.newRow(planner.RuleEveryTown, GE, 1)
		m.Rows[r].Town, m.Rows[r].Year = ti, inst.TargetT
		for s, site := range inst.Sites {
			if site.Town == ti {
				m.ySum(r, s, 0, inst.TargetT, -1, 1)
			}
		}
	}
}

// ruleNewLandCap: Σ_{s on new land} Σ_{t,k} y ≤ max_new_land_parks, unless
// it is −1 (no cap).
func ruleNewLandCap(m *Model) {
	inst := m.Inst
	if inst.Scenario.MaxNewLandParks < 0 {
		return
	}
	last := len(inst.Years) - 1
	r := m.newRow(planner.RuleNewLandCap, LE, float64(inst.Scenario.MaxNewLandParks))
	for s, site := range inst.Sites {
		if site.Kind == planner.KindNewLand {
			m.ySum(r, s, 0, last, -1, 1)
		}
	}
}

// ruleQuota: for each town with new-land sites and each year t,
// Σ_{s in town, new land} AreaMu_s Σ_k y[s,t,k] ≤ QuotaMu[town][t]; with
// quota_carry_over both sides sum over the years up to t.
func ruleQuota(m *Model) {
	inst := m.Inst
	for ti := range inst.Towns {
		var newLand []int
		for s, site := range inst.Sites {
			if site.Town == ti && site.Kind == planner.KindNewLand {
				newLand = append(newLand, s)
			}
		}
		if len(newLand) == 0 {
			continue
		}
		cum := 0.0
		for t := range inst.Years {
			t0, rhs := t, inst.QuotaMu[ti][t]
			cum += rhs
			if inst.Scenario.QuotaCarryOver {
				t0, rhs = 0, cum
			}
			r := m.newRow(planner.RuleQuota, LE, rhs)
			m.Rows[r].Town, m.Rows[r].Year = ti, t
			for _, s := range newLand {
				m.ySum(r, s, t0, t, -1, inst.Sites[s].AreaMu)
			}
		}
	}
}

// ruleBudget: for each year t with a budget, Σ_s CostWan_s Σ_k y[s,t,k] ≤
// BudgetWan[t].
func ruleBudget(m *Model) {
	inst := m.Inst
	for t := range inst.Years {
		if math.IsInf(inst.BudgetWan[t], 1) {
			continue
		}
		r := m.newRow(planner.RuleBudget, LE, inst.BudgetWan[t])
		m.Rows[r].Year = t
		for s, site := range inst.Sites {
			m.ySum(r, s, t, t, -1, site.CostWan)
		}
	}
}

// ruleCountyAllocation: for each year t with a county allocation (a county
// under a province, docs/province.md), Σ_{s on new land} AreaMu_s Σ_k
// y[s,t,k] ≤ CountyMu[t] — the new land of all the county's towns in the
// year within the county's share of the province's pool. Town quotas
// (ruleQuota) still bind beside it; it does not carry over.
func ruleCountyAllocation(m *Model) {
	inst := m.Inst
	for t := range inst.Years {
		if !inst.CountyCapped(t) {
			continue
		}
		r := m.newRow(planner.RuleCountyAllocation, LE, inst.CountyMu[t])
		m.Rows[r].Year = t
		for s, site := range inst.Sites {
			if site.Kind == planner.KindNewLand {
				m.ySum(r, s, t, t, -1, site.AreaMu)
			}
		}
	}
}
