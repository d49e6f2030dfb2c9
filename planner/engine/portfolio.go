package engine

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/solver"
)

// portfolioStartShare: CBC starts once this share of the time limit has
// passed, with the rest of the time and parkplan's plan at that moment as
// its MIP start (none if parkplan has none yet).
const portfolioStartShare = 0.05

// portfolioLPWait: while CBC's LP relaxation for the prices (engine.go)
// has not come back, CBC's branch and bound starts only once this share
// of the time limit has passed: both are CBC processes on the same large
// model, and on two cores beside parkplan's solve the LP got a third of
// a core. With other specialties allowed (14 per site) the LP is 8.5 s
// of CPU at 1× (CLP's dual simplex, the fastest of dual, primal and
// barrier there, measured), and drawn scenarios whose LP did not come
// back in 60 s ended at 17–37 % (docs/benchmarks-solver.md); CBC's own
// branch and bound found no plan and no bound on them either.
const portfolioLPWait = 0.5

// portfolioMaxRows: CBC's branch and bound does not run beside the solver
// on a model with more rows than this (mip.Size). At 1× on the shipped
// demo (binary 71c6833, docs/benchmarks-solver.md) it gave the plan or
// the bound on models of 2,400–17,000 rows and nothing at all — no plan,
// no bound better than parkplan's — on every drawn model of 48,000–134,000
// rows (other specialties allowed: drawn-1-3, -10, -11, -24, -25, -27),
// where it took a core from parkplan's solve and from the LP prices:
// drawn-1-3 did 168 nodes in 60 s under load 5–31, against 3,128 nodes
// and a 0.91 % gap at load 7 for parkplan alone (22 s of CPU).
const portfolioMaxRows = 40000

// portfolioMinLeft: CBC is not started with less time than this left: it
// needs seconds to read the model and cut at its root (on the demo county
// within towns, ~5 s to its root bound), and short solves (the default
// 10 s, explanations' many 2 s solves) are better left to one process.
const portfolioMinLeft = 10 * time.Second

// portfolioHandoff is how long before the time limit CBC is stopped so
// that its plan can be handed to parkplan's solver (solver.Options.Plans),
// which polishes it (placement LP, exact per-park placement) and searches
// around it in that time: the solver ends its own search as long before
// the limit (its plansReserve, the same 4 s).
const portfolioHandoff = 4 * time.Second

// portfolioGrace is how long past the time limit the portfolio waits for
// CBC to stop by itself before stopping it (its plan and bound are lost).
const portfolioGrace = 2 * time.Second

// usePortfolio reports whether a solve of inst runs CBC beside parkplan's
// solver: where the cbc command is installed, and only for solves bounded
// by time alone, on counties whose prices come from the LP of the whole
// model. A solve with a node limit is reproducible to the byte and runs
// parkplan's solver alone (CBC's work depends on the clock). A large
// county's solve (prices from clusters of towns, lpPricesByTowns) waits
// for its prices, whose LPs then have both cores, instead of running from
// zero beside them and CBC.
func usePortfolio(inst *planner.Instance) bool {
	return inst.Scenario.NodeLimit == 0 && cbc.Installed() && pricesFrom(inst) == PricesFromLP
}

// portfolio solves inst with parkplan's solver and, beside it, CBC on the
// same exact model (planner/mps) with parkplan's plan at the time as its
// MIP start. The answer is the better plan and the tighter bound, with
// where each came from (SolveInfo.PlanFrom, BoundFrom). CBC's plan is
// used only when it breaks no row of the model; when either side proves
// the gap target the other is stopped. docs/solver.md, "Portfolio", has
// the measurements that made it the default.
func portfolio(ctx context.Context, inst *planner.Instance, progress func(planner.Progress), prices <-chan *solver.Prices, start time.Time) (*planner.Solution, error) {
	limit := inst.Scenario.TimeLimit.Duration
	ownCtx, stopOwn := context.WithCancel(ctx)
	defer stopOwn()
	cbcCtx, stopCBC := context.WithCancel(ctx)
	defer stopCBC()

	var (
		mu       sync.Mutex
		started  bool
		cbcRan   bool // CBC was started (set before its goroutine)
		done     = make(chan struct{})
		cbcSol   *planner.Solution
		cbcBound = math.Inf(1)
		cbcNodes int
		lpCame   = make(chan struct{}) // closed when the LP prices came (or will not)
		plans    = make(chan *planner.Solution, 1)
	)
	// The prices pass through here on their way to the solver, so that
	// CBC's branch and bound can wait for them (portfolioLPWait).
	ownPrices := make(chan *solver.Prices, 1)
	go func() {
		defer close(lpCame)
		select {
		case p := <-prices:
			ownPrices <- p
		case <-ownCtx.Done():
		}
	}()
	lpDone := func(elapsed time.Duration) bool {
		select {
		case <-lpCame:
			return true
		default:
			return elapsed >= time.Duration(portfolioLPWait*float64(limit))
		}
	}
	launch := func(inc *planner.Solution) {
		left := limit - time.Since(start)
		if rows, _ := mip.Size(inst); left < portfolioMinLeft || rows > portfolioMaxRows {
			close(done)
			close(plans)
			return // too late to start CBC, or a model too large for it: parkplan alone (cbcRan stays false)
		}
		cbcRan = true
		go func() {
			defer close(done)
			defer close(plans)
			// The model is built here, beside parkplan's solve, not before
			// it: with other specialties allowed it takes a while.
			model := mps.Build(inst)
			var startValues []float64
			if inc != nil {
				startValues = model.Values(inc)
			}
			left := limit - time.Since(start)
			if left < portfolioMinLeft {
				return
			}
			res, err := cbc.Run(cbcCtx, model, cbc.Options{TimeLimit: left - portfolioHandoff, GapTarget: inst.Scenario.GapTarget, MIPStart: startValues})
			if err != nil || res.Status == planner.StatusInfeasible {
				// parkplan's answer stands: CBC proves infeasibility only of
				// a model parkplan also proves, and its failures are its own
				return
			}
			mu.Lock()
			defer mu.Unlock()
			cbcNodes = res.Nodes
			b := res.Bound // its proven bound holds with or without a plan
			if math.IsNaN(b) {
				b = res.LPBound
			}
			if !math.IsNaN(b) {
				cbcBound = b
			}
			if res.Status == planner.StatusNoPlan {
				return
			}
			if _, bad := model.Violations(res.Values, 1e-6); len(bad) > 0 {
				return // a plan off the rows (round-off): not used
			}
			if sol, err := model.Solution(res.Values); err == nil {
				sol.Info.Objective = res.Objective
				sol.Info.Binding = model.Binding(res.Values)
				cbcSol = sol
				plans <- sol // buffered: parkplan's solver takes it in its last seconds
			}
			if res.Status == planner.StatusOptimal {
				stopOwn() // CBC proved the gap target: parkplan need not go on
			}
		}()
	}
	var inc *planner.Solution
	maybeLaunch := func(elapsed time.Duration) {
		if !started && elapsed >= time.Duration(portfolioStartShare*float64(limit)) && lpDone(elapsed) {
			started = true
			launch(inc)
		}
	}
	own, ownErr := solver.Solve(ownCtx, inst, solver.Options{
		TimeLimit:   timeLeft(inst, start),
		GapTarget:   inst.Scenario.GapTarget,
		PricesLater: ownPrices,
		Plans:       plans,
		PlansFrom:   "cbc",
		LP:          outsideLP(inst.Scenario.NodeLimit),
		Progress: func(p planner.Progress) {
			maybeLaunch(time.Since(start))
			if progress != nil {
				progress(p)
			}
		},
		Incumbent: func(sol *planner.Solution) {
			inc = sol
			maybeLaunch(time.Since(start))
		},
	})
	if own != nil {
		own.Info.Elapsed = time.Since(start)
	}
	if !started || !cbcRan {
		return own, ownErr // parkplan finished before CBC was due, or too late for it
	}
	if ownErr == nil && own.Info.Status == planner.StatusOptimal {
		stopCBC()
	}
	// CBC checks its clock between phases only (a root LP can overrun
	// it): it is stopped once the time limit has passed by portfolioGrace.
	select {
	case <-done:
	case <-time.After(time.Until(start.Add(limit + portfolioGrace))):
		stopCBC()
		<-done
	}
	if ctx.Err() != nil && own == nil {
		return own, ownErr
	}
	mu.Lock()
	defer mu.Unlock()
	return merge(inst, own, ownErr, cbcSol, cbcBound, cbcNodes, time.Since(start))
}

// merge is the portfolio's answer from parkplan's result (own, ownErr)
// and CBC's plan and bound (nil, +Inf when it gave none).
func merge(inst *planner.Instance, own *planner.Solution, ownErr error, cbcSol *planner.Solution, cbcBound float64, cbcNodes int, elapsed time.Duration) (*planner.Solution, error) {
	if ownErr != nil && !errors.Is(ownErr, planner.ErrNoPlan) {
		return own, ownErr // infeasible (proven) or a fault
	}
	var best planner.Solution
	switch {
	case own == nil && cbcSol == nil:
		return own, ownErr
	case own == nil || (cbcSol != nil && cbcSol.Info.Objective > own.Info.Objective+1e-9*math.Max(1, math.Abs(own.Info.Objective))):
		best = *cbcSol
		best.Info.PlanFrom = "cbc"
		best.Info.Bound = math.Inf(1)
	default:
		best = *own
		if best.Info.PlanFrom == "" {
			best.Info.PlanFrom = "parkplan" // else "cbc" or "cbc+parkplan": CBC's plan, taken (and polished) by the solver
		}
	}
	info := &best.Info
	info.Solver = "parkplan+cbc"
	info.BoundFrom = "parkplan"
	ownNodes := 0
	if own != nil {
		info.Bound = own.Info.Bound
		ownNodes = own.Info.Nodes
		info.PricesFrom = own.Info.PricesFrom
	}
	if cbcBound < info.Bound {
		info.Bound, info.BoundFrom = cbcBound, "cbc"
	}
	if math.IsInf(info.Bound, 1) {
		return own, ownErr // CBC's plan without any bound: not an answer to report
	}
	info.Bound = math.Max(info.Bound, info.Objective)
	info.Gap = math.Max(0, planner.RelGap(info.Bound, info.Objective))
	info.Nodes = ownNodes + cbcNodes
	info.Elapsed = elapsed
	info.Status = planner.StatusFeasible
	if info.Gap <= inst.Scenario.GapTarget {
		info.Status = planner.StatusOptimal
	}
	return &best, nil
}
