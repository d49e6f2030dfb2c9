package main

import (
	"context"
	"log/slog"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/compliance/report"
	"github.com/parkplan/parkplan/planner/engine"
)

// newChecker wires the bureau's check: the dataset and protected-land
// checks on db, saved scenarios from the scenario store, and solver for
// scenario documents and re-solves (nil: parkplan's own).
func newChecker(db *data.DB, solver engine.SolveFunc) *compliance.Checker {
	eng := &engine.Engine{Store: db, Solver: solver}
	store := data.NewComplianceStore(db.SQL())
	return &compliance.Checker{
		Datasets:  db,
		Spatial:   store,
		Saver:     store,
		Scenarios: data.NewScenarioStore(db.SQL()),
		Solve: func(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario) (*planner.Plan, error) {
			return eng.SolveDataset(ctx, ds, sc, nil)
		},
	}
}

// newCheckDeps builds the bureau's check (POST /checks, docs/quota-check.md)
// and its chart options. The checks run on the read-write pool: they
// create a temporary table (in a transaction that is always rolled back).
// The PNG chart labels towns in Chinese when a CJK font is installed
// (fonts-noto-cjk), loaded once here.
func newCheckDeps(db *data.DB, log *slog.Logger) (*compliance.Checker, report.ChartOptions) {
	var chart report.ChartOptions
	f, path, err := report.FindCJKFont()
	switch {
	case err != nil:
		log.Warn("checks: CJK font unreadable; charts use English town names", "error", err)
	case f == nil:
		log.Info("checks: no CJK font installed; charts use English town names")
	default:
		chart.CJK = f
		log.Debug("checks: chart font", "path", path)
	}
	return newChecker(db, nil), chart
}

// checkFunc runs a queued check that solves on a worker and renders it.
func checkFunc(checker *compliance.Checker, chart report.ChartOptions) jobs.CheckFunc {
	return func(ctx context.Context, job *compliance.Job) (*report.Rendered, error) {
		format, err := report.ParseFormat(job.Format)
		if err != nil {
			return nil, planner.FieldErrorf("query.format", "%v", err)
		}
		r, err := checker.Check(ctx, job.Request())
		if err != nil {
			return nil, err
		}
		return report.Render(r, format, job.Table, chart)
	}
}
