package planner

import "context"

// PlanService solves a scenario against the stored dataset. progress, when
// not nil, is called from the solving goroutine as the solver improves;
// cancelling ctx stops the solve and returns ctx's error.
type PlanService interface {
	Solve(ctx context.Context, sc *Scenario, progress func(Progress)) (*Plan, error)
}
