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
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/compliance/report"
	"github.com/parkplan/parkplan/planner/engine"
)

// Exit codes of `parkplan check` (docs/quota-check.md).
const (
	checkExitClean      = 0 // every quota kept, no protected land touched
	checkExitViolations = 1 // over quota, on protected land, or the scenario has no plan
	checkExitBadInput   = 2 // unknown scenario, invalid file or geometry, bad flags
	checkExitFailed     = 3 // the check itself failed (database down, no plan within the time limit, …)
)

// checkExit is the error runCheck returns to set the exit code; main
// prints Error() when it is not empty.
type checkExit struct {
	code int
	msg  string
}

func (e *checkExit) Error() string { return e.msg }
func (e *checkExit) ExitCode() int { return e.code }

// runCheck implements `parkplan check --scenario ID|FILE | --parcels FILE
// [--out DIR] [--tolerance-mu 0.01] [--json] [--marginal] [--quota-increase] [--save]`:
// the natural-resources bureau's quota ledger and protected-land check of a
// saved scenario's plan, of a scenario file (solved first) or of uploaded
// proposed parcels. It prints a summary (or the JSON report with --json)
// and, with --out, writes report.json, violations.geojson, ledger.csv,
// violations.csv, check.xlsx and quota.png. Exit 0 clean, 1 violations,
// 2 bad input, 3 the check failed.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "", stderr)
	dbURL := dbFlag(fs)
	scenario := fs.String("scenario", "", "a saved scenario's id, or a scenario file (.yaml, .yml, .json) to solve and check")
	parcels := fs.String("parcels", "", "a GeoJSON FeatureCollection of proposed parcels to check (with --scenario ID: on top of that saved plan)")
	out := fs.String("out", "", "write every output format into this directory (created if missing)")
	tol := fs.Float64("tolerance-mu", compliance.DefaultToleranceMu, "overlaps with protected land below this many mu are slivers, not violations")
	asJSON := fs.Bool("json", false, "print the JSON report instead of the summary")
	marginal := fs.Bool("marginal", false, "add the marginal value of quota per town and year (re-solves the scenario)")
	increase := fs.Bool("quota-increase", false, "for an infeasible scenario, search the smallest quota increase that makes it feasible (re-solves)")
	maxSolves := fs.Int("max-solves", 40, "at most this many re-solves for --marginal / --quota-increase")
	solveTime := fs.Duration("solve-time", 0, "time limit of each re-solve (default: the scenario's time_limit)")
	save := fs.Bool("save", false, "keep the report in the database (tables quota_check, quota_check_violation)")
	solverName := fs.String("solver", "parkplan", "solver for scenario files and re-solves: parkplan or cbc")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return &checkExit{checkExitBadInput, err.Error()}
	}
	if len(pos) != 0 {
		return &checkExit{checkExitBadInput, fmt.Sprintf("unexpected argument %q: use --scenario ID|FILE or --parcels FILE", pos[0])}
	}
	if *scenario == "" && *parcels == "" {
		return &checkExit{checkExitBadInput, "give --scenario ID|FILE, --parcels FILE, or both (proposals on a saved plan)"}
	}
	if *tol < 0 {
		return &checkExit{checkExitBadInput, fmt.Sprintf("--tolerance-mu is %g; it must be ≥ 0", *tol)}
	}
	solver, err := engine.SolverByName(*solverName)
	if err != nil {
		return &checkExit{checkExitBadInput, err.Error()}
	}
	req := compliance.Request{ToleranceMu: tol, Marginal: *marginal, QuotaIncrease: *increase, Save: *save,
		Limits: compliance.MarginalOptions{MaxSolves: *maxSolves, TimeLimit: *solveTime}}
	switch {
	case *parcels != "":
		f, err := os.Open(*parcels)
		if err != nil {
			return &checkExit{checkExitBadInput, err.Error()}
		}
		defer f.Close()
		req.Parcels, req.ParcelsName = f, filepath.Base(*parcels)
		if *scenario != "" {
			if isScenarioFile(*scenario) {
				return &checkExit{checkExitBadInput, "with --parcels, --scenario names a saved scenario (its plan), not a file"}
			}
			req.ScenarioID = *scenario
		}
	case isScenarioFile(*scenario):
		sc, err := planner.LoadScenarioFile(*scenario)
		if err != nil {
			return &checkExit{checkExitBadInput, err.Error()}
		}
		req.Scenario = sc
	default:
		req.ScenarioID = *scenario
	}

	db, err := data.Open(ctx, *dbURL)
	if err != nil {
		return &checkExit{checkExitFailed, err.Error()}
	}
	defer db.Close()
	checker := newChecker(db, solver)
	start := time.Now()
	r, err := checker.Check(ctx, req)
	if err != nil {
		switch {
		case errors.Is(err, planner.ErrNoPlan):
		case planner.ErrorCode(err) == planner.EINVALID, planner.ErrorCode(err) == planner.ENOTFOUND:
			return &checkExit{checkExitBadInput, err.Error()}
		}
		return &checkExit{checkExitFailed, err.Error()}
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return &checkExit{checkExitFailed, err.Error()}
		}
		create := func(name string) (io.WriteCloser, error) { return os.Create(name) }
		var chart report.ChartOptions
		if f, _, err := report.FindCJKFont(); err == nil {
			chart.CJK = f // nil when no CJK font is installed: English names
		}
		if err := report.WriteDir(*out, r, chart, create); err != nil {
			return &checkExit{checkExitFailed, err.Error()}
		}
	}
	if *asJSON {
		if err := report.WriteJSON(stdout, r); err != nil {
			return &checkExit{checkExitFailed, err.Error()}
		}
	} else {
		printCheckSummary(stdout, r, time.Since(start))
		if *out != "" {
			fmt.Fprintf(stdout, "wrote %v to %s\n", report.Files, *out)
		}
		if r.SavedID != 0 {
			fmt.Fprintf(stdout, "kept as quota_check %d\n", r.SavedID)
		}
	}
	switch {
	case r.InvalidInput():
		return &checkExit{checkExitBadInput, "invalid geometry in the input (see the report); nothing was repaired"}
	case !r.Clean:
		return &checkExit{checkExitViolations, ""}
	}
	return nil
}

// isScenarioFile reports whether arg names an existing file rather than a saved scenario id.
func isScenarioFile(arg string) bool {
	st, err := os.Stat(arg)
	return err == nil && !st.IsDir()
}

// printCheckSummary writes the report in a few lines a planner can read.
func printCheckSummary(w io.Writer, r *compliance.Report, took time.Duration) {
	status := "CLEAN"
	switch {
	case r.PlanStatus == string(planner.StatusInfeasible):
		status = "NO PLAN: the scenario is infeasible"
	case !r.Clean:
		status = fmt.Sprintf("%d VIOLATIONS", len(r.Violations))
	}
	fmt.Fprintf(w, "check %s: %s (%d parcels checked, %d slivers below %g mu; %.1f s)\n",
		r.Source, status, len(r.Parcels), len(r.Slivers), r.ToleranceMu, took.Seconds())
	if r.Stale != "" {
		fmt.Fprintf(w, "plan is %s\n", r.Stale)
	}
	if r.PlanStatus != "" {
		fmt.Fprintf(w, "plan: %s, objective %.3f, bound %.3f, gap %.2g\n", r.PlanStatus, r.Objective, r.Bound, r.Gap)
	}
	if l := r.Ledger; l != nil {
		t := l.Totals
		fmt.Fprintf(w, "ledger %v: quota %.3f mu (official %.3f), new land used %.3f mu, old factory %.3f mu, %d rows over quota (%.3f mu)\n",
			l.Years, t.QuotaMu, t.OfficialQuotaMu, t.NewLandUsedMu, t.OldFactoryMu, t.OverRows, t.OverMu)
		for _, n := range l.Notes {
			fmt.Fprintln(w, "  note:", n)
		}
	}
	for _, v := range r.Violations {
		fmt.Fprintf(w, "  %-22s %s\n", v.Kind, v.Detail)
	}
	if e := r.Explanation; e != nil {
		for _, c := range e.Conflicts {
			fmt.Fprintln(w, "  conflict:", c)
		}
		for _, x := range e.Relaxations {
			fmt.Fprintln(w, "  relaxation:", x)
		}
	}
	if q := r.QuotaIncrease; q != nil {
		fmt.Fprintf(w, "smallest quota increase: %s (%d solves)\n", q.Detail, q.Solves)
		for _, e := range q.Extras {
			fmt.Fprintf(w, "  %s %s %d: +%.3f mu\n", e.Town, e.NameZh, e.Year, e.ExtraMu)
		}
	}
	for _, m := range r.Marginal {
		if m.Status == "solved" {
			fmt.Fprintf(w, "  marginal %s %d: +%.3f mu → objective %+.3f (%.4f per mu; true gain in [%.3f, %.3f])%s\n",
				m.Town, m.Year, m.StepMu, m.ObjectiveGain, m.GainPerMu, m.GainLow, m.GainHigh, gapNote(m.WithinGap))
		}
	}
}

func gapNote(within bool) string {
	if within {
		return " [within the solver gap]"
	}
	return ""
}
