package main

import (
	"bytes"
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
	"github.com/parkplan/parkplan/planner/explain"
)

// runExplain implements `parkplan explain --scenario FILE [--out FILE.json]
// [--solver parkplan|cbc] [--db URL] [--per-solve 2s] [--total 2m]
// [--max-solves N] [--node-limit N] [--force-out] [--no-force]`: it solves
// the scenario on the stored dataset, then says for every parcel why it
// is or is not a park (planner/explain.WhyParcels, docs/explain.md). The
// table goes to stdout, the full report as JSON to --out. An infeasible
// scenario prints its explanation and exits 1.
func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("explain", "", stderr)
	scPath := fs.String("scenario", "", "scenario file (.yaml or .json)")
	out := fs.String("out", "", "write the report as JSON to this file")
	solverName := fs.String("solver", "parkplan", "solver: parkplan or cbc")
	dbURL := dbFlag(fs)
	perSolve := fs.Duration("per-solve", explain.DefaultPerSolve, "time limit of each re-solve (a parcel forced in or out)")
	total := fs.Duration("total", explain.DefaultTotal, "time limit of all re-solves together")
	maxSolves := fs.Int("max-solves", 0, "at most this many re-solves (0: no cap)")
	nodeLimit := fs.Int("node-limit", 0, "node limit of each re-solve (figures reproducible on any machine)")
	forceOut := fs.Bool("force-out", false, "also re-solve each chosen candidate with it left out (what it is worth)")
	noForce := fs.Bool("no-force", false, "no re-solves: only the rules' figures")
	if err := fs.Parse(args); err != nil {
		return planner.FieldErrorf("explain", "%v", err)
	}
	if *scPath == "" || fs.NArg() > 0 {
		return planner.FieldErrorf("explain", "want --scenario FILE [--out FILE.json]")
	}
	if *perSolve <= 0 || *total <= 0 || *maxSolves < 0 || *nodeLimit < 0 {
		return planner.FieldErrorf("explain", "--per-solve and --total must be positive, --max-solves and --node-limit ≥ 0")
	}
	solve, err := engine.SolverByName(*solverName)
	if err != nil {
		return err
	}
	sc, ds, err := loadScenarioAndDataset(ctx, *scPath, *dbURL)
	if err != nil {
		return err
	}
	progress, endProgress := progressPrinter(stderr, false)
	plan, solveErr := (&engine.Engine{Solver: solve}).SolveDataset(ctx, ds, sc, progress)
	endProgress()
	if plan == nil || solveErr != nil {
		if plan != nil && plan.Explanation != nil {
			for _, c := range plan.Explanation.Conflicts {
				fmt.Fprintln(stdout, "conflict:", c)
			}
			for _, r := range plan.Explanation.Relaxations {
				fmt.Fprintln(stdout, "relax:", r)
			}
		}
		return fmt.Errorf("no plan to explain: %w", solveErr)
	}
	start := time.Now()
	rep, err := explain.WhyParcels(ctx, ds, sc, plan, solve, explain.Options{
		PerSolve: *perSolve, Total: *total, MaxSolves: *maxSolves, NodeLimit: *nodeLimit, ForceOut: *forceOut, NoForce: *noForce,
	})
	if err != nil {
		return err
	}
	if *out != "" {
		var buf bytes.Buffer
		if err := explain.WriteJSON(&buf, rep); err != nil {
			return err
		}
		if err := writeWholeFile(*out, buf.Bytes()); err != nil {
			return err
		}
	}
	if err := explain.WriteTable(stdout, rep); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "explained %d parcels with %d re-solves in %.1f s\n", len(rep.Parcels), rep.Solves, time.Since(start).Seconds())
	return nil
}

// loadScenarioAndDataset reads a scenario file and the dataset stored in
// PostGIS at dbURL.
func loadScenarioAndDataset(ctx context.Context, scPath, dbURL string) (*planner.Scenario, *planner.Dataset, error) {
	sc, err := planner.LoadScenarioFile(scPath)
	if err != nil {
		return nil, nil, err
	}
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		return nil, nil, err
	}
	return sc, ds, nil
}

// writeWholeFile writes b to path through a temporary file in the same
// directory, so a reader never sees half a file.
func writeWholeFile(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
