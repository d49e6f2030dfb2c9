package main

import (
	"context"

	"github.com/parkplan/parkplan/api"
	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/engine"
)

// newChecker wires the bureau's check: the dataset and protected-land
// checks on db, saved scenarios from the scenario store, and solver for
// scenario documents and re-solves (nil: parkplan's own).
func newChecker(db *data.DB, solver engine.SolveFunc) *compliance.Checker {
	eng := &engine.Engine{Store: db, Solver: solver}
	return &compliance.Checker{
		Datasets:  db,
		Spatial:   data.NewComplianceStore(db.SQL()),
		Scenarios: data.NewScenarioStore(db.SQL()),
		Solve: func(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario) (*planner.Plan, error) {
			return eng.SolveDataset(ctx, ds, sc, nil)
		},
	}
}

// wireChecks gives the server POST /checks (docs/quota-check.md). The
// checks run on the read-write pool: they create a temporary table (in a
// transaction that is always rolled back).
func wireChecks(srv *api.Server, db *data.DB) {
	srv.RegisterChecks(newChecker(db, nil))
}
