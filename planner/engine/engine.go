// Package engine is parkplan's planner.PlanService: it loads the dataset,
// builds the model (planner.BuildInstance), solves it (planner/solver, or
// CBC through planner/cbc) and decodes the plan (planner.DecodePlan). When
// no plan exists it explains why in planning words, with the figures, and
// gives the smallest relaxation that restores one (explain.go).
package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/solver"
)

// SolveFunc solves an Instance: a Solution with Info filled, or
// planner.ErrInfeasible / planner.ErrNoPlan (wrapped or not).
type SolveFunc func(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error)

// Parkplan solves with parkplan's own solver (planner/solver) under the
// scenario's time limit, gap target and node limit. Where the cbc command
// is installed, the solver's multipliers start at the LP relaxation's
// duals (prices.go; the plan is still parkplan's own); when the scenario
// sets no node limit CBC also runs beside it on the same model
// (portfolio.go): the better plan and tighter bound are reported, with
// their source; with a node limit the plan stays parkplan's, and CBC's
// root node beside it may give the tighter bound (root.go).
func Parkplan(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error) {
	start := time.Now()
	if usePortfolio(inst) {
		// a solve by the clock: the LP beside it, its prices taken when
		// they come rather than waited for
		later := make(chan *solver.Prices, 1)
		go func() { later <- lpPrices(ctx, inst, 1) }()
		return portfolio(ctx, inst, progress, later, start)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()                                          // stops a whole LP still running beside the solve
	prices, later := lpPricesThen(ctx, inst, lpPricesShare) // waited for: they decide a node-limited plan
	switch {
	case cbc.Installed() && cbcBeside(inst):
		return withRootBound(ctx, inst, start, func() (*planner.Solution, error) {
			return ownSolve(ctx, inst, progress, prices, later, outsideLP(inst.Scenario.NodeLimit), start)
		})
	}
	return ownSolve(ctx, inst, progress, prices, later, outsideLP(inst.Scenario.NodeLimit), start)
}

// ParkplanLP solves with parkplan's own solver, its multipliers started at
// CBC's LP duals where the cbc command is installed (as Parkplan does),
// but without CBC's root node or branch and bound beside it: the cheap
// solve of a province's pricing rounds (docs/province.md), whose bound is
// parkplan's own. A node-limited solve's plan is Parkplan's to the byte
// (the root only tightens the bound); one bounded by the clock is
// parkplan's alone rather than the portfolio's.
func ParkplanLP(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prices, later := lpPricesThen(ctx, inst, lpPricesShare)
	return ownSolve(ctx, inst, progress, prices, later, outsideLP(inst.Scenario.NodeLimit), start)
}

// ParkplanOnly solves with parkplan's own solver alone, never CBC beside it
// nor its LP prices.
func ParkplanOnly(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error) {
	return ownSolve(ctx, inst, progress, nil, nil, nil, time.Now())
}

// ownSolve runs parkplan's solver for the rest of the scenario's time
// limit counted from start, its multipliers starting at prices (nil: at
// zero) and restarted at those later delivers (nil: none), its placement
// LPs too large for its own tableau solved by lp (nil: not solved);
// Info.Elapsed counts from start.
func ownSolve(ctx context.Context, inst *planner.Instance, progress func(planner.Progress), prices *solver.Prices, later <-chan *solver.Prices, lp solver.LPFunc, start time.Time) (*planner.Solution, error) {
	sol, err := solver.Solve(ctx, inst, solver.Options{
		TimeLimit:   timeLeft(inst, start),
		GapTarget:   inst.Scenario.GapTarget,
		NodeLimit:   inst.Scenario.NodeLimit,
		Progress:    progress,
		Prices:      prices,
		PricesLater: later,
		LP:          lp,
	})
	if sol != nil {
		sol.Info.Elapsed = time.Since(start)
	}
	return sol, err
}

// timeLeft is what is left of inst's time limit since start (at least a
// millisecond: the solver reads 0 as its default).
func timeLeft(inst *planner.Instance, start time.Time) time.Duration {
	return max(inst.Scenario.TimeLimit.Duration-time.Since(start), time.Millisecond)
}

// CBC solves with COIN-OR CBC on the exact MPS model (planner/cbc).
func CBC(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error) {
	return cbc.Solve(ctx, inst, progress)
}

// Solvers maps the names `parkplan solve --solver` accepts to solvers.
var solvers = map[string]SolveFunc{"parkplan": Parkplan, "parkplan-lp": ParkplanLP, "parkplan-only": ParkplanOnly, "cbc": CBC}

// SolverByName returns the solver called name ("parkplan", "parkplan-lp",
// "parkplan-only" or "cbc").
func SolverByName(name string) (SolveFunc, error) {
	f, ok := solvers[name]
	if !ok {
		return nil, planner.FieldErrorf("solver", "want parkplan, parkplan-lp, parkplan-only or cbc, got %q", name)
	}
	return f, nil
}

// Engine solves scenarios against a dataset store.
type Engine struct {
	Store planner.DatasetStore
	// Solver solves the model; nil means Parkplan.
	Solver SolveFunc
	// SolverName is written as solve.solver in plans without a solution
	// (infeasible, no plan in time); "" means "parkplan" when Solver is nil.
	SolverName string
}

func (e *Engine) solverName() string {
	if e.SolverName == "" && e.Solver == nil {
		return "parkplan"
	}
	return e.SolverName
}

var _ planner.PlanService = (*Engine)(nil)

// Solve loads the dataset and solves sc on it (SolveDataset).
func (e *Engine) Solve(ctx context.Context, sc *planner.Scenario, progress func(planner.Progress)) (*planner.Plan, error) {
	if e.Store == nil {
		return nil, planner.Errorf(planner.EINTERNAL, "engine: no dataset store")
	}
	ds, err := e.Store.LoadDataset(ctx)
	if err != nil {
		return nil, err
	}
	return e.SolveDataset(ctx, ds, sc, progress)
}

// SolveDataset solves sc on ds and records ds.Revision in the plan (see
// solveDataset).
func (e *Engine) SolveDataset(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario, progress func(planner.Progress)) (*planner.Plan, error) {
	plan, err := e.solveDataset(ctx, ds, sc, progress)
	if plan != nil {
		plan.DatasetRevision = ds.Revision
	}
	return plan, err
}

// solveDataset solves sc on ds. An infeasible scenario returns a plan with
// Solve.Status "infeasible" and its Explanation, together with an error
// wrapping planner.ErrInfeasible; a solve that found no plan in time
// returns a plan with status "no_plan" and an error wrapping
// planner.ErrNoPlan. sc is not modified.
func (e *Engine) solveDataset(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario, progress func(planner.Progress)) (*planner.Plan, error) {
	inst, err := planner.BuildInstance(ds, *sc)
	if err != nil {
		return nil, err
	}
	solve := e.Solver
	if solve == nil {
		solve = Parkplan
	}
	sol, err := solve(ctx, inst, progress)
	switch {
	case err == nil:
	case errors.Is(err, planner.ErrInfeasible):
		plan := emptyPlan(ds, inst, planner.StatusInfeasible)
		plan.Solve.Solver = e.solverName()
		plan.Explanation = Explain(ctx, ds, inst)
		return plan, fmt.Errorf("%w: %s", planner.ErrInfeasible, firstOr(plan.Explanation.Conflicts, "no plan keeps every rule"))
	case errors.Is(err, planner.ErrNoPlan):
		plan := emptyPlan(ds, inst, planner.StatusNoPlan)
		plan.Solve.Solver = e.solverName()
		return plan, err
	default:
		return nil, err
	}
	return planner.DecodePlan(ds, inst, sol)
}

// emptyPlan is the plan of a scenario without a solution: no parks, every
// firm unplaced, the towns' quotas.
func emptyPlan(ds *planner.Dataset, inst *planner.Instance, status planner.SolveStatus) *planner.Plan {
	sol := &planner.Solution{Year: make([]int, len(inst.Sites)), Specialty: make([]int, len(inst.Sites)), Count: make([]int, len(inst.Arcs))}
	for s := range sol.Year {
		sol.Year[s] = -1
	}
	plan, err := planner.DecodePlan(ds, inst, sol)
	if err != nil {
		panic("engine: decoding the empty solution: " + err.Error()) // shapes match by construction
	}
	plan.Solve = planner.SolveInfo{Status: status}
	return plan
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}
