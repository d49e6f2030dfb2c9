package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/province"
)

// runProvince is `parkplan province solve`: a provincial plan over the
// counties (docs/province.md), printed as the allocation table and the
// proof line, or as JSON.
func runProvince(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "solve" {
		return planner.FieldErrorf("province", "want: province solve --scenario FILE [--counties-from-demo N [--seed S] | --db URL [--jobs]] [--concurrency N] [--rounds R] [--pricing-nodes N] [--json]")
	}
	fs := newFlagSet("province solve", "", stderr)
	scPath := fs.String("scenario", "", "province scenario file (.yaml or .json)")
	demoN := fs.Int("counties-from-demo", 0, "solve over N demo counties (seeds --seed, --seed+1, …) instead of the database's counties")
	seed := fs.Int64("seed", demo.DefaultSeed, "first demo county's seed")
	conc := fs.Int("concurrency", 0, "county solves at a time in this process (0: GOMAXPROCS)")
	rounds := fs.Int("rounds", 0, "most pricing rounds (0: the default)")
	pricingNodes := fs.Int("pricing-nodes", 0, "node limit of the county solves in the pricing rounds (0: the county scenario's); the bound round and the final re-solves use the scenario's")
	asJSON := fs.Bool("json", false, "print the provincial result as JSON")
	dbURL := dbFlag(fs)
	noSave := fs.Bool("no-save", false, "do not save the county plans and the provincial record in the database")
	onJobs := fs.Bool("jobs", false, "queue each round's county solves as jobs for `parkplan worker` processes (and servers' workers) instead of solving them here; needs the database")
	cfg := defaultServeConfig()
	fs.StringVar(&cfg.LogLevel, "log-level", "warn", "with --jobs: the job engine's log level (debug, info, warn or error)")
	jobFlags(fs, &cfg.Jobs)
	if err := fs.Parse(args[1:]); err != nil {
		return planner.FieldErrorf("province", "%v", err)
	}
	if *scPath == "" {
		return planner.FieldErrorf("scenario", "want --scenario FILE")
	}
	if *onJobs && *demoN > 0 {
		return planner.FieldErrorf("jobs", "--jobs solves the database's counties on workers; it does not go with --counties-from-demo %d (import `parkplan demo --counties %d` first)", *demoN, *demoN)
	}
	ps, err := planner.LoadProvinceScenarioFile(*scPath)
	if err != nil {
		return err
	}
	var p *province.Province
	var db *data.DB
	if *demoN > 0 {
		p, err = province.DemoProvince(*demoN, *seed)
	} else {
		// The province as imported: its counties, each county's own dataset.
		if db, err = openProvinceDB(ctx, *dbURL, *onJobs); err != nil {
			return err
		}
		defer db.Close()
		p, err = provinceFromDB(ctx, db)
	}
	if err != nil {
		return err
	}
	var solver planner.CountySolver = &province.InProcess{Datasets: p.Datasets, Concurrency: *conc}
	if *onJobs {
		js, stop, err := jobCountySolver(ctx, db, cfg, stderr)
		if err != nil {
			return err
		}
		defer stop()
		solver = js
	}
	out, err := province.Solve(ctx, ps, p, province.Options{
		Solver:           solver,
		MaxRounds:        *rounds,
		PricingNodeLimit: *pricingNodes,
		RunID:            data.ScenarioID(ps.Name),
		DatasetRevision:  p.Revision(),
		Progress: func(r province.Round) {
			fmt.Fprintf(stderr, "round %d: bound %.1f (proven %v), plan %v %.1f, %s\n", r.Round, r.Bound, r.Proven, r.Plan, r.Objective, r.Elapsed.Round(1e6))
		},
	})
	if err != nil {
		return err
	}
	if db != nil && !*noSave {
		if err := saveProvince(ctx, db, ps, p, out); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "saved province %q and its %d county plans\n", data.ScenarioID(ps.Name), len(out.Plans))
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out.Result)
	}
	return writeProvince(stdout, out.Result)
}

// openProvinceDB opens the database; with jobs, migrated (the job
// engine's tables), as a worker opens it.
func openProvinceDB(ctx context.Context, url string, jobs bool) (*data.DB, error) {
	if jobs {
		return openMigrated(ctx, url)
	}
	return data.Open(ctx, url)
}

// jobCountySolver starts a job runner on db (startRunner) that works no
// jobs itself (its reaper rescues the county tasks of lost workers) and
// returns the county solver that queues each round's tasks on it, and
// the runner's stop.
func jobCountySolver(ctx context.Context, db *data.DB, cfg serveConfig, stderr io.Writer) (planner.CountySolver, func(), error) {
	cfg.Jobs.Workers = 0
	log, err := newLogger(cfg, stderr)
	if err != nil {
		return nil, nil, err
	}
	r, stop, err := startRunner(ctx, db, cfg.Jobs, nil, log)
	if err != nil {
		return nil, nil, err
	}
	return jobs.NewCountySolver(r), stop, nil
}

// provinceFromDB reads the dataset from db and splits it by county.
func provinceFromDB(ctx context.Context, db *data.DB) (*province.Province, error) {
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		return nil, err
	}
	return province.FromDatasets(ds.Counties, ds.CountyDataset)
}

// saveProvince saves each county's plan as an ordinary scenario
// (ScenarioStore) and then the provincial record naming them
// (ProvinceStore), under the province scenario's name.
func saveProvince(ctx context.Context, db *data.DB, ps *planner.ProvinceScenario, p *province.Province, out *province.Outcome) error {
	var scenarios planner.ScenarioRunStore = data.NewScenarioStore(db.SQL())
	res := out.Result
	for i, c := range res.Counties {
		sc := out.Scenarios[c.County]
		id, err := scenarios.SavePlan(ctx, &sc, out.Plans[c.County])
		if err != nil {
			return fmt.Errorf("saving county %s's plan: %w", c.County, err)
		}
		res.Counties[i].ScenarioID = id
	}
	var provinces planner.ProvinceStore = data.NewProvinceStore(db.SQL())
	return provinces.SaveProvince(ctx, &planner.ProvinceRecord{ID: data.ScenarioID(ps.Name), Scenario: *ps, Result: res, DatasetRevision: p.Revision(), CreatedBy: "cli"})
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
	if res.TargetPrice > 0 {
		fmt.Fprintf(w, "price of the province-wide target: %.4f per park open by its year (%d open)\n", res.TargetPrice, res.TargetParksOpen)
	}
	if res.NewLandParkPrice > 0 {
		fmt.Fprintf(w, "price of the province-wide new-land cap: %.4f per park on new land (%d open)\n", res.NewLandParkPrice, res.NewLandParksOpen)
	}
	for _, s := range res.Warnings {
		fmt.Fprintln(w, "warning:", s)
	}
	fmt.Fprintf(w, "province %s: %d parks, %d firms housed, %.1f mu new land; objective %.1f, bound %.1f, gap %.2f %% (%d rounds, %s)\n",
		res.Scenario, res.KPI.ParksTotal, res.KPI.FirmsPlaced, res.KPI.NewLandMu, res.Objective, res.Bound, 100*res.Gap, res.Iterations, res.Elapsed.Round(1e6))
	return nil
}
