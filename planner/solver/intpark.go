package solver

import (
	"math"

	"github.com/parkplan/parkplan/planner"
)

// parkIntNodes caps the branch and bound of one park's integer placement
// (parkInt). A park's LP has four rows, so at most four of its columns
// are fractional at a vertex and most trees close in a few dozen nodes;
// the cap bounds the rare deep one.
const parkIntNodes = 300

// parkIntPerNode is how many branch-and-bound nodes of parkInt count as
// one solver node (Options.NodeLimit): a node is a dual-simplex pass on a
// 4-row tableau, about a 50th of a relaxation iteration on the demo county.
const parkIntPerNode = 50

// polishParksPasses caps the passes of polishParks over the open parks.
const polishParksPasses = 3

// parkInt places firms in one park exactly: it maximises Σ value[i]·c[i]
// over integer counts 0 ≤ c[i] ≤ avail[i] (i over siteArcs[s]) under the
// park's capacity and three share rows (rows, specialty fixed), by a
// depth-first branch and bound on the park's LP (depthFirst), starting
// from the feasible counts start (its value is the first incumbent; nil:
// no firms). It returns the best counts found (start's when nothing beats
// it), their value, the branch-and-bound nodes, and whether the search
// was complete (exact) rather than stopped by nodeCap. start must keep
// the park's rows; parkInt panics when the lengths differ.
func (m *model) parkInt(s int, rows parkRows, value []float64, avail, start []int, nodeCap int) (c []int, obj float64, nodes int, exact bool) {
	arcs := m.siteArcs[s]
	if len(value) != len(arcs) || len(avail) != len(arcs) || (start != nil && len(start) != len(arcs)) {
		panic("solver: parkInt: lengths differ from the site's arcs")
	}
	c = make([]int, len(arcs))
	if start != nil {
		copy(c, start)
	}
	for i, n := range c {
		obj += value[i] * float64(n)
	}
	var cols []int
	anyPositive := false
	for i := range arcs {
		if avail[i] <= 0 {
			continue
		}
		if value[i] > 0 || rows.firm[i] > 0 || rows.floorShare[i] > 0 || rows.small[i] > 0 {
			cols = append(cols, i)
			anyPositive = anyPositive || value[i] > 0
		}
	}
	if !anyPositive {
		return c, obj, 0, true
	}
	n := len(cols)
	p := &lpProblem{n: n, c: make([]float64, n), lo: make([]float64, n), up: make([]float64, n)}
	fl, fi, fs, sm := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for j, i := range cols {
		p.c[j] = value[i]
		p.up[j] = float64(avail[i])
		fl[j], fi[j], fs[j], sm[j] = rows.floor[i], rows.firm[i], rows.floorShare[i], rows.small[i]
	}
	p.addRow(fl, senseLE, m.inst.Sites[s].CapacityM2)
	p.addRow(fi, senseGE, 0)
	p.addRow(fs, senseGE, 0)
	p.addRow(sm, senseGE, 0)
	improves := func(v float64) bool { return v > obj+1e-9*math.Max(1, math.Abs(obj)) }
	trial := make([]int, len(arcs))
	res := depthFirst(p, bbHooks{
		accept: func(x []float64) float64 {
			for i := range trial {
				trial[i] = 0
			}
			v := 0.0
			for j, i := range cols {
				trial[i] = int(math.Round(x[j]))
				v += value[i] * float64(trial[i])
			}
			sl := m.rowsSlack(s, rows, trial)
			if sl[0] < -repairTol || sl[1] < -repairTol || sl[2] < -repairTol || sl[3] < -repairTol {
				return math.NaN() // met by round-off only: depthFirst branches on
			}
			if improves(v) {
				copy(c, trial)
				obj = v
			}
			return v
		},
		incumbent: func() float64 { return obj },
		prune:     func(b float64) bool { return !improves(b) },
		stop:      func() bool { return false },
		progress:  func(float64, int) {},
		priority:  func(int) int { return 0 },
	}.withNodeCap(nodeCap))
	return c, obj, res.nodes, res.complete && !res.failed
}

// polishParks re-places the incumbent's firms park by park, exactly
// (parkInt): each open park in turn gives up its firms and takes the best
// integer placement of the firms not held by the other parks, at full
// firm values; passes repeat while one improves (at most
// polishParksPasses). The placement LP (placeLP) sees what parks compete
// for but rounds each park's share of it; this fixes the rounding. It
// counts one node per park plus its branch and bound (parkIntPerNode) and
// reports whether the incumbent improved; done() stops it between parks.
func (sr *search) polishParks(done func() bool) bool {
	if sr.best == nil {
		return false
	}
	m := sr.m
	sol := &planner.Solution{Year: sr.best.Year, Specialty: sr.best.Specialty, Count: append([]int(nil), sr.best.Count...)}
	if !m.placeParksExactly(sol, nil, done, &sr.nodes) {
		return false
	}
	before := sr.bestObj
	sr.offer(sol)
	return sr.bestObj > before+1e-9*math.Max(1, math.Abs(before))
}

// placeParksExactly is polishParks' work on sol (changed in place): the
// open parks marked in free (nil: all) re-placed one at a time by
// parkInt, the others kept; nodes (may be nil) counts the work. It
// reports whether any park improved.
func (m *model) placeParksExactly(sol *planner.Solution, free []bool, done func() bool, nodes *int) bool {
	inst := m.inst
	left := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		left[g] = gr.Count
	}
	for a, arc := range inst.Arcs {
		left[arc.Group] -= sol.Count[a]
	}
	any := false
	for pass := 0; pass < polishParksPasses; pass++ {
		improved := false
		for s, t := range sol.Year {
			if t < 0 || (free != nil && !free[s]) {
				continue
			}
			if done != nil && done() {
				return any
			}
			arcs := m.siteArcs[s]
			value := make([]float64, len(arcs))
			avail := make([]int, len(arcs))
			start := make([]int, len(arcs))
			for i, a := range arcs {
				g := inst.Arcs[a].Group
				value[i] = inst.Arcs[a].Value
				start[i] = sol.Count[a]
				avail[i] = min(m.ub[a], left[g]+sol.Count[a])
			}
			before := 0.0
			for i := range arcs {
				before += value[i] * float64(start[i])
			}
			c, obj, bb, _ := m.parkInt(s, m.parkRowsOf(s, sol.Specialty[s]), value, avail, start, parkIntNodes)
			if nodes != nil {
				*nodes += 1 + bb/parkIntPerNode
			}
			if obj <= before+1e-9*math.Max(1, math.Abs(before)) {
				continue
			}
			for i, a := range arcs {
				left[inst.Arcs[a].Group] += sol.Count[a] - c[i]
				sol.Count[a] = c[i]
			}
			improved, any = true, true
		}
		if !improved {
			break
		}
	}
	return any
}
