package solver

import (
	"encoding/binary"
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// Town by town (townExact): when every firm group's arcs lie in one
// town (firms kept in their town, or a reach shorter than any distance
// between towns), no budget and no county allocation, the towns share
// nothing but the counting rows — parks by the target year
// (ruleTargetParks) and parks on new land (ruleNewLandCap) — which the
// site master's dynamic programme over towns already handles exactly.
// Each town is then solved on its own, exactly: for each set of its
// candidates opened, the best years under its quota rows for each count
// of early parks, and the best specialties with the firms placed by the
// town's placement LP (an upper bound) and in integers (a plan). The
// programme over towns on the plans' values gives a plan; on the upper
// bounds, a bound. Unlike the relaxation's bound (the LP bound at best:
// each site takes its own best specialty and a share of every firm
// group), it has every town's choice of sites and specialties integral,
// which is where the LP bound is loose when firms stay in their towns
// (drawn-1-28: LP bound 61,511.9, CBC's root cuts 60,771.9).
const (
	// townMaxCandidates caps a town's candidates (sites not locked): its
	// year patterns grow as (years+1)^n and its open sets as 2^n.
	townMaxCandidates = 8
	// townMaxPatterns caps the year patterns enumerated in one town.
	townMaxPatterns = 200_000
	// townMaxLeaves caps the specialty assignments of one open set whose
	// firms are placed; an open set cut there keeps its Lagrangian bound.
	townMaxLeaves = 400
	// townLeafNodes caps the branch and bound of one assignment's
	// placement in integers (placeTownInts).
	townLeafNodes = 300
	// townTol: a subtree of an open set's specialties is not searched when
	// its bound is within this share of the best plan's firm value (which
	// is then the set's bound): the price of searching far fewer
	// assignments whose placements differ only by the rounding of firms.
	townTol = 5e-4
	// townLPMargin is the relative margin added to a placement LP's
	// optimum before it serves as a bound (the simplex's round-off).
	townLPMargin = 1e-7
)

// townSeparable reports whether the towns share nothing but the counting
// rows and the yearly budgets (priced, townExact): every group's arcs in
// one town, no county allocation, and every town small enough to
// enumerate.
func (m *model) townSeparable() bool {
	inst := m.inst
	for t := range inst.Years {
		if inst.CountyCapped(t) {
			return false
		}
	}
	for _, arcs := range m.groupArcs {
		for _, a := range arcs {
			if inst.Sites[inst.Arcs[a].Site].Town != inst.Sites[inst.Arcs[arcs[0]].Site].Town {
				return false
			}
		}
	}
	for town := range inst.Towns {
		n := 0
		for _, s := range m.townSites[town] {
			if !inst.Sites[s].Locked {
				n++
			}
		}
		if n > townMaxCandidates {
			return false
		}
	}
	return true
}

// townChoice is one town's plan: per site of the town (townSites order)
// its year (−1 closed) and specialty, and the firms of its arcs
// (townArcs order).
type townChoice struct {
	years, spec []int
	count       []int
}

// townYears is the best years of one open set: value[nt] is the best
// Σ OpenValue with nt parks open by the target year (−Inf: none), years[nt]
// the years then (townSites order).
type townYears struct {
	value []float64
	years [][]int
}

// townExact solves the instance town by town (see above) when it
// separates, offering the plan and tightening the bound. lambda prices
// the place-once rows in the open sets' Lagrangian bounds, which only
// decide what is searched: every bound it reports holds for any prices.
// rho (nil: none) prices the yearly budgets, the one row the towns share
// besides the counting rows: each year pattern is worth its parks' value
// less rho times their cost in budgeted years, and the bound adds
// Σ rho·budget (a Lagrangian bound for any rho ≥ 0); its plan is offered
// only if it keeps the budgets (offer checks every row). done stops it
// (the towns not finished keep their Lagrangian bounds).
func (sr *search) townExact(lambda, rho []float64, done func() bool) {
	m := sr.m
	inst := m.inst
	if !m.townSeparable() {
		return
	}
	cost := make([]float64, m.nT) // per year: the price of a wan yuan spent
	budgetTerm := 0.0
	for t, b := range m.budgeted {
		if b && t < len(rho) {
			cost[t] = math.Max(0, rho[t])
			budgetTerm += cost[t] * inst.BudgetWan[t]
		}
	}
	pats := make([]map[uint32]*townYears, len(inst.Towns))
	for town := range inst.Towns {
		if pats[town] = m.townPatterns(town, m.townCandidates(town), cost); pats[town] == nil {
			return // too many year patterns to enumerate
		}
	}
	w := m.siteSpecialtyValues(lambda)
	lb := make([]townTable, len(inst.Towns))
	ub := make([]townTable, len(inst.Towns))
	for town := range inst.Towns {
		lb[town], ub[town] = sr.solveTown(town, pats[town], lambda, w, done)
	}
	if v, _, ok := m.combineTowns(ub); ok {
		sr.tighten(v + budgetTerm)
	}
	_, picks, ok := m.combineTowns(lb)
	if !ok {
		return
	}
	sol := &planner.Solution{Year: make([]int, len(inst.Sites)), Specialty: make([]int, len(inst.Sites)), Count: make([]int, len(inst.Arcs))}
	for s := range sol.Year {
		sol.Year[s] = -1
	}
	for town, e := range picks {
		c := e.choice
		for i, s := range m.townSites[town] {
			sol.Year[s], sol.Specialty[s] = c.years[i], c.spec[i]
		}
		for i, a := range m.townArcs(town) {
			sol.Count[a] = c.count[i]
		}
	}
	sr.offer(sol)
}

// siteSpecialtyValues is each (site, specialty)'s park LP value at the
// place-once prices lambda (at least 0: no firm is always feasible).
func (m *model) siteSpecialtyValues(lambda []float64) [][]float64 {
	inst := m.inst
	w := make([][]float64, len(inst.Sites))
	for s, site := range inst.Sites {
		arcs := m.siteArcs[s]
		price := make([]float64, len(arcs))
		ub := make([]float64, len(arcs))
		for i, a := range arcs {
			price[i] = inst.Arcs[a].Value - lambda[inst.Arcs[a].Group]
			ub[i] = float64(m.ub[a])
		}
		nk := len(site.Specialties)
		if site.Locked {
			nk = 1
		}
		w[s] = make([]float64, nk)
		for k := range w[s] {
			v, _ := m.parkLP(s, m.parkRowsOf(s, k), price, ub)
			w[s][k] = math.Max(0, v)*(1+townLPMargin) + townLPMargin
		}
	}
	return w
}

// townArcs is the arcs at the town's sites, site by site (townSites
// order), each site's in siteArcs order.
func (m *model) townArcs(town int) []int {
	var out []int
	for _, s := range m.townSites[town] {
		out = append(out, m.siteArcs[s]...)
	}
	return out
}

// solveTown is one town's tables: lb holds plans (entries with their
// choice), ub upper bounds, both indexed [parks by the target year][parks
// on new land]. An open set whose bound cannot beat what another with at
// least as many early parks and at most as many on new land already
// holds is not searched: no optimal plan of the county needs it.
func (sr *search) solveTown(town int, pats map[uint32]*townYears, lambda []float64, w [][]float64, done func() bool) (lb, ub townTable) {
	m := sr.m
	inst := m.inst
	sites := m.townSites[town]
	cand := m.townCandidates(town)
	lockedNN := 0
	for _, s := range sites {
		if inst.Sites[s].Locked && m.newLand(s) {
			lockedNN++
		}
	}
	ntMax := len(sites)
	nnMax := lockedNN
	for _, i := range cand {
		if m.newLand(sites[i]) {
			nnMax++
		}
	}
	newTable := func() townTable {
		t := townTable{entries: make([][]*townEntry, ntMax+1)}
		for i := range t.entries {
			t.entries[i] = make([]*townEntry, nnMax+1)
		}
		return t
	}
	lb, ub = newTable(), newTable()
	// The town's share of the Lagrangian bound: its groups' prices.
	lagConst := 0.0
	seen := map[int]bool{}
	for _, s := range sites {
		for _, a := range m.siteArcs[s] {
			if g := inst.Arcs[a].Group; !seen[g] {
				seen[g] = true
				lagConst += lambda[g] * float64(inst.Groups[g].Count)
			}
		}
	}
	maxW := func(s int) float64 {
		best := 0.0
		for _, v := range w[s] {
			best = math.Max(best, v)
		}
		return best
	}
	type openSet struct {
		mask  uint32
		nn    int
		bound float64 // Lagrangian bound of the firms' value
		yrs   *townYears
	}
	var sets []openSet
	for mask, yrs := range pats {
		b := lagConst
		nn := lockedNN
		for j, i := range cand {
			if mask&(1<<j) != 0 {
				b += maxW(sites[i])
				if m.newLand(sites[i]) {
					nn++
				}
			}
		}
		for _, s := range sites {
			if inst.Sites[s].Locked {
				b += w[s][0]
			}
		}
		sets = append(sets, openSet{mask: mask, nn: nn, bound: b, yrs: yrs})
	}
	best := func(o openSet) float64 {
		v := math.Inf(-1)
		for _, y := range o.yrs.value {
			v = math.Max(v, y)
		}
		return o.bound + v
	}
	sort.Slice(sets, func(i, j int) bool {
		bi, bj := best(sets[i]), best(sets[j])
		if bi != bj {
			return bi > bj
		}
		return sets[i].mask < sets[j].mask
	})
	everyTown := inst.Scenario.EveryTown
	// dominated: an entry of lb with nt' ≥ nt, nn' ≤ nn worth at least v.
	dominated := func(nt, nn int, v float64) bool {
		if everyTown && nt == 0 {
			return true // never chosen
		}
		for a := nt; a <= ntMax; a++ {
			for b := 0; b <= nn; b++ {
				if e := lb.entries[a][b]; e != nil && e.value >= v {
					return true
				}
			}
		}
		return false
	}
	put := func(t townTable, nt, nn int, v float64, c *townChoice) {
		if e := t.entries[nt][nn]; e == nil || v > e.value {
			t.entries[nt][nn] = &townEntry{value: v, years: c.years, choice: c}
		}
	}
	for _, o := range sets {
		needed := false
		for nt, y := range o.yrs.value {
			if !math.IsInf(y, -1) && !dominated(nt, o.nn, o.bound+y) {
				needed = true
			}
		}
		if !needed {
			continue
		}
		var vLB, vUB float64
		var c *townChoice
		if done() {
			vLB, vUB = math.Inf(-1), o.bound
		} else {
			vLB, vUB, c = sr.bestSpecialties(town, cand, o.mask, lagConst, w, done)
		}
		for nt, y := range o.yrs.value {
			if math.IsInf(y, -1) {
				continue
			}
			if c != nil && !math.IsInf(vLB, -1) {
				cc := &townChoice{years: o.yrs.years[nt], spec: c.spec, count: c.count}
				put(lb, nt, o.nn, vLB+y, cc)
			}
			put(ub, nt, o.nn, vUB+y, &townChoice{years: o.yrs.years[nt]})
		}
	}
	return lb, ub
}

// townCandidates is the positions in townSites of the town's sites that
// are not locked.
func (m *model) townCandidates(town int) []int {
	var cand []int
	for i, s := range m.townSites[town] {
		if !m.inst.Sites[s].Locked {
			cand = append(cand, i)
		}
	}
	return cand
}

// townPatterns enumerates the town's year patterns under its quota rows
// (locked sites in their years, each candidate in cand closed or open in
// a year) and keeps, per set of open candidates (bit j: cand[j]), the best
// Σ (OpenValue − cost[year]·CostWan) for each count of parks open by the
// target year (cost: the budgets' prices per wan yuan, 0 where a year has
// none). nil when there are more than townMaxPatterns.
func (m *model) townPatterns(town int, cand []int, cost []float64) map[uint32]*townYears {
	open := func(s, t int) float64 { return m.inst.OpenValue(s, t) - cost[t]*m.inst.Sites[s].CostWan }
	inst := m.inst
	sites := m.townSites[town]
	nT, tt := m.nT, inst.TargetT
	years := make([]int, len(sites))
	quotaUse := make([]float64, nT)
	base, baseNT := 0.0, 0
	for i, s := range sites {
		years[i] = -1
		if site := inst.Sites[s]; site.Locked {
			years[i] = site.LockedYear
			base += open(s, site.LockedYear)
			if site.LockedYear <= tt {
				baseNT++
			}
			if m.newLand(s) {
				quotaUse[site.LockedYear] += site.AreaMu
			}
		}
	}
	quotaOK := func() bool { return m.quotaHolds(town, quotaUse) }
	out := map[uint32]*townYears{}
	if !quotaOK() {
		return out
	}
	count := 0
	var dfs func(j int, mask uint32, nt int, val float64) bool
	dfs = func(j int, mask uint32, nt int, val float64) bool {
		if j == len(cand) {
			if count++; count > townMaxPatterns {
				return false
			}
			ty := out[mask]
			if ty == nil {
				ty = &townYears{value: make([]float64, len(sites)+1), years: make([][]int, len(sites)+1)}
				for i := range ty.value {
					ty.value[i] = math.Inf(-1)
				}
				out[mask] = ty
			}
			if val > ty.value[nt] {
				ty.value[nt] = val
				ty.years[nt] = append([]int(nil), years...)
			}
			return true
		}
		i := cand[j]
		s := sites[i]
		if !dfs(j+1, mask, nt, val) {
			return false
		}
		area := 0.0
		if m.newLand(s) {
			area = inst.Sites[s].AreaMu
		}
		for t := 0; t < nT; t++ {
			quotaUse[t] += area
			if area == 0 || quotaOK() {
				years[i] = t
				early := 0
				if t <= tt {
					early = 1
				}
				if !dfs(j+1, mask|1<<j, nt+early, val+open(s, t)) {
					return false
				}
			}
			quotaUse[t] -= area
		}
		years[i] = -1
		return true
	}
	if !dfs(0, 0, baseNT, base) {
		return nil
	}
	return out
}

// bestSpecialties searches the specialties of the town's open set (locked
// sites and the candidates in mask) by depth-first branch and bound. The
// bound of a partial assignment is the smaller of the Lagrangian one
// (lagConst plus each site's park LP value at the prices, w, at its
// specialty or its best) and the town's placement LP with the sites not
// yet assigned relaxed to every specialty at once (relaxedRows); each
// full assignment has its firms placed by the placement LP (its optimum
// an upper bound) and then exactly park by park (a plan). A subtree whose
// bound is within townTol of the best plan is not searched. It returns
// the best plan's firm value (−Inf: none), an upper bound on every
// assignment's, and the best plan (nil: none).
func (sr *search) bestSpecialties(town int, cand []int, mask uint32, lagConst float64, w [][]float64, done func() bool) (vLB, vUB float64, best *townChoice) {
	m := sr.m
	inst := m.inst
	sites := m.townSites[town]
	var open []int // positions in sites, locked first
	for i, s := range sites {
		if inst.Sites[s].Locked {
			open = append(open, i)
		}
	}
	for j, i := range cand {
		if mask&(1<<j) != 0 {
			open = append(open, i)
		}
	}
	// each open site's specialties, best park LP value first
	order := make([][]int, len(open))
	rest := make([]float64, len(open)+1) // Σ of the best values of open[p:]
	relaxed := make([]parkRows, len(open))
	for p := len(open) - 1; p >= 0; p-- {
		s := sites[open[p]]
		ks := m.distinctSpecialties(s, len(w[s]))
		sort.SliceStable(ks, func(a, b int) bool { return w[s][ks[a]] > w[s][ks[b]] })
		order[p] = ks
		rest[p] = rest[p+1] + w[s][ks[0]]
		relaxed[p] = m.relaxedRows(s, len(ks))
	}
	vLB, vUB = math.Inf(-1), math.Inf(-1)
	spec := make([]int, len(sites))
	arcs := m.townArcs(town)
	sol := &planner.Solution{Year: make([]int, len(inst.Sites)), Specialty: make([]int, len(inst.Sites)), Count: make([]int, len(inst.Arcs))}
	for s := range sol.Year {
		sol.Year[s] = -1
	}
	left := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		left[g] = gr.Count
	}
	openSites := make([]int, len(open))
	for p, i := range open {
		openSites[p] = sites[i]
	}
	rowsOf := make([]parkRows, len(inst.Sites))
	// lpBound is the placement LP with open[:p] at their specialties and
	// open[p:] relaxed (+Inf when it cannot be solved).
	lpBound := func(p int) float64 {
		for q, s := range openSites {
			if q < p {
				rowsOf[s] = m.parkRowsOf(s, spec[open[q]])
			} else {
				rowsOf[s] = relaxed[q]
			}
		}
		prob, _ := m.placementProblem(openSites, left, rowsOf)
		if prob == nil {
			return 0
		}
		cells := prob.cells()
		if cells > placeLPMaxCells {
			return math.Inf(1)
		}
		_, obj, iters, err := solveLPStop(prob.dense(), sr.interrupted)
		sr.nodes += 1 + iters*cells/lpWorkPerNode
		if err != nil {
			return math.Inf(1)
		}
		return obj*(1+townLPMargin) + townLPMargin
	}
	leaves := 0
	cut := false
	vLeafUB := math.Inf(-1) // the leaves' bounds
	pruneAt := func(b float64) bool {
		return !math.IsInf(vLB, -1) && b <= vLB+townTol*math.Max(1, math.Abs(vLB))
	}
	var dfs func(p int, val, parent float64)
	dfs = func(p int, val, parent float64) {
		b := lagConst + val + rest[p]
		if p == 0 || len(order[p-1]) > 1 {
			b = math.Min(b, lpBound(p))
		} else {
			b = math.Min(b, parent) // the one specialty of open[p-1]: the parent's LP
		}
		if pruneAt(b) {
			vUB = math.Max(vUB, b)
			return
		}
		if leaves >= townMaxLeaves || done() {
			cut = true
			vUB = math.Max(vUB, b)
			return
		}
		if p == len(open) {
			leaves++
			for _, i := range open {
				s := sites[i]
				sol.Year[s], sol.Specialty[s] = 0, spec[i]
			}
			for _, a := range arcs {
				sol.Count[a] = 0
			}
			ok, work, lp := m.placeLPValue(sol, nil, sr.interrupted)
			sr.nodes += 1 + work
			switch {
			case !ok && lp == 0:
				// no firm can enter: 0 exactly
			case !ok:
				// no LP (too large, or it failed): the bound stands for
				// this leaf, no firms placed
				for _, a := range arcs {
					sol.Count[a] = 0
				}
				lp = b
			default:
				lp = math.Min(lp*(1+townLPMargin)+townLPMargin, b)
			}
			for q, s := range openSites {
				rowsOf[s] = m.parkRowsOf(s, spec[open[q]])
			}
			if !pruneAt(lp) {
				m.placeParksExactly(sol, nil, done, &sr.nodes)
				v := 0.0
				for _, a := range arcs {
					v += inst.Arcs[a].Value * float64(sol.Count[a])
				}
				if ok && lp > v+townTol*math.Max(1, math.Abs(v)) && lp > vLeafUB {
					// the rounding left a gap on the set's best bound so
					// far: the placement in integers
					var ub float64
					v, ub = sr.placeTownInts(sol, openSites, rowsOf, v, done)
					lp = math.Min(lp, ub)
				}
				if v > vLB {
					vLB = v
					c := &townChoice{spec: append([]int(nil), spec...), count: make([]int, len(arcs))}
					for i, a := range arcs {
						c.count[i] = sol.Count[a]
					}
					best = c
				}
			}
			vLeafUB = math.Max(vLeafUB, lp)
			for _, i := range open {
				sol.Year[sites[i]] = -1
			}
			return
		}
		i := open[p]
		s := sites[i]
		for _, k := range order[p] {
			spec[i] = k
			dfs(p+1, val+w[s][k], b)
			if cut {
				vUB = math.Max(vUB, b) // the siblings not searched
				return
			}
		}
		spec[i] = 0
	}
	dfs(0, 0, math.Inf(1))
	vUB = math.Max(vUB, vLeafUB)
	return vLB, vUB, best
}

// relaxedRows is a row set that every specialty of site s (its first nk)
// meets: capacity and the small/micro share as they are (the same for
// every specialty), each share row's coefficient the largest over the
// specialties (Σ c·x ≥ 0 holds for the largest c whenever it holds for
// one specialty's, x ≥ 0).
func (m *model) relaxedRows(s, nk int) parkRows {
	r := m.parkRowsOf(s, 0)
	for k := 1; k < nk; k++ {
		o := m.parkRowsOf(s, k)
		for i := range r.firm {
			r.firm[i] = math.Max(r.firm[i], o.firm[i])
			r.floorShare[i] = math.Max(r.floorShare[i], o.floorShare[i])
		}
	}
	return r
}

// placeTownInts places the firms of the town's open parks (sites, their
// rows in rowsOf) in integers by branch and bound on their placement LP
// (placeInts with every firm of the county available, at most
// townLeafNodes nodes), starting from sol's counts worth start. It leaves
// the best counts found in sol and returns their value and a bound on
// every integer placement.
func (sr *search) placeTownInts(sol *planner.Solution, sites []int, rowsOf []parkRows, start float64, done func() bool) (value, bound float64) {
	inst := sr.m.inst
	left := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		left[g] = gr.Count
	}
	return sr.placeInts(sol, sites, rowsOf, left, start, townLeafNodes, townTol, done)
}

// placeInts places firms in the open parks sites (their rows in rowsOf,
// indexed by site) in integers by depth-first branch and bound on their
// placement LP, with left[g] firms of group g available to them, at most
// nodeCap nodes; subtrees whose bound is within tol (relative) of the
// best placement found are not searched. It starts from sol's counts in
// those parks, worth start, leaves the best counts found in sol (counts
// of other parks untouched) and returns their value and a bound on every
// integer placement of these parks (+Inf when the search could not run).
func (sr *search) placeInts(sol *planner.Solution, sites []int, rowsOf []parkRows, left []int, start float64, nodeCap int, tol float64, done func() bool) (value, bound float64) {
	m := sr.m
	inst := m.inst
	sparse, cols := m.placementProblem(sites, left, rowsOf)
	if sparse == nil {
		return start, start
	}
	if sparse.cells() > placeLPMaxCells {
		return start, math.Inf(1)
	}
	prob := sparse.dense()
	value = start
	trial := make([]int, len(inst.Arcs))
	res := depthFirst(prob, bbHooks{
		accept: func(x []float64) float64 {
			for _, s := range sites {
				for _, a := range m.siteArcs[s] {
					trial[a] = 0
				}
			}
			v := 0.0
			for j, a := range cols {
				trial[a] = int(math.Round(x[j]))
				v += inst.Arcs[a].Value * float64(trial[a])
			}
			for _, s := range sites {
				if m.checkPark(s, sol.Specialty[s], func(a int) int { return trial[a] }) != "" {
					return math.NaN()
				}
			}
			if v > value {
				value = v
				for _, s := range sites {
					for _, a := range m.siteArcs[s] {
						sol.Count[a] = trial[a]
					}
				}
			}
			return v
		},
		incumbent: func() float64 { return value },
		prune: func(b float64) bool {
			return b <= value+tol*math.Max(1, math.Abs(value))
		},
		stop:     func() bool { return done() },
		progress: func(float64, int) {},
		priority: func(int) int { return 0 },
	}.withNodeCap(nodeCap))
	sr.nodes += 1 + res.nodes/parkIntPerNode
	if res.failed {
		return value, math.Inf(1)
	}
	return value, math.Max(value, res.bound)*(1+townLPMargin) + townLPMargin
}

// distinctSpecialties is the first nk specialties of site s less those
// whose rows equal a lower one's (the same firms related: the same parks,
// the same value), in order.
func (m *model) distinctSpecialties(s, nk int) []int {
	var out []int
	seen := map[string]bool{}
	var key []byte
	for k := 0; k < nk; k++ {
		r := m.parkRowsOf(s, k)
		key = key[:0]
		for i := range r.firm {
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(r.firm[i]))
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(r.floorShare[i]))
		}
		if !seen[string(key)] {
			seen[string(key)] = true
			out = append(out, k)
		}
	}
	return out
}
