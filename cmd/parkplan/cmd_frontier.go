package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/explain"
)

// runFrontier implements `parkplan frontier --scenario FILE --x firms --y
// new_land_mu --points 7 [--out FILE.csv] [--json FILE.json] [--solver
// parkplan|cbc] [--db URL] [--per-solve D] [--node-limit N]`: plans
// between two objectives of the scenario on the stored dataset, by
// weighted sums (planner/explain.Frontier, docs/explain.md). The table
// goes to stdout, the points as CSV to --out and as JSON to --json.
// Objectives: firms, floor_m2, output, new_land_mu, distance_km, cost.
func runFrontier(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("frontier", "", stderr)
	scPath := fs.String("scenario", "", "scenario file (.yaml or .json)")
	xName := fs.String("x", "firms", "first objective: firms, floor_m2, output, new_land_mu, distance_km or cost")
	yName := fs.String("y", "new_land_mu", "second objective (as --x)")
	points := fs.Int("points", 7, "at most this many points (at least 2)")
	out := fs.String("out", "", "write the points as CSV to this file")
	jsonOut := fs.String("json", "", "write the frontier as JSON to this file")
	solverName := fs.String("solver", "parkplan", "solver: parkplan or cbc")
	dbURL := dbFlag(fs)
	perSolve := fs.Duration("per-solve", 0, "time limit of each solve (0: the scenario's time_limit)")
	nodeLimit := fs.Int("node-limit", 0, "node limit of each solve (figures reproducible on any machine)")
	if err := fs.Parse(args); err != nil {
		return planner.FieldErrorf("frontier", "%v", err)
	}
	if *scPath == "" || fs.NArg() > 0 {
		return planner.FieldErrorf("frontier", "want --scenario FILE --x OBJECTIVE --y OBJECTIVE [--points N] [--out FILE.csv]")
	}
	x, err := explain.ParseObjective("--x", *xName)
	if err != nil {
		return err
	}
	y, err := explain.ParseObjective("--y", *yName)
	if err != nil {
		return err
	}
	if *perSolve < 0 || *nodeLimit < 0 {
		return planner.FieldErrorf("frontier", "--per-solve and --node-limit must be ≥ 0")
	}
	solve, err := engine.SolverByName(*solverName)
	if err != nil {
		return err
	}
	sc, ds, err := loadScenarioAndDataset(ctx, *scPath, *dbURL)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := explain.Frontier(ctx, ds, sc, x, y, *points, solve, explain.FrontierOptions{PerSolve: *perSolve, NodeLimit: *nodeLimit})
	if err != nil {
		return err
	}
	if *out != "" {
		var buf bytes.Buffer
		if err := explain.WriteFrontierCSV(&buf, res); err != nil {
			return err
		}
		if err := writeWholeFile(*out, buf.Bytes()); err != nil {
			return err
		}
	}
	if *jsonOut != "" {
		var buf bytes.Buffer
		if err := explain.WriteJSON(&buf, res); err != nil {
			return err
		}
		if err := writeWholeFile(*jsonOut, buf.Bytes()); err != nil {
			return err
		}
	}
	if err := explain.WriteFrontierTable(stdout, res); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "frontier: %d points from %d solves in %.1f s\n", len(res.Points), res.Solves, time.Since(start).Seconds())
	return nil
}
