// Package solver is parkplan's exact solver for the planning model
// (docs/model.md) on a planner.Instance; docs/solver.md says how it works.
//
// Solve decomposes: a Lagrangian relaxation of the place-once rows prices
// each firm group; each (site, specialty) then has a 4-row bounded LP (its
// capacity and three share rows) solved by the package's own simplex, and
// the site/year choice under the target, every-town, new-land cap and
// quota rules is solved exactly by dynamic programming over towns (the
// yearly budget rows are priced too). That gives a proven bound. Plans come
// from the site choices of the relaxation: firms are placed park by park,
// rounded and repaired so that every share rule holds in integers, then
// improved by local search. Instances small enough for a dense tableau are
// also solved by branch and bound on the full model, which proves optimality.
package solver

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// Options tune a solve.
type Options struct {
	// TimeLimit is the wall-clock limit; 0 means the default (10 s).
	TimeLimit time.Duration
	// GapTarget stops the solve once (Bound−Objective)/max(1,|Objective|)
	// is at most this; 0 means defaultGapTarget.
	GapTarget float64
	// NodeLimit, when positive, stops the solve after this many nodes
	// (relaxation evaluations plus branch-and-bound nodes). A solve that
	// ends on its own or on NodeLimit is reproducible to the byte; one cut
	// by TimeLimit or ctx depends on the machine's speed.
	NodeLimit int
	// Progress, when set, is called at least every progressEvery while the
	// solve runs and on every new incumbent, from Solve's goroutine.
	Progress func(planner.Progress)
	// Incumbent, when set, is called with every new best plan (Info not
	// yet filled), from Solve's goroutine; the plan must not be modified.
	Incumbent func(*planner.Solution)
	// Prices, when set, start the relaxation's multipliers there instead
	// of at zero (e.g. the LP relaxation's duals, which put the first
	// bound at the LP bound). Any prices ≥ 0 give a valid bound: the bound
	// is still the solver's own evaluation of its relaxation.
	Prices *Prices
	// PricesLater, when set, may deliver prices once while the solve runs
	// (an LP solved beside it): the relaxation restarts its multipliers
	// there at its next iteration. When they arrive depends on the clock,
	// so a solve that uses it is not reproducible to the byte (use Prices
	// for node-limited solves).
	PricesLater <-chan *Prices
	// Plans, when set, offers plans found elsewhere (CBC beside the solve)
	// until it is closed. The solve's own search then ends plansReserve
	// before its time limit; the rest of the time goes to the offered
	// plans: each that keeps every row competes as an incumbent and is
	// polished (placement LP, exact per-park placement) and searched
	// around (the endgame). When they arrive depends on the clock, so a
	// solve that uses it is not reproducible to the byte.
	Plans <-chan *planner.Solution
	// PlansFrom names the source of Plans in Info.PlanFrom when the plan
	// returned is one of them ("cbc"), or was polished from one
	// ("cbc+parkplan").
	PlansFrom string
	// LP, when set, solves the placement LPs too large for the package's
	// dense tableau (placeLPMaxCells) — on a county where every park can
	// take firms from every town (a long or no relocation reach) even one
	// town's parks are — so that the firms of every open park are placed
	// from one LP, as on smaller counties (placeLP), instead of not at all.
	// The engine passes CBC's LP (CLP) where it is installed, to solves by
	// the clock only: the LP's answer does not depend on the clock, but a
	// call still running at the time limit is stopped (its placement
	// kept), and when that happens depends on the machine.
	LP LPFunc
}

// Prices are multipliers of the relaxation (docs/solver.md): Groups[g]
// prices group g's place-once row (per firm), Years[t] year t's budget row
// (per 10,000 yuan); negative entries count as 0. Solve panics when their
// lengths are not the Instance's groups and years.
type Prices struct {
	Groups []float64
	Years  []float64
	// From names where the prices came from: Info.PricesFrom of a solve
	// whose multipliers started there.
	From string
	// LPBound is the optimum of the LP whose duals these are (0: not
	// known). Prices delivered by Options.PricesLater are not taken when
	// the solve's bound is already within laterMinGain of it.
	LPBound float64
}

// laterMinGain: prices delivered while a solve runs (Options.PricesLater)
// restart its multipliers only when its bound is more than this share
// above their LP's optimum. A restart sends the relaxation and its plan
// search back to the start, which cost 1× drawn-4-9 of scengen seed 4 its
// plan (0.97 → 1.24 %) when the cut LP's prices it had started from
// already gave the whole LP's bound (docs/solver.md, "The cut LP's
// prices and the whole LP's").
const laterMinGain = 1e-3

const (
	defaultTimeLimit = 10 * time.Second
	// defaultGapTarget: plans agree with an exact optimum to 1e-6 relative
	// (the cross-check tolerance of planner/rules).
	defaultGapTarget = 1e-7
	progressEvery    = 400 * time.Millisecond
	// plansReserve is the time before the limit at which a solve with
	// Options.Plans ends its own search and turns to the offered plans:
	// the portfolio stops CBC then (engine.portfolioHandoff) and hands its
	// plan over; polishing it takes well under a second at 1×.
	plansReserve = 4 * time.Second
	// finaleShare is the share of the time limit left, at the end, for
	// the final exact polish of the incumbent's parks (finale).
	finaleShare = 0.03
)

// Solve finds the best plan for inst. It returns planner.ErrInfeasible when
// the rules admit no plan (proven), and planner.ErrNoPlan when the time
// limit or ctx ends the search before any plan was found. Otherwise the
// Solution carries Info: status (optimal when the gap target is met),
// objective, proven bound, gap, nodes, time and binding rules. Cancelling
// ctx returns the best plan so far with its bound. Solve is deterministic:
// the same Instance gives the same Solution (only Elapsed differs).
// It panics if inst is malformed (index out of range, no specialty).
func Solve(ctx context.Context, inst *planner.Instance, opts Options) (*planner.Solution, error) {
	sr := newSearch(ctx, inst, opts)
	validate(sr.m)
	sr.run()
	return sr.finish()
}

// newSearch is a solve's state before its first step (defaults applied).
func newSearch(ctx context.Context, inst *planner.Instance, opts Options) *search {
	if opts.TimeLimit <= 0 {
		opts.TimeLimit = defaultTimeLimit
	}
	if opts.GapTarget <= 0 {
		opts.GapTarget = defaultGapTarget
	}
	m := newModel(inst)
	deadline := time.Now().Add(opts.TimeLimit)
	if opts.LP != nil {
		m.outLP = func(p *SparseLP) ([]float64, float64, error) {
			// an outside LP ends with the solve's time limit: its answer
			// then comes too late and the placement is kept
			lpCtx, cancel := context.WithDeadline(ctx, deadline)
			defer cancel()
			return p.solveOut(lpCtx, opts.LP)
		}
	}
	return &search{
		m:             m,
		opts:          opts,
		ctx:           ctx,
		start:         time.Now(),
		bestObj:       math.NaN(),
		bound:         math.Inf(1),
		deadline:      deadline,
		searchEnd:     time.Now().Add(opts.TimeLimit - searchReserve(opts)),
		placed:        map[uint64]bool{},
		lpPlaced:      map[uint64]bool{},
		exchangeTried: map[uint64]bool{},
		exploredKeys:  map[uint64]bool{},
		exploredObjs:  map[float64]bool{},
	}
}

// search is one solve's state.
type search struct {
	m        *model
	opts     Options
	ctx      context.Context
	start    time.Time
	deadline time.Time
	// searchEnd is when the search (relaxation, endgame, branch and bound)
	// stops, before the deadline, leaving time for the finale.
	searchEnd time.Time
	lastProg  time.Time

	best          *planner.Solution
	bestObj       float64 // NaN until a plan is found
	bound         float64 // proven upper bound
	infeasible    bool    // proven: no plan
	nodes         int
	placed        map[uint64]bool  // site choices whose firms placeExactly searched
	lpPlaced      map[uint64]bool  // site choices whose firms placeLP placed
	converged     bool             // the relaxation converged once: the endgame began
	full          *fullMIP         // the dense full model, on small instances
	priced        bool             // the multipliers started at given prices
	pricesFrom    string           // where those prices came from (Info.PricesFrom)
	swapSkip      int              // town-pair moves the last fruitless swapTowns passes tried
	exchangeTried map[uint64]bool  // incumbents' site choices swapParks searched around
	relax         *relaxation      // the relaxation, for the finale's endgame
	bestFrom      string           // Info.PlanFrom of the incumbent ("": the solver's own)
	bbTowns       int              // towns per group of placeBB
	bbNext        int              // placeBB's next seed town
	bbImproved    bool             // placeBB improved the plan in this round of the towns
	bbLinks       [][]int          // firm groups shared by each pair of towns (townLinks)
	townTried     bool             // townExact ran (it runs once, at the first endgame)
	pool          []poolPlan       // starts for explore, best first
	exploredKeys  map[uint64]bool  // site choices explored, or the incumbent's: not kept in pool
	exploredObjs  map[float64]bool // their objectives (a choice repairCounty changed has another key)
	gainAt        time.Time        // exhausted: when the incumbent last gained enough
	gainRef       float64          // exhausted: the incumbent's objective then
}

// searchReserve is how much of the time limit the finale keeps: for
// offered plans (Options.Plans) plansReserve when the limit is more than
// twice that, else finaleShare of the limit.
func searchReserve(opts Options) time.Duration {
	if opts.Plans != nil && opts.TimeLimit > 2*plansReserve {
		return plansReserve
	}
	return time.Duration(finaleShare * float64(opts.TimeLimit))
}

func validate(m *model) {
	inst := m.inst
	for a, arc := range inst.Arcs {
		if arc.Group < 0 || arc.Group >= len(inst.Groups) || arc.Site < 0 || arc.Site >= len(inst.Sites) {
			panic(fmt.Sprintf("solver: arc %d out of range", a))
		}
	}
	if len(inst.QuotaMu) != len(inst.Towns) {
		panic("solver: QuotaMu has a row per town")
	}
	for s, site := range inst.Sites {
		if site.Town < 0 || site.Town >= len(inst.Towns) {
			panic(fmt.Sprintf("solver: site %d town out of range", s))
		}
		if site.Locked && (site.LockedYear < 0 || site.LockedYear >= m.nT) {
			panic(fmt.Sprintf("solver: locked site %s year out of range", site.ParcelID))
		}
		for _, k := range site.Specialties {
			if k < 0 || k >= len(inst.Industries) {
				panic(fmt.Sprintf("solver: site %s specialty out of range", site.ParcelID))
			}
		}
	}
}

// stopped reports whether time is up, the context is done, or the gap
// target is met.
func (sr *search) stopped() bool {
	if sr.ctx.Err() != nil || time.Now().After(sr.deadline) {
		return true
	}
	return sr.gapMet(sr.bound)
}

// gapMet reports whether bound is within the gap target of the incumbent.
func (sr *search) gapMet(bound float64) bool {
	if math.IsNaN(sr.bestObj) {
		return false
	}
	return bound-sr.bestObj <= sr.opts.GapTarget*math.Max(1, math.Abs(sr.bestObj))
}

// offer records sol if it is feasible and better than the incumbent. It
// returns sol's objective (NaN if rejected as infeasible).
func (sr *search) offer(sol *planner.Solution) float64 {
	if fixed := sr.m.repairCounty(sol); fixed != nil {
		sol = fixed // over the county allocation: its least valuable new-land parks close
	}
	if msg := sr.m.check(sol); msg != "" {
		return math.NaN()
	}
	obj := sr.m.objective(sol)
	if math.IsNaN(sr.bestObj) || obj > sr.bestObj+1e-9*math.Max(1, math.Abs(obj)) {
		sr.best = sol
		sr.bestObj = obj
		if sr.opts.Incumbent != nil {
			sr.opts.Incumbent(sol)
		}
		sr.report(true)
	}
	return obj
}

// tighten lowers the proven bound.
func (sr *search) tighten(b float64) {
	if b < sr.bound {
		sr.bound = b
	}
}

// report calls the Progress callback when due (or forced).
func (sr *search) report(force bool) {
	if sr.opts.Progress == nil {
		return
	}
	now := time.Now()
	if !force && now.Sub(sr.lastProg) < progressEvery {
		return
	}
	sr.lastProg = now
	b := sr.bound
	if !math.IsNaN(sr.bestObj) && b < sr.bestObj {
		b = sr.bestObj
	}
	sr.opts.Progress(planner.Progress{
		Incumbent: sr.bestObj,
		Bound:     b,
		Gap:       gap(sr.bestObj, b),
		Nodes:     sr.nodes,
		Elapsed:   now.Sub(sr.start),
	})
}

func gap(obj, bound float64) float64 {
	if math.IsNaN(obj) {
		return math.Inf(1)
	}
	return math.Max(0, (bound-obj)/math.Max(1, math.Abs(obj)))
}

// run is the solve: the decomposition first (bound and plans at any size),
// then, when the dense model fits, branch and bound for the proof.
func (sr *search) run() {
	rows, cols := sr.m.fullSize()
	small := rows*(cols+2*rows) <= exactMaxCells
	limit := sr.searchEnd
	if small {
		// leave most of the time to the proof
		limit = sr.start.Add(sr.searchEnd.Sub(sr.start) / 5)
		sr.full = buildFullMIP(sr.m)
	}
	sr.decompose(limit, small)
	if sr.infeasible {
		return
	}
	if small && !sr.stopped() && time.Now().Before(sr.searchEnd) {
		sr.exact()
	}
	sr.finale()
}

// finale ends every solve that has a plan: the incumbent's parks
// re-placed exactly, one at a time (polishParks, also after a node limit:
// its work is bounded by polishParksPasses and parkIntNodes, so a
// node-limited solve stays reproducible); then, with Options.Plans, the
// offered plans taken as they come (takePlan) until the channel closes or
// the time is up, and the endgame around the incumbent with what is left.
func (sr *search) finale() {
	done := func() bool { return sr.interrupted() || sr.gapMet(sr.bound) }
	if sr.best != nil && !done() {
		sr.polishParks(done)
		if sr.placeClusters(done) {
			sr.polishParks(done)
		}
	}
	plans := sr.opts.Plans
	if plans == nil {
		return
	}
	timer := time.NewTimer(time.Until(sr.deadline))
	defer timer.Stop()
	for plans != nil && !done() {
		select {
		case p, ok := <-plans:
			if !ok {
				plans = nil
				continue
			}
			sr.takePlan(p, done)
		case <-timer.C:
			return
		case <-sr.ctx.Done():
			return
		}
	}
	if sr.relax != nil && sr.converged && !done() {
		sr.endgame(sr.relax, func() bool { return done() || sr.nodeLimitHit() })
	}
}

// takePlan offers a plan found elsewhere: if it keeps every row it
// competes as an incumbent, and it is polished — its firms placed again
// by the placement LP (all parks at once, where that LP fits) and then
// park by park exactly (placeParksExactly) — and offered again. The
// incumbent's origin (bestFrom) names Options.PlansFrom when the offered
// plan became it, with "+parkplan" when its polished form did.
func (sr *search) takePlan(p *planner.Solution, done func() bool) {
	m := sr.m
	if p == nil || len(p.Year) != len(m.inst.Sites) || len(p.Specialty) != len(m.inst.Sites) || len(p.Count) != len(m.inst.Arcs) {
		return
	}
	cand := &planner.Solution{Year: append([]int(nil), p.Year...), Specialty: append([]int(nil), p.Specialty...), Count: append([]int(nil), p.Count...)}
	for s, t := range cand.Year {
		if t < 0 {
			cand.Specialty[s] = 0
		}
	}
	if m.check(cand) != "" {
		return
	}
	from := sr.opts.PlansFrom
	before := sr.bestObj
	sr.offer(cand)
	if math.IsNaN(before) || sr.bestObj > before+1e-9*math.Max(1, math.Abs(before)) {
		sr.bestFrom = from
	}
	all := make([]bool, len(cand.Year))
	for s := range all {
		all[s] = true
	}
	if m.lpCells(cand, all) <= placeLPMaxCells {
		lp := &planner.Solution{Year: cand.Year, Specialty: cand.Specialty, Count: append([]int(nil), cand.Count...)}
		ok, work := m.placeLP(lp, nil, sr.interrupted)
		sr.nodes += work
		if ok && m.check(lp) == "" && m.objective(lp) > m.objective(cand) {
			cand = lp
		}
	}
	m.placeParksExactly(cand, nil, done, &sr.nodes)
	mid := sr.bestObj
	sr.offer(cand)
	if sr.bestObj > mid+1e-9*math.Max(1, math.Abs(mid)) {
		sr.bestFrom = from + "+parkplan"
	}
}

// exact runs branch and bound on the full model.
func (sr *search) exact() {
	f := sr.full
	bbBase := sr.nodes
	res := depthFirst(&f.prob, bbHooks{
		accept: func(x []float64) float64 { return sr.offer(f.solution(x)) },
		incumbent: func() float64 {
			return sr.bestObj
		},
		prune: func(b float64) bool {
			if math.IsNaN(sr.bestObj) {
				return false
			}
			return b <= sr.bestObj+sr.opts.GapTarget*math.Max(1, math.Abs(sr.bestObj))
		},
		stop: func() bool {
			return sr.ctx.Err() != nil || time.Now().After(sr.searchEnd) || sr.nodeLimitHit()
		},
		progress: func(b float64, nodes int) {
			sr.nodes = bbBase + nodes
			sr.tighten(b)
			sr.report(false)
		},
		heuristic: func(x []float64) { sr.roundLP(f, x) },
		priority: func(j int) int {
			if j < f.nY {
				return 0
			}
			return 1
		},
	})
	sr.nodes = bbBase + res.nodes
	sr.tighten(res.bound)
	if res.complete && math.IsNaN(sr.bestObj) {
		sr.infeasible = true
	}
}

// roundLP makes a plan from a fractional point of the full model: each
// site opens in its largest (year, specialty) when its y sum is at least
// ½, then firms are placed park by park (largest LP firm value first).
func (sr *search) roundLP(f *fullMIP, x []float64) {
	m := sr.m
	inst := m.inst
	sol := &planner.Solution{
		Year:      make([]int, len(inst.Sites)),
		Specialty: make([]int, len(inst.Sites)),
		Count:     make([]int, len(inst.Arcs)),
	}
	lpValue := make([]float64, len(inst.Sites))
	var open []int
	for s := range inst.Sites {
		sum, best, bt, bk := 0.0, -1.0, -1, 0
		for t := range f.yIdx[s] {
			for k, j := range f.yIdx[s][t] {
				sum += x[j]
				if x[j] > best {
					best, bt, bk = x[j], t, k
				}
			}
		}
		sol.Year[s] = -1
		if sum >= 0.5 {
			sol.Year[s], sol.Specialty[s] = bt, bk
			open = append(open, s)
			for _, a := range m.siteArcs[s] {
				lpValue[s] += inst.Arcs[a].Value * x[f.xIdx[a][bk]]
			}
		}
	}
	if m.check(sol) != "" {
		return // a site rule fails: not worth placing firms
	}
	sort.SliceStable(open, func(a, b int) bool { return lpValue[open[a]] > lpValue[open[b]] })
	left := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		left[g] = gr.Count
	}
	m.placeFirms(sol, open, left, nil)
	// Exact placement only for promising site choices (greedy plan within
	// promisingGap of the incumbent): it costs up to placementNodes nodes.
	if obj := sr.offer(sol); !math.IsNaN(obj) && obj >= sr.bestObj-promisingGap*math.Max(1, math.Abs(sr.bestObj)) {
		sr.placeExactly(f, sol)
	}
}

// promisingGap: a site choice whose greedy plan is this close (relative)
// to the incumbent gets an exact firm placement.
const promisingGap = 0.01

// placementNodes caps the branch and bound that places firms exactly for
// one site choice (see placeExactly).
const placementNodes = 400

// placeExactly searches the firm counts for the site choice of sol (years
// and specialties fixed) by a small branch and bound on the full model,
// once per distinct choice: the greedy placement can miss the best
// integer counts under the share rules.
func (sr *search) placeExactly(f *fullMIP, sol *planner.Solution) {
	key := choiceKey(sol.Year, sol.Specialty)
	if sr.placed[key] {
		return
	}
	sr.placed[key] = true
	sub := f.prob
	sub.lo = append([]float64(nil), f.prob.lo...)
	sub.up = append([]float64(nil), f.prob.up...)
	for s := range f.yIdx {
		for t := range f.yIdx[s] {
			for k, j := range f.yIdx[s][t] {
				v := 0.0
				if sol.Year[s] == t && sol.Specialty[s] == k {
					v = 1
				}
				sub.lo[j], sub.up[j] = v, v
			}
		}
	}
	for a, arc := range sr.m.inst.Arcs {
		for k, j := range f.xIdx[a] {
			if sol.Year[arc.Site] < 0 || sol.Specialty[arc.Site] != k {
				sub.up[j] = 0
			}
		}
	}
	res := depthFirst(&sub, bbHooks{
		accept:    func(x []float64) float64 { return sr.offer(f.solution(x)) },
		incumbent: func() float64 { return sr.bestObj },
		prune: func(b float64) bool {
			return !math.IsNaN(sr.bestObj) && b <= sr.bestObj+sr.opts.GapTarget*math.Max(1, math.Abs(sr.bestObj))
		},
		stop: func() bool {
			return sr.ctx.Err() != nil || time.Now().After(sr.deadline) || sr.nodeLimitHit()
		},
		progress: func(float64, int) {},
		priority: func(int) int { return 0 },
	}.withNodeCap(placementNodes))
	sr.nodes += res.nodes
}

// nodeLimitHit reports whether Options.NodeLimit is reached.
func (sr *search) nodeLimitHit() bool {
	return sr.opts.NodeLimit > 0 && sr.nodes >= sr.opts.NodeLimit
}

func (sr *search) finish() (*planner.Solution, error) {
	elapsed := time.Since(sr.start)
	if sr.infeasible {
		return nil, planner.ErrInfeasible
	}
	if sr.best == nil {
		if err := sr.ctx.Err(); err != nil {
			return nil, errors.Join(planner.ErrNoPlan, err)
		}
		return nil, planner.ErrNoPlan
	}
	bound := math.Max(sr.bound, sr.bestObj)
	sol := *sr.best
	sol.Info = planner.SolveInfo{
		Solver:    "parkplan",
		Status:    planner.StatusFeasible,
		Objective: sr.bestObj,
		Bound:     bound,
		Gap:       gap(sr.bestObj, bound),
		Elapsed:   elapsed,
		Nodes:     sr.nodes,
		Binding:   sr.m.binding(&sol),
	}
	if sr.priced {
		sol.Info.PricesFrom = sr.pricesFrom
	}
	sol.Info.PlanFrom = sr.bestFrom
	if sol.Info.Gap <= sr.opts.GapTarget {
		sol.Info.Status = planner.StatusOptimal
	}
	sr.report(true)
	return &sol, nil
}
