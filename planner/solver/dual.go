package solver

import "math"

// clone returns a deep copy of tb (for a branch-and-bound child).
func (tb *tableau) clone() *tableau {
	c := *tb
	c.t = make([][]float64, tb.m)
	buf := make([]float64, tb.m*tb.ncol)
	for i, row := range tb.t {
		c.t[i] = buf[i*tb.ncol : (i+1)*tb.ncol]
		copy(c.t[i], row)
	}
	c.d = append([]float64(nil), tb.d...)
	c.basis = append([]int(nil), tb.basis...)
	c.isBasic = append([]int(nil), tb.isBasic...)
	c.lo = append([]float64(nil), tb.lo...)
	c.up = append([]float64(nil), tb.up...)
	c.x = append([]float64(nil), tb.x...)
	c.cost = append([]float64(nil), tb.cost...)
	c.nzBuf = nil
	return &c
}

// setBounds changes the bounds of structural j. A nonbasic j moves to the
// nearest point of its new range (basic values follow); a basic j keeps
// its value and may become infeasible, for the dual simplex to repair.
func (tb *tableau) setBounds(j int, lo, up float64) {
	tb.lo[j], tb.up[j] = lo, up
	if tb.isBasic[j] >= 0 {
		return
	}
	nx := math.Max(lo, math.Min(up, tb.x[j]))
	delta := nx - tb.x[j]
	if delta == 0 {
		return
	}
	tb.x[j] = nx
	for i := 0; i < tb.m; i++ {
		if a := tb.t[i][j]; a != 0 {
			tb.x[tb.basis[i]] -= a * delta
		}
	}
}

// dual runs the bounded dual simplex from a dual-feasible basis until the
// basic values are within their bounds (then a primal pass cleans up any
// reduced cost round-off). It returns errLPInfeasible when a row proves
// the bounds contradictory.
func (tb *tableau) dual(maxIter int) error {
	m, ncol := tb.m, tb.ncol
	for iter := 0; ; iter++ {
		if iter > maxIter {
			return errLPNumeric
		}
		// Leaving row: the largest bound violation.
		r, worst, target := -1, lpPrimalTol, 0.0
		for i := 0; i < m; i++ {
			bv := tb.basis[i]
			v := tb.x[bv]
			if d := tb.lo[bv] - v; d > worst {
				r, worst, target = i, d, tb.lo[bv]
			}
			if d := v - tb.up[bv]; d > worst {
				r, worst, target = i, d, tb.up[bv]
			}
		}
		if r < 0 {
			return tb.run(50 * (m + ncol))
		}
		bv := tb.basis[r]
		increase := target > tb.x[bv]
		row := tb.t[r]
		enter, best, bestPiv := -1, math.Inf(1), 0.0
		for j := 0; j < ncol; j++ {
			if tb.isBasic[j] >= 0 || tb.lo[j] == tb.up[j] {
				continue
			}
			a := row[j]
			if math.Abs(a) < lpPivotTol {
				continue
			}
			atLower := tb.x[j] <= tb.lo[j]
			// Δx_bv = −a·Δx_j; j may rise from its lower bound or fall
			// from its upper bound.
			var ok bool
			if atLower {
				ok = (increase && a < 0) || (!increase && a > 0)
			} else {
				ok = (increase && a > 0) || (!increase && a < 0)
			}
			if !ok {
				continue
			}
			ratio := math.Abs(tb.d[j]) / math.Abs(a)
			if ratio < best-1e-12 || (ratio <= best+1e-12 && math.Abs(a) > bestPiv) {
				enter, best, bestPiv = j, ratio, math.Abs(a)
			}
		}
		if enter < 0 {
			return errLPInfeasible
		}
		delta := (target - tb.x[bv]) / -row[enter]
		tb.x[enter] += delta
		for i := 0; i < m; i++ {
			if a := tb.t[i][enter]; a != 0 {
				tb.x[tb.basis[i]] -= a * delta
			}
		}
		tb.x[bv] = target
		tb.pivot(r, enter)
		tb.isBasic[bv] = -1
		tb.basis[r] = enter
		tb.isBasic[enter] = r
	}
}

// objective returns c·x over the structurals.
func (tb *tableau) objective() float64 {
	v := 0.0
	for j := 0; j < tb.n; j++ {
		v += tb.cost[j] * tb.x[j]
	}
	return v
}
