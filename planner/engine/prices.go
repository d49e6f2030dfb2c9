package engine

import (
	"context"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/solver"
)

// lpPricesShare is the most of the time limit the LP relaxation may take
// before parkplan's solve starts without its prices. At 1× the LP takes
// ~0.3 s of CPU, but under load 30 on two cores 45 s of wall clock; a
// node-limited solve that waited for it to the end of its time limit had
// no time left for a plan (3× demo, measured). A solve whose LP takes
// longer than half its time limit would mostly end on the clock anyway,
// which no solve reproduces to the byte; below that, the prices (and so
// a node-limited plan) are the same on every machine with the same CBC.
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
func lpPrices(ctx context.Context, inst *planner.Instance, share float64) *solver.Prices {
	if !cbc.Installed() {
		return nil
	}
	towns := pricesFrom(inst) == PricesFromTowns
	if towns {
		share = max(share, lpTownsShare)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(share*float64(inst.Scenario.TimeLimit.Duration)))
	defer cancel()
	if towns {
		return lpPricesByTowns(ctx, inst, townsMaxArcs) // a large county: its clusters of towns' LPs (prices_towns.go)
	}
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
