package engine

import (
	"context"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mip"
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

// lpWholeShare is the most of the time limit the LP of a whole model
// above lpWholeMaxRows rows whose towns make one cluster may take before
// the cut LP of lpPricesByTowns replaces it: drawn-2-10 (scengen seed
// 2, 1×: other specialties allowed, 108,340 rows) took 254 s of CPU
// for its whole LP, its cut LP a few seconds, with the same bound.
const lpWholeShare = 0.25

// PricesFromLP names the start of the multipliers in SolveInfo.PricesFrom
// when they came from CBC's LP relaxation.
const PricesFromLP = "cbc-lp"

// lpPrices solves inst's LP relaxation with CBC (no clock inside CBC: the
// same duals on every machine with the same CBC) and returns its duals on
// the place-once and budget rows: the prices parkplan's relaxation starts
// from, which put its first bound at the LP bound. It returns nil where
// CBC is not installed, the LP has no optimum (an infeasible scenario: the
// solver proves that itself), or the LP takes longer than it may wait
// (lpPricesShare). A large county's prices come from its clusters of
// towns (lpPricesByTowns); a large model whose towns make one cluster
// races its whole LP against its cut LP (raceCutLP).
func lpPrices(ctx context.Context, inst *planner.Instance, share float64) *solver.Prices {
	if !cbc.Installed() {
		return nil
	}
	towns := pricesFrom(inst) == PricesFromTowns
	if towns {
		share = max(share, lpTownsShare)
	}
	limit := inst.Scenario.TimeLimit.Duration
	ctx, cancel := context.WithTimeout(ctx, time.Duration(share*float64(limit)))
	defer cancel()
	if towns {
		return lpPricesByTowns(ctx, inst, townsMaxArcs) // a large county: its clusters of towns' LPs (prices_towns.go)
	}
	model := mps.Build(inst)
	if rows, _ := mip.Size(inst); rows > lpWholeMaxRows {
		return raceCutLP(ctx, inst, model, time.Duration(lpWholeShare*float64(limit)))
	}
	return wholeLP(ctx, model)
}

// lpPricesThen is lpPrices for a solve that may take prices while it runs,
// and then a channel that delivers them: the whole model's LP (by arcs,
// modelLP) when the county is priced as one cluster cut to its best
// specialties (wholeBeside). That LP starts beside the cut's, and its
// prices come on the channel when the cut's came first, or are returned
// when they came first. The cut's prices can be far from the LP's duals
// with other specialties allowed: a group whose industry is none of a
// site's best specialties in the cut is priced at what it is worth there
// (1× demo, scengen seed 4 drawn-4-4, no reach cap: first bound 113,926
// at the cut's prices, 62,703 at the whole LP's, which took 5 s beside
// the cut's 2.6 s; docs/solver.md, "The cut LP's prices and the whole
// LP's"). The whole LP runs until ctx ends or for lpWholeShare of the
// time limit, whichever is sooner: beside the solve it takes a core.
// The channel is nil when there is none to wait for.
func lpPricesThen(ctx context.Context, inst *planner.Instance, share float64) (*solver.Prices, <-chan *solver.Prices) {
	if !wholeBeside(inst) {
		return lpPrices(ctx, inst, share), nil
	}
	whole := make(chan *solver.Prices, 1)
	go func() {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(lpWholeShare*float64(inst.Scenario.TimeLimit.Duration)))
		defer cancel()
		whole <- wholeLP(ctx, mps.Build(inst))
	}()
	first := lpPrices(ctx, inst, share)
	select {
	case p := <-whole:
		if p != nil {
			return p, nil // the whole LP's came first
		}
		return first, nil
	default:
		return first, whole
	}
}

// wholeBesideMaxSites is the most sites a county may have for its whole
// LP to run beside its cut LP (wholeBeside). The whole LP by arcs of the
// 1× demo with other specialties and no reach (95 sites) took 5 s; at 3×
// (285 sites) 35 s, or had not ended at 48 s, where the cut's took 11–15
// s: there it took a core from the solve (beside the benchmark's CBC,
// a third process on two cores) and never came within the quarter
// (docs/solver.md, "The cut LP's prices and the whole LP's").
const wholeBesideMaxSites = 150

// wholeBeside reports whether a solve of inst runs its whole LP beside the
// cut LP its prices come from (lpPricesThen): a solve by the clock (a
// node-limited solve's prices decide its plan and must be the same on
// every machine, so it takes the cut's) where CBC is installed, of a
// county of at most wholeBesideMaxSites sites priced as one cluster of
// towns (priceClusters) some of whose sites the cut leaves with fewer
// specialties (fewSpecialties). A choice by the model alone.
func wholeBeside(inst *planner.Instance) bool {
	if inst.Scenario.NodeLimit > 0 || !cbc.Installed() || len(inst.Sites) > wholeBesideMaxSites || pricesFrom(inst) != PricesFromTowns {
		return false
	}
	if clusters, _ := priceClusters(inst, townsMaxArcs); len(clusters) > 1 {
		return false
	}
	for _, s := range inst.Sites {
		if !s.Locked && len(s.Specialties) > townsSpecialties {
			return true
		}
	}
	return false
}

// wholeLP is the prices of model's whole LP relaxation (nil when CBC
// fails, the LP has no optimum or ctx ends first).
func wholeLP(ctx context.Context, model *mps.Model) *solver.Prices {
	lp, err := modelLP(ctx, model)
	if err != nil {
		return nil
	}
	return pricesOf(model, lp)
}

// raceCutLP solves model's whole LP (a model above lpWholeMaxRows rows
// whose towns make one cluster: other specialties allowed at 1×) and,
// if it has not come back after wait, also the county's LP cut to its
// best specialties (lpPricesByTowns with one cluster), taking the prices
// of whichever ends first and stopping the other. The whole LP of such a
// model took 10–15 s of a quiet core on the benchmark's drawn scenarios
// but 254 s on drawn-2-10 (docs/solver.md, "When the whole LP does not
// come"), whose cut LP took a few seconds and gave the same bound.
func raceCutLP(ctx context.Context, inst *planner.Instance, model *mps.Model, wait time.Duration) *solver.Prices {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the one still running
	whole := make(chan *solver.Prices, 1)
	go func() { whole <- wholeLP(ctx, model) }()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case p := <-whole:
		return p
	case <-timer.C:
	}
	cut := make(chan *solver.Prices, 1)
	go func() { cut <- lpPricesByTowns(ctx, inst, townsMaxArcs) }()
	for range 2 {
		select {
		case p := <-whole:
			if p != nil {
				return p
			}
		case p := <-cut:
			if p != nil {
				return p
			}
		}
	}
	return nil
}

// pricesOf picks the place-once rows' and budget rows' prices out of an LP
// solution of model.
func pricesOf(model *mps.Model, lp *cbc.LP) *solver.Prices {
	inst := model.Inst
	p := &solver.Prices{Groups: make([]float64, len(inst.Groups)), Years: make([]float64, len(inst.Years)), From: PricesFromLP, LPBound: lp.Objective}
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
