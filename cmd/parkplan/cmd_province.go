package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/province"
)

// runProvince is `parkplan province solve`: a provincial plan over the
// counties (docs/province.md), printed as the allocation table and the
// proof line, or as JSON.
func runProvince(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "solve" {
		return planner.FieldErrorf("province", "want: province solve --scenario FILE [--counties-from-demo N [--seed S] | --db URL] [--concurrency N] [--rounds R] [--json]")
	}
	fs := newFlagSet("province solve", "", stderr)
	scPath := fs.String("scenario", "", "province scenario file (.yaml or .json)")
	demoN := fs.Int("counties-from-demo", 0, "solve over N demo counties (seeds --seed, --seed+1, …) instead of the database's counties")
	seed := fs.Int64("seed", demo.DefaultSeed, "first demo county's seed")
	conc := fs.Int("concurrency", 0, "county solves at a time in this process (0: GOMAXPROCS)")
	rounds := fs.Int("rounds", 0, "most pricing rounds (0: the default)")
	asJSON := fs.Bool("json", false, "print the provincial result as JSON")
	dbURL := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return planner.FieldErrorf("province", "%v", err)
	}
	if *scPath == "" {
		return planner.FieldErrorf("scenario", "want --scenario FILE")
	}
	ps, err := planner.LoadProvinceScenarioFile(*scPath)
	if err != nil {
		return err
	}
	var p *province.Province
	if *demoN > 0 {
		p, err = province.DemoProvince(*demoN, *seed)
	} else {
		// The province as imported: its counties, each county's own
		// dataset. (Saving the plans through planner.ProvinceStore is not
		// wired yet.)
		p, err = provinceFromDB(ctx, *dbURL)
	}
	if err != nil {
		return err
	}
	out, err := province.Solve(ctx, ps, p, province.Options{
		Solver:    &province.InProcess{Datasets: p.Datasets, Concurrency: *conc},
		MaxRounds: *rounds,
		Progress: func(r province.Round) {
			fmt.Fprintf(stderr, "round %d: bound %.1f (proven %v), plan %v %.1f, %s\n", r.Round, r.Bound, r.Proven, r.Plan, r.Objective, r.Elapsed.Round(1e6))
		},
	})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out.Result)
	}
	return writeProvince(stdout, out.Result)
}

// provinceFromDB reads the dataset from the database and splits it by
// county.
func provinceFromDB(ctx context.Context, url string) (*province.Province, error) {
	db, err := data.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		return nil, err
	}
	return province.FromDatasets(ds.Counties, ds.CountyDataset)
}

// writeProvince prints the allocation table, the counties, the prices and
// the proof line.
func writeProvince(w io.Writer, res *planner.ProvinceResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "county\tyear\trequest mu\tallocated mu\tused mu\tmarginal /mu\trelease /mu\t")
	for _, a := range res.Allocation {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.1f\t%.3f\t%.3f\t\n", a.County, a.Year, a.RequestMu, a.AllocatedMu, a.UsedMu, a.MarginalValue, a.ReleaseValue)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "county\tobjective\tbound\tparks\tfirms\t")
	for _, c := range res.Counties {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%d\t%d\t\n", c.County, c.Objective, c.Bound, c.Parks, c.FirmsHoused)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range res.Prices {
		fmt.Fprintf(w, "price %d: %.4f per mu\n", p.Year, p.Price)
	}
	for _, s := range res.Warnings {
		fmt.Fprintln(w, "warning:", s)
	}
	fmt.Fprintf(w, "province %s: %d parks, %d firms housed, %.1f mu new land; objective %.1f, bound %.1f, gap %.2f %% (%d rounds, %s)\n",
		res.Scenario, res.KPI.ParksTotal, res.KPI.FirmsPlaced, res.KPI.NewLandMu, res.Objective, res.Bound, 100*res.Gap, res.Iterations, res.Elapsed.Round(1e6))
	return nil
}
