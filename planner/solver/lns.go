package solver

import (
	"math"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// lnsTownOptions caps the site choices of one town tried per LNS pass
// (the town's best Pareto entries at the relaxation's prices).
const lnsTownOptions = 6

// lns is a large-neighbourhood search over towns: for each town in turn,
// the incumbent plan with that town's site choice replaced by one of the
// town's best choices at the relaxation's prices (its Pareto entries in
// the site master's town table), every firm then placed again by the
// placement LP. Improvements are kept as they come. It returns whether
// the incumbent improved; done() stops it (time, node limit, gap, ctx).
func (sr *search) lns(r *relaxation, done func() bool) bool {
	m := sr.m
	inst := m.inst
	improved := false
	for town := range inst.Towns {
		if sr.best == nil {
			return improved
		}
		tbl := m.townTable(town, r.w, r.rho)
		opts := tbl.pareto(inst.Scenario.EveryTown)
		sort.SliceStable(opts, func(i, j int) bool { return opts[i].value > opts[j].value })
		if len(opts) > lnsTownOptions {
			opts = opts[:lnsTownOptions]
		}
		for _, o := range opts {
			if done() {
				return improved
			}
			base := sr.best
			e := tbl.entries[o.nt][o.nn]
			year := append([]int(nil), base.Year...)
			spec := append([]int(nil), base.Specialty...)
			same := true
			for i, s := range m.townSites[town] {
				if year[s] != e.years[i] {
					same = false
				}
				if e.years[i] >= 0 && base.Year[s] < 0 {
					spec[s] = r.kBest[s]
				}
				year[s] = e.years[i]
			}
			if same {
				continue
			}
			sr.nodes++
			if sr.tryChoice(r, year, spec) {
				improved = true
			}
		}
	}
	return improved
}

// tryChoice places firms for a site choice (years and specialties) and
// offers the plan: park by park first, and by the placement LP when that
// plan is within promisingGap of the incumbent (or there is none). It
// reports whether the incumbent improved.
func (sr *search) tryChoice(r *relaxation, year, spec []int) bool {
	if sr.converged && sr.best != nil {
		// the endgame: a move is placed around the parks it changes
		return sr.tryLocal(year, spec)
	}
	m := sr.m
	inst := m.inst
	sol := &planner.Solution{Year: year, Specialty: spec, Count: make([]int, len(inst.Arcs))}
	if m.check(sol) != "" {
		return false // a site rule fails
	}
	before := sr.bestObj
	var open []int
	for s, t := range year {
		if t >= 0 {
			open = append(open, s)
		}
	}
	value := func(s int) float64 { return r.v[s][min(spec[s], len(r.v[s])-1)] }
	sort.SliceStable(open, func(a, b int) bool { return value(open[a]) > value(open[b]) })
	left := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		left[g] = gr.Count
	}
	m.placeFirms(sol, open, left, r.lambda)
	obj := sr.offer(sol)
	sr.placeByLP(sol, obj, sr.changedSites(year, spec))
	sr.report(false)
	return sr.bestObj > before+1e-9*math.Max(1, math.Abs(before)) || (math.IsNaN(before) && !math.IsNaN(sr.bestObj))
}

// placeByLP re-places the firms of a plan whose park-by-park placement
// scored obj by the placement LP, once per site choice, when obj is
// within promisingGap of the incumbent, once the relaxation has converged
// (before, the time goes to the bound), and offers the result: all parks
// at once where the LP is small enough, else the neighbourhood of the
// parks in changed (the sites whose choice differs from the incumbent's).
func (sr *search) placeByLP(sol *planner.Solution, obj float64, changed []int) {
	if !sr.converged || math.IsNaN(obj) || (!math.IsNaN(sr.bestObj) && obj < sr.bestObj-promisingGap*math.Max(1, math.Abs(sr.bestObj))) {
		return
	}
	key := choiceKey(sol.Year, sol.Specialty)
	if sr.lpPlaced[key] {
		return
	}
	sr.lpPlaced[key] = true
	all := make([]bool, len(sol.Year))
	for s := range all {
		all[s] = true
	}
	var free []bool // nil: every park at once
	if sr.m.lpCells(sol, all) > sr.m.denseMaxCells {
		// the neighbourhood of the changed parks by the dense tableau;
		// when even they are too large for it, every park by the
		// outside LP (Options.LP), if there is one
		if free = sr.m.neighbourhood(sol, changed); free == nil && sr.m.outLP == nil {
			return
		}
	}
	sr.offerPlacedByLP(sol, free)
}

// offerPlacedByLP places the firms of sol's site choice again by the
// placement LP (placeLP: the parks in free, every park when free is nil;
// sol itself is not changed) and offers the result. It reports whether
// the incumbent improved.
func (sr *search) offerPlacedByLP(sol *planner.Solution, free []bool) bool {
	lp := &planner.Solution{Year: sol.Year, Specialty: sol.Specialty, Count: append([]int(nil), sol.Count...)}
	ok, work := sr.m.placeLP(lp, free, sr.interrupted)
	sr.nodes += work
	if !ok {
		return false
	}
	before := sr.bestObj
	sr.offer(lp)
	return sr.bestObj > before+1e-9*math.Max(1, math.Abs(before))
}

// changedSites lists the sites whose year or specialty differ from the
// incumbent's (all open sites when there is none).
func (sr *search) changedSites(year, spec []int) []int {
	var out []int
	for s, t := range year {
		if sr.best == nil {
			if t >= 0 {
				out = append(out, s)
			}
			continue
		}
		if t != sr.best.Year[s] || (t >= 0 && spec[s] != sr.best.Specialty[s]) {
			out = append(out, s)
		}
	}
	return out
}

// polish re-solves the placement of the incumbent's parks town by town
// (each town's parks and their neighbourhood by the placement LP, the
// other parks fixed), keeping what improves; one node per town. It
// reports whether the incumbent improved.
func (sr *search) polish(done func() bool) bool {
	m := sr.m
	improved, tooLarge := false, false
	for town := range m.inst.Towns {
		if done() || sr.best == nil {
			return improved
		}
		var seeds []int
		for _, s := range m.townSites[town] {
			if sr.best.Year[s] >= 0 {
				seeds = append(seeds, s)
			}
		}
		if len(seeds) == 0 {
			continue
		}
		sr.nodes++
		free := m.neighbourhood(sr.best, seeds)
		if free == nil {
			tooLarge = true
			continue
		}
		improved = sr.offerPlacedByLP(sr.best, free) || improved
	}
	if tooLarge && m.outLP != nil && sr.best != nil && !done() {
		// towns whose parks alone are too large for the dense tableau:
		// every park at once by the outside LP, once per site choice
		if key := choiceKey(sr.best.Year, sr.best.Specialty); !sr.lpPlaced[key] {
			sr.lpPlaced[key] = true
			improved = sr.offerPlacedByLP(sr.best, nil) || improved
		}
	}
	return improved
}

// endgame spends time after the relaxation converged on plans: a local
// search on the incumbent, then LNS passes over the towns while they
// improve it, and when none of its moves improves, a branch and bound
// over a few groups of towns (placeBB), after the firms are placed again
// in integers cluster by cluster (placeClusters). The exact per-park placement
// (polishParks) is not among its moves: node-limited, the shipped
// scenarios and drawn-1-15 ended lower with it (it spent nodes the moves
// use better) than with it at the end only (finale). Where the search
// explores (explores: by the clock, from given prices), a window of the
// time limit in which the moves gained too little sends it to another
// start (explore) before the moves go on.
func (sr *search) endgame(r *relaxation, done func() bool) {
	sr.converged = true
	if !sr.townTried {
		sr.townTried = true
		sr.townExact(append([]float64(nil), r.lambda...), append([]float64(nil), r.rho...), done)
	}
	sr.improve(r, done)
	for !done() {
		moved := sr.localMoves(r, done) || sr.placeBB(done)
		if sr.exhausted() && sr.explore(r, done) {
			continue
		}
		if !moved {
			return
		}
	}
}

// localMoves is one pass of the endgame's moves around the incumbent
// short of placeBB: polish, then LNS over towns, town-pair exchanges and
// exchanges of parks under the budgets (swapParks) and clusters of
// parks, each tried only when those before it did not
// improve the plan. It reports whether the incumbent improved.
func (sr *search) localMoves(r *relaxation, done func() bool) bool {
	p := sr.polish(done)
	return sr.lns(r, done) || p || sr.swapTowns(r, done) || sr.swapParks(r, done) || sr.placeClusters(done)
}

// interrupted reports whether time is up or the context is done: long
// computations (placement LPs) check it as they go.
func (sr *search) interrupted() bool {
	return sr.ctx.Err() != nil || time.Now().After(sr.deadline)
}
