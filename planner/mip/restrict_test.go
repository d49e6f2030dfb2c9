package mip_test

import (
	"slices"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
)

// TestRestrict: keeping every arc gives the model back; keeping some
// drops exactly the other arcs' x columns and link rows, keeps every
// other row with the same coefficients on the columns left, and maps
// each column and row of the restricted model to the one it came from.
func TestRestrict(t *testing.T) {
	for name, inst := range instances(t) {
		t.Run(name, func(t *testing.T) {
			m := mip.Build(inst, mip.Compact)
			all, cols, rows := m.Restrict(func(int) bool { return true })
			if len(all.Columns) != len(m.Columns) || len(all.Rows) != len(m.Rows) || len(cols) != len(m.Columns) || len(rows) != len(m.Rows) {
				t.Fatalf("keeping every arc: %d columns, %d rows of %d, %d", len(all.Columns), len(all.Rows), len(m.Columns), len(m.Rows))
			}
			keepArc := func(a int) bool { return a%3 != 1 }
			keep := func(j int) bool { c := m.Columns[j]; return keepArc(c.Arc) && c.Spec != 1 }
			sub, cols, rows := m.Restrict(keep)
			links := 0
			for _, r := range m.Rows {
				if r.Rule == planner.RuleLink && !keep(m.X[r.Arc][r.Spec]) {
					links++
				}
			}
			if len(sub.Rows) != len(m.Rows)-links {
				t.Errorf("%d rows, want %d less %d dropped link rows", len(sub.Rows), len(m.Rows), links)
			}
			for j, c := range sub.Columns {
				if c != m.Columns[cols[j]] || (c.Kind == mip.KindX && !keep(cols[j])) {
					t.Fatalf("column %d: %+v from %d (%+v)", j, c, cols[j], m.Columns[cols[j]])
				}
				if c.Kind == mip.KindX && sub.X[c.Arc][c.Spec] != j || c.Kind == mip.KindY && sub.Y[c.Site][c.Year][c.Spec] != j {
					t.Fatalf("column %d (%+v) not at its place in X or Y", j, c)
				}
			}
			for i, r := range sub.Rows {
				from := m.Rows[rows[i]]
				if r.Rule != from.Rule || r.Sense != from.Sense || r.RHS != from.RHS || r.Arc != from.Arc || r.Group != from.Group {
					t.Fatalf("row %d is not row %d", i, rows[i])
				}
				var want []float64
				for x, j := range from.Cols {
					if c := m.Columns[j]; c.Kind != mip.KindX || keep(j) {
						want = append(want, from.Coefs[x])
					}
				}
				if !slices.Equal(r.Coefs, want) {
					t.Fatalf("row %d (%s): coefficients %v, want %v", i, r.Rule, r.Coefs, want)
				}
				for x, j := range r.Cols {
					if m.Columns[cols[j]] != sub.Columns[j] || from.Coefs[slices.Index(from.Cols, cols[j])] != r.Coefs[x] {
						t.Fatalf("row %d: column %d is not the one it came from", i, j)
					}
				}
			}
		})
	}
}
