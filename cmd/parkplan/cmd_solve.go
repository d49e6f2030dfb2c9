package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/rules"
)

// runSolve implements `parkplan solve --scenario FILE --out DIR [--solver
// parkplan|cbc] [--db URL] [--no-save] [--publish] [--no-timing] [--progress]`: it
// solves the scenario on the stored dataset, writes parks.geojson,
// assignments.geojson, unplaced.geojson, towns.geojson and plan.json to DIR
// (docs/data-format.md, "Plan outputs"), and saves the scenario and its
// plan in PostGIS in one transaction under the scenario's name. --publish
// then marks the saved scenario published, readable by the public role
// (GET /scenarios without a token, the map page); without it a scenario's
// published flag stays as it was. An infeasible scenario still
// writes its files (plan.json carries the explanation) and exits 1. Every
// plan is re-checked by the independent rule checker (planner/rules); a
// plan that breaks a rule is written but not saved, and solve exits 1.
func runSolve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("solve", "", stderr)
	scPath := fs.String("scenario", "", "scenario file (.yaml or .json)")
	out := fs.String("out", "", "directory for the plan files")
	solverName := fs.String("solver", "parkplan", "solver: parkplan (with CBC beside it where installed, for solves without a node limit), parkplan-lp (CBC's LP prices, nothing of CBC beside it), parkplan-only or cbc")
	dbURL := dbFlag(fs)
	noSave := fs.Bool("no-save", false, "do not save the scenario and plan in the database")
	publish := fs.Bool("publish", false, "mark the saved scenario published: readable without a token (API, map page)")
	noTiming := fs.Bool("no-timing", false, "write solve.elapsed_ns as 0, so plan.json is byte-identical across runs")
	progressLines := fs.Bool("progress", false, "print solver progress to stderr, one line per report, even when stderr is not a terminal (for scripts)")
	if err := fs.Parse(args); err != nil {
		return planner.FieldErrorf("solve", "%v", err)
	}
	if *scPath == "" || *out == "" {
		return planner.FieldErrorf("solve", "want --scenario FILE and --out DIR")
	}
	if *publish && *noSave {
		return planner.FieldErrorf("solve", "--publish publishes the saved scenario; it cannot go with --no-save")
	}
	solve, err := engine.SolverByName(*solverName)
	if err != nil {
		return err
	}
	sc, err := planner.LoadScenarioFile(*scPath)
	if err != nil {
		return err
	}
	db, err := data.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		return err
	}
	eng := &engine.Engine{Solver: solve, SolverName: *solverName}
	progress, endProgress := progressPrinter(stderr, *progressLines)
	plan, solveErr := eng.SolveDataset(ctx, ds, sc, progress)
	endProgress()
	if plan == nil {
		return solveErr
	}
	if *noTiming {
		plan.Solve.Elapsed = 0
	}
	// Re-check the plan with the independent rule checker before anything is written.
	var violations []rules.Violation
	if solveErr == nil {
		violations = rules.Check(ds, *sc, plan)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := writePlanFiles(*out, ds, plan); err != nil {
		return err
	}
	if !*noSave && len(violations) == 0 {
		var store planner.ScenarioRunStore = data.NewScenarioStore(db.SQL())
		id, err := store.SavePlan(ctx, sc, plan)
		if err != nil {
			return fmt.Errorf("saving the plan: %w", err)
		}
		fmt.Fprintf(stdout, "saved scenario %q as %s\n", sc.Name, id)
		if *publish {
			// The API's publish route's operation; the plan is saved
			// already, so a failure here leaves it saved, unpublished.
			if err := store.SetPublished(ctx, id, true); err != nil {
				return fmt.Errorf("publishing scenario %s (its plan is saved): %w", id, err)
			}
			fmt.Fprintf(stdout, "published scenario %s: readable without a token\n", id)
		}
	}
	s := plan.Solve
	fmt.Fprintf(stdout, "%s: %s, objective %.6g, bound %.6g, gap %.4f %%, %d parks (%d by %d), %d firms placed, %d unplaced; files in %s\n",
		sc.Name, s.Status, s.Objective, s.Bound, 100*s.Gap, plan.KPI.ParksTotal, plan.KPI.ParksByTarget, sc.TargetYear,
		plan.KPI.FirmsPlaced, len(plan.Unplaced), filepath.Clean(*out))
	for _, b := range s.Binding {
		fmt.Fprintln(stdout, "  binding:", b)
	}
	if plan.Explanation != nil {
		for _, c := range plan.Explanation.Conflicts {
			fmt.Fprintln(stdout, "  conflict:", c)
		}
		for _, r := range plan.Explanation.Relaxations {
			fmt.Fprintln(stdout, "  relax:", r)
		}
	}
	if solveErr != nil && (errors.Is(solveErr, planner.ErrInfeasible) || errors.Is(solveErr, planner.ErrNoPlan)) {
		return solveErr
	}
	if len(violations) > 0 {
		return fmt.Errorf("the plan breaks %d rules (a fault of the solver; the files are written for inspection):\n%s", len(violations), rules.Format(violations))
	}
	fmt.Fprintln(stdout, "  rule check: every rule holds (planner/rules)")
	return nil
}

// progressPrinter prints solver progress on one refreshed stderr line
// when stderr is a terminal; end finishes the line. With lines, every
// report is printed as its own line ("progress: 10.02 s plan … bound …
// gap … % nodes …"), terminal or not: scripts read the gap over time.
func progressPrinter(stderr io.Writer, lines bool) (progress func(planner.Progress), end func()) {
	if lines {
		return func(p planner.Progress) {
			fmt.Fprintf(stderr, "progress: %.3f s plan %.6f bound %.6f gap %.6f %% nodes %d\n", p.Elapsed.Seconds(), p.Incumbent, p.Bound, 100*p.Gap, p.Nodes)
		}, func() {}
	}
	f, ok := stderr.(*os.File)
	if !ok {
		return nil, func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil, func() {}
	}
	var last time.Time
	printed := false
	progress = func(p planner.Progress) {
		if time.Since(last) < 200*time.Millisecond {
			return
		}
		last, printed = time.Now(), true
		fmt.Fprintf(f, "\r%6.1f s  plan %-12.6g bound %-12.6g gap %7.3f %%  nodes %d   ", p.Elapsed.Seconds(), p.Incumbent, p.Bound, 100*p.Gap, p.Nodes)
	}
	return progress, func() {
		if printed {
			fmt.Fprintln(f)
		}
	}
}
