package solver

import (
	"math"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
)

const (
	// poolSize caps the plans of other site choices kept as starts for
	// explore (the best by objective, one per site choice).
	poolSize = 8
	// exploreDistance: a start is explored only when at least this share
	// of the incumbent's open parks differ from it (closed, opened or
	// another specialty): a start one move away from the incumbent leads
	// back to it.
	exploreDistance = 0.1
	// exploreShare is the share of the time left to the search's end that
	// one exploration may use.
	exploreShare = 0.25
	// exploreWindow is the share of the time limit over which the
	// endgame's gain is measured; below exploreMinGain (relative) in such
	// a window the incumbent's neighbourhood counts as exhausted.
	exploreWindow  = 0.1
	exploreMinGain = 5e-4
	// exploreAboveGap: a search explores only while its gap is above
	// this. Below it the incumbent is close to the bound, and on the
	// drawn scenarios that were there exploring only took time from
	// polishing it (docs/solver.md, "Other starts").
	exploreAboveGap = 0.01
)

// explores reports whether this search explores other starts: a solve
// by the clock (a node-limited one must stay reproducible) whose
// multipliers started at given prices (Options.Prices: parkplan-lp, the
// province's county solves, and short solves where CBC is installed). Its
// first plans all come from the priced master, and its local search can
// end far from where another start leads (docs/solver.md, "Other
// starts"); started at zero, or with the prices coming later (the
// portfolio), the early plans are many and varied already and exploring
// measured no better. An exploration's own search has no Prices: it does
// not explore.
func (sr *search) explores() bool {
	return sr.opts.NodeLimit == 0 && sr.opts.Prices != nil
}

// poolPlan is a plan kept as a start for explore.
type poolPlan struct {
	sol *planner.Solution
	obj float64
	key uint64
}

// remember keeps sol (objective obj) in the pool of starts when it is
// among the poolSize best site choices seen.
func (sr *search) remember(sol *planner.Solution, obj float64) {
	if !sr.explores() || math.IsNaN(obj) {
		return
	}
	key := choiceKey(sol.Year, sol.Specialty)
	if sr.best != nil && (choiceKey(sr.best.Year, sr.best.Specialty) == key || obj >= sr.bestObj-1e-9*math.Max(1, math.Abs(sr.bestObj))) {
		// the incumbent's own start: the search goes on from it anyway
		sr.exploredKeys[key], sr.exploredObjs[obj] = true, true
	}
	if sr.exploredKeys[key] || sr.exploredObjs[obj] {
		return
	}
	for i, p := range sr.pool {
		// the same key, or the same objective: the same plan once
		// repairCounty closed what the county allocation does not allow
		if p.key == key || math.Abs(p.obj-obj) <= 1e-9*math.Max(1, math.Abs(obj)) {
			if obj > p.obj {
				sr.pool[i].sol, sr.pool[i].obj = sol, obj
			}
			return
		}
	}
	if len(sr.pool) == poolSize && obj <= sr.pool[poolSize-1].obj {
		return
	}
	sr.pool = append(sr.pool, poolPlan{sol: sol, obj: obj, key: key})
	sort.SliceStable(sr.pool, func(i, j int) bool { return sr.pool[i].obj > sr.pool[j].obj })
	if len(sr.pool) > poolSize {
		sr.pool = sr.pool[:poolSize]
	}
}

// choiceDistance counts the sites whose choice differs between a and b:
// another year (or open in one only), or open in both with other
// specialties.
func choiceDistance(a, b *planner.Solution) int {
	n := 0
	for s := range a.Year {
		if a.Year[s] != b.Year[s] || (a.Year[s] >= 0 && a.Specialty[s] != b.Specialty[s]) {
			n++
		}
	}
	return n
}

// exhausted reports whether the endgame's moves around the incumbent
// gained less than exploreMinGain over the last exploreWindow of the time
// limit (time-limited solves only: it reads the clock).
func (sr *search) exhausted() bool {
	if !sr.explores() || sr.best == nil || gap(sr.bestObj, sr.bound) <= exploreAboveGap {
		return false
	}
	now := time.Now()
	window := time.Duration(exploreWindow * float64(sr.deadline.Sub(sr.start)))
	if sr.gainAt.IsZero() || sr.bestObj > sr.gainRef+exploreMinGain*math.Abs(sr.gainRef) {
		sr.gainAt, sr.gainRef = now, sr.bestObj
		return false
	}
	return now.Sub(sr.gainAt) >= window
}

// explore searches around another start when the incumbent's
// neighbourhood is exhausted: the best plan of the pool (plans of the
// relaxation's master choices) that differs from the incumbent in at
// least exploreDistance of its parks is improved by the endgame's local
// moves (improve, polish, lns, swapTowns, placeClusters) as a search of
// its own, for at most exploreShare of the search time left; its best
// plan is then offered. Local search from one start ends in one local
// optimum; which one depends on where it started (drawn-1-8 at 3×: 2 %
// apart from two starts). Time-limited solves only (a node-limited
// solve stays reproducible). It reports whether the incumbent improved.
func (sr *search) explore(r *relaxation, done func() bool) bool {
	if !sr.explores() || sr.best == nil {
		return false
	}
	open := 0
	for _, t := range sr.best.Year {
		if t >= 0 {
			open++
		}
	}
	var start *poolPlan
	for i := range sr.pool {
		p := sr.pool[i]
		if float64(choiceDistance(p.sol, sr.best)) >= exploreDistance*float64(open) {
			start = &p
			sr.pool = append(sr.pool[:i], sr.pool[i+1:]...)
			break
		}
	}
	if start == nil {
		return false
	}
	sr.exploredKeys[start.key], sr.exploredObjs[start.obj] = true, true
	end := time.Now().Add(time.Duration(exploreShare * float64(time.Until(sr.searchEnd))))
	child := &search{
		m:             sr.m,
		opts:          Options{TimeLimit: sr.opts.TimeLimit, GapTarget: sr.opts.GapTarget},
		ctx:           sr.ctx,
		start:         sr.start,
		bestObj:       math.NaN(),
		bound:         sr.bound,
		deadline:      sr.deadline,
		searchEnd:     end,
		placed:        map[uint64]bool{},
		lpPlaced:      map[uint64]bool{},
		exchangeTried: map[uint64]bool{},
		converged:     true,
		priced:        sr.priced,
		relax:         r,
		townTried:     true,
	}
	cdone := func() bool { return done() || time.Now().After(end) }
	child.offer(start.sol)
	child.improve(r, cdone)
	for !cdone() && child.localMoves(r, cdone) {
	}
	sr.nodes += child.nodes
	sr.gainAt, sr.gainRef = time.Now(), sr.bestObj // a new window: one exploration per window at most
	if child.best == nil {
		return false
	}
	before := sr.bestObj
	sr.offer(child.best)
	return sr.bestObj > before+1e-9*math.Max(1, math.Abs(before))
}
