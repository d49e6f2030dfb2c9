package solver

import (
	"math"

	"github.com/parkplan/parkplan/planner"
)

// fullMIP is the whole model (docs/model.md) as one dense MIP, for
// instances small enough that a dense tableau fits (see exactMaxCells):
// the exact path, proven by branch and bound on the LP relaxation.
type fullMIP struct {
	m    *model
	prob lpProblem
	yIdx [][][]int // yIdx[s][t][k] column
	xIdx [][]int   // xIdx[a][k] column
	nY   int       // y columns come first: 0…nY−1
}

// exactMaxCells caps rows × columns of the dense full model: at 8-byte
// cells, 2·10⁶ cells is 16 MB per tableau and a few ms per pivot.
const exactMaxCells = 2_000_000

func (m *model) fullSize() (rows, cols int) {
	inst := m.inst
	for s, site := range inst.Sites {
		nk := len(site.Specialties)
		cols += m.nT * nk
		rows += 1 + 4*nk + len(m.siteArcs[s])*nk
		cols += len(m.siteArcs[s]) * nk
	}
	rows += 3 + len(inst.Towns) + len(inst.Towns)*m.nT + m.nT + len(inst.Groups)
	return rows, cols
}

func buildFullMIP(m *model) *fullMIP {
	inst := m.inst
	sc := &inst.Scenario
	f := &fullMIP{m: m}
	n := 0
	f.yIdx = make([][][]int, len(inst.Sites))
	for s, site := range inst.Sites {
		f.yIdx[s] = make([][]int, m.nT)
		for t := range f.yIdx[s] {
			f.yIdx[s][t] = make([]int, len(site.Specialties))
			for k := range f.yIdx[s][t] {
				f.yIdx[s][t][k] = n
				n++
			}
		}
	}
	f.nY = n
	f.xIdx = make([][]int, len(inst.Arcs))
	for a, arc := range inst.Arcs {
		nk := len(inst.Sites[arc.Site].Specialties)
		f.xIdx[a] = make([]int, nk)
		for k := range f.xIdx[a] {
			f.xIdx[a][k] = n
			n++
		}
	}
	p := &f.prob
	p.n = n
	p.c = make([]float64, n)
	p.lo = make([]float64, n)
	p.up = make([]float64, n)
	for s, site := range inst.Sites {
		for t := 0; t < m.nT; t++ {
			for k := range site.Specialties {
				j := f.yIdx[s][t][k]
				p.c[j] = site.FixedValue
				p.up[j] = 1
				if site.Locked {
					p.up[j] = 0
					if t == site.LockedYear && k == 0 {
						p.lo[j], p.up[j] = 1, 1
					}
				}
			}
		}
	}
	for a, arc := range inst.Arcs {
		for _, j := range f.xIdx[a] {
			p.c[j] = arc.Value
			p.up[j] = float64(m.ub[a])
		}
	}
	row := func() []float64 { return make([]float64, n) }
	// ruleOpenOnce
	for s := range inst.Sites {
		r := row()
		for t := range f.yIdx[s] {
			for _, j := range f.yIdx[s][t] {
				r[j] = 1
			}
		}
		p.addRow(r, senseLE, 1)
	}
	// ruleTargetParks, ruleEveryTown
	r := row()
	for s := range inst.Sites {
		for t := 0; t <= inst.TargetT; t++ {
			for _, j := range f.yIdx[s][t] {
				r[j] = 1
			}
		}
	}
	p.addRow(r, senseGE, float64(sc.TargetParks))
	if sc.EveryTown {
		for town := range inst.Towns {
			r := row()
			for _, s := range m.townSites[town] {
				for t := 0; t <= inst.TargetT; t++ {
					for _, j := range f.yIdx[s][t] {
						r[j] = 1
					}
				}
			}
			p.addRow(r, senseGE, 1)
		}
	}
	// ruleNewLandCap
	if sc.MaxNewLandParks >= 0 {
		r := row()
		for s := range inst.Sites {
			if m.newLand(s) {
				for t := range f.yIdx[s] {
					for _, j := range f.yIdx[s][t] {
						r[j] = 1
					}
				}
			}
		}
		p.addRow(r, senseLE, float64(sc.MaxNewLandParks))
	}
	// ruleQuota
	for town := range inst.Towns {
		for t := 0; t < m.nT; t++ {
			r := row()
			any := false
			for _, s := range m.townSites[town] {
				if !m.newLand(s) {
					continue
				}
				for u := 0; u <= t; u++ {
					if u != t && !sc.QuotaCarryOver {
						continue
					}
					for _, j := range f.yIdx[s][u] {
						r[j] = inst.Sites[s].AreaMu
						any = true
					}
				}
			}
			if any {
				p.addRow(r, senseLE, m.quotaLimit(town, t))
			}
		}
	}
	// ruleBudget
	for t := 0; t < m.nT; t++ {
		if !m.budgeted[t] {
			continue
		}
		r := row()
		for s, site := range inst.Sites {
			for _, j := range f.yIdx[s][t] {
				r[j] = site.CostWan
			}
		}
		p.addRow(r, senseLE, inst.BudgetWan[t])
	}
	// rulePlaceOnce
	for g := range inst.Groups {
		r := row()
		for _, a := range m.groupArcs[g] {
			for _, j := range f.xIdx[a] {
				r[j] = 1
			}
		}
		p.addRow(r, senseLE, float64(inst.Groups[g].Count))
	}
	// ruleCapacity, ruleSpecialtyShare, ruleSmallMicroShare, ruleLink
	for s, site := range inst.Sites {
		for k := range site.Specialties {
			capRow, firmRow, floorRow, smallRow := row(), row(), row(), row()
			for t := 0; t < m.nT; t++ {
				capRow[f.yIdx[s][t][k]] = -site.CapacityM2
			}
			for _, a := range m.siteArcs[s] {
				g := inst.Groups[inst.Arcs[a].Group]
				j := f.xIdx[a][k]
				rel := 0.0
				if m.related(a, k) {
					rel = 1
				}
				sm := 0.0
				if g.SmallMicro {
					sm = 1
				}
				capRow[j] = g.FloorM2
				firmRow[j] = rel - sc.SpecialtyShareFirms
				floorRow[j] = (rel - sc.SpecialtyShareFloor) * g.FloorM2
				smallRow[j] = sm - sc.SmallMicroShare
				link := row()
				link[j] = 1
				for t := 0; t < m.nT; t++ {
					link[f.yIdx[s][t][k]] = -float64(m.ub[a])
				}
				p.addRow(link, senseLE, 0)
			}
			p.addRow(capRow, senseLE, 0)
			p.addRow(firmRow, senseGE, 0)
			p.addRow(floorRow, senseGE, 0)
			p.addRow(smallRow, senseGE, 0)
		}
	}
	return f
}

// solution turns an integral LP point into a Solution (nil if some y or x
// is not integral within intTol).
func (f *fullMIP) solution(x []float64) *planner.Solution {
	inst := f.m.inst
	sol := &planner.Solution{
		Year:      make([]int, len(inst.Sites)),
		Specialty: make([]int, len(inst.Sites)),
		Count:     make([]int, len(inst.Arcs)),
	}
	for s := range inst.Sites {
		sol.Year[s] = -1
		for t := range f.yIdx[s] {
			for k, j := range f.yIdx[s][t] {
				if x[j] > 0.5 {
					sol.Year[s], sol.Specialty[s] = t, k
				}
			}
		}
	}
	for a := range inst.Arcs {
		for k, j := range f.xIdx[a] {
			v := math.Round(x[j])
			if v > 0 && sol.Year[inst.Arcs[a].Site] >= 0 && sol.Specialty[inst.Arcs[a].Site] == k {
				sol.Count[a] = int(v)
			}
		}
	}
	return sol
}
