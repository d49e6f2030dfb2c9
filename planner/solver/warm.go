package solver

import "math"

// warmPark keeps one park LP's tableau between relaxation iterations: the
// rows and bounds of a (site, specialty) LP never change, only the prices,
// so the last optimal basis stays feasible and a few primal pivots
// re-optimise it.
type warmPark struct {
	tb    *tableau
	cols  []int // siteArcs index of each structural
	uses  int
	rows  parkRows
	prob  *lpProblem
	check []float64 // scratch for the row check
}

// warmRefresh: a warm tableau is rebuilt from its rows after this many
// re-optimisations, so that pivoting round-off cannot accumulate.
const warmRefresh = 40

// newWarmPark builds the LP of site s under rows with every arc that can
// take a firm (ub > 0); nil when there is none.
func (m *model) newWarmPark(s int, rows parkRows) *warmPark {
	arcs := m.siteArcs[s]
	w := &warmPark{rows: rows}
	for i, a := range arcs {
		if m.ub[a] > 0 {
			w.cols = append(w.cols, i)
		}
	}
	if len(w.cols) == 0 {
		return nil
	}
	n := len(w.cols)
	p := &lpProblem{n: n, c: make([]float64, n), lo: make([]float64, n), up: make([]float64, n)}
	fl, fi, fs, sm := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for j, i := range w.cols {
		p.up[j] = float64(m.ub[arcs[i]])
		fl[j], fi[j], fs[j], sm[j] = rows.floor[i], rows.firm[i], rows.floorShare[i], rows.small[i]
	}
	p.addRow(fl, senseLE, m.inst.Sites[s].CapacityM2)
	p.addRow(fi, senseGE, 0)
	p.addRow(fs, senseGE, 0)
	p.addRow(sm, senseGE, 0)
	w.prob = p
	return w
}

// solve re-optimises for price (per siteArcs index) and returns the value
// and x (per siteArcs index); ok false when the LP failed (the caller then
// solves it cold).
func (w *warmPark) solve(price []float64, nArcs int) (float64, []float64, bool) {
	if w.tb == nil || w.uses >= warmRefresh {
		tb, err := buildTableau(w.prob)
		if err != nil {
			return 0, nil, false
		}
		w.tb, w.uses = tb, 0
	}
	w.uses++
	for j, i := range w.cols {
		w.prob.c[j] = price[i]
		w.tb.cost[j] = price[i]
	}
	if err := w.tb.run(50 * (w.tb.m + w.tb.ncol)); err != nil {
		w.tb = nil
		return 0, nil, false
	}
	x := make([]float64, nArcs)
	val := 0.0
	for j, i := range w.cols {
		v := math.Max(w.tb.lo[j], math.Min(w.tb.up[j], w.tb.x[j]))
		x[i] = v
		val += price[i] * v
	}
	// Verify the rows (the tableau is reused, so check what it returns).
	p := w.prob
	for r, a := range p.rows {
		act, scale := 0.0, 1.0
		for j, v := range a {
			act += v * x[w.cols[j]]
			scale = math.Max(scale, math.Abs(v))
		}
		viol := act - p.rhs[r]
		if p.sense[r] == senseGE {
			viol = -viol
		}
		if viol/scale > lpCheckTol*math.Max(1, math.Abs(p.rhs[r])/scale) {
			w.tb = nil
			return 0, nil, false
		}
	}
	return val, x, true
}
