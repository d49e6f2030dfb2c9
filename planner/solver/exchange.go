package solver

import (
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// exchangeMoves caps the park exchanges placed per pass of swapParks: the
// best by estimated gain whose site rules hold.
const exchangeMoves = 32

// exchangePairSites caps the closed candidates considered two at a time
// (two parks opened in what one closed park frees): the best by what
// each adds alone.
const exchangePairSites = 24

// parkExchange closes the open park out (−1: none) and opens the closed
// candidates in[0] and in[1] (−1: none) in the years yr (year indexes).
type parkExchange struct {
	out  int
	in   [2]int
	yr   [2]int
	gain float64 // estimated: fillSite of the parks opened less what out held
}

// fillTake records firms fillSite took from the pool, to put them back.
type fillTake struct{ g, n int }

// swapParks is a search over exchanges of parks under the site rules
// that bind in integers — the yearly budgets (ruleBudget) and the
// new-land cap (ruleNewLandCap), with the towns' quotas kept: one open
// candidate park closed and one or two closed candidates opened in what
// that frees (in the closed park's year, else the earliest year whose
// budget and quota they fit), or one candidate opened in a budget's
// slack. Where a budget binds only in integers (its LP dual, and so the
// relaxation's budget price, is 0) the town tables that lns and
// swapTowns draw from are blind to what a park costs, and the moves they
// rank first open parks no budget has room for; a plan spending the same
// budget on parks of more capacity where firms are left out is never
// tried. The town moves also rank by the relaxation's prices, which at
// the LP's duals put the value on the firms and next to none on the
// sites. Moves here are ranked by an estimate in plain value instead —
// the firms left out (and those of the closed park) that the opened
// parks' arcs reach, densest value per m² first, up to each park's
// capacity, shares ignored, less what the closed park held — and the
// best exchangeMoves whose site rules hold are placed around the
// changed parks (tryLocal), improvements kept as they come. It runs
// where a year has a budget or the incumbent is at the new-land cap,
// once per site choice of the incumbent; one node per move plus its
// placement LP's work. It reports whether the incumbent improved.
func (sr *search) swapParks(r *relaxation, done func() bool) bool {
	m := sr.m
	if sr.best == nil || !(m.anyBudget() || m.atNewLandCap(sr.best)) {
		return false
	}
	key := choiceKey(sr.best.Year, sr.best.Specialty)
	if sr.exchangeTried[key] {
		return false
	}
	sr.exchangeTried[key] = true
	moves := m.exchanges(sr.best)
	improved := false
	tried := 0
	for _, mv := range moves {
		if tried >= exchangeMoves || done() {
			break
		}
		base := sr.best
		if (mv.out >= 0 && base.Year[mv.out] < 0) || base.Year[mv.in[0]] >= 0 || (mv.in[1] >= 0 && base.Year[mv.in[1]] >= 0) {
			continue // an earlier move changed these sites
		}
		year := append([]int(nil), base.Year...)
		spec := append([]int(nil), base.Specialty...)
		if mv.out >= 0 {
			year[mv.out] = -1
		}
		for i, q := range mv.in {
			if q >= 0 {
				year[q], spec[q] = mv.yr[i], r.kBest[q]
			}
		}
		if m.checkSites(year, spec) != "" {
			continue
		}
		tried++
		sr.nodes++
		if sr.tryLocal(year, spec) {
			improved = true
		}
	}
	return improved
}

// atNewLandCap reports whether sol opens as many parks on new land as the
// new-land cap allows.
func (m *model) atNewLandCap(sol *planner.Solution) bool {
	c := m.inst.Scenario.MaxNewLandParks
	if c < 0 {
		return false
	}
	n := 0
	for s, t := range sol.Year {
		if t >= 0 && m.newLand(s) {
			n++
		}
	}
	return n == c
}

// anyBudget reports whether some year of the horizon has a budget.
func (m *model) anyBudget() bool {
	for _, b := range m.budgeted {
		if b {
			return true
		}
	}
	return false
}

// exchanges lists the exchanges swapParks ranks around the plan base:
// every one that keeps the budgets, the new-land cap and (as far as the
// opened parks' years are chosen here) the quotas, with a positive
// estimated gain, best first (ties in the order generated: by closed
// park, then opened sites, by index).
func (m *model) exchanges(base *planner.Solution) []parkExchange {
	inst := m.inst
	spend := make([]float64, m.nT)
	pool := make([]int, len(inst.Groups)) // firms left out
	for g, gr := range inst.Groups {
		pool[g] = gr.Count
	}
	for a, arc := range inst.Arcs {
		pool[arc.Group] -= base.Count[a]
	}
	use := make([][]float64, len(inst.Towns)) // new land opened, mu, per town and year
	for town := range use {
		use[town] = make([]float64, m.nT)
	}
	nn := 0 // parks on new land
	var open, closed []int
	for s, site := range inst.Sites {
		t := base.Year[s]
		if t >= 0 && m.newLand(s) {
			nn++
			use[site.Town][t] += site.AreaMu
		}
		switch {
		case site.Locked:
		case t >= 0:
			spend[t] += site.CostWan
			open = append(open, s)
		case len(m.siteArcs[s]) > 0:
			closed = append(closed, s)
		}
	}
	capNN := inst.Scenario.MaxNewLandParks
	dense := m.arcsByDensity()
	var undo []fillTake
	restore := func() {
		for _, tk := range undo {
			pool[tk.g] += tk.n
		}
		undo = undo[:0]
	}
	// what each closed candidate adds alone, best first: the pair candidates
	alone := make([]float64, len(inst.Sites))
	for _, q := range closed {
		alone[q] = m.fillSite(q, dense[q], pool, &undo)
		restore()
	}
	pairs := append([]int(nil), closed...)
	sort.SliceStable(pairs, func(i, j int) bool { return alone[pairs[i]] > alone[pairs[j]] })
	if len(pairs) > exchangePairSites {
		pairs = pairs[:exchangePairSites]
	}
	// fits reports whether site q opening in year t keeps that year's
	// budget and, on new land, its town's quota (every later year's too
	// with carry-over).
	fits := func(q, t int) bool {
		site := inst.Sites[q]
		if m.budgeted[t] && spend[t]+site.CostWan > inst.BudgetWan[t]+ruleTol {
			return false
		}
		if !m.newLand(q) {
			return true
		}
		u := use[site.Town]
		if !inst.Scenario.QuotaCarryOver {
			return u[t]+site.AreaMu <= m.quotaLimit(site.Town, t)+ruleTol
		}
		sum := 0.0
		for y := 0; y < m.nT; y++ {
			sum += u[y]
			if y >= t && sum+site.AreaMu > m.quotaLimit(site.Town, y)+ruleTol {
				return false
			}
		}
		return true
	}
	// yearFor picks the year q opens in: the closed park's year first
	// (the budget it frees), then the earliest year that fits.
	yearFor := func(q, prefer int) int {
		if prefer >= 0 && fits(q, prefer) {
			return prefer
		}
		for t := 0; t < m.nT; t++ {
			if fits(q, t) {
				return t
			}
		}
		return -1
	}
	// opens and closes s in year t in spend and use
	account := func(s, t int, sign float64) {
		spend[t] += sign * inst.Sites[s].CostWan
		if m.newLand(s) {
			use[inst.Sites[s].Town][t] += sign * inst.Sites[s].AreaMu
		}
	}
	var moves []parkExchange
	consider := func(out int, qs [2]int, held float64) {
		mv := parkExchange{out: out, in: qs, yr: [2]int{-1, -1}, gain: -held}
		prefer, dnn := -1, 0
		if out >= 0 {
			prefer = base.Year[out]
			if m.newLand(out) {
				dnn--
			}
		}
		for _, q := range qs {
			if q >= 0 && m.newLand(q) {
				dnn++
			}
		}
		if capNN >= 0 && nn+dnn > capNN {
			return
		}
		undoYears := func() {
			for i, q := range qs {
				if q >= 0 && mv.yr[i] >= 0 {
					account(q, mv.yr[i], -1)
				}
			}
			restore()
		}
		for i, q := range qs {
			if q < 0 {
				continue
			}
			t := yearFor(q, prefer)
			if t < 0 {
				undoYears()
				return
			}
			mv.yr[i] = t
			account(q, t, 1)
			mv.gain += inst.OpenValue(q, t) + m.fillSite(q, dense[q], pool, &undo)
		}
		undoYears()
		if mv.gain > 1e-9 {
			moves = append(moves, mv)
		}
	}
	// opened in a budget's slack, no park closed
	for _, q := range closed {
		consider(-1, [2]int{q, -1}, 0)
	}
	for _, p := range open {
		// close p: its firms join the pool, its cost leaves its year's spend
		t := base.Year[p]
		held := inst.OpenValue(p, t)
		for _, a := range m.siteArcs[p] {
			pool[inst.Arcs[a].Group] += base.Count[a]
			held += float64(base.Count[a]) * inst.Arcs[a].Value
		}
		account(p, t, -1)
		for _, q := range closed {
			consider(p, [2]int{q, -1}, held)
		}
		for i, q1 := range pairs {
			for _, q2 := range pairs[i+1:] {
				consider(p, [2]int{q1, q2}, held)
			}
		}
		account(p, t, 1)
		for _, a := range m.siteArcs[p] {
			pool[inst.Arcs[a].Group] -= base.Count[a]
		}
	}
	sort.SliceStable(moves, func(i, j int) bool { return moves[i].gain > moves[j].gain })
	return moves
}

// arcsByDensity lists each site's arcs by value per m² of floor,
// highest first (ties by arc index).
func (m *model) arcsByDensity() [][]int {
	inst := m.inst
	density := func(a int) float64 {
		f := inst.Groups[inst.Arcs[a].Group].FloorM2
		if f <= 0 {
			return math.Inf(1)
		}
		return inst.Arcs[a].Value / f
	}
	out := make([][]int, len(inst.Sites))
	for s, arcs := range m.siteArcs {
		out[s] = append([]int(nil), arcs...)
		sort.SliceStable(out[s], func(i, j int) bool { return density(out[s][i]) > density(out[s][j]) })
	}
	return out
}

// fillSite estimates what opening site s adds to a plan whose left-out
// firms are pool: the firms its arcs (arcs, densest first) reach, up to
// each arc's bound and the site's capacity, shares ignored. It takes them
// from pool, recording them in undo.
func (m *model) fillSite(s int, arcs []int, pool []int, undo *[]fillTake) float64 {
	inst := m.inst
	room := inst.Sites[s].CapacityM2
	v := 0.0
	for _, a := range arcs {
		arc := inst.Arcs[a]
		g := arc.Group
		if arc.Value <= 0 || pool[g] == 0 {
			continue
		}
		n := min(pool[g], m.ub[a])
		if f := inst.Groups[g].FloorM2; f > 0 {
			n = min(n, int(room/f))
			room -= float64(n) * f
		}
		if n <= 0 {
			continue
		}
		pool[g] -= n
		v += float64(n) * arc.Value
		*undo = append(*undo, fillTake{g, n})
	}
	return v
}
