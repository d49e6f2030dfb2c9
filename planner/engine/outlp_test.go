package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/randinst"
	"github.com/parkplan/parkplan/planner/solver"
)

// randomLP draws a feasible bounded SparseLP of n columns and rows rows
// (all three senses), feasible at a random point inside the bounds.
func randomLP(rng *rand.Rand, n, rows int) *solver.SparseLP {
	p := &solver.SparseLP{C: make([]float64, n), Lo: make([]float64, n), Up: make([]float64, n)}
	x0 := make([]float64, n)
	for j := range n {
		p.C[j] = rng.Float64()*20 - 5
		p.Up[j] = float64(1 + rng.IntN(9))
		x0[j] = rng.Float64() * p.Up[j]
	}
	for i := range rows {
		var r solver.SparseRow
		act := 0.0
		for j := range n {
			if rng.Float64() < 0.3 {
				a := rng.Float64()*4 - 1
				r.Cols, r.Coefs = append(r.Cols, j), append(r.Coefs, a)
				act += a * x0[j]
			}
		}
		r.Sense = solver.RowSense(i % 3)
		switch r.Sense {
		case solver.RowLE:
			r.RHS = act + rng.Float64()*3
		case solver.RowGE:
			r.RHS = act - rng.Float64()*3
		default:
			r.RHS = act
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// gonumLP solves p with gonum's simplex (the oracle): maximise C·x as
// minimise −C·x with ≥ rows negated into G·x ≤ h, the upper bounds as
// rows of G with the lower ones (Convert's x is free), equalities in A.
func gonumLP(p *solver.SparseLP) (float64, error) {
	n := len(p.C)
	var g, a [][]float64
	var h, b []float64
	for _, r := range p.Rows {
		row := make([]float64, n)
		for k, j := range r.Cols {
			row[j] += r.Coefs[k]
		}
		switch r.Sense {
		case solver.RowLE:
			g, h = append(g, row), append(h, r.RHS)
		case solver.RowGE:
			for j := range row {
				row[j] = -row[j]
			}
			g, h = append(g, row), append(h, -r.RHS)
		default:
			a, b = append(a, row), append(b, r.RHS)
		}
	}
	for j := range n { // Lo ≤ x ≤ Up (Convert's x is free)
		up, lo := make([]float64, n), make([]float64, n)
		up[j], lo[j] = 1, -1
		g, h = append(g, up, lo), append(h, p.Up[j], -p.Lo[j])
	}
	dense := func(rows [][]float64) mat.Matrix {
		m := mat.NewDense(len(rows), n, nil)
		for i, r := range rows {
			m.SetRow(i, r)
		}
		return m
	}
	c := make([]float64, n)
	for j := range c {
		c[j] = -p.C[j]
	}
	var am mat.Matrix
	if len(a) > 0 {
		am = dense(a)
	}
	cs, as, bs := lp.Convert(c, dense(g), h, am, b)
	opt, _, err := lp.Simplex(cs, as, bs, 1e-10, nil)
	return -opt, err
}

// TestCBCLPAgreesWithGonum checks the solver's outside LP as the engine
// gives it (CBC's CLP through an MPS file) against gonum's simplex on
// random feasible LPs of the placement's shape (bounded columns, rows of
// every sense): the same optimum, and an x within its bounds that keeps
// every row.
func TestCBCLPAgreesWithGonum(t *testing.T) {
	requireCBC(t)
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 11))
			p := randomLP(rng, 10+rng.IntN(40), 4+rng.IntN(16))
			x, err := cbcLP(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if len(x) != len(p.C) {
				t.Fatalf("%d values for %d columns", len(x), len(p.C))
			}
			obj := 0.0
			for j, v := range x {
				if v < p.Lo[j]-1e-7 || v > p.Up[j]+1e-7 {
					t.Fatalf("column %d = %g outside [%g, %g]", j, v, p.Lo[j], p.Up[j])
				}
				obj += p.C[j] * v
			}
			for i, r := range p.Rows {
				act := 0.0
				for k, j := range r.Cols {
					act += r.Coefs[k] * x[j]
				}
				if (r.Sense == solver.RowLE && act > r.RHS+1e-6) || (r.Sense == solver.RowGE && act < r.RHS-1e-6) || (r.Sense == solver.RowEQ && math.Abs(act-r.RHS) > 1e-6) {
					t.Fatalf("row %d (sense %d): activity %g, rhs %g", i, r.Sense, act, r.RHS)
				}
			}
			want, err := gonumLP(p)
			if err != nil {
				t.Fatalf("gonum: %v", err)
			}
			if math.Abs(obj-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Fatalf("CBC's optimum %.9f, gonum's %.9f", obj, want)
			}
			t.Logf("%d columns, %d rows: optimum %.6f", len(p.C), len(p.Rows), obj)
		})
	}
}

// TestCBCLPInfeasible: an LP without a feasible point gives an error
// (the solver then keeps its placement), not values.
func TestCBCLPInfeasible(t *testing.T) {
	requireCBC(t)
	p := &solver.SparseLP{C: []float64{1}, Lo: []float64{0}, Up: []float64{1}}
	p.Rows = append(p.Rows, solver.SparseRow{Cols: []int{0}, Coefs: []float64{1}, Sense: solver.RowGE, RHS: 2})
	if x, err := cbcLP(context.Background(), p); err == nil {
		t.Fatalf("got %v from an infeasible LP", x)
	}
}

// TestOutsideLPOnlyByTheClock: node-limited solves keep to the solver's
// own work (reproducible to the byte); solves by the clock get CBC's LP.
func TestOutsideLPOnlyByTheClock(t *testing.T) {
	requireCBC(t)
	if outsideLP(100) != nil {
		t.Error("a node-limited solve got the outside LP")
	}
	if outsideLP(0) == nil {
		t.Error("a solve by the clock did not get CBC's LP")
	}
}

// noReachCounty is a randinst 2× county whose firms may move anywhere (a
// reach past the county's size), so that even one town's parks make a
// placement LP too large for the solver's dense tableau, and the LP
// prices Parkplan would start it at (the relaxation at the LP bound at
// once, so that the endgame comes within a few hundred nodes).
func noReachCounty(t *testing.T) (*planner.Instance, *solver.Prices) {
	t.Helper()
	sz := randinst.County(2)
	sz.NeighbourKm = 1000
	inst := randinst.Generate(3, sz)
	inst.Scenario.TimeLimit = planner.Duration{Duration: 10 * time.Minute} // lpPrices' wait
	prices := lpPrices(context.Background(), inst, 1)
	if prices == nil {
		t.Fatal("no LP prices")
	}
	return inst, prices
}

// TestOutsideLPLongReach solves noReachCounty with CBC's LP as the
// outside LP: to the same node limit with and without it (both
// reproducible: CLP's answer does not depend on the clock) the solver
// asks for it and its plan is better with it (the placement of every
// park from one LP, which without it is not made at all); and an outside
// LP that never answers by itself is stopped at the solve's time limit
// (its context ends then), so the solve still ends on time with a plan.
func TestOutsideLPLongReach(t *testing.T) {
	requireCBC(t)
	inst, prices := noReachCounty(t)
	t.Run("places", func(t *testing.T) {
		calls := 0
		counted := func(ctx context.Context, p *solver.SparseLP) ([]float64, error) {
			calls++
			return cbcLP(ctx, p)
		}
		solve := func(lp solver.LPFunc) *planner.Solution {
			sol, err := solver.Solve(context.Background(), inst, solver.Options{TimeLimit: 10 * time.Minute, NodeLimit: 600, Prices: prices, LP: lp})
			if err != nil {
				t.Fatal(err)
			}
			return sol
		}
		with := solve(counted)
		without := solve(nil)
		t.Logf("%d groups, %d sites, %d arcs: %d outside LPs; objective %.1f with them, %.1f without (bound %.1f)",
			len(inst.Groups), len(inst.Sites), len(inst.Arcs), calls, with.Info.Objective, without.Info.Objective, with.Info.Bound)
		if calls == 0 {
			t.Fatal("the solver never asked for the outside LP")
		}
		if with.Info.Objective <= without.Info.Objective {
			t.Errorf("objective %.4f with the outside LP, %.4f without", with.Info.Objective, without.Info.Objective)
		}
	})
	t.Run("ends with the solve", func(t *testing.T) {
		called := false
		stuck := func(ctx context.Context, _ *solver.SparseLP) ([]float64, error) {
			called = true
			<-ctx.Done()
			return nil, ctx.Err()
		}
		const limit = 20 * time.Second
		start := time.Now()
		sol, err := solver.Solve(context.Background(), inst, solver.Options{TimeLimit: limit, Prices: prices, LP: stuck})
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("ended after %v with objective %.1f; the outside LP was asked: %v", took.Round(time.Millisecond), sol.Info.Objective, called)
		if !called {
			t.Fatal("the solver never asked for the outside LP")
		}
		// an outside LP outliving the solve would hold it until the
		// test's own timeout; a minute of slack is for a loaded machine
		if took > limit+time.Minute {
			t.Fatalf("the solve took %v of a %v limit", took, limit)
		}
	})
}
