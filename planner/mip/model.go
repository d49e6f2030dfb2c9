// Package mip builds the mixed-integer model of docs/model.md from a
// planner.Instance, once for every consumer: its columns (y[s,t,k],
// x[a,k]) and its rows, written by one function per rule (ruleOpenOnce,
// ruleTargetParks, ruleEveryTown, ruleNewLandCap, ruleQuota, ruleBudget,
// ruleCountyAllocation, rulePlaceOnce, ruleCapacity, ruleSpecialtyShare, ruleSmallMicroShare,
// ruleLink; ruleLocked is the locked sites' column bounds). Every row
// carries its rule's name (the planner.Rule… constants that planner/rules
// reports violations by) and what it binds (town, year, site, specialty,
// arc, group).
//
// The consumers: planner/mps writes the model as MPS (for CBC and
// `parkplan model`), planner/solver turns it into its dense full model, and
// planner/engine adds elastic slacks to the site rules' rows to explain an
// infeasible scenario. The model is a maximisation of the plan objective.
package mip

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/planner"
)

// Layout says which variables Build makes.
type Layout int

const (
	// Compact has the variables of docs/model.md: y[s,t,k] and x[a,k],
	// a locked site only its one y (its year, its specialty), fixed at 1.
	// planner/mps writes this layout.
	Compact Layout = iota
	// Dense has y[s,t,k] for every site, year and specialty (a locked
	// site's others fixed at 0) and x[a,k]: the solver's dense model
	// indexes every (s,t,k).
	Dense
	// Sites has one y[s,t] per site and year, the specialty summed out,
	// no x, and only the site rules (only those can conflict,
	// docs/model.md): the elastic model that explains infeasibility.
	Sites
)

// Sense is a row's relation: Σ coef·column (Sense) RHS.
type Sense byte

// Row senses, as MPS spells them.
const (
	LE Sense = 'L' // ≤
	GE Sense = 'G' // ≥
	EQ Sense = 'E' // =
)

// Kinds of Column.
const (
	KindY = 'Y' // y[s,t,k]: site s opens in year t with specialty k (k = −1 in the Sites layout)
	KindX = 'X' // x[a,k]: firms of arc a's group placed under its site's specialty k
	KindC = 'C' // a column a consumer added with AddColumn
)

// Column is one variable.
type Column struct {
	Obj        float64 // coefficient in the objective, which is maximised
	Lo, Up     float64
	Continuous bool // need not be integral (the planning model is all integer)
	Kind       byte // KindY, KindX or KindC
	// What a Y or X column stands for: indexes into the Instance's Sites,
	// Years, the site's Specialties and Arcs; −1 where they do not apply.
	Site, Year, Spec, Arc int
	Note                  string // a KindC column's meaning
}

// Row is one constraint: Σ Coefs[i]·column Cols[i] (Sense) RHS.
type Row struct {
	Rule  string // planner.Rule…; "" for a row a consumer added with AddRow
	Sense Sense
	RHS   float64
	Cols  []int
	Coefs []float64
	// What the row binds: indexes into the Instance's Towns, Years, Sites,
	// the site's Specialties, Arcs and Groups; −1 where they do not apply.
	Town, Year, Site, Spec, Arc, Group int
	Part                               string // ruleSpecialtyShare: "firms" or "floor"
	Note                               string // meaning of a row added with AddRow
}

// Model is an Instance's model: columns, rows, and where each variable is.
// Y[s][t][k] and X[a][k] are the columns of y[s,t,k] and x[a,k] (k
// indexes Sites[s].Specialties; in the Sites layout Y[s][t] has one
// entry), −1 where the layout has no such variable.
type Model struct {
	Inst    *planner.Instance
	Layout  Layout
	Columns []Column
	Rows    []Row
	Y       [][][]int
	X       [][]int
	free    entries // unused tail of the chunk the open row's entries grow in
	chunk   int     // size of the last chunk
}

// entries are parallel column indexes and coefficients.
type entries struct {
	cols  []int
	coefs []float64
}

// arcFitTol absorbs round-off in capacity/floor when counting how many
// firms of a group fit a site (ArcBound): capacity is computed as area ×
// MuM2 × FAR × share, so an exact fit may come out 1e-12 short.
const arcFitTol = 1e-9

// ArcBound is U_a = min(Count_g, ⌊Cap_s / F_g⌋), the most firms of arc a's
// group its site could take (docs/model.md): x[a,k]'s upper bound and
// ruleLink's coefficient.
func ArcBound(inst *planner.Instance, a int) int {
	arc := inst.Arcs[a]
	g := inst.Groups[arc.Group]
	u := g.Count
	if g.FloorM2 > 0 {
		u = min(u, int(math.Floor(inst.Sites[arc.Site].CapacityM2/g.FloorM2+arcFitTol)))
	}
	return max(0, u)
}

// Build makes inst's model in the given layout: the columns, then every
// rule's rows in the order of docs/model.md (site rules, then firm rules).
// It panics on a malformed Instance (a TargetT outside Years).
func Build(inst *planner.Instance, layout Layout) *Model {
	if inst.TargetT < 0 || inst.TargetT >= len(inst.Years) {
		panic(fmt.Sprintf("mip: TargetT %d outside Years (%d)", inst.TargetT, len(inst.Years)))
	}
	m := &Model{Inst: inst, Layout: layout}
	m.reserve()
	m.yColumns()
	if layout != Sites {
		m.xColumns()
	}
	for _, rule := range siteRules {
		rule(m)
	}
	if layout != Sites {
		for _, rule := range firmRules {
			rule(m)
		}
	}
	m.closeRow()
	return m
}

// Size bounds the rows and columns of inst's model in the Dense layout
// without building it (the other layouts have fewer): it counts every row
// a rule may write, where Build leaves some out (a locked site's open-once
// row, a park without arcs, rules switched off).
func Size(inst *planner.Instance) (rows, cols int) {
	nT := len(inst.Years)
	arcs := make([]int, len(inst.Sites))
	for _, arc := range inst.Arcs {
		arcs[arc.Site]++
	}
	for s, site := range inst.Sites {
		nk := len(site.Specialties)
		cols += (nT + arcs[s]) * nk
		// ruleOpenOnce; ruleCapacity, ruleSpecialtyShare ×2, ruleSmallMicroShare; ruleLink
		rows += 1 + 4*nk + arcs[s]*nk
	}
	// ruleTargetParks, ruleNewLandCap and one spare; ruleEveryTown; ruleQuota; ruleBudget; ruleCountyAllocation; rulePlaceOnce
	rows += 3 + len(inst.Towns) + len(inst.Towns)*nT + 2*nT + len(inst.Groups)
	return rows, cols
}

// reserve sizes Columns and Rows for the most the rules may write, so that
// they are allocated once.
func (m *Model) reserve() {
	inst := m.Inst
	rows, cols := Size(inst)
	if m.Layout == Sites { // y[s,t] and the site rules only
		nT := len(inst.Years)
		cols = len(inst.Sites) * nT
		rows = len(inst.Sites) + 2 + len(inst.Towns)*(1+nT) + 2*nT
	}
	m.Columns = make([]Column, 0, cols)
	m.Rows = make([]Row, 0, rows)
}

// yColumns adds the y columns, site by site, year by year, specialty by
// specialty. ruleLocked is here: a locked site's y in its year with its
// specialty is fixed at 1, its others (Dense only) at 0.
func (m *Model) yColumns() {
	inst := m.Inst
	m.Y = make([][][]int, len(inst.Sites))
	for s, site := range inst.Sites {
		nk := len(site.Specialties)
		if m.Layout == Sites {
			nk = 1
		}
		m.Y[s] = make([][]int, len(inst.Years))
		for t := range m.Y[s] {
			m.Y[s][t] = make([]int, nk)
			for k := range m.Y[s][t] {
				mine := !site.Locked || (t == site.LockedYear && k == 0)
				m.Y[s][t][k] = -1
				if !mine && m.Layout != Dense {
					continue
				}
				c := Column{Obj: inst.OpenValue(s, t), Up: 1, Kind: KindY, Site: s, Year: t, Spec: k, Arc: -1}
				switch {
				case site.Locked && mine:
					c.Lo = 1
				case site.Locked:
					c.Up = 0
				}
				if m.Layout == Sites {
					c.Spec = -1
				}
				m.Y[s][t][k] = m.AddColumn(c)
			}
		}
	}
}

// xColumns adds x[a,k], arc by arc, specialty by specialty: 0 ≤ x ≤ U_a.
func (m *Model) xColumns() {
	inst := m.Inst
	m.X = make([][]int, len(inst.Arcs))
	for a, arc := range inst.Arcs {
		up := float64(ArcBound(inst, a))
		m.X[a] = make([]int, len(inst.Sites[arc.Site].Specialties))
		for k := range m.X[a] {
			m.X[a][k] = m.AddColumn(Column{Obj: arc.Value, Up: up, Kind: KindX, Site: arc.Site, Year: -1, Spec: k, Arc: a})
		}
	}
}

// AddColumn adds a column and returns its index. A KindC column needs its
// Note; Site, Year, Spec and Arc are set to −1 for it.
func (m *Model) AddColumn(c Column) int {
	if c.Kind == 0 {
		c.Kind = KindC
	}
	if c.Kind == KindC {
		c.Site, c.Year, c.Spec, c.Arc = -1, -1, -1, -1
	}
	m.Columns = append(m.Columns, c)
	return len(m.Columns) - 1
}

// NumY is the number of y columns; they come first (0 … NumY−1).
func (m *Model) NumY() int {
	n := 0
	for n < len(m.Columns) && m.Columns[n].Kind == KindY {
		n++
	}
	return n
}
