package solver

import (
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// placeLPMaxCells caps rows × (columns + rows) of one placement LP (a
// dense tableau): the demo county within towns (all parks at once) solves
// in ~15 ms, but the county's whole placement at a 15 km
// reach (~2·10⁶ cells) took minutes; larger placements are split into
// neighbourhoods of parks (placeLPParts).
const placeLPMaxCells = 400_000

// lpWorkPerNode is how many tableau cell updates (iterations × cells)
// count as one node: about the work of one relaxation iteration on the
// demo county (72 sites, 2 park LPs each, and the master), so that node
// limits bound placement LPs as they bound the relaxation.
const lpWorkPerNode = 10_000_000

// placeLP places the firms of the open parks marked free (all open parks
// when free is nil) for sol's site choice (years and specialties kept,
// counts of free parks replaced, other parks kept) from the placement LP:
// the free parks at once, with the place-once rows of every group (less
// the firms the other parks hold) and each park's capacity and share
// rows, at full firm values. The LP point is rounded down, each
// park repaired and filled in integers (roundPark), then each park
// re-optimised with the others fixed (placeFirms' passes). Placing park
// by park misses what the parks compete for; this placement sees it:
// on the demo county within towns it turned CBC's own site choice from
// 44,358 (park by park) into a plan within 0.1 % of CBC's (docs/solver.md,
// "Placement LP"). It returns false, leaving sol unchanged, when the LP is
// too large or fails.
// stop (may be nil) interrupts the LP (time, cancellation). work is the
// LP's simplex work in nodes (lpWorkPerNode), counted whether or not it
// succeeds, so that a node limit bounds the time placements take.
func (m *model) placeLP(sol *planner.Solution, free []bool, stop func() bool) (ok bool, work int) {
	ok, work, _ = m.placeLPValue(sol, free, stop)
	return ok, work
}

// placeLPValue is placeLP that also returns the placement LP's optimum
// (Σ value × firms of the free parks, firms fractional): an upper bound
// on any integer placement of the free parks' firms for sol's site choice
// (exact up to the simplex's round-off; NaN when ok is false or the
// placement kept the old counts).
func (m *model) placeLPValue(sol *planner.Solution, free []bool, stop func() bool) (ok bool, work int, lpObj float64) {
	lpObj = math.NaN()
	inst := m.inst
	var open []int
	left := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		left[g] = gr.Count
	}
	for s, t := range sol.Year {
		if t < 0 {
			continue
		}
		if free == nil || free[s] {
			open = append(open, s)
			continue
		}
		for _, a := range m.siteArcs[s] {
			left[inst.Arcs[a].Group] -= sol.Count[a]
		}
	}
	rowsOf := make([]parkRows, len(inst.Sites))
	for _, s := range open {
		rowsOf[s] = m.parkRowsOf(s, sol.Specialty[s])
	}
	p, cols := m.placementProblem(open, left, rowsOf)
	if p == nil {
		return false, 0, 0 // no firm can enter the free parks
	}
	var x []float64
	var obj float64
	var err error
	if cells := p.cells(); cells <= m.denseMaxCells {
		var iters int
		x, obj, iters, err = solveLPStop(p.dense(), stop)
		work = iters * cells / lpWorkPerNode
	} else if m.outLP != nil {
		x, obj, err = m.outLP(p)
		work = 1
	} else {
		return false, 0, lpObj
	}
	if err != nil {
		return false, work, lpObj
	}
	// Round down (place-once holds), then repair and fill park by park,
	// most valuable LP park first.
	count := make([]int, len(inst.Arcs))
	for _, s := range open {
		for _, a := range m.siteArcs[s] {
			count[a] = 0
		}
	}
	lpValue := make([]float64, len(inst.Sites))
	for j, a := range cols {
		c := min(int(math.Floor(x[j]+intTol)), int(p.Up[j]), left[inst.Arcs[a].Group])
		if c > 0 {
			count[a] = c
			left[inst.Arcs[a].Group] -= c
		}
		lpValue[inst.Arcs[a].Site] += inst.Arcs[a].Value * x[j]
	}
	sort.SliceStable(open, func(i, j int) bool { return lpValue[open[i]] > lpValue[open[j]] })
	for _, s := range open {
		arcs := m.siteArcs[s]
		xs := make([]float64, len(arcs))
		avail := make([]int, len(arcs))
		value := make([]float64, len(arcs))
		for i, a := range arcs {
			g := inst.Arcs[a].Group
			xs[i] = float64(count[a])
			avail[i] = min(m.ub[a], count[a]+left[g])
			value[i] = inst.Arcs[a].Value
			left[g] += count[a]
		}
		c := m.roundPark(s, rowsOf[s], xs, avail, value)
		for i, a := range arcs {
			count[a] = c[i]
			left[inst.Arcs[a].Group] -= c[i]
		}
	}
	before, after := 0.0, 0.0
	old := make([]int, 0, len(cols))
	for _, s := range open {
		for _, a := range m.siteArcs[s] {
			before += inst.Arcs[a].Value * float64(sol.Count[a])
			old = append(old, sol.Count[a])
			sol.Count[a] = count[a]
		}
	}
	m.reoptimize(sol, open, left, rowsOf)
	for _, s := range open {
		for _, a := range m.siteArcs[s] {
			after += inst.Arcs[a].Value * float64(sol.Count[a])
		}
	}
	if free != nil && after < before {
		// a part placed worse than it was: keep the old counts
		i := 0
		for _, s := range open {
			for _, a := range m.siteArcs[s] {
				sol.Count[a] = old[i]
				i++
			}
		}
		return false, work, lpObj
	}
	return true, work, obj
}

// lpCells estimates rows × (columns + rows) of the placement LP of the
// open parks in free.
func (m *model) lpCells(sol *planner.Solution, free []bool) int {
	cols, parks := 0, 0
	groups := map[int]bool{}
	for s, t := range sol.Year {
		if t < 0 || !free[s] {
			continue
		}
		parks++
		for _, a := range m.siteArcs[s] {
			if m.ub[a] > 0 {
				cols++
				groups[m.inst.Arcs[a].Group] = true
			}
		}
	}
	rows := len(groups) + 4*parks
	return rows * (cols + rows)
}

// neighbourhood marks the open parks of sol whose placement is re-solved
// around the parks seeds: the seeds, then the open parks sharing most
// firm groups with them, while the placement LP stays within
// placeLPMaxCells. Seeds alone over the cap give nil.
func (m *model) neighbourhood(sol *planner.Solution, seeds []int) []bool {
	return m.neighbourhoodOf(sol, seeds, nil)
}

// neighbourhoodOf is neighbourhood with the groups of the sites in also
// (open or not: a park that closes frees its firms) counted as touched.
func (m *model) neighbourhoodOf(sol *planner.Solution, seeds, also []int) []bool {
	inst := m.inst
	free := make([]bool, len(inst.Sites))
	touched := make([]bool, len(inst.Groups))
	for _, s := range also {
		for _, a := range m.siteArcs[s] {
			touched[inst.Arcs[a].Group] = true
		}
	}
	for _, s := range seeds {
		if sol.Year[s] >= 0 {
			free[s] = true
			for _, a := range m.siteArcs[s] {
				touched[inst.Arcs[a].Group] = true
			}
		}
	}
	if m.lpCells(sol, free) > m.denseMaxCells {
		return nil
	}
	type cand struct{ s, shared int }
	var cands []cand
	for s, t := range sol.Year {
		if t < 0 || free[s] {
			continue
		}
		n := 0
		for _, a := range m.siteArcs[s] {
			if touched[inst.Arcs[a].Group] {
				n++
			}
		}
		if n > 0 {
			cands = append(cands, cand{s, n})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].shared > cands[j].shared })
	for _, c := range cands {
		free[c.s] = true
		if m.lpCells(sol, free) > m.denseMaxCells {
			free[c.s] = false
			break
		}
	}
	return free
}

// placementProblem is the placement LP of the parks open (their rows in
// rowsOf): a column per arc that can help (a positive value or share
// coefficient, firms left in its group), the place-once row of each group
// used (firms left), and each park's capacity and three share rows. cols
// is the arc of each column; p is nil when there is no column.
func (m *model) placementProblem(open []int, left []int, rowsOf []parkRows) (p *SparseLP, cols []int) {
	inst := m.inst
	colOf := make([]int, len(inst.Arcs))
	for a := range colOf {
		colOf[a] = -1
	}
	groupUsed := make([]bool, len(inst.Groups))
	for _, s := range open {
		r := rowsOf[s]
		for i, a := range m.siteArcs[s] {
			if m.ub[a] > 0 && left[inst.Arcs[a].Group] > 0 && (inst.Arcs[a].Value > 0 || r.firm[i] > 0 || r.small[i] > 0) {
				colOf[a] = len(cols)
				cols = append(cols, a)
				groupUsed[inst.Arcs[a].Group] = true
			}
		}
	}
	n := len(cols)
	if n == 0 {
		return nil, nil
	}
	p = &SparseLP{C: make([]float64, n), Lo: make([]float64, n), Up: make([]float64, n)}
	for j, a := range cols {
		p.C[j] = inst.Arcs[a].Value
		p.Up[j] = float64(min(m.ub[a], left[inst.Arcs[a].Group]))
	}
	for g, used := range groupUsed {
		if !used {
			continue
		}
		var idx []int
		var one []float64
		for _, a := range m.groupArcs[g] {
			if colOf[a] >= 0 {
				idx = append(idx, colOf[a])
				one = append(one, 1)
			}
		}
		p.addRow(idx, one, RowLE, float64(left[g]))
	}
	for _, s := range open {
		var idx []int
		var fl, fi, fs, sm []float64
		r := rowsOf[s]
		for i, a := range m.siteArcs[s] {
			if j := colOf[a]; j >= 0 {
				idx = append(idx, j)
				fl, fi, fs, sm = append(fl, r.floor[i]), append(fi, r.firm[i]), append(fs, r.floorShare[i]), append(sm, r.small[i])
			}
		}
		p.addRow(idx, fl, RowLE, inst.Sites[s].CapacityM2)
		p.addRow(idx, fi, RowGE, 0)
		p.addRow(idx, fs, RowGE, 0)
		p.addRow(idx, sm, RowGE, 0)
	}
	return p, cols
}
