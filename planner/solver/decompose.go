package solver

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
	"gonum.org/v1/gonum/floats"
)

// Subgradient settings.
const (
	// subgradStep0 is the initial Polyak step factor (in (0, 2]).
	subgradStep0 = 1.0
	// subgradPatience: iterations without a better bound before the step
	// factor is halved.
	subgradPatience = 60
	// subgradMinStep ends the subgradient phase: smaller steps no longer
	// move the bound measurably.
	subgradMinStep = 1e-5
	// deflection is the CFM factor γ (1.5 in their paper).
	deflection = 1.5
	// pricedStep0 is the first step factor when the multipliers start at
	// given prices (Options.Prices, the LP duals): they are near the dual
	// optimum already, and a full Polyak step would leave it.
	pricedStep0 = 0.125
	// stallIters and stallTol: once the budget price is settled, a bound
	// that improved by less than stallTol (relative) over stallIters
	// iterations counts as converged and the endgame (plan search) starts.
	// Waiting for the step to fall below subgradMinStep took ~900
	// iterations from the LP duals, whose first bound is already the LP
	// bound: 22 of 60 s on a drawn 1× scenario, its bound unchanged.
	stallIters = 150
	stallTol   = 1e-5
	// endgameShare: a solve whose bound is still moving when this share of
	// its node limit (or, without one, of its time limit) is used starts
	// the endgame anyway: plan search needs some of the time too. On a
	// 1× county with 14 specialties per site (other specialties allowed)
	// without the LP duals an iteration took 0.27 s under load and the
	// bound was still falling at 60 s; its plans were the relaxation's
	// alone.
	endgameShare = 0.7
	// endgameShareUnpriced replaces endgameShare while the multipliers
	// have not started at given prices (no LP duals yet, or none coming):
	// there the bound is still far above the LP bound at 70 % of the time
	// and its descent is worth more than an early plan search (drawn-1-3,
	// 14 specialties per site, no LP prices in 60 s under load: 36.9 %
	// with the endgame at 70 %, 15.5 % without one). After that endgame
	// the descent goes on with the step it had (lateStep in relax).
	endgameShareUnpriced = 0.9
)

// relaxation is the state of the Lagrangian relaxation of ruleplaceOnce
// (prices lambda per group) and ruleBudget (prices rho per year).
type relaxation struct {
	m      *model
	rows   [][]parkRows // per site, per specialty
	lambda []float64
	rho    []float64
	// per evaluation:
	v     [][]float64   // LP value of each (site, specialty)
	x     [][][]float64 // LP point of each (site, specialty)
	kBest []int
	w     []float64
	warm  [][]*warmPark // per site, per specialty: reused park LP tableaux
}

func newRelaxation(m *model) *relaxation {
	inst := m.inst
	r := &relaxation{m: m, lambda: make([]float64, len(inst.Groups)), rho: make([]float64, m.nT)}
	r.rows = make([][]parkRows, len(inst.Sites))
	r.v = make([][]float64, len(inst.Sites))
	r.x = make([][][]float64, len(inst.Sites))
	r.kBest = make([]int, len(inst.Sites))
	r.w = make([]float64, len(inst.Sites))
	for s, site := range inst.Sites {
		nk := len(site.Specialties)
		if site.Locked {
			nk = 1
		}
		r.rows[s] = make([]parkRows, nk)
		for k := range r.rows[s] {
			r.rows[s][k] = m.parkRowsOf(s, k)
		}
		r.v[s] = make([]float64, nk)
		r.x[s] = make([][]float64, nk)
		r.warm = append(r.warm, make([]*warmPark, nk))
		for k := range r.warm[s] {
			r.warm[s][k] = m.newWarmPark(s, r.rows[s][k])
		}
	}
	return r
}

// evaluate computes L(lambda, rho): the park LPs, the master, the bound.
func (r *relaxation) evaluate() (bound float64, ms masterResult) {
	m := r.m
	inst := m.inst
	for s, site := range inst.Sites {
		arcs := m.siteArcs[s]
		price := make([]float64, len(arcs))
		ub := make([]float64, len(arcs))
		for i, a := range arcs {
			price[i] = inst.Arcs[a].Value - r.lambda[inst.Arcs[a].Group]
			ub[i] = float64(m.ub[a])
		}
		best := math.Inf(-1)
		for k := range r.rows[s] {
			ok := false
			if wp := r.warm[s][k]; wp != nil {
				r.v[s][k], r.x[s][k], ok = wp.solve(price, len(arcs))
				// a negative optimum is round-off: x = 0 is feasible
				if ok && r.v[s][k] < 0 {
					ok = false
				}
			}
			if !ok {
				r.v[s][k], r.x[s][k] = m.parkLP(s, r.rows[s][k], price, ub)
			}
			if r.v[s][k] > best+1e-12 {
				best, r.kBest[s] = r.v[s][k], k
			}
		}
		r.w[s] = site.FixedValue + best
	}
	ms = m.solveMaster(r.w, r.rho)
	if !ms.feasible {
		return math.Inf(-1), ms
	}
	bound = ms.value
	for g, gr := range inst.Groups {
		bound += r.lambda[g] * float64(gr.Count)
	}
	for t := range r.rho {
		if m.budgeted[t] {
			bound += r.rho[t] * inst.BudgetWan[t]
		}
	}
	return bound, ms
}

// decompose runs the Lagrangian relaxation with subgradient steps, taking
// a plan from each new site choice of the master.
// improveAtIter is the relaxation iteration after which a first local
// search runs (the multipliers are rough but the plans are many).
const improveAtIter = 60

// budgetRepriceMaxSites: above this many sites budgetFeasible does not
// re-price (each try is a master solve, 40 % of the time at 10×);
// assignYears is the cheap repair.
const budgetRepriceMaxSites = 300

// rhoSchedule returns how many place-once iterations run at each trial
// budget price and how many bisections there are before the price is held
// for good: fewer on big counties, where an iteration costs more.
func rhoSchedule(sites int) (block, bisections int) {
	switch {
	case sites > 600:
		return 6, 5
	case sites > 150:
		return 12, 6
	}
	return 12, 7
}

// Iterations of the relaxation before the exact branch and bound takes
// over on small instances.
const smallDecomposeIters = 40

func (sr *search) decompose(limit time.Time, small bool) {
	m := sr.m
	inst := m.inst
	r := newRelaxation(m)
	sr.relax = r
	seen := map[uint64]bool{}
	step := subgradStep0
	bestL := math.Inf(1)
	sinceBetter := 0
	var dirL []float64 // previous (deflected) direction
	done := func(iter int) bool {
		return sr.ctx.Err() != nil || time.Now().After(limit) || (small && iter >= smallDecomposeIters) || sr.nodeLimitHit()
	}
	// evaluate computes L at the current prices, records the bound and
	// takes plans from the master's choice; false when no plan can exist.
	// On big counties a plan costs about as much as an iteration: plans
	// are taken from every planEvery-th master choice only.
	planEvery, evals := 1, 0
	switch n := len(inst.Sites); {
	case n > 600:
		planEvery = 4
	case n > 150:
		planEvery = 2
	}
	takePlans := func(ms masterResult) {
		for _, py := range [][]int{r.budgetFeasible(ms), r.assignYears(ms.year)} {
			if py == nil {
				continue
			}
			key := choiceKey(py, r.kBest)
			if !seen[key] {
				seen[key] = true
				sr.planFromChoice(r, py)
			}
		}
	}
	evaluate := func() (float64, masterResult, bool) {
		L, ms := r.evaluate()
		sr.nodes++
		if !ms.feasible {
			// the master's rows (all but the budget) admit no site
			// choice at all: no plan exists
			sr.infeasible = true
			sr.bound = math.Inf(-1)
			return L, ms, false
		}
		sr.tighten(L)
		evals++
		if evals%planEvery != 1 && planEvery > 1 {
			sr.report(false)
			return L, ms, true
		}
		takePlans(ms)
		sr.report(false)
		return L, ms, true
	}
	// Budget prices: one price for every budgeted year, found by
	// bisection on the sign of the budget slack averaged over a block of
	// place-once iterations at that price (the place-once subgradient
	// converges when the budget price is held; moving both at once does
	// not).
	hasBudget := false
	for _, b := range m.budgeted {
		hasBudget = hasBudget || b
	}
	rhoLo, rhoHi, rhoNow := 0.0, math.Inf(1), 0.0
	if hasBudget {
		// start at the objective's cost weight: median |fixed value| per cost
		var ratios []float64
		for _, site := range inst.Sites {
			if !site.Locked && site.CostWan > 0 {
				ratios = append(ratios, -site.FixedValue/site.CostWan)
			}
		}
		sort.Float64s(ratios)
		if len(ratios) > 0 {
			rhoNow = math.Max(ratios[len(ratios)/2], 1e-6)
		}
	}
	setRho := func() {
		for t := range r.rho {
			r.rho[t] = 0
			if m.budgeted[t] {
				r.rho[t] = rhoNow
			}
		}
	}
	setRho()
	blockSlack, blockLen, bisections := 0.0, 0, 0
	rhoTuneAt := 0 // the next iteration at which the budget prices are tuned
	// the bound at the start of the current stall window, and its iteration
	stallRef, stallIter, iterNow := math.Inf(1), 0, 0
	// startAt restarts the multipliers at given prices (the LP duals): λ
	// and ρ from there, the budget price not searched by bisection,
	// smaller first steps.
	startAt := func(p *Prices) {
		if len(p.Groups) != len(inst.Groups) || len(p.Years) != len(inst.Years) {
			panic(fmt.Sprintf("solver: Prices for %d groups and %d years, want %d and %d", len(p.Groups), len(p.Years), len(inst.Groups), len(inst.Years)))
		}
		for g := range r.lambda {
			r.lambda[g] = math.Max(0, p.Groups[g])
		}
		for t := range r.rho {
			r.rho[t] = 0
			if m.budgeted[t] {
				r.rho[t] = math.Max(0, p.Years[t])
			}
		}
		bisections = math.MaxInt
		rhoTuneAt = iterNow
		step = pricedStep0
		stallRef, stallIter = math.Inf(1), iterNow
		bestL, sinceBetter, dirL = math.Inf(1), 0, nil
		sr.priced = true
		sr.pricesFrom = p.From
	}
	if p := sr.opts.Prices; p != nil {
		startAt(p)
	}
	later := sr.opts.PricesLater
	restarts := 0 // multiplier restarts after convergence
	rhoBlock, rhoBisections := rhoSchedule(len(inst.Sites))
	budgetSum := 0.0
	for t, b := range m.budgeted {
		if b {
			budgetSum += inst.BudgetWan[t]
		}
	}
	for iter := 0; ; iter++ {
		iterNow = iter
		if done(iter) {
			return
		}
		select {
		case p := <-later: // nil channel: never
			if p != nil && !(p.LPBound > 0 && sr.bound <= p.LPBound*(1+laterMinGain)) {
				startAt(p)
			}
			later = nil
		default:
		}
		L, ms, ok := evaluate()
		if !ok {
			return
		}
		if hasBudget && bisections >= rhoBisections && iter >= rhoTuneAt {
			// the budget prices held (the LP's, or the bisection's):
			// the ones that minimise L at these λ (budgetprice.go)
			rhoTuneAt = iter + rhoTuneEvery
			if L2, ms2 := r.tuneRho(); L2 < L {
				L, ms = L2, ms2
				sr.tighten(L)
				takePlans(ms)
			}
		}
		if hasBudget && bisections < rhoBisections {
			sl := 0.0
			for t, b := range m.budgeted {
				if b {
					sl += inst.BudgetWan[t]
				}
			}
			for s, t := range ms.year {
				if t >= 0 && m.budgeted[t] {
					sl -= inst.Sites[s].CostWan
				}
			}
			blockSlack += sl / math.Max(1, budgetSum)
			blockLen++
			if blockLen >= rhoBlock {
				if blockSlack < 0 { // overspent on average: raise the price
					rhoLo = rhoNow
					if math.IsInf(rhoHi, 1) {
						rhoNow *= 2
					} else {
						rhoNow = 0.5 * (rhoNow + rhoHi)
					}
				} else {
					rhoHi = rhoNow
					rhoNow = 0.5 * (rhoLo + rhoNow)
				}
				setRho()
				blockSlack, blockLen = 0, 0
				bisections++
				bestL, sinceBetter = math.Inf(1), 0 // a new price: a new function of λ
				if bisections == rhoBisections {
					step = subgradStep0 // the price is final: a full λ phase
				}
			}
		}
		if L < bestL-1e-9*math.Max(1, math.Abs(bestL)) {
			bestL, sinceBetter = L, 0
		} else if sinceBetter++; sinceBetter >= subgradPatience {
			step /= 2
			sinceBetter = 0
		}
		if sr.gapMet(sr.bound) {
			return
		}
		switch {
		case small:
		case iter == stallIter || (hasBudget && bisections < rhoBisections):
			stallRef, stallIter = sr.bound, iter // a window starts (the budget price settled, or prices given)
		case iter-stallIter >= stallWindow(len(inst.Sites)):
			if sr.boundStalled(stallRef) {
				step = 0 // the bound stalled: the endgame
			}
			stallRef, stallIter = sr.bound, iter
		}
		lateStep := 0.0 // the step an unconverged descent had before a late endgame
		if !small && !sr.converged && sr.best != nil && sr.late() {
			lateStep, step = step, 0 // late, and no endgame yet: one now
		}
		if step < subgradMinStep && small {
			return // the exact branch and bound takes over
		}
		if step < subgradMinStep {
			// Converged: the time left goes to plan search around the
			// incumbent (local search, then the towns' other choices with
			// every firm placed by the placement LP), then to a restart of
			// the multipliers from where they are, with a smaller first
			// step each time, whose new master choices give new plans and
			// may lower the bound; until the gap, node or time limit.
			sr.endgame(r, sr.improveDone(limit))
			restarts++
			step = subgradStep0 / float64(int(1)<<min(restarts, 6))
			if !sr.priced && lateStep >= subgradMinStep {
				step = lateStep // without prices the bound was still descending: it goes on where it was
			}
			bestL, sinceBetter, dirL = math.Inf(1), 0, nil
			stallRef, stallIter = sr.bound, iter
			continue
		}
		if iter == improveAtIter && !small {
			// an early local search: a better plan also sharpens the
			// Polyak steps; it may use a tenth of the time left
			sr.improve(r, sr.improveDone(time.Now().Add(time.Until(limit)/10)))
		}
		// Subgradient of L (minimised) in λ: the place-once slacks.
		gl := make([]float64, len(inst.Groups))
		for g, gr := range inst.Groups {
			gl[g] = float64(gr.Count)
		}
		for s, t := range ms.year {
			if t < 0 {
				continue
			}
			xs := r.x[s][r.kBest[s]]
			for i, a := range m.siteArcs[s] {
				gl[inst.Arcs[a].Group] -= xs[i]
			}
		}
		// Deflected direction (Camerini–Fratta–Maffioli): add part of the
		// previous direction when the new subgradient turns against it,
		// which damps the zig-zag of plain subgradient steps. Components
		// that would push a zero price below zero are dropped.
		for g := range gl {
			if r.lambda[g] <= 0 && gl[g] > 0 {
				gl[g] = 0
			}
		}
		if dirL != nil {
			dot, dn := floats.Dot(gl, dirL), floats.Dot(dirL, dirL)
			if beta := -deflection * dot / math.Max(dn, 1e-18); beta > 0 {
				floats.AddScaled(gl, beta, dirL)
			}
		}
		dirL = gl
		norm := floats.Dot(gl, gl)
		if norm < 1e-18 {
			// complementary: L is optimal for this relaxation
			if small {
				return
			}
			step = 0 // converged: the endgame at the next iteration
			continue
		}
		// Polyak target: the best plan (a lower estimate of the dual
		// optimum, as the method needs), or 5 % below L before any plan.
		target := L - 0.05*math.Max(1, math.Abs(L))
		if !math.IsNaN(sr.bestObj) {
			target = sr.bestObj
		}
		mu := step * (L - target) / norm
		for g, v := range gl {
			r.lambda[g] = math.Max(0, r.lambda[g]-mu*v)
		}
	}
}

// budgetFeasible returns the master's site years if they meet every
// yearly budget; otherwise it re-solves the master with the prices of the
// overspent years raised until they do (nil if that fails).
func (r *relaxation) budgetFeasible(ms masterResult) []int {
	m := r.m
	inst := m.inst
	rho := append([]float64(nil), r.rho...)
	// A price floor: the mean site value per unit of cost.
	wsum, csum := 0.0, 0.0
	for s, site := range inst.Sites {
		if !site.Locked && site.CostWan > 0 {
			wsum += math.Abs(r.w[s])
			csum += site.CostWan
		}
	}
	floor := 0.0
	if csum > 0 {
		floor = 0.05 * wsum / csum
	}
	tries := 40
	if len(inst.Sites) > budgetRepriceMaxSites {
		tries = 0 // each try is a master solve: on big counties assignYears repairs alone
	}
	for try := 0; ; try++ {
		spend := m.yearSpend(ms.year)
		over := false
		for t := range spend {
			if m.budgeted[t] && spend[t] > inst.BudgetWan[t]+ruleTol {
				over = true
				rho[t] = math.Max(2*rho[t], floor*(1+float64(try)))
			}
		}
		if !over {
			return ms.year
		}
		if try >= tries {
			return nil
		}
		ms = m.solveMaster(r.w, rho)
		if !ms.feasible {
			return nil
		}
	}
}

func choiceKey(year, k []int) uint64 {
	h := fnv.New64a()
	b := make([]byte, 0, 8*len(year))
	for s, t := range year {
		kk := -1
		if t >= 0 {
			kk = k[s]
		}
		b = append(b, byte(t+1), byte(kk+1))
	}
	h.Write(b)
	return h.Sum64()
}

// planFromChoice places firms in the parks the master opened (specialty
// kBest) and offers the plan.
func (sr *search) planFromChoice(r *relaxation, year []int) {
	m := sr.m
	inst := m.inst
	sol := &planner.Solution{
		Year:      append([]int(nil), year...),
		Specialty: make([]int, len(inst.Sites)),
		Count:     make([]int, len(inst.Arcs)),
	}
	var open []int
	for s, t := range year {
		if t >= 0 {
			sol.Specialty[s] = r.kBest[s]
			open = append(open, s)
		}
	}
	// Most valuable parks (by their priced LP value) choose first.
	sort.SliceStable(open, func(a, b int) bool {
		return r.v[open[a]][r.kBest[open[a]]] > r.v[open[b]][r.kBest[open[b]]]
	})
	left := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		left[g] = gr.Count
	}
	m.placeFirms(sol, open, left, r.lambda)
	obj := sr.offer(sol)
	sr.remember(sol, obj)
	if sr.full == nil {
		sr.placeByLP(sol, obj, sr.changedSites(sol.Year, sol.Specialty))
	}
	if sr.full != nil {
		sr.placeExactly(sr.full, sol)
	}
}

// placeFirms fills the open parks (in order) with integer counts: first
// with firm values less the group prices lambda (so each park takes what
// the relaxation gives it), then re-optimising each park at full values
// with the others fixed (reoptimize).
func (m *model) placeFirms(sol *planner.Solution, open []int, left []int, lambda []float64) {
	rowsOf := make([]parkRows, len(m.inst.Sites))
	for _, s := range open {
		rowsOf[s] = m.parkRowsOf(s, sol.Specialty[s])
	}
	for _, s := range open {
		m.placePark(sol, s, rowsOf[s], left, lambda)
	}
	m.reoptimize(sol, open, left, rowsOf)
}

// placePark fills park s (empty) from the firms left: its LP at firm
// values less lambda (full values when lambda is nil), rounded, repaired
// and filled (roundPark); left is updated.
func (m *model) placePark(sol *planner.Solution, s int, rows parkRows, left []int, lambda []float64) {
	inst := m.inst
	arcs := m.siteArcs[s]
	price := make([]float64, len(arcs))
	value := make([]float64, len(arcs))
	ub := make([]float64, len(arcs))
	avail := make([]int, len(arcs))
	for i, a := range arcs {
		g := inst.Arcs[a].Group
		value[i] = inst.Arcs[a].Value
		price[i] = value[i]
		if lambda != nil {
			price[i] -= lambda[g]
		}
		avail[i] = min(m.ub[a], left[g])
		ub[i] = float64(avail[i])
	}
	_, x := m.parkLP(s, rows, price, ub)
	c := m.roundPark(s, rows, x, avail, value)
	for i, a := range arcs {
		sol.Count[a] = c[i]
		left[inst.Arcs[a].Group] -= c[i]
	}
}

// reoptimize re-places each open park's firms at full values with the
// other parks fixed, twice over, keeping a park's new counts only when
// they are worth more; left is the firms not placed, updated.
func (m *model) reoptimize(sol *planner.Solution, open []int, left []int, rowsOf []parkRows) {
	inst := m.inst
	parkValue := func(s int) float64 {
		v := 0.0
		for _, a := range m.siteArcs[s] {
			v += inst.Arcs[a].Value * float64(sol.Count[a])
		}
		return v
	}
	for pass := 0; pass < 2; pass++ {
		for _, s := range open {
			old := make([]int, len(m.siteArcs[s]))
			before := parkValue(s)
			for i, a := range m.siteArcs[s] {
				old[i] = sol.Count[a]
				left[inst.Arcs[a].Group] += old[i]
				sol.Count[a] = 0
			}
			m.placePark(sol, s, rowsOf[s], left, nil)
			if parkValue(s) < before-1e-9 {
				for i, a := range m.siteArcs[s] {
					left[inst.Arcs[a].Group] += sol.Count[a] - old[i]
					sol.Count[a] = old[i]
				}
			}
		}
	}
}

// late reports whether endgameShare (endgameShareUnpriced before given
// prices) of the node limit (without one, of
// the time limit) is used: a decision on nodes where they limit the
// solve, so that a node-limited solve stays reproducible.
func (sr *search) late() bool {
	share := endgameShare
	if !sr.priced {
		share = endgameShareUnpriced
	}
	if sr.opts.NodeLimit > 0 {
		return float64(sr.nodes) >= share*float64(sr.opts.NodeLimit)
	}
	return float64(time.Since(sr.start)) >= share*float64(sr.deadline.Sub(sr.start))
}
