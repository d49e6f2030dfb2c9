package solver

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
)

// ruleTol is the absolute slack with which a plan's rows are checked, the
// same as planner/rules: exact ties (7 of 10 firms at 70 %) are feasible
// although 0.7 is not exact in binary.
const ruleTol = 1e-6

// model is the Instance in the form the solver works on: arcs by site and
// by group, arc upper bounds, and the rule data.
type model struct {
	inst      *planner.Instance
	nT        int
	siteArcs  [][]int // arc indexes at each site, in Arcs order
	groupArcs [][]int // arc indexes of each group
	ub        []int   // U_a = min(Count_g, ⌊Cap_s / F_g⌋): mip.ArcBound
	townSites [][]int // site indexes of each town
	budgeted  []bool  // year t has a finite budget
	// constant is the fixed value of the locked sites (always open).
	constant float64
	// outLP solves placement LPs over denseMaxCells (Options.LP); nil:
	// such LPs are not solved.
	outLP func(*SparseLP) (x []float64, obj float64, err error)
	// denseMaxCells is the largest placement LP (SparseLP.cells) solved by
	// the dense tableau: placeLPMaxCells (tests lower it).
	denseMaxCells int
}

func newModel(inst *planner.Instance) *model {
	m := &model{inst: inst, nT: len(inst.Years), denseMaxCells: placeLPMaxCells}
	if inst.TargetT < 0 || inst.TargetT >= m.nT {
		panic(fmt.Sprintf("solver: TargetT %d outside Years (%d)", inst.TargetT, m.nT))
	}
	m.siteArcs = make([][]int, len(inst.Sites))
	m.groupArcs = make([][]int, len(inst.Groups))
	m.ub = make([]int, len(inst.Arcs))
	for a, arc := range inst.Arcs {
		m.siteArcs[arc.Site] = append(m.siteArcs[arc.Site], a)
		m.groupArcs[arc.Group] = append(m.groupArcs[arc.Group], a)
		m.ub[a] = mip.ArcBound(inst, a)
	}
	m.townSites = make([][]int, len(inst.Towns))
	for s, site := range inst.Sites {
		m.townSites[site.Town] = append(m.townSites[site.Town], s)
		if len(site.Specialties) == 0 {
			panic(fmt.Sprintf("solver: site %s has no specialty", site.ParcelID))
		}
		if site.Locked {
			m.constant += inst.OpenValue(s, site.LockedYear)
		}
	}
	m.budgeted = make([]bool, m.nT)
	for t := range m.budgeted {
		m.budgeted[t] = t < len(inst.BudgetWan) && !math.IsInf(inst.BudgetWan[t], 1)
	}
	return m
}

// related reports whether arc a's group counts toward specialty k of its site.
func (m *model) related(a, k int) bool {
	arc := m.inst.Arcs[a]
	spec := m.inst.Sites[arc.Site].Specialties[k]
	return m.inst.Related[spec][m.inst.Groups[arc.Group].Industry]
}

// newLand reports whether site s draws on the new-land quota and counts
// toward the new-land cap (docs/model.md: every new_land site).
func (m *model) newLand(s int) bool { return m.inst.Sites[s].Kind == planner.KindNewLand }

// quotaLimit is the quota row's right-hand side for town and year t
// (cumulative with carry-over).
func (m *model) quotaLimit(town, t int) float64 {
	q := m.inst.QuotaMu[town]
	if !m.inst.Scenario.QuotaCarryOver {
		return q[t]
	}
	sum := 0.0
	for u := 0; u <= t; u++ {
		sum += q[u]
	}
	return sum
}

// objective returns the objective of sol (whether or not it is feasible).
func (m *model) objective(sol *planner.Solution) float64 {
	obj := 0.0
	for s := range m.inst.Sites {
		if t := sol.Year[s]; t >= 0 {
			obj += m.inst.OpenValue(s, t)
		}
	}
	for a, arc := range m.inst.Arcs {
		obj += arc.Value * float64(sol.Count[a])
	}
	return obj
}

// check returns the first rule sol breaks, in planning words, or "".
// It is the solver's own guard on every plan it returns; planner/rules is
// the independent checker.
func (m *model) check(sol *planner.Solution) string {
	inst := m.inst
	if len(sol.Year) != len(inst.Sites) || len(sol.Specialty) != len(inst.Sites) || len(sol.Count) != len(inst.Arcs) {
		return "solution of wrong shape"
	}
	if msg := m.checkSites(sol.Year, sol.Specialty); msg != "" {
		return msg
	}
	return m.checkFirms(sol)
}

// checkSites returns the first site rule (locked parks, target, every
// town, new-land cap, quotas, county allocation, budgets) that the site
// choice (year, spec) breaks, in planning words, or "".
func (m *model) checkSites(year, spec []int) string {
	inst := m.inst
	sc := &inst.Scenario
	byTarget, newLand := 0, 0
	townOpen := make([]int, len(inst.Towns))
	quota := make([][]float64, len(inst.Towns))
	for i := range quota {
		quota[i] = make([]float64, m.nT)
	}
	spend := make([]float64, m.nT)
	for s, site := range inst.Sites {
		t := year[s]
		if site.Locked && (t != site.LockedYear || spec[s] != 0) {
			return fmt.Sprintf("locked site %s not open in its year with its specialty", site.ParcelID)
		}
		if t < 0 {
			continue
		}
		if t >= m.nT || spec[s] < 0 || spec[s] >= len(site.Specialties) {
			return fmt.Sprintf("site %s: year or specialty out of range", site.ParcelID)
		}
		if t <= inst.TargetT {
			byTarget++
			townOpen[site.Town]++
		}
		if m.newLand(s) {
			newLand++
			quota[site.Town][t] += site.AreaMu
		}
		spend[t] += site.CostWan
	}
	if byTarget < sc.TargetParks {
		return fmt.Sprintf("target: %d parks by year index %d < %d", byTarget, inst.TargetT, sc.TargetParks)
	}
	if sc.EveryTown {
		for town, n := range townOpen {
			if n == 0 {
				return fmt.Sprintf("every town: %s has no park", inst.Towns[town])
			}
		}
	}
	if sc.MaxNewLandParks >= 0 && newLand > sc.MaxNewLandParks {
		return fmt.Sprintf("new-land cap: %d > %d", newLand, sc.MaxNewLandParks)
	}
	for town := range quota {
		used := 0.0
		for t := 0; t < m.nT; t++ {
			if sc.QuotaCarryOver {
				used += quota[town][t]
			} else {
				used = quota[town][t]
			}
			if used > m.quotaLimit(town, t)+ruleTol {
				return fmt.Sprintf("quota %s %d: %.3f > %.3f mu", inst.Towns[town], inst.Years[t], used, m.quotaLimit(town, t))
			}
		}
	}
	if msg := m.checkCounty(year); msg != "" {
		return msg
	}
	for t := 0; t < m.nT; t++ {
		if m.budgeted[t] && spend[t] > inst.BudgetWan[t]+ruleTol {
			return fmt.Sprintf("budget %d: %.3f > %.3f", inst.Years[t], spend[t], inst.BudgetWan[t])
		}
	}
	return ""
}

// checkFirms returns the first firm rule (place once, firms only in open
// parks, each park's capacity and shares) sol breaks, in planning words,
// or "".
func (m *model) checkFirms(sol *planner.Solution) string {
	inst := m.inst
	placed := make([]int, len(inst.Groups))
	for a, arc := range inst.Arcs {
		c := sol.Count[a]
		if c < 0 {
			return fmt.Sprintf("arc %d: negative count", a)
		}
		if c > 0 && sol.Year[arc.Site] < 0 {
			return fmt.Sprintf("arc %d: firms placed in closed site %s", a, inst.Sites[arc.Site].ParcelID)
		}
		placed[arc.Group] += c
	}
	for g, n := range placed {
		if n > inst.Groups[g].Count {
			return fmt.Sprintf("place once: group %d placed %d > %d", g, n, inst.Groups[g].Count)
		}
	}
	for s, site := range inst.Sites {
		if sol.Year[s] < 0 {
			continue
		}
		k := sol.Specialty[s]
		if msg := m.checkPark(s, k, func(a int) int { return sol.Count[a] }); msg != "" {
			return fmt.Sprintf("site %s: %s", site.ParcelID, msg)
		}
	}
	return ""
}

// checkPark checks capacity and the share rules of site s under specialty k
// for the counts count(a) of its arcs.
func (m *model) checkPark(s, k int, count func(a int) int) string {
	inst := m.inst
	sc := &inst.Scenario
	floor, firms, relFirms, relFloor, small := 0.0, 0.0, 0.0, 0.0, 0.0
	for _, a := range m.siteArcs[s] {
		c := float64(count(a))
		if c == 0 {
			continue
		}
		g := inst.Groups[inst.Arcs[a].Group]
		floor += c * g.FloorM2
		firms += c
		if m.related(a, k) {
			relFirms += c
			relFloor += c * g.FloorM2
		}
		if g.SmallMicro {
			small += c
		}
	}
	switch {
	case floor > inst.Sites[s].CapacityM2+ruleTol:
		return fmt.Sprintf("capacity %.1f > %.1f m²", floor, inst.Sites[s].CapacityM2)
	case relFirms-sc.SpecialtyShareFirms*firms < -ruleTol:
		return fmt.Sprintf("specialty firm share %.4f < %.4f", relFirms/firms, sc.SpecialtyShareFirms)
	case relFloor-sc.SpecialtyShareFloor*floor < -ruleTol:
		return fmt.Sprintf("specialty floor share %.4f < %.4f", relFloor/floor, sc.SpecialtyShareFloor)
	case small-sc.SmallMicroShare*firms < -ruleTol:
		return fmt.Sprintf("small/micro share %.4f < %.4f", small/firms, sc.SmallMicroShare)
	}
	return ""
}
