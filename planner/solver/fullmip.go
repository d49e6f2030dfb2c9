package solver

import (
	"math"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
)

// fullMIP is the whole model (docs/model.md, built by planner/mip) as one
// dense MIP, for instances small enough that a dense tableau fits (see
// exactMaxCells): the exact path, proven by branch and bound on the LP
// relaxation.
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

// fullSize bounds the dense full model's rows and columns without
// building it (mip.Size).
func (m *model) fullSize() (rows, cols int) { return mip.Size(m.inst) }

// buildFullMIP makes the dense full model from planner/mip's model in the
// Dense layout (every y[s,t,k], so yIdx has no holes): the same columns,
// bounds, objective and rows, rule by rule, as the MPS CBC solves.
func buildFullMIP(m *model) *fullMIP {
	mm := mip.Build(m.inst, mip.Dense)
	n := len(mm.Columns)
	f := &fullMIP{m: m, yIdx: mm.Y, xIdx: mm.X, nY: mm.NumY()}
	p := &f.prob
	p.n = n
	p.c = make([]float64, n)
	p.lo = make([]float64, n)
	p.up = make([]float64, n)
	for j, c := range mm.Columns {
		p.c[j], p.lo[j], p.up[j] = c.Obj, c.Lo, c.Up
	}
	cells := make([]float64, len(mm.Rows)*n) // one backing array for every dense row
	for i, r := range mm.Rows {
		dense := cells[i*n : (i+1)*n : (i+1)*n]
		for x, j := range r.Cols {
			dense[j] += r.Coefs[x]
		}
		p.addRow(dense, lpSense(r.Sense), r.RHS)
	}
	return f
}

// lpSense is the dense LP's sense of a mip row sense.
func lpSense(s mip.Sense) int {
	switch s {
	case mip.LE:
		return senseLE
	case mip.GE:
		return senseGE
	}
	return senseEQ
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
