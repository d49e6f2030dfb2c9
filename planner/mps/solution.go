package mps

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/planner"
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
			return 0, fmt.Errorf("mps: column %s = %v is not integral", m.Columns[col].Name, v)
		}
		return int(r), nil
	}
	inst := m.inst
	sol := &planner.Solution{
		Year:      make([]int, len(inst.Sites)),
		Specialty: make([]int, len(inst.Sites)),
		Count:     make([]int, len(inst.Arcs)),
	}
	for s := range inst.Sites {
		sol.Year[s] = -1
		for t, ks := range m.YCol[s] {
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
	for a, ks := range m.XCol {
		for k, col := range ks {
			v, err := round(col)
			if err != nil {
				return nil, err
			}
			if v != 0 && (sol.Year[inst.Arcs[a].Site] < 0 || sol.Specialty[inst.Arcs[a].Site] != k) {
				return nil, fmt.Errorf("mps: column %s = %d under a specialty its site did not take", m.Columns[col].Name, v)
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
	for s := range m.inst.Sites {
		if t := sol.Year[s]; t >= 0 {
			if col := m.YCol[s][t][sol.Specialty[s]]; col >= 0 {
				v[col] = 1
			}
		}
	}
	for a, arc := range m.inst.Arcs {
		if t := sol.Year[arc.Site]; t >= 0 {
			v[m.XCol[a][sol.Specialty[arc.Site]]] = float64(sol.Count[a])
		}
	}
	return v
}

// Violations lists the rows and bounds values break by more than tol, by
// name and meaning; the objective (of the plan, not negated) is returned too.
func (m *Model) Violations(values []float64, tol float64) (objective float64, bad []string) {
	act := make([]float64, len(m.Rows))
	for i, c := range m.Columns {
		x := values[i]
		objective -= c.Obj * x
		if x < c.Lo-tol || x > c.Up+tol {
			bad = append(bad, fmt.Sprintf("%s (%s) = %v outside [%v, %v]", c.Name, c.Meaning, x, c.Lo, c.Up))
		}
		for _, e := range c.entries {
			act[e.row] += e.coef * x
		}
	}
	for i, r := range m.Rows {
		a := act[i]
		if (r.Sense == 'L' && a > r.RHS+tol) || (r.Sense == 'G' && a < r.RHS-tol) || (r.Sense == 'E' && math.Abs(a-r.RHS) > tol) {
			bad = append(bad, fmt.Sprintf("%s (%s): %v %c %v", r.Name, r.Meaning, a, r.Sense, r.RHS))
		}
	}
	return objective, bad
}

// Binding lists, in planning words ("quota zhouxiang 2020", "capacity
// P-0001"), the rules among target, new-land cap, quota, budget, capacity
// and the share rules that hold with equality at values (within 1e-6
// relative), leaving out rows whose every variable is 0 (a closed park's).
func (m *Model) Binding(values []float64) []string {
	act := make([]float64, len(m.Rows))
	live := make([]bool, len(m.Rows))
	for i, c := range m.Columns {
		if values[i] == 0 {
			continue
		}
		for _, e := range c.entries {
			act[e.row] += e.coef * values[i]
			live[e.row] = true
		}
	}
	var out []string
	for i, r := range m.Rows {
		if r.Words != "" && live[i] && math.Abs(act[i]-r.RHS) <= 1e-6*math.Max(1, math.Abs(r.RHS)) {
			out = append(out, r.Words)
		}
	}
	return out
}
