package engine

import (
	"context"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/solver"
)

// lpPricesShare is the most of the time limit the LP relaxation may take,
// in a solve without a node limit, before parkplan's solve starts without
// its prices (at 1× the LP takes ~0.3 s of CPU; on a machine loaded 40
// deep, over 12 s of wall clock). A node-limited solve waits for the LP
// up to its whole time limit: its prices decide the plan, which must be
// the same on every machine.
const lpPricesShare = 0.5

// PricesFromLP names the start of the multipliers in SolveInfo.PricesFrom
// when they came from CBC's LP relaxation.
const PricesFromLP = "cbc-lp"

// lpPrices solves inst's LP relaxation with CBC (no clock inside CBC: the
// same duals on every machine with the same CBC) and returns its duals on
// the place-once and budget rows: the prices parkplan's relaxation starts
// from, which put its first bound at the LP bound. It returns nil where
// CBC is not installed, the LP has no optimum (an infeasible scenario: the
// solver proves that itself), or the LP takes longer than it may wait
// (lpPricesShare).
func lpPrices(ctx context.Context, inst *planner.Instance) *solver.Prices {
	if !cbc.Installed() {
		return nil
	}
	wait := inst.Scenario.TimeLimit.Duration
	if inst.Scenario.NodeLimit == 0 {
		wait = time.Duration(lpPricesShare * float64(wait))
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	model := mps.Build(inst)
	lp, err := cbc.LPRelaxation(ctx, model)
	if err != nil {
		return nil
	}
	return pricesOf(model, lp)
}

// pricesOf picks the place-once rows' and budget rows' prices out of an LP
// solution of model.
func pricesOf(model *mps.Model, lp *cbc.LP) *solver.Prices {
	inst := model.Inst
	p := &solver.Prices{Groups: make([]float64, len(inst.Groups)), Years: make([]float64, len(inst.Years))}
	for i, row := range model.Rows {
		switch row.Rule {
		case planner.RulePlaceOnce:
			p.Groups[row.Group] = lp.Prices[i]
		case planner.RuleBudget:
			p.Years[row.Year] = lp.Prices[i]
		}
	}
	return p
}
