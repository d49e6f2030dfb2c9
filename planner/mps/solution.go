package mps

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
)

// IntTol is how far from an integer a solver's value may lie and still be
// read as that integer (solvers report e.g. 0.9999999997).
const IntTol = 1e-5

// Solution turns column values (indexed like Columns) into a planner.Solution.
// It returns an error when a value is not integral within IntTol or a site
// opens twice.
func (m *Model) Solution(values []float64) (*planner.Solution, error) {
	if len(values) != len(m.Columns) {
		return nil, fmt.Errorf("mps: %d values for %d columns", len(values), len(m.Columns))
	}
	round := func(col int) (int, error) {
		v := values[col]
		r := math.Round(v)
		if math.Abs(v-r) > IntTol {
			return 0, fmt.Errorf("mps: column %s = %v is not integral", m.ColumnName(col), v)
		}
		return int(r), nil
	}
	inst := m.Inst
	sol := &planner.Solution{
		Year:      make([]int, len(inst.Sites)),
		Specialty: make([]int, len(inst.Sites)),
		Count:     make([]int, len(inst.Arcs)),
	}
	for s := range inst.Sites {
		sol.Year[s] = -1
		for t, ks := range m.Y[s] {
			for k, col := range ks {
				if col < 0 {
					continue
				}
				v, err := round(col)
				if err != nil {
					return nil, err
				}
				if v == 1 {
					if sol.Year[s] >= 0 {
						return nil, fmt.Errorf("mps: site %s opens twice", inst.Sites[s].ParcelID)
					}
					sol.Year[s], sol.Specialty[s] = t, k
				}
			}
		}
	}
	for a, ks := range m.X {
		for k, col := range ks {
			v, err := round(col)
			if err != nil {
				return nil, err
			}
			if v != 0 && (sol.Year[inst.Arcs[a].Site] < 0 || sol.Specialty[inst.Arcs[a].Site] != k) {
				return nil, fmt.Errorf("mps: column %s = %d under a specialty its site did not take", m.ColumnName(col), v)
			}
			sol.Count[a] += v
		}
	}
	return sol, nil
}

// Values turns a planner.Solution into column values (the inverse of
// Solution), e.g. to check a plan against the rows.
func (m *Model) Values(sol *planner.Solution) []float64 {
	v := make([]float64, len(m.Columns))
	for s := range m.Inst.Sites {
		if t := sol.Year[s]; t >= 0 {
			if col := m.Y[s][t][sol.Specialty[s]]; col >= 0 {
				v[col] = 1
			}
		}
	}
	for a, arc := range m.Inst.Arcs {
		if t := sol.Year[arc.Site]; t >= 0 {
			v[m.X[a][sol.Specialty[arc.Site]]] = float64(sol.Count[a])
		}
	}
	return v
}

// Violations lists the rows and bounds values break by more than tol, by
// name and meaning; the objective (of the plan, not negated) is returned too.
func (m *Model) Violations(values []float64, tol float64) (objective float64, bad []string) {
	for j, c := range m.Columns {
		x := values[j]
		objective += c.Obj * x
		if x < c.Lo-tol || x > c.Up+tol {
			bad = append(bad, fmt.Sprintf("%s (%s) = %v outside [%v, %v]", m.ColumnName(j), m.ColumnMeaning(j), x, c.Lo, c.Up))
		}
	}
	for i, r := range m.Rows {
		a, _ := activity(r, values)
		if (r.Sense == mip.LE && a > r.RHS+tol) || (r.Sense == mip.GE && a < r.RHS-tol) || (r.Sense == mip.EQ && math.Abs(a-r.RHS) > tol) {
			bad = append(bad, fmt.Sprintf("%s (%s): %v %c %v", m.RowName(i), m.Meaning(i), a, r.Sense, r.RHS))
		}
	}
	return objective, bad
}

// activity is Σ coef·value over row r, and whether any of its columns is non-zero.
func activity(r mip.Row, values []float64) (act float64, live bool) {
	for x, j := range r.Cols {
		if v := values[j]; v != 0 {
			act += r.Coefs[x] * v
			live = true
		}
	}
	return act, live
}

// Binding lists, in planning words ("quota zhouxiang 2020", "capacity
// P-0001"), the rules among target, new-land cap, quota, budget, capacity
// and the share rules that hold with equality at values (within 1e-6
// relative), leaving out rows whose every variable is 0 (a closed park's).
func (m *Model) Binding(values []float64) []string {
	var out []string
	for i, r := range m.Rows {
		if act, live := activity(r, values); live && math.Abs(act-r.RHS) <= 1e-6*math.Max(1, math.Abs(r.RHS)) {
			if w := m.Words(i); w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}
