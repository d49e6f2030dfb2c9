package solver

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/floats"
)

// Tolerances of the dense simplex. Rows are scaled to a largest coefficient
// of 1, so these are relative to the row's scale.
const (
	// lpPrimalTol is how far a basic variable may sit outside its bounds
	// and still count as feasible: well above the round-off of a few
	// hundred pivots on scaled rows (~1e-13), well below any quantity the
	// model cares about (one firm, one m²).
	lpPrimalTol = 1e-9
	// lpDualTol is the smallest reduced cost worth entering; smaller ones
	// are round-off, and entering them risks stalling.
	lpDualTol = 1e-9
	// lpPivotTol is the smallest tableau entry accepted as a pivot: smaller
	// pivots amplify round-off beyond lpPrimalTol.
	lpPivotTol = 1e-9
	// lpCheckTol is the largest residual |Ax − b| (scaled rows) accepted
	// when a finished solve is verified against the original rows.
	lpCheckTol = 1e-7
)

// Row senses of lpProblem rows.
const (
	senseLE = iota // a·x ≤ b
	senseGE        // a·x ≥ b
	senseEQ        // a·x = b
)

// errLPInfeasible: the LP has no feasible point.
var errLPInfeasible = errors.New("solver: LP infeasible")

// errLPNumeric: the simplex lost accuracy (a verified residual exceeded
// lpCheckTol) or hit its iteration limit.
var errLPNumeric = errors.New("solver: LP numerical failure")

// lpProblem is a small dense LP: maximise c·x subject to rows and
// lo ≤ x ≤ up (lo finite, up may be +Inf). It is never unbounded in this
// package (every variable of the model has a finite upper bound).
type lpProblem struct {
	n     int
	c     []float64
	lo    []float64
	up    []float64
	rows  [][]float64 // dense, each of length n
	sense []int
	rhs   []float64
}

func (p *lpProblem) addRow(a []float64, sense int, b float64) {
	if len(a) != p.n {
		panic("solver: lp row of wrong length")
	}
	p.rows = append(p.rows, a)
	p.sense = append(p.sense, sense)
	p.rhs = append(p.rhs, b)
}

// tableau is a dense bounded-variable simplex tableau. Columns: n
// structurals, m slacks, then artificials; the last column is the basic
// values (B⁻¹b adjusted for nonbasics at upper bound is not used: values
// are kept explicitly in x).
type tableau struct {
	m, ncol int
	n, nart int         // structurals; artificial columns (after n+m slacks)
	t       [][]float64 // m rows × ncol
	d       []float64   // reduced costs (maximisation: enter when d > 0 at lower)
	basis   []int       // basic column of each row
	isBasic []int       // row of a basic column, −1 if nonbasic
	lo, up  []float64
	x       []float64 // value of every column
	cost    []float64
	nzBuf   []int // scratch: nonzero columns of the pivot row
	// stop, when set, is asked every stopEvery iterations whether to give
	// up (time, cancellation); the solve then fails with errLPStopped.
	stop func() bool
	// iters counts the simplex iterations run on this tableau.
	iters int
}

// stopEvery: iterations between two stop checks of a tableau.
const stopEvery = 32

// errLPStopped: the caller's stop function ended the solve.
var errLPStopped = errors.New("solver: LP stopped")

// solveLPStop is solveLP that gives up with errLPStopped when stop()
// turns true (checked every stopEvery iterations); it also returns the
// simplex iterations it ran.
func solveLPStop(p *lpProblem, stop func() bool) ([]float64, float64, int, error) {
	tb, err := buildTableau(p)
	if err != nil {
		return nil, 0, 0, err
	}
	tb.stop = stop
	if err := tb.phases(p.c); err != nil {
		return nil, 0, tb.iters, err
	}
	x, obj, err := tb.result(p)
	return x, obj, tb.iters, err
}

// solveLP solves p by the bounded primal simplex (two phases) and returns
// the optimal x (length p.n) and objective. The iteration limit guards
// against cycling despite Bland's rule on degenerate stretches.
func solveLP(p *lpProblem) ([]float64, float64, error) {
	tb, err := buildTableau(p)
	if err != nil {
		return nil, 0, err
	}
	if err := tb.phases(p.c); err != nil {
		return nil, 0, err
	}
	return tb.result(p)
}

// buildTableau sets up the tableau of p with x at its lower bounds and a
// basis of slacks and artificials.
func buildTableau(p *lpProblem) (*tableau, error) {
	m, n := len(p.rows), p.n
	// Normalise: ≥ rows are negated into ≤ rows; each row scaled to max |a| = 1.
	// Rows: ≥ rows negated into ≤ rows, each scaled to max |a| = 1; then
	// the residual at x = lo decides which rows need an artificial.
	rowsN := make([][]float64, m)
	b := make([]float64, m)
	needArt := make([]bool, m)
	nart := 0
	for j := 0; j < n; j++ {
		if p.lo[j] > p.up[j] {
			return nil, errLPInfeasible
		}
	}
	for i := 0; i < m; i++ {
		row := append([]float64(nil), p.rows[i]...)
		bi := p.rhs[i]
		if p.sense[i] == senseGE {
			for j := range row {
				row[j] = -row[j]
			}
			bi = -bi
		}
		scale := 0.0
		for _, v := range row {
			scale = math.Max(scale, math.Abs(v))
		}
		if scale > 0 {
			for j := range row {
				row[j] /= scale
			}
			bi /= scale
		}
		r := bi
		for j, v := range row {
			r -= v * p.lo[j]
		}
		rowsN[i], b[i] = row, r
		if r < -lpPrimalTol || (p.sense[i] == senseEQ && r > lpPrimalTol) {
			needArt[i] = true
			nart++
		}
	}
	ncol := n + m + nart
	tb := &tableau{m: m, n: n, nart: nart, ncol: ncol}
	tb.t = make([][]float64, m)
	tb.lo = make([]float64, ncol)
	tb.up = make([]float64, ncol)
	tb.x = make([]float64, ncol)
	tb.cost = make([]float64, ncol)
	tb.basis = make([]int, m)
	tb.isBasic = make([]int, ncol)
	for j := range tb.isBasic {
		tb.isBasic[j] = -1
	}
	for j := 0; j < n; j++ {
		tb.lo[j], tb.up[j] = p.lo[j], p.up[j]
		tb.x[j] = p.lo[j]
	}
	a := n + m
	for i := 0; i < m; i++ {
		row := make([]float64, ncol)
		copy(row, rowsN[i])
		s := n + i
		row[s] = 1
		tb.lo[s], tb.up[s] = 0, math.Inf(1)
		if p.sense[i] == senseEQ {
			tb.up[s] = 0
		}
		r := b[i]
		if !needArt[i] {
			tb.basis[i] = s
			tb.isBasic[s] = i
			tb.x[s] = math.Max(0, r)
			if tb.up[s] == 0 {
				tb.x[s] = 0
			}
		} else {
			if r < 0 {
				// negate the row so that the artificial (coefficient +1)
				// carries −r ≥ 0 as a unit basic column
				for j := range row {
					row[j] = -row[j]
				}
				r = -r
			}
			row[a] = 1
			tb.lo[a], tb.up[a] = 0, math.Inf(1)
			tb.basis[i] = a
			tb.isBasic[a] = i
			tb.x[a] = r
			a++
		}
		tb.t[i] = row
	}
	return tb, nil
}

// phases runs phase 1 (if artificials are basic) and phase 2 with cost c
// on the structurals.
func (tb *tableau) phases(c []float64) error {
	m, n, ncol, nart := tb.m, tb.n, tb.ncol, tb.nart
	maxIter := 50 * (m + ncol)
	if nart > 0 {
		for j := n + m; j < ncol; j++ {
			tb.cost[j] = -1 // phase 1: maximise −Σ artificials
		}
		if err := tb.run(maxIter); err != nil {
			return err
		}
		sum := 0.0
		for j := n + m; j < ncol; j++ {
			sum += tb.x[j]
		}
		if sum > lpPrimalTol*float64(m+1)*10 {
			return errLPInfeasible
		}
		for j := n + m; j < ncol; j++ {
			tb.cost[j] = 0
			tb.lo[j], tb.up[j] = 0, 0
			if tb.isBasic[j] < 0 {
				tb.x[j] = 0
			}
		}
	}
	for j := 0; j < n; j++ {
		tb.cost[j] = c[j]
	}
	return tb.run(maxIter)
}

// result reads the structurals' values and objective and verifies them
// against p's rows (lo/up of p are the bounds the solve used).
func (tb *tableau) result(p *lpProblem) ([]float64, float64, error) {
	n := p.n
	x := make([]float64, n)
	obj := 0.0
	for j := 0; j < n; j++ {
		v := tb.x[j]
		// clamp round-off into the bounds
		v = math.Max(tb.lo[j], math.Min(tb.up[j], v))
		x[j] = v
		obj += p.c[j] * v
	}
	// Verify against the original rows.
	for i, a := range p.rows {
		act := floats.Dot(a, x[:len(a)])
		scale := math.Max(1, floats.Norm(a, math.Inf(1)))
		viol := 0.0
		switch p.sense[i] {
		case senseLE:
			viol = act - p.rhs[i]
		case senseGE:
			viol = p.rhs[i] - act
		default:
			viol = math.Abs(act - p.rhs[i])
		}
		if viol/scale > lpCheckTol*math.Max(1, math.Abs(p.rhs[i])/scale) {
			return nil, 0, errLPNumeric
		}
	}
	return x, obj, nil
}

// run performs primal simplex iterations for the current cost until no
// reduced cost improves. It recomputes reduced costs from the basis first.
func (tb *tableau) run(maxIter int) error {
	m, ncol := tb.m, tb.ncol
	d := make([]float64, ncol)
	copy(d, tb.cost)
	for i := 0; i < m; i++ {
		cb := tb.cost[tb.basis[i]]
		if cb == 0 {
			continue
		}
		floats.AddScaled(d, -cb, tb.t[i][:ncol])
	}
	tb.d = d
	degenerate := 0
	for iter := 0; ; iter++ {
		if iter > maxIter {
			return errLPNumeric
		}
		tb.iters++
		if tb.stop != nil && iter%stopEvery == stopEvery-1 && tb.stop() {
			return errLPStopped
		}
		bland := degenerate > 50
		// Pricing.
		enter, dir, best := -1, 0.0, 0.0
		for j := 0; j < ncol; j++ {
			if tb.isBasic[j] >= 0 || tb.lo[j] == tb.up[j] {
				continue
			}
			dj := d[j]
			var s float64
			switch {
			case dj > lpDualTol && tb.x[j] < tb.up[j]:
				s = 1
			case dj < -lpDualTol && tb.x[j] > tb.lo[j]:
				s = -1
			default:
				continue
			}
			if bland {
				enter, dir = j, s
				break
			}
			if math.Abs(dj) > best {
				enter, dir, best = j, s, math.Abs(dj)
			}
		}
		if enter < 0 {
			return nil
		}
		// Ratio test (Harris, two passes): first the longest step that
		// keeps every basic within its bounds relaxed by lpPrimalTol, then,
		// among the rows that block within it, the largest pivot — small
		// pivots are what ruin a dense tableau. Bland mode takes the
		// smallest basic index among the exact minimum ratios instead.
		theta := tb.up[enter] - tb.lo[enter] // bound flip
		leave := -1
		leaveToUp := false
		limit := func(i int, relax float64) (lim float64, toUp, ok bool) {
			a := tb.t[i][enter]
			if math.Abs(a) < lpPivotTol {
				return 0, false, false
			}
			bv := tb.basis[i]
			delta := -dir * a // change of the basic per unit θ
			if delta < 0 {
				return (tb.x[bv] - tb.lo[bv] + relax) / -delta, false, true
			}
			if math.IsInf(tb.up[bv], 1) {
				return 0, false, false
			}
			return (tb.up[bv] - tb.x[bv] + relax) / delta, true, true
		}
		if bland {
			for i := 0; i < m; i++ {
				lim, toUp, ok := limit(i, 0)
				if !ok {
					continue
				}
				lim = math.Max(lim, 0)
				if lim < theta-1e-12 || (leave >= 0 && lim <= theta+1e-12 && tb.basis[i] < tb.basis[leave]) {
					theta, leave, leaveToUp = math.Min(theta, lim), i, toUp
				}
			}
		} else {
			maxStep := theta
			for i := 0; i < m; i++ {
				if lim, _, ok := limit(i, lpPrimalTol); ok && lim < maxStep {
					maxStep = lim
				}
			}
			best := 0.0
			for i := 0; i < m; i++ {
				lim, toUp, ok := limit(i, 0)
				if !ok || lim > maxStep {
					continue
				}
				if a := math.Abs(tb.t[i][enter]); a > best {
					best, leave, leaveToUp = a, i, toUp
					theta = math.Max(lim, 0)
				}
			}
		}
		if math.IsInf(theta, 1) {
			return errLPNumeric // unbounded: impossible for this package's LPs
		}
		if theta <= 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
		// Move.
		tb.x[enter] += dir * theta
		for i := 0; i < m; i++ {
			a := tb.t[i][enter]
			if a != 0 {
				tb.x[tb.basis[i]] -= dir * theta * a
			}
		}
		if leave < 0 {
			// bound flip
			if dir > 0 {
				tb.x[enter] = tb.up[enter]
			} else {
				tb.x[enter] = tb.lo[enter]
			}
			continue
		}
		lv := tb.basis[leave]
		if leaveToUp {
			tb.x[lv] = tb.up[lv]
		} else {
			tb.x[lv] = tb.lo[lv]
		}
		tb.pivot(leave, enter)
		tb.isBasic[lv] = -1
		tb.basis[leave] = enter
		tb.isBasic[enter] = leave
	}
}

// pivot makes column c basic in row r. The pivot row's nonzeros are
// gathered once, so the update costs rows × nonzeros, not rows × columns.
func (tb *tableau) pivot(r, c int) {
	pr := tb.t[r]
	inv := 1 / pr[c]
	nz := tb.nzBuf[:0]
	for j, v := range pr {
		if v != 0 {
			pr[j] = v * inv
			nz = append(nz, j)
		}
	}
	pr[c] = 1
	tb.nzBuf = nz
	for i := 0; i < tb.m; i++ {
		if i == r {
			continue
		}
		row := tb.t[i]
		f := row[c]
		if f == 0 {
			continue
		}
		for _, j := range nz {
			row[j] -= f * pr[j]
		}
		row[c] = 0
	}
	if f := tb.d[c]; f != 0 {
		for _, j := range nz {
			tb.d[j] -= f * pr[j]
		}
		tb.d[c] = 0
	}
}
