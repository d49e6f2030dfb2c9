// Package mps writes a planner.Instance as the exact mixed-integer model of
// docs/model.md in fixed-format MPS, readable by CBC, GLPK and HiGHS, with a
// name map from the short (≤ 8 character) names back to sites, arcs and
// rules, and turns a solver's column values back into a planner.Solution.
//
// The model is written as a minimisation of the negated objective (fixed
// MPS has no portable objective sense): a solver's optimum is −(plan
// objective).
package mps

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/planner"
)

// Column is one variable of the model.
type Column struct {
	Name    string  // ≤ 8 characters: Y… (site/year/specialty) or X… (arc/specialty)
	Obj     float64 // coefficient in the minimised objective (the negated plan objective)
	Lo, Up  float64
	Meaning string // e.g. "y parcel=P-0001 year=2019 specialty=textile"
	// Continuous marks a column that need not be integral (only in models
	// made with New; the planning model is all integer).
	Continuous bool
	entries    []entry
}

type entry struct {
	row  int
	coef float64
}

// Row is one constraint: Σ coef·column (Sense) RHS, Sense 'L' (≤), 'G' (≥) or 'E'.
type Row struct {
	Name    string // R…
	Sense   byte
	RHS     float64
	Meaning string // the rule's code name and what it binds, e.g. "ruleQuota town=zhouxiang year=2020"
	// Words names the rule in planning words when it is one Binding reports
	// ("quota zhouxiang 2020"); "" for the others.
	Words string
}

// Model is an Instance in column form. YCol[s][t][k] and XCol[a][k] give the
// column of y[s,t,k] and x[a,k] (k indexes Sites[s].Specialties), −1 when the
// variable does not exist (a locked site has only its fixed year and specialty).
type Model struct {
	Columns []Column
	Rows    []Row
	YCol    [][][]int
	XCol    [][]int
	inst    *planner.Instance
}

// Build makes the model of docs/model.md from inst. All columns are integer.
func Build(inst *planner.Instance) *Model {
	m := &Model{inst: inst}
	nT := len(inst.Years)
	// y columns.
	m.YCol = make([][][]int, len(inst.Sites))
	for s, site := range inst.Sites {
		m.YCol[s] = make([][]int, nT)
		for t := range m.YCol[s] {
			m.YCol[s][t] = make([]int, len(site.Specialties))
			for k := range m.YCol[s][t] {
				m.YCol[s][t][k] = -1
				if site.Locked && (t != site.LockedYear || k != 0) {
					continue
				}
				lo := 0.0
				if site.Locked {
					lo = 1
				}
				m.YCol[s][t][k] = m.addColumn("Y", -site.FixedValue, lo, 1,
					fmt.Sprintf("y parcel=%s year=%d specialty=%s", site.ParcelID, inst.Years[t], inst.Industries[site.Specialties[k]]))
			}
		}
	}
	// x columns.
	m.XCol = make([][]int, len(inst.Arcs))
	for a, arc := range inst.Arcs {
		site := inst.Sites[arc.Site]
		ub := float64(ArcBound(inst, a))
		m.XCol[a] = make([]int, len(site.Specialties))
		for k := range site.Specialties {
			m.XCol[a][k] = m.addColumn("X", -arc.Value, 0, ub,
				fmt.Sprintf("x parcel=%s group=%d specialty=%s", site.ParcelID, arc.Group, inst.Industries[site.Specialties[k]]))
		}
	}
	m.addRows()
	return m
}

// ArcBound is U_a = min(Count_g, ⌊Cap_s / F_g⌋), the most firms of arc a's
// group its site could take (docs/model.md).
func ArcBound(inst *planner.Instance, a int) int {
	arc := inst.Arcs[a]
	g := inst.Groups[arc.Group]
	fit := math.Floor(inst.Sites[arc.Site].CapacityM2/g.FloorM2 + 1e-9)
	return int(math.Min(float64(g.Count), fit))
}

// New returns an empty model to fill with AddColumn, AddRow and Add (for
// models other than the planning model, e.g. the elastic model that
// explains infeasible scenarios). Solution and Values need Build's model.
func New() *Model { return &Model{} }

// AddColumn adds an integer column with names "C0", "C1", … and returns its index.
func (m *Model) AddColumn(obj, lo, up float64, meaning string) int {
	return m.addColumn("C", obj, lo, up, meaning)
}

// AddContinuousColumn adds a continuous column and returns its index.
func (m *Model) AddContinuousColumn(obj, lo, up float64, meaning string) int {
	c := m.addColumn("C", obj, lo, up, meaning)
	m.Columns[c].Continuous = true
	return c
}

// AddRow adds a row (sense 'L', 'G' or 'E') and returns its index.
func (m *Model) AddRow(sense byte, rhs float64, meaning string) int {
	return m.addRow(sense, rhs, meaning)
}

// Add adds coef to the entry of column col in row row.
func (m *Model) Add(row, col int, coef float64) { m.add(row, col, coef) }

func (m *Model) addColumn(prefix string, obj, lo, up float64, meaning string) int {
	m.Columns = append(m.Columns, Column{Name: fmt.Sprintf("%s%d", prefix, len(m.Columns)), Obj: obj, Lo: lo, Up: up, Meaning: meaning})
	return len(m.Columns) - 1
}

func (m *Model) addRow(sense byte, rhs float64, meaning string) int {
	m.Rows = append(m.Rows, Row{Name: fmt.Sprintf("R%d", len(m.Rows)), Sense: sense, RHS: rhs, Meaning: meaning})
	return len(m.Rows) - 1
}

func (m *Model) add(row, col int, coef float64) {
	if col < 0 || coef == 0 {
		return
	}
	c := &m.Columns[col]
	if n := len(c.entries); n > 0 && c.entries[n-1].row == row {
		c.entries[n-1].coef += coef
		return
	}
	c.entries = append(c.entries, entry{row, coef})
}

// ySum adds coef·Σ y[s,t,k] over t in [t0, t1] and every k (k < 0) or one k.
func (m *Model) ySum(row, s, t0, t1, k int, coef float64) {
	for t := t0; t <= t1; t++ {
		for kk, col := range m.YCol[s][t] {
			if k < 0 || kk == k {
				m.add(row, col, coef)
			}
		}
	}
}

func (m *Model) addRows() {
	inst := m.inst
	sc := inst.Scenario
	nT := len(inst.Years)
	last := nT - 1
	// ruleOpenOnce
	for s, site := range inst.Sites {
		if site.Locked {
			continue // one column, fixed at 1
		}
		r := m.addRow('L', 1, "ruleOpenOnce parcel="+site.ParcelID)
		m.ySum(r, s, 0, last, -1, 1)
	}
	// ruleTargetParks
	if sc.TargetParks > 0 {
		r := m.addRow('G', float64(sc.TargetParks), fmt.Sprintf("ruleTargetParks parks=%d year=%d", sc.TargetParks, sc.TargetYear))
		m.Rows[r].Words = fmt.Sprintf("target %d by %d", sc.TargetParks, sc.TargetYear)
		for s := range inst.Sites {
			m.ySum(r, s, 0, inst.TargetT, -1, 1)
		}
	}
	// ruleEveryTown
	if sc.EveryTown {
		for ti, town := range inst.Towns {
			r := m.addRow('G', 1, fmt.Sprintf("ruleEveryTown town=%s year=%d", town, sc.TargetYear))
			for s, site := range inst.Sites {
				if site.Town == ti {
					m.ySum(r, s, 0, inst.TargetT, -1, 1)
				}
			}
		}
	}
	// ruleNewLandCap
	if sc.MaxNewLandParks >= 0 {
		r := m.addRow('L', float64(sc.MaxNewLandParks), fmt.Sprintf("ruleNewLandCap parks=%d", sc.MaxNewLandParks))
		m.Rows[r].Words = fmt.Sprintf("new-land cap %d", sc.MaxNewLandParks)
		for s, site := range inst.Sites {
			if site.Kind == planner.KindNewLand {
				m.ySum(r, s, 0, last, -1, 1)
			}
		}
	}
	// ruleQuota
	for ti, town := range inst.Towns {
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
		for t := 0; t < nT; t++ {
			t0, rhs := t, inst.QuotaMu[ti][t]
			cum += rhs
			if sc.QuotaCarryOver {
				t0, rhs = 0, cum
			}
			r := m.addRow('L', rhs, fmt.Sprintf("ruleQuota town=%s year=%d", town, inst.Years[t]))
			m.Rows[r].Words = fmt.Sprintf("quota %s %d", town, inst.Years[t])
			for _, s := range newLand {
				m.ySum(r, s, t0, t, -1, inst.Sites[s].AreaMu)
			}
		}
	}
	// ruleBudget
	for t := 0; t < nT; t++ {
		if math.IsInf(inst.BudgetWan[t], 1) {
			continue
		}
		r := m.addRow('L', inst.BudgetWan[t], fmt.Sprintf("ruleBudget year=%d", inst.Years[t]))
		m.Rows[r].Words = fmt.Sprintf("budget %d", inst.Years[t])
		for s, site := range inst.Sites {
			m.ySum(r, s, t, t, -1, site.CostWan)
		}
	}
	// rulePlaceOnce
	groupRow := make([]int, len(inst.Groups))
	for g, grp := range inst.Groups {
		groupRow[g] = m.addRow('L', float64(grp.Count), fmt.Sprintf("rulePlaceOnce group=%d", g))
	}
	for a, arc := range inst.Arcs {
		for _, col := range m.XCol[a] {
			m.add(groupRow[arc.Group], col, 1)
		}
	}
	// Per site and specialty: ruleCapacity, ruleSpecialtyShare, ruleSmallMicroShare; per arc: ruleLink.
	arcsAt := make([][]int, len(inst.Sites))
	for a, arc := range inst.Arcs {
		arcsAt[arc.Site] = append(arcsAt[arc.Site], a)
	}
	for s, site := range inst.Sites {
		if len(arcsAt[s]) == 0 {
			continue
		}
		for k, spec := range site.Specialties {
			tag := fmt.Sprintf("parcel=%s specialty=%s", site.ParcelID, inst.Industries[spec])
			cap := m.addRow('L', 0, "ruleCapacity "+tag)
			m.Rows[cap].Words = "capacity " + site.ParcelID
			m.ySum(cap, s, 0, last, k, -site.CapacityM2)
			var firms, floor, small int = -1, -1, -1
			if sc.SpecialtyShareFirms > 0 {
				firms = m.addRow('G', 0, "ruleSpecialtyShare firms "+tag)
				m.Rows[firms].Words = "specialty share (firms) " + site.ParcelID
			}
			if sc.SpecialtyShareFloor > 0 {
				floor = m.addRow('G', 0, "ruleSpecialtyShare floor "+tag)
				m.Rows[floor].Words = "specialty share (floor) " + site.ParcelID
			}
			if sc.SmallMicroShare > 0 {
				small = m.addRow('G', 0, "ruleSmallMicroShare "+tag)
				m.Rows[small].Words = "small/micro share " + site.ParcelID
			}
			for _, a := range arcsAt[s] {
				g := inst.Groups[inst.Arcs[a].Group]
				col := m.XCol[a][k]
				m.add(cap, col, g.FloorM2)
				rel := 0.0
				if inst.Related[spec][g.Industry] {
					rel = 1
				}
				sm := 0.0
				if g.SmallMicro {
					sm = 1
				}
				if firms >= 0 {
					m.add(firms, col, rel-sc.SpecialtyShareFirms)
				}
				if floor >= 0 {
					m.add(floor, col, (rel-sc.SpecialtyShareFloor)*g.FloorM2)
				}
				if small >= 0 {
					m.add(small, col, sm-sc.SmallMicroShare)
				}
			}
			for _, a := range arcsAt[s] {
				link := m.addRow('L', 0, fmt.Sprintf("ruleLink arc=%d %s", a, tag))
				m.add(link, m.XCol[a][k], 1)
				m.ySum(link, s, 0, last, k, -float64(ArcBound(inst, a)))
			}
		}
	}
}
