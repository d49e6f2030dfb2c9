package solver

import (
	"context"
	"fmt"
	"math"
)

// SparseLP is a linear programme handed to an outside LP solver
// (Options.LP): maximise Σ C[j]·x[j] subject to Rows and Lo[j] ≤ x[j] ≤
// Up[j]. The solver writes its placement LPs (placementProblem) in this
// form; the dense tableau of the package's own simplex is made from it
// (dense) when it fits placeLPMaxCells.
type SparseLP struct {
	C, Lo, Up []float64
	Rows      []SparseRow
}

// SparseRow is one row of a SparseLP: Σ Coefs[i]·x[Cols[i]] (Sense) RHS.
type SparseRow struct {
	Cols  []int
	Coefs []float64
	Sense RowSense
	RHS   float64
}

// RowSense is a SparseRow's comparison.
type RowSense int

// The senses of a SparseRow.
const (
	RowLE RowSense = iota // Σ ≤ RHS
	RowGE                 // Σ ≥ RHS
	RowEQ                 // Σ = RHS
)

// LPFunc solves p to optimality and returns x (one value per column of
// p). An error (no optimum, the outside solver failed, ctx ended) leaves
// the placement it was asked for unchanged.
type LPFunc func(ctx context.Context, p *SparseLP) ([]float64, error)

// outLPTol is how far an outside solver's x may leave a column's bounds
// (its own primal tolerance, ~1e-7 for CLP) before the answer is refused.
const outLPTol = 1e-6

// addRow appends a row; cols and coefs must have the same length.
func (p *SparseLP) addRow(cols []int, coefs []float64, sense RowSense, rhs float64) {
	p.Rows = append(p.Rows, SparseRow{Cols: cols, Coefs: coefs, Sense: sense, RHS: rhs})
}

// cells is rows × (columns + rows): the dense tableau's size
// (placeLPMaxCells).
func (p *SparseLP) cells() int {
	return len(p.Rows) * (len(p.C) + len(p.Rows))
}

// dense is p as the package's own simplex takes it.
func (p *SparseLP) dense() *lpProblem {
	n := len(p.C)
	d := &lpProblem{n: n, c: append([]float64(nil), p.C...), lo: append([]float64(nil), p.Lo...), up: append([]float64(nil), p.Up...)}
	for _, r := range p.Rows {
		row := make([]float64, n)
		for i, j := range r.Cols {
			row[j] += r.Coefs[i]
		}
		sense := senseLE
		switch r.Sense {
		case RowGE:
			sense = senseGE
		case RowEQ:
			sense = senseEQ
		}
		d.addRow(row, sense, r.RHS)
	}
	return d
}

// solveOut solves p with the outside solver f and checks its answer: one
// value per column, each within its bounds (clipped to them), and its
// objective.
func (p *SparseLP) solveOut(ctx context.Context, f LPFunc) (x []float64, obj float64, err error) {
	x, err = f(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	if len(x) != len(p.C) {
		return nil, 0, fmt.Errorf("solver: outside LP gave %d values for %d columns", len(x), len(p.C))
	}
	for j, v := range x {
		if math.IsNaN(v) || v < p.Lo[j]-outLPTol || v > p.Up[j]+outLPTol {
			return nil, 0, fmt.Errorf("solver: outside LP column %d = %g outside [%g, %g]", j, v, p.Lo[j], p.Up[j])
		}
		x[j] = math.Min(math.Max(v, p.Lo[j]), p.Up[j])
		obj += p.C[j] * x[j]
	}
	return x, obj, nil
}
