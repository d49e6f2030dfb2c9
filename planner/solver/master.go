package solver

import (
	"math"
)

// The site master: given a value w[s] for opening each site (its fixed
// value plus the best firm value of its specialties) and prices rho[t] ≥ 0
// on the yearly budget rows, choose which sites open in which year to
// maximise Σ w − Σ rho·cost under ruleTargetParks, ruleEveryTown,
// ruleNewLandCap and ruleQuota exactly. Budget rows enter only through
// rho (Lagrangian), so the master is exact for them only when they are
// slack. It is solved by enumeration inside each town (quota rows are per
// town) and dynamic programming across towns over (parks by the target
// year, parks on new land).

// townEntry is a town's best choice for a given (parks by target, new-land parks).
type townEntry struct {
	value  float64
	years  []int       // per site of the town (townSites order): year or −1
	choice *townChoice // townExact's plan of the town (nil in the site master)
}

// townTable holds a town's entries indexed [nt][nn].
type townTable struct {
	entries [][]*townEntry
}

// masterResult is the master's optimum.
type masterResult struct {
	value    float64
	year     []int // per site, −1 closed
	feasible bool
}

// solveMaster solves the site master exactly (budget priced by rho).
func (m *model) solveMaster(w []float64, rho []float64) masterResult {
	inst := m.inst
	tables := make([]townTable, len(inst.Towns))
	for town := range inst.Towns {
		tables[town] = m.townTable(town, w, rho)
	}
	value, picks, ok := m.combineTowns(tables)
	res := masterResult{value: value, feasible: ok}
	if !ok {
		return res
	}
	res.year = make([]int, len(inst.Sites))
	for town, e := range picks {
		for i, s := range m.townSites[town] {
			res.year[s] = e.years[i]
		}
	}
	return res
}

// combineTowns picks one entry of each town's table to maximise their
// total under ruleTargetParks, ruleEveryTown and ruleNewLandCap, by
// dynamic programming over towns: state (min(parks by the target year,
// target), parks on new land ≤ cap). ok is false when no choice meets
// them (value −Inf).
func (m *model) combineTowns(tables []townTable) (value float64, picks []*townEntry, ok bool) {
	inst := m.inst
	sc := &inst.Scenario
	target := max(0, sc.TargetParks)
	capNN := sc.MaxNewLandParks
	nnDim := 1
	if capNN >= 0 {
		nnDim = capNN + 1
	}
	ntDim := target + 1
	idx := func(nt, nn int) int { return nt*nnDim + nn }
	negInf := math.Inf(-1)
	cur := make([]float64, ntDim*nnDim)
	for i := range cur {
		cur[i] = negInf
	}
	cur[idx(0, 0)] = 0
	type back struct{ prev, nt, nn int32 }
	backs := make([][]back, len(tables))
	for town := range tables {
		next := make([]float64, len(cur))
		for i := range next {
			next[i] = negInf
		}
		bk := make([]back, len(cur))
		opts := tables[town].pareto(sc.EveryTown)
		for st, v := range cur {
			if v == negInf {
				continue
			}
			snt, snn := st/nnDim, st%nnDim
			for _, o := range opts {
				tnn := snn
				if capNN >= 0 {
					tnn += o.nn
					if tnn > capNN {
						continue
					}
				}
				j := idx(min(target, snt+o.nt), tnn)
				if cand := v + o.value; cand > next[j] {
					next[j] = cand
					bk[j] = back{int32(st), int32(o.nt), int32(o.nn)}
				}
			}
		}
		cur = next
		backs[town] = bk
	}
	value = negInf
	bestState := -1
	for nn := 0; nn < nnDim; nn++ {
		if v := cur[idx(target, nn)]; v > value {
			value, bestState = v, idx(target, nn)
		}
	}
	if bestState < 0 {
		return value, nil, false
	}
	picks = make([]*townEntry, len(tables))
	st := bestState
	for town := len(tables) - 1; town >= 0; town-- {
		b := backs[town][st]
		picks[town] = tables[town].entries[b.nt][b.nn]
		st = int(b.prev)
	}
	return value, picks, true
}

// quotaHolds reports whether new land opened use[t] mu in each year t
// keeps the town's quota rows (cumulative with carry-over).
func (m *model) quotaHolds(town int, use []float64) bool {
	used := 0.0
	for t := 0; t < m.nT; t++ {
		if m.inst.Scenario.QuotaCarryOver {
			used += use[t]
		} else {
			used = use[t]
		}
		if used > m.quotaLimit(town, t)+ruleTol {
			return false
		}
	}
	return true
}

// yearValue is the value of opening site s in year t under budget prices.
func (m *model) yearValue(s, t int, w, rho []float64) float64 {
	v := w[s] + m.landCharge(s, t)
	if m.budgeted[t] {
		v -= rho[t] * m.inst.Sites[s].CostWan
	}
	return v
}

// townTable enumerates a town's choices: locked sites fixed; new-land
// candidates by depth-first search under the quota rows; old-factory
// candidates by a DP over how many open by the target year.
func (m *model) townTable(town int, w, rho []float64) townTable {
	inst := m.inst
	sc := &inst.Scenario
	sites := m.townSites[town]
	nT, tt := m.nT, inst.TargetT
	years := make([]int, len(sites))
	base, baseNT, baseNN := 0.0, 0, 0
	quotaUse := make([]float64, nT) // mu of new land opened in each year
	var newLand, old []int          // positions in sites
	for i, s := range sites {
		site := inst.Sites[s]
		years[i] = -1
		switch {
		case site.Locked:
			years[i] = site.LockedYear
			base += m.yearValue(s, site.LockedYear, w, rho)
			if site.LockedYear <= tt {
				baseNT++
			}
			if m.newLand(s) {
				baseNN++
				quotaUse[site.LockedYear] += site.AreaMu
			}
		case m.newLand(s):
			newLand = append(newLand, i)
		default:
			old = append(old, i)
		}
	}
	// Old-factory DP: best[c] with c opened by the target year.
	type oldOpt struct {
		early, late   float64
		eYear, lYear  int
		hasE, hasLate bool
	}
	opts := make([]oldOpt, len(old))
	for j, i := range old {
		s := sites[i]
		o := oldOpt{early: math.Inf(-1), late: math.Inf(-1), eYear: -1, lYear: -1}
		for t := 0; t < nT; t++ {
			v := m.yearValue(s, t, w, rho)
			if t <= tt {
				if v > o.early {
					o.early, o.eYear, o.hasE = v, t, true
				}
			} else if v > o.late {
				o.late, o.lYear, o.hasLate = v, t, true
			}
		}
		opts[j] = o
	}
	nOld := len(old)
	oldDP := make([][]float64, nOld+1) // oldDP[j][c]: best over first j old sites
	oldCh := make([][]int8, nOld+1)    // choice: 0 closed, 1 early, 2 late
	for j := range oldDP {
		oldDP[j] = make([]float64, nOld+1)
		oldCh[j] = make([]int8, nOld+1)
		for c := range oldDP[j] {
			oldDP[j][c] = math.Inf(-1)
		}
	}
	oldDP[0][0] = 0
	for j := 0; j < nOld; j++ {
		o := opts[j]
		for c := 0; c <= j; c++ {
			v := oldDP[j][c]
			if v == math.Inf(-1) {
				continue
			}
			// closed, or open late: count unchanged
			stay, ch := v, int8(0)
			if o.hasLate && v+o.late > stay {
				stay, ch = v+o.late, 2
			}
			if stay > oldDP[j+1][c] {
				oldDP[j+1][c], oldCh[j+1][c] = stay, ch
			}
			if o.hasE && v+o.early > oldDP[j+1][c+1] {
				oldDP[j+1][c+1], oldCh[j+1][c+1] = v+o.early, 1
			}
		}
	}
	oldYears := func(c int, into []int) {
		for j := nOld; j > 0; j-- {
			switch oldCh[j][c] {
			case 1:
				into[old[j-1]] = opts[j-1].eYear
				c--
			case 2:
				into[old[j-1]] = opts[j-1].lYear
			default:
				into[old[j-1]] = -1
			}
		}
	}
	ntMax := baseNT + len(newLand) + nOld
	nnMax := baseNN + len(newLand)
	tbl := townTable{entries: make([][]*townEntry, ntMax+1)}
	for i := range tbl.entries {
		tbl.entries[i] = make([]*townEntry, nnMax+1)
	}
	capNN := sc.MaxNewLandParks
	quotaOK := func() bool { return m.quotaHolds(town, quotaUse) }
	if !quotaOK() {
		return tbl // locked new land alone breaks the quota: no entry
	}
	var dfs func(j, nt, nn int, val float64)
	dfs = func(j, nt, nn int, val float64) {
		if j == len(newLand) {
			for c := 0; c <= nOld; c++ {
				ov := oldDP[nOld][c]
				if ov == math.Inf(-1) {
					continue
				}
				e := tbl.entries[nt+c][nn]
				if e == nil || val+ov > e.value {
					ys := append([]int(nil), years...)
					oldYears(c, ys)
					tbl.entries[nt+c][nn] = &townEntry{value: val + ov, years: ys}
				}
			}
			return
		}
		i := newLand[j]
		s := sites[i]
		years[i] = -1
		dfs(j+1, nt, nn, val)
		if capNN >= 0 && nn+1 > capNN {
			return
		}
		area := inst.Sites[s].AreaMu
		for t := 0; t < nT; t++ {
			quotaUse[t] += area
			if quotaOK() {
				years[i] = t
				ent := 0
				if t <= tt {
					ent = 1
				}
				dfs(j+1, nt+ent, nn+1, val+m.yearValue(s, t, w, rho))
			}
			quotaUse[t] -= area
		}
		years[i] = -1
	}
	dfs(0, baseNT, baseNN, base)
	return tbl
}

// options lists every entry of the town's table, in (nt, nn) order; with
// everyTown, not those with no early park.
func (tb townTable) options(everyTown bool) []townOption {
	var all []townOption
	for nt, row := range tb.entries {
		if everyTown && nt == 0 {
			continue
		}
		for nn, e := range row {
			if e != nil {
				all = append(all, townOption{nt, nn, e.value})
			}
		}
	}
	return all
}

// townOption is an entry of a town's table.
type townOption struct {
	nt, nn int
	value  float64
}

// pareto lists the town's entries that no other entry dominates (at least
// as many parks by the target year, at most as many on new land, at least
// the value): only those can be part of an optimal master choice, since
// more early parks never hurt the target and fewer new-land parks never
// hurt the cap. With everyTown, entries with no early park are dropped.
// The order (nt, nn ascending) keeps the DP's ties deterministic.
func (tb townTable) pareto(everyTown bool) []townOption {
	all := tb.options(everyTown)
	var out []townOption
	for i, a := range all {
		dominated := false
		for j, b := range all {
			if i == j {
				continue
			}
			if b.nt >= a.nt && b.nn <= a.nn && b.value >= a.value &&
				(b.nt > a.nt || b.nn < a.nn || b.value > a.value || j < i) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, a)
		}
	}
	return out
}
