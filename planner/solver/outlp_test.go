package solver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// ownLP is an Options.LP answering with the package's own simplex: the
// outside path's plumbing tested against the dense path on the same LP.
func ownLP(calls *int) LPFunc {
	return func(_ context.Context, p *SparseLP) ([]float64, error) {
		*calls++
		x, _, _, err := solveLPStop(p.dense(), nil)
		return x, err
	}
}

// TestPlaceLPOutside checks the placement of every park by an outside LP
// (Options.LP), which the solver uses when its dense tableau cannot hold
// the LP: given the same LP answer it places the firms exactly as the
// dense path does (the same counts, every rule kept, by the solver's own
// check and the oracle's); a failing or malformed outside answer leaves
// the plan unchanged.
func TestPlaceLPOutside(t *testing.T) {
	placed := 0
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprintf("small-seed%d", seed), func(t *testing.T) {
			inst, sol, err := tightSmall(seed)
			if err != nil {
				t.Skipf("no plan to place: %v", err)
			}
			start := func() *planner.Solution {
				return &planner.Solution{Year: sol.Year, Specialty: sol.Specialty, Count: slices.Clone(sol.Count)}
			}
			dense := start()
			own := newModel(inst)
			ok, _, denseLP := own.placeLPValue(dense, nil, nil)
			if !ok {
				t.Skip("the placement LP is too large for one tableau")
			}

			calls := 0
			out := newModel(inst)
			out.denseMaxCells = 0 // every placement LP goes outside
			out.outLP = func(p *SparseLP) ([]float64, float64, error) { return p.solveOut(context.Background(), ownLP(&calls)) }
			outside := start()
			ok, _, outLP := out.placeLPValue(outside, nil, nil)
			if !ok || calls != 1 {
				t.Fatalf("outside placement: ok %v after %d calls", ok, calls)
			}
			if math.Abs(outLP-denseLP) > 1e-9*math.Max(1, math.Abs(denseLP)) {
				t.Fatalf("LP optimum %.9f outside, %.9f dense", outLP, denseLP)
			}
			if !slices.Equal(outside.Count, dense.Count) {
				t.Fatal("the outside LP's answer placed the firms differently from the dense tableau's")
			}
			if msg := out.check(outside); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			if msg := brutePlacementHolds(inst, outside); msg != "" {
				t.Fatalf("the oracle's check: %s", msg)
			}
			v := 0.0
			for a, n := range outside.Count {
				v += inst.Arcs[a].Value * float64(n)
			}
			if v > outLP+1e-6*math.Max(1, math.Abs(outLP)) {
				t.Fatalf("placement %.6f above its LP %.6f", v, outLP)
			}
			placed++

			for _, bad := range []struct {
				name string
				f    LPFunc
			}{
				{"error", func(context.Context, *SparseLP) ([]float64, error) { return nil, errors.New("no optimum") }},
				{"short answer", func(_ context.Context, p *SparseLP) ([]float64, error) { return make([]float64, len(p.C)-1), nil }},
				{"above a bound", func(_ context.Context, p *SparseLP) ([]float64, error) {
					x := make([]float64, len(p.C))
					x[0] = p.Up[0] + 1
					return x, nil
				}},
			} {
				t.Run(bad.name, func(t *testing.T) {
					m := newModel(inst)
					m.denseMaxCells = 0
					m.outLP = func(p *SparseLP) ([]float64, float64, error) { return p.solveOut(context.Background(), bad.f) }
					s := start()
					if ok, _, _ := m.placeLPValue(s, nil, nil); ok {
						t.Fatal("placed from a bad outside answer")
					}
					if !slices.Equal(s.Count, sol.Count) {
						t.Fatal("a refused outside answer changed the plan")
					}
				})
			}
		})
	}
	if placed < 4 {
		t.Errorf("placed %d of 6 instances; want at least 4", placed)
	}
}

// TestSparseLPDense checks the dense tableau made from a SparseLP: each
// row's coefficients in their columns (repeated columns added), senses
// and right-hand sides kept, and the SparseLP's own slices not shared.
func TestSparseLPDense(t *testing.T) {
	p := &SparseLP{C: []float64{1, 2, 3}, Lo: []float64{0, 0, 1}, Up: []float64{4, 5, 6}}
	p.addRow([]int{0, 2, 2}, []float64{1, 2, 0.5}, RowLE, 7)
	p.addRow([]int{1}, []float64{-1}, RowGE, -3)
	p.addRow(nil, nil, RowEQ, 0)
	d := p.dense()
	want := [][]float64{{1, 0, 2.5}, {0, -1, 0}, {0, 0, 0}}
	for i, row := range want {
		if !slices.Equal(d.rows[i], row) {
			t.Errorf("row %d: %v, want %v", i, d.rows[i], row)
		}
	}
	if !slices.Equal(d.sense, []int{senseLE, senseGE, senseEQ}) || !slices.Equal(d.rhs, []float64{7, -3, 0}) {
		t.Errorf("senses %v, rhs %v", d.sense, d.rhs)
	}
	if p.cells() != 3*(3+3) {
		t.Errorf("cells %d, want 18", p.cells())
	}
	d.up[0] = 0
	if p.Up[0] != 4 {
		t.Error("the dense tableau shares the SparseLP's bounds")
	}
}
