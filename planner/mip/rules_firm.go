package mip

import "github.com/parkplan/parkplan/planner"

// firmRules write the rows on the firms' x, after the site rules: place
// once per group, then, park by park and specialty by specialty, the park
// rules.
var firmRules = []func(*Model){rulePlaceOnce, writeParkRules}

// parkRules are the rules of one park under one of its specialties, in
// this order, written for every site with arcs and every specialty.
var parkRules = []func(m *Model, s, k int, arcs []int){ruleCapacity, ruleSpecialtyShare, ruleSmallMicroShare, ruleLink}

// rulePlaceOnce: for each group, Σ_{a of g} Σ_k x[a,k] ≤ Count_g.
func rulePlaceOnce(m *Model) {
	inst := m.Inst
	groupArcs := arcsBy(inst, len(inst.Groups), func(arc planner.Arc) int { return arc.Group })
	for g, grp := range inst.Groups {
		r := m.newRow(planner.RulePlaceOnce, LE, float64(grp.Count))
		m.Rows[r].Group = g
		for _, a := range groupArcs[g] {
			for _, col := range m.X[a] {
				m.Add(r, col, 1)
			}
		}
	}
}

// writeParkRules writes parkRules for every site with arcs, specialty by
// specialty.
func writeParkRules(m *Model) {
	inst := m.Inst
	siteArcs := arcsBy(inst, len(inst.Sites), func(arc planner.Arc) int { return arc.Site })
	for s, site := range inst.Sites {
		if len(siteArcs[s]) == 0 {
			continue
		}
		for k := range site.Specialties {
			for _, rule := range parkRules {
				rule(m, s, k, siteArcs[s])
			}
		}
	}
}

// arcsBy lists the arcs (indexes, in Arcs order) of each of n groups or
// sites, as key says.
func arcsBy(inst *planner.Instance, n int, key func(planner.Arc) int) [][]int {
	out := make([][]int, n)
	for a, arc := range inst.Arcs {
		out[key(arc)] = append(out[key(arc)], a)
	}
	return out
}

// parkRow opens a row of rule on site s under specialty k.
func (m *Model) parkRow(rule string, sense Sense, s, k int) int {
	r := m.newRow(rule, sense, 0)
	m.Rows[r].Site, m.Rows[r].Spec = s, k
	return r
}

// ParkCoefs are one arc's coefficients, per firm of its group placed, in
// the park rules of its site under one specialty: ruleCapacity (Capacity,
// m² of floor against Cap_s), ruleSpecialtyShare (ShareFirms = rel(k,g) −
// α, ShareFloor = (rel(k,g) − β)·F_g, each row ≥ 0) and
// ruleSmallMicroShare (SmallMicro = sm_g − γ, ≥ 0). The rule functions
// below write them into the model's rows; planner/solver's park LPs (one
// site and specialty with y fixed at 1) take them from here too.
type ParkCoefs struct {
	Capacity, ShareFirms, ShareFloor, SmallMicro float64
}

// ParkCoef returns arc a's ParkCoefs under specialty k (an index into its
// site's Specialties).
func ParkCoef(inst *planner.Instance, a, k int) ParkCoefs {
	sc := &inst.Scenario
	g := inst.Groups[inst.Arcs[a].Group]
	rel, sm := 0.0, 0.0
	if inst.Related[inst.Sites[inst.Arcs[a].Site].Specialties[k]][g.Industry] {
		rel = 1
	}
	if g.SmallMicro {
		sm = 1
	}
	return ParkCoefs{
		Capacity:   g.FloorM2,
		ShareFirms: rel - sc.SpecialtyShareFirms,
		ShareFloor: (rel - sc.SpecialtyShareFloor) * g.FloorM2,
		SmallMicro: sm - sc.SmallMicroShare,
	}
}

// ruleCapacity: Σ_{a at s} F_g x[a,k] ≤ Cap_s Σ_t y[s,t,k].
func ruleCapacity(m *Model, s, k int, arcs []int) {
	inst := m.Inst
	r := m.parkRow(planner.RuleCapacity, LE, s, k)
	m.ySum(r, s, 0, len(inst.Years)-1, k, -inst.Sites[s].CapacityM2)
	for _, a := range arcs {
		m.Add(r, m.X[a][k], ParkCoef(inst, a, k).Capacity)
	}
}

// ruleSpecialtyShare: Σ_{a at s} (rel(k,g) − α) x[a,k] ≥ 0 (firms, when α >
// 0) and Σ_{a at s} (rel(k,g) − β) F_g x[a,k] ≥ 0 (floor, when β > 0).
func ruleSpecialtyShare(m *Model, s, k int, arcs []int) {
	inst := m.Inst
	sc := &inst.Scenario
	if sc.SpecialtyShareFirms > 0 {
		r := m.parkRow(planner.RuleSpecialtyShare, GE, s, k)
		m.Rows[r].Part = "firms"
		for _, a := range arcs {
			m.Add(r, m.X[a][k], ParkCoef(inst, a, k).ShareFirms)
		}
	}
	if sc.SpecialtyShareFloor > 0 {
		r := m.parkRow(planner.RuleSpecialtyShare, GE, s, k)
		m.Rows[r].Part = "floor"
		for _, a := range arcs {
			m.Add(r, m.X[a][k], ParkCoef(inst, a, k).ShareFloor)
		}
	}
}

// ruleSmallMicroShare: Σ_{a at s} (sm_g − γ) x[a,k] ≥ 0, when γ > 0.
func ruleSmallMicroShare(m *Model, s, k int, arcs []int) {
	inst := m.Inst
	if inst.Scenario.SmallMicroShare <= 0 {
		return
	}
	r := m.parkRow(planner.RuleSmallMicroShare, GE, s, k)
	for _, a := range arcs {
		m.Add(r, m.X[a][k], ParkCoef(inst, a, k).SmallMicro)
	}
}

// ruleLink: for each arc a at s, x[a,k] ≤ U_a Σ_t y[s,t,k] — the strong
// linking rows (docs/model.md: without them the bound weakens from ~1.6 %
// to ~13 %).
func ruleLink(m *Model, s, k int, arcs []int) {
	last := len(m.Inst.Years) - 1
	for _, a := range arcs {
		r := m.parkRow(planner.RuleLink, LE, s, k)
		m.Rows[r].Arc = a
		m.Add(r, m.X[a][k], 1)
		m.ySum(r, s, 0, last, k, -float64(ArcBound(m.Inst, a)))
	}
}
