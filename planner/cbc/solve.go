package cbc

import (
	"context"
	"math"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mps"
)

// Solve runs CBC on inst's exact model with the scenario's time limit and
// gap target and returns the Solution, with Info filled (solver "cbc",
// status, objective, bound, gap, elapsed, nodes). When CBC proves the model
// infeasible it returns planner.ErrInfeasible; when the time runs out
// without a plan, planner.ErrNoPlan. progress is called once at the end
// (CBC is run as a separate process and reports nothing while it works).
func Solve(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error) {
	start := time.Now()
	m := mps.Build(inst)
	res, err := Run(ctx, m, Options{TimeLimit: inst.Scenario.TimeLimit.Duration, GapTarget: inst.Scenario.GapTarget, NodeLimit: inst.Scenario.NodeLimit})
	if err != nil {
		return nil, err
	}
	switch res.Status {
	case planner.StatusInfeasible:
		return nil, planner.ErrInfeasible
	case planner.StatusNoPlan:
		return nil, planner.ErrNoPlan
	}
	sol, err := m.Solution(res.Values)
	if err != nil {
		return nil, err
	}
	bound := res.Bound
	if math.IsNaN(bound) {
		bound = res.LPBound // the LP relaxation's optimum is a bound too
	}
	if math.IsNaN(bound) && res.Status == planner.StatusOptimal {
		bound = res.Objective
	}
	if bound < res.Objective {
		bound = res.Objective
	}
	sol.Info = planner.SolveInfo{
		Solver:    "cbc",
		Status:    res.Status,
		Objective: res.Objective,
		Bound:     bound,
		Gap:       planner.RelGap(bound, res.Objective),
		Elapsed:   time.Since(start),
		Nodes:     res.Nodes,
		Binding:   m.Binding(res.Values),
	}
	if sol.Info.Status == planner.StatusFeasible && sol.Info.Gap <= inst.Scenario.GapTarget {
		sol.Info.Status = planner.StatusOptimal
	}
	if progress != nil {
		progress(planner.Progress{Incumbent: sol.Info.Objective, Bound: bound, Gap: sol.Info.Gap, Nodes: res.Nodes, Elapsed: sol.Info.Elapsed})
	}
	return sol, nil
}
