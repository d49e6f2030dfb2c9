package solver

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/randinst"
)

// TestFullMIPIsTheMPSModel checks that the solver's dense full model is
// the model CBC solves from the MPS: the same objective and bounds on the
// same variables, and the same rows in the same order, coefficient for
// coefficient. The dense layout's extra y of a locked site (other years,
// other specialties) are not in the MPS; they must be fixed at 0.
func TestFullMIPIsTheMPSModel(t *testing.T) {
	carry := randinst.Small()
	carry.QuotaCarryOver = true
	noBudget := randinst.Small()
	noBudget.BudgetShare = 0
	var cases []struct {
		name string
		seed int64
		size randinst.Size
	}
	for seed := int64(1); seed <= 6; seed++ {
		for _, size := range []randinst.Size{randinst.Tiny(), randinst.Small(), carry, noBudget} {
			cases = append(cases, struct {
				name string
				seed int64
				size randinst.Size
			}{fmt.Sprintf("%s-carry%v-budget%v-seed%d", size.Name, size.QuotaCarryOver, size.BudgetShare > 0, seed), seed, size})
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inst := randinst.Generate(tc.seed, tc.size)
			f := buildFullMIP(newModel(inst))
			m := mps.Build(inst)
			p := &f.prob
			// dense[j]: the full model's column of the MPS column j.
			dense := make([]int, len(m.Columns))
			inMPS := make([]bool, p.n)
			for j, c := range m.Columns {
				switch c.Kind {
				case mip.KindY:
					dense[j] = f.yIdx[c.Site][c.Year][c.Spec]
				case mip.KindX:
					dense[j] = f.xIdx[c.Arc][c.Spec]
				default:
					t.Fatalf("MPS column %s of kind %c", m.ColumnName(j), c.Kind)
				}
				d := dense[j]
				inMPS[d] = true
				if p.c[d] != c.Obj || p.lo[d] != c.Lo || p.up[d] != c.Up {
					t.Errorf("%s (%s): full model has obj %v bounds [%v, %v], MPS %v [%v, %v]",
						m.ColumnName(j), m.ColumnMeaning(j), p.c[d], p.lo[d], p.up[d], c.Obj, c.Lo, c.Up)
				}
			}
			for d := 0; d < p.n; d++ {
				if !inMPS[d] && (p.lo[d] != 0 || p.up[d] != 0) {
					t.Errorf("full-model column %d is not in the MPS but free in [%v, %v]", d, p.lo[d], p.up[d])
				}
			}
			if rows, cols := f.m.fullSize(); cols != p.n || rows < len(p.rows) {
				t.Errorf("fullSize %d rows × %d columns; the model has %d × %d", rows, cols, len(p.rows), p.n)
			}
			if len(p.rows) != len(m.Rows) {
				t.Fatalf("full model has %d rows, MPS %d", len(p.rows), len(m.Rows))
			}
			want := make([]float64, p.n)
			for i, r := range m.Rows {
				clear(want)
				for x, j := range r.Cols {
					want[dense[j]] += r.Coefs[x]
				}
				if p.sense[i] != lpSense(r.Sense) || p.rhs[i] != r.RHS {
					t.Errorf("row %d (%s): full model sense %d rhs %v, MPS %c %v", i, m.Meaning(i), p.sense[i], p.rhs[i], r.Sense, r.RHS)
				}
				for d, got := range p.rows[i] {
					if inMPS[d] && got != want[d] {
						t.Errorf("row %d (%s), column %d: full model %v, MPS %v", i, m.Meaning(i), d, got, want[d])
					}
				}
			}
		})
	}
}
