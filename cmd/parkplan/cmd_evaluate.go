package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance/report"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/evaluate"
)

// runEvaluate implements `parkplan evaluate --year Y [--scenario FILE]
// [--plan ID] [--rubric FILE] [--json] [--xlsx FILE] [--db URL]`: it rates
// every park on the monitoring record for year Y (docs/evaluation.md) and
// prints a table, or JSON, and writes an XLSX workbook for the bureau.
// The rules come from the scenario (default: the seed's), the plan vs
// actual from a saved plan (default: the scenario's, when saved).
func runEvaluate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("evaluate", "usage: parkplan evaluate --year Y [--scenario FILE] [--plan ID] [--rubric FILE] [--json] [--xlsx FILE] [--db URL]", stderr)
	dbURL := dbFlag(fs)
	year := fs.Int("year", 0, "the monitoring year to evaluate (required)")
	scFile := fs.String("scenario", "", "scenario file whose rules apply (default: the seed's rules, scenarios/baseline.yaml)")
	planID := fs.String("plan", "", "saved plan to compare with (scenario id; default: the scenario's own, if saved)")
	rubricFile := fs.String("rubric", "", "rubric file (default: planner/evaluate/default_rubric.yaml)")
	asJSON := fs.Bool("json", false, "print the evaluation as JSON")
	xlsx := fs.String("xlsx", "", "also write the evaluation as an XLSX workbook to this file")
	pngFile := fs.String("png", "", "also draw each park's score by year as a PNG chart (Chinese labels when a CJK font is installed)")
	exit := fs.Bool("exit", false, "add the exit list (firms failing admission, parks breaking a 70 % rule now or once they leave) and each breaking park's refill")
	solverName := fs.String("solver", "cbc", "solver of the refills: cbc (exact, fast on this model) or parkplan")
	save := fs.Bool("save", false, "save the evaluation for the OGC collection year-{year}.evaluation (without --year: every year on record)")
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return planner.FieldErrorf("evaluate", "%v", err)
	}
	if len(pos) > 0 {
		return planner.FieldErrorf("evaluate", "unexpected argument %q", pos[0])
	}
	if *year == 0 && !*save {
		return planner.FieldErrorf("--year", "required: parkplan evaluate --year 2021 (or --save for every year on record)")
	}
	sc := planner.Defaults()
	if *scFile != "" {
		s, err := planner.LoadScenarioFile(*scFile)
		if err != nil {
			return err
		}
		sc = *s
	}
	rubric := evaluate.DefaultRubric()
	if *rubricFile != "" {
		f, err := os.Open(*rubricFile)
		if err != nil {
			return planner.FieldErrorf("--rubric", "%v", err)
		}
		rubric, err = evaluate.LoadRubric(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	in, err := evaluationInput(ctx, db, sc, *planID, rubric)
	if err != nil {
		return err
	}
	var solve evaluate.SolveFunc // set when the exit list is asked for
	if *exit {
		f, err := engine.SolverByName(*solverName)
		if err != nil {
			return planner.FieldErrorf("--solver", "%v", err)
		}
		solve = evaluate.SolveFunc(f)
	}
	if *year == 0 {
		return saveEvaluations(ctx, db, in, in.Monitoring.Years(), solve, stdout)
	}
	rep, err := evaluateYear(ctx, in, *year, solve)
	if err != nil {
		return err
	}
	if *save {
		if err := db.SaveEvaluation(ctx, rep); err != nil {
			return err
		}
	}
	if *xlsx != "" {
		if err := writeFileAtomic(*xlsx, func(w io.Writer) error { return evaluate.WriteXLSX(w, rep) }); err != nil {
			return err
		}
	}
	if *pngFile != "" {
		cjk, _, err := report.FindCJKFont()
		if err != nil {
			return err
		}
		if err := writeFileAtomic(*pngFile, func(w io.Writer) error { return evaluate.WriteTrendPNG(w, rep, cjk) }); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeEvaluationTable(stdout, rep)
}

// evaluationInput loads what an evaluation reads from the store: the
// dataset, every monitoring year, and the plan to compare with (planID,
// else the scenario's own saved plan, else none).
func evaluationInput(ctx context.Context, db *data.DB, sc planner.Scenario, planID string, rubric evaluate.Rubric) (evaluate.Input, error) {
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		return evaluate.Input{}, err
	}
	mon, err := db.LoadMonitoring(ctx)
	if err != nil {
		return evaluate.Input{}, err
	}
	in := evaluate.Input{Dataset: ds, Scenario: sc, Monitoring: mon, Rubric: rubric}
	id := planID
	if id == "" {
		id = data.ScenarioID(sc.Name)
	}
	rec, err := data.NewScenarioStore(db.SQL()).FindScenario(ctx, id)
	switch {
	case err == nil && rec.Plan != nil:
		in.Plan = rec.Plan
	case err != nil && (planID != "" || planner.ErrorCode(err) != planner.ENOTFOUND):
		return evaluate.Input{}, err
	case planID != "":
		return evaluate.Input{}, planner.FieldErrorf("--plan", "scenario %s has no plan yet", planID)
	}
	return in, nil
}

// evaluateYear evaluates year and, with solve, adds its exit list.
func evaluateYear(ctx context.Context, in evaluate.Input, year int, solve evaluate.SolveFunc) (*evaluate.Report, error) {
	rep, err := evaluate.Evaluate(in, year)
	if err != nil || solve == nil {
		return rep, err
	}
	rep.Exit, err = evaluate.Exits(ctx, in, year, solve)
	return rep, err
}

// saveEvaluations evaluates and saves each year (with its exit list when
// solve is set), saying what it saved.
func saveEvaluations(ctx context.Context, db *data.DB, in evaluate.Input, years []int, solve evaluate.SolveFunc, stdout io.Writer) error {
	if len(years) == 0 {
		return planner.Errorf(planner.EINVALID, "no monitoring record to evaluate: load one with parkplan monitor DIR")
	}
	for _, y := range years {
		rep, err := evaluateYear(ctx, in, y, solve)
		if err != nil {
			return err
		}
		if err := db.SaveEvaluation(ctx, rep); err != nil {
			return err
		}
		broken := 0
		for _, p := range rep.Parks {
			if len(p.Broken) > 0 {
				broken++
			}
		}
		fmt.Fprintf(stdout, "saved evaluation %d: %d parks, %d breaking a rule (collection year-%d.evaluation)\n", y, len(rep.Parks), broken, y)
		if rep.Exit != nil {
			fmt.Fprintf(stdout, "saved exit list %d: %d firms leaving, %d parks at risk (collection year-%d.exit)\n", y, len(rep.Exit.Firms), len(rep.Exit.Parks), y)
		}
	}
	return nil
}

// writeEvaluationTable prints one line per park, then the broken rules.
func writeEvaluationTable(w io.Writer, rep *evaluate.Report) error {
	fmt.Fprintf(w, "park evaluation %d — rubric %s (%s)\n", rep.Year, rep.Rubric, rep.Note)
	if rep.Plan != "" {
		fmt.Fprintf(w, "plan compared: %s\n", rep.Plan)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "park\ttown\tspecialty\tfirms\toccupancy\tspecialty firms\tspecialty floor\tsmall/micro\toutput/mu\ttax/mu\tfacilities\tfloor/capacity\tscore\trating\ttrend\t")
	for _, p := range rep.Parks {
		v := map[string]float64{}
		for _, ind := range p.Indicators {
			v[ind.Name] = ind.Value
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.1f %%\t%.1f %%\t%.1f %%\t%.1f %%\t%.0f\t%.1f\t%.0f %%\t%.1f %%\t%.1f\t%s\t%s\t\n",
			p.ParkID, p.Town, p.Specialty, p.Firms, 100*v[evaluate.IndOccupancy], 100*v[evaluate.IndSpecialtyShareFirms],
			100*v[evaluate.IndSpecialtyShareFloor], 100*v[evaluate.IndSmallMicroShare], v[evaluate.IndOutputPerMu], v[evaluate.IndTaxPerMu],
			100*v[evaluate.IndFacilities], 100*v[evaluate.IndFloorUse], p.Score, p.Rating, p.Trend)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var lines []string
	for _, p := range rep.Parks {
		for _, b := range p.Broken {
			lines = append(lines, fmt.Sprintf("  %s %s: %s", b.Rule, p.ParkID, b.Detail))
		}
	}
	if len(lines) == 0 {
		fmt.Fprintln(w, "no park breaks a rule")
	} else {
		fmt.Fprintf(w, "rules broken:\n%s\n", strings.Join(lines, "\n"))
	}
	if rep.Exit != nil {
		writeExitList(w, rep.Exit)
	}
	return nil
}

// writeExitList prints the exit list and each refill (把好出口).
func writeExitList(w io.Writer, ex *evaluate.ExitList) {
	fmt.Fprintf(w, "exit list %d: %d firms fail the admission rules\n", ex.Year, len(ex.Firms))
	for _, f := range ex.Firms {
		fmt.Fprintf(w, "  %s in %s (%s, %.0f m²): %s\n", f.FirmID, f.ParkID, f.Industry, f.FloorM2, f.Reason)
	}
	for _, p := range ex.Parks {
		fmt.Fprintf(w, "park %s (%s): %d leaving\n", p.ParkID, p.Specialty, p.Leaving)
		for _, v := range p.BrokenNow {
			fmt.Fprintf(w, "  now:   %s %s\n", v.Rule, v.Detail)
		}
		for _, v := range p.BrokenAfter {
			fmt.Fprintf(w, "  after: %s %s\n", v.Rule, v.Detail)
		}
		r := p.Refill
		if r == nil {
			continue
		}
		verdict := "restores every share rule"
		if !r.Restores {
			verdict = "cannot restore the share rules with every staying firm kept"
		}
		fmt.Fprintf(w, "  refill (%s, %s): %d of %d waiting firms, %.0f of %.0f m² free; after: specialty %.1f %% of firms, %.1f %% of floor, small/micro %.1f %%\n",
			verdict, r.Solve.Status, len(r.Entrants), r.Waiting, r.FloorAddedM2, r.FreeFloorM2,
			100*r.SpecialtyShareFirms, 100*r.SpecialtyShareFloor, 100*r.SmallMicroShare)
		for _, e := range r.Entrants {
			fmt.Fprintf(w, "    %s %s %s %s %.0f m², %.1f km\n", e.EnterpriseID, e.Town, e.Industry, e.Size, e.FloorM2, e.DistanceKm)
		}
	}
}
