package engine

import (
	"context"
	"math"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
)

// BoundFromRoot names CBC's root bound in SolveInfo.BoundFrom: the bound
// after CBC's cuts at its root node, run beside a node-limited solve.
const BoundFromRoot = "cbc-root"

// withRootBound runs own (a node-limited parkplan solve, whose plan must
// be the same on every machine) and, beside it, CBC's root node on the
// same model (cuts, no branching: the same bound on every machine where
// it finishes in time). The answer is own's plan with the tighter of the two bounds,
// named by BoundFrom. CBC's root gets until the time limit counted from
// start plus portfolioGrace, as its own time limit (less rootStopMargin,
// so it ends a second after the solve's limit): a root that takes
// longer (a county far larger than the demo, a machine far slower, or a
// loaded one) stops its cut passes there and reports the bound it has
// reached, which is as valid as the finished root's; one stopped before
// its first LP after pre-processing gives none. A root still running
// portfolioGrace after the time limit is killed and its bound not used.
// (Before it was handed a limit, a root was killed there whatever it had.)
// On the demo county within towns the root's cuts take the bound 2.2 %
// below the LP bound; on 3× drawn-5-5 CBC's pre-processing alone takes
// it 4.3 % below (docs/solver.md).
func withRootBound(ctx context.Context, inst *planner.Instance, start time.Time, own func() (*planner.Solution, error)) (*planner.Solution, error) {
	rootCtx, stop := context.WithDeadline(ctx, start.Add(inst.Scenario.TimeLimit.Duration+portfolioGrace))
	defer stop()
	bound := make(chan float64, 1)
	until := time.Until(start.Add(inst.Scenario.TimeLimit.Duration+portfolioGrace)) - rootStopMargin
	go func() { bound <- rootBound(rootCtx, inst, until) }()
	sol, err := own()
	if err != nil || sol.Info.Status == planner.StatusOptimal {
		return sol, err // no plan to bound, or proven already
	}
	b := <-bound
	if math.IsNaN(b) || b >= sol.Info.Bound {
		return sol, nil
	}
	info := &sol.Info
	info.Solver, info.PlanFrom, info.BoundFrom = "parkplan+cbc", "parkplan", BoundFromRoot
	info.Bound = math.Max(b, info.Objective)
	info.Gap = math.Max(0, planner.RelGap(info.Bound, info.Objective))
	if info.Gap <= inst.Scenario.GapTarget {
		info.Status = planner.StatusOptimal
	}
	info.Elapsed = time.Since(start)
	return sol, nil
}

// rootStopMargin: CBC's root is told to stop this long before it would
// be killed (portfolioGrace after the time limit), time to write and
// hand over its bound.
const rootStopMargin = time.Second

// rootBound is CBC's bound on inst's model after its root node, or where
// its cut passes stood when limit ran out (its "best possible", else its
// LP bound); NaN when CBC gave none (killed, failed, or found the model
// infeasible: parkplan proves that itself). A limit ≤ 0 gives none.
func rootBound(ctx context.Context, inst *planner.Instance, limit time.Duration) float64 {
	if limit <= 0 {
		return math.NaN()
	}
	res, err := cbc.Run(ctx, mps.Build(inst), cbc.Options{RootOnly: true, TimeLimit: limit})
	if err != nil || res.Status == planner.StatusInfeasible {
		return math.NaN()
	}
	if !math.IsNaN(res.Bound) {
		return res.Bound
	}
	return res.LPBound
}
