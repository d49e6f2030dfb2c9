package solver

import (
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner/mip"
)

// parkRows are the coefficients of one park's rows for one specialty, per
// arc at the site (siteArcs order): floor (capacity row), and the three
// share rows (firms, floor, small/micro), each "≥ 0" — planner/mip's
// coefficients of ruleCapacity, ruleSpecialtyShare and ruleSmallMicroShare
// (mip.ParkCoef), with the site's y fixed at 1.
type parkRows struct {
	floor, firm, floorShare, small []float64
}

func (m *model) parkRowsOf(s, k int) parkRows {
	arcs := m.siteArcs[s]
	r := parkRows{
		floor: make([]float64, len(arcs)), firm: make([]float64, len(arcs)),
		floorShare: make([]float64, len(arcs)), small: make([]float64, len(arcs)),
	}
	for i, a := range arcs {
		c := mip.ParkCoef(m.inst, a, k)
		r.floor[i], r.firm[i], r.floorShare[i], r.small[i] = c.Capacity, c.ShareFirms, c.ShareFloor, c.SmallMicro
	}
	return r
}

// parkLP maximises Σ price[i]·x[i] over one park's rows (capacity and the
// three share rows) with 0 ≤ x[i] ≤ ub[i]; i runs over siteArcs[s]. It
// returns the value and x. Columns that can never help (price ≤ 0 and no
// positive share coefficient) are left at 0.
func (m *model) parkLP(s int, rows parkRows, price, ub []float64) (float64, []float64) {
	arcs := m.siteArcs[s]
	x := make([]float64, len(arcs))
	var cols []int
	for i := range arcs {
		if ub[i] <= 0 {
			continue
		}
		if price[i] > 0 || rows.firm[i] > 0 || rows.small[i] > 0 {
			cols = append(cols, i)
		}
	}
	anyPositive := false
	for _, i := range cols {
		if price[i] > 0 {
			anyPositive = true
			break
		}
	}
	if !anyPositive {
		return 0, x
	}
	n := len(cols)
	p := &lpProblem{n: n, c: make([]float64, n), lo: make([]float64, n), up: make([]float64, n)}
	fl, fi, fs, sm := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for j, i := range cols {
		p.c[j] = price[i]
		p.up[j] = ub[i]
		fl[j], fi[j], fs[j], sm[j] = rows.floor[i], rows.firm[i], rows.floorShare[i], rows.small[i]
	}
	p.addRow(fl, senseLE, m.inst.Sites[s].CapacityM2)
	p.addRow(fi, senseGE, 0)
	p.addRow(fs, senseGE, 0)
	p.addRow(sm, senseGE, 0)
	sol, obj, err := solveLP(p)
	if err != nil {
		// x = 0 is always feasible; a numerical failure must not make the
		// bound invalid, so fall back to the box bound (every positive
		// price at its upper bound, capacity ignored).
		v := 0.0
		for _, i := range cols {
			if price[i] > 0 {
				v += price[i] * ub[i]
			}
		}
		return v, x
	}
	for j, i := range cols {
		x[i] = sol[j]
	}
	return obj, x
}

// rowsSlack returns the slacks (capacity, firm share, floor share, small
// share) of integer counts c at a park.
func (m *model) rowsSlack(s int, rows parkRows, c []int) [4]float64 {
	sl := [4]float64{m.inst.Sites[s].CapacityM2, 0, 0, 0}
	for i, n := range c {
		if n == 0 {
			continue
		}
		f := float64(n)
		sl[0] -= f * rows.floor[i]
		sl[1] += f * rows.firm[i]
		sl[2] += f * rows.floorShare[i]
		sl[3] += f * rows.small[i]
	}
	return sl
}

// repairTol is the margin the placement keeps inside each row, well inside
// ruleTol so that sums recomputed in another order still pass.
const repairTol = 1e-8

// roundPark turns an LP point x of a park into integer counts that meet
// its rows: round down (never above avail), remove firms that break a
// share rule (the least valuable of those that hurt most), then fill
// greedily by value while every row holds. value[i] is the per-firm value
// used for filling (firms of value ≤ 0 are not added).
func (m *model) roundPark(s int, rows parkRows, x []float64, avail []int, value []float64) []int {
	arcs := m.siteArcs[s]
	c := make([]int, len(arcs))
	for i := range arcs {
		c[i] = min(int(math.Floor(x[i]+intTol)), avail[i])
		if c[i] < 0 {
			c[i] = 0
		}
	}
	// Repair.
	for {
		sl := m.rowsSlack(s, rows, c)
		if sl[0] >= -repairTol && sl[1] >= -repairTol && sl[2] >= -repairTol && sl[3] >= -repairTol {
			break
		}
		best, bestScore := -1, 0.0
		for i, n := range c {
			if n == 0 {
				continue
			}
			score := 0.0
			if sl[0] < -repairTol {
				score += rows.floor[i] / math.Max(1, -sl[0])
			}
			if sl[1] < -repairTol {
				score -= rows.firm[i]
			}
			if sl[2] < -repairTol {
				score -= rows.floorShare[i] / math.Max(1, rows.floor[i])
			}
			if sl[3] < -repairTol {
				score -= rows.small[i]
			}
			if score <= 0 {
				continue
			}
			if best < 0 || score > bestScore+1e-12 || (score >= bestScore-1e-12 && value[i] < value[best]) {
				best, bestScore = i, score
			}
		}
		if best < 0 {
			// nothing removable helps (cannot happen: removing every firm
			// meets all rows); clear the park to stay safe
			for i := range c {
				c[i] = 0
			}
			break
		}
		c[best]--
	}
	m.fillPark(s, rows, c, avail, value)
	return c
}

// fillPark adds firms one at a time, most valuable first, while every row
// of the park holds.
func (m *model) fillPark(s int, rows parkRows, c []int, avail []int, value []float64) {
	order := make([]int, 0, len(c))
	for i := range c {
		if value[i] > 0 {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return value[order[a]] > value[order[b]] })
	sl := m.rowsSlack(s, rows, c)
	for pass := 0; pass < 4; pass++ {
		added := false
		for _, i := range order {
			for c[i] < avail[i] {
				if sl[0]-rows.floor[i] < -repairTol || sl[1]+rows.firm[i] < -repairTol ||
					sl[2]+rows.floorShare[i] < -repairTol || sl[3]+rows.small[i] < -repairTol {
					break
				}
				c[i]++
				sl[0] -= rows.floor[i]
				sl[1] += rows.firm[i]
				sl[2] += rows.floorShare[i]
				sl[3] += rows.small[i]
				added = true
			}
		}
		if !added {
			break
		}
	}
}
