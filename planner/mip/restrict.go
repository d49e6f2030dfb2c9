package mip

import "github.com/parkplan/parkplan/planner"

// Restrict is m without the x columns keep says no to (keep is asked
// about x columns only, by their index in m), and without their
// ruleLink rows: the restricted model of a column
// generation over the firms' arcs (planner/engine's LP by arcs). Every
// other row is kept, in order, with the dropped columns left out; every
// row of a firm rule but rulePlaceOnce is homogeneous, so whatever is
// feasible for m with those arcs' x at 0 is feasible for the restricted
// model and the other way round. cols[j] and rows[i] are the index in m
// of the restricted model's column j and row i. The restricted model's
// Y and X index its own columns (−1 for a dropped x); it shares m's
// Instance and must not be built on (AddRow, AddColumn).
func (m *Model) Restrict(keep func(col int) bool) (sub *Model, cols, rows []int) {
	newCol := make([]int, len(m.Columns))
	sub = &Model{Inst: m.Inst, Layout: m.Layout}
	for j, c := range m.Columns {
		newCol[j] = -1
		if c.Kind == KindX && !keep(j) {
			continue
		}
		newCol[j] = len(sub.Columns)
		sub.Columns = append(sub.Columns, c)
		cols = append(cols, j)
	}
	remap := func(idx []int) []int {
		out := make([]int, len(idx))
		for i, j := range idx {
			out[i] = -1
			if j >= 0 {
				out[i] = newCol[j]
			}
		}
		return out
	}
	sub.Y = make([][][]int, len(m.Y))
	for s, ys := range m.Y {
		sub.Y[s] = make([][]int, len(ys))
		for t, yk := range ys {
			sub.Y[s][t] = remap(yk)
		}
	}
	sub.X = make([][]int, len(m.X))
	for a, xk := range m.X {
		sub.X[a] = remap(xk)
	}
	n := 0
	for _, r := range m.Rows {
		n += len(r.Cols)
	}
	flat := entries{make([]int, 0, n), make([]float64, 0, n)}
	for i, r := range m.Rows {
		if r.Rule == planner.RuleLink && newCol[m.X[r.Arc][r.Spec]] < 0 {
			continue
		}
		start := len(flat.cols)
		for x, j := range r.Cols {
			if newCol[j] >= 0 {
				flat.cols = append(flat.cols, newCol[j])
				flat.coefs = append(flat.coefs, r.Coefs[x])
			}
		}
		r.Cols = flat.cols[start:len(flat.cols):len(flat.cols)]
		r.Coefs = flat.coefs[start:len(flat.coefs):len(flat.coefs)]
		sub.Rows = append(sub.Rows, r)
		rows = append(rows, i)
	}
	return sub, cols, rows
}
