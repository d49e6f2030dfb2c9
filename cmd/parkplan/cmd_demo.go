package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/demo"
)

// runDemo implements `parkplan demo --out DIR [--seed N] [--scale N |
// --counties N]`: it generates the deterministic demo dataset
// (docs/data.md) and writes the six files of the public format into DIR
// (and counties.geojson for a province of N > 1 counties). The same seed,
// scale and counties give the same bytes on every run; --counties 1 is
// the demo without it.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write the dataset into (created if missing)")
	seed := fs.Int64("seed", demo.DefaultSeed, "random seed of the synthetic parts")
	scale := fs.Int("scale", 1, fmt.Sprintf("copies of the county, side by side (1–%d; 3 and 10 for benchmarks)", demo.MaxScale))
	counties := fs.Int("counties", 1, fmt.Sprintf("a province of N distinct Cixi-like counties (1–%d; 12, 30 and 90 for the province benchmarks)", demo.MaxCounties))
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return planner.FieldErrorf("demo", "%v", err)
	}
	if len(pos) > 0 {
		return planner.FieldErrorf("demo", "unexpected argument %q: parkplan demo --out DIR [--seed N] [--scale N | --counties N]", pos[0])
	}
	if *out == "" {
		return planner.FieldErrorf("--out", "required: parkplan demo --out DIR")
	}
	ds, err := demo.Province(demo.Options{Seed: *seed, Scale: *scale}, *counties)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := dataset.WriteDir(ds, *out); err != nil {
		return err
	}
	mon := demo.Monitoring(ds, *seed)
	if err := dataset.WriteMonitoringDir(mon, filepath.Join(*out, dataset.DirMonitoring)); err != nil {
		return err
	}
	s := demo.Summarize(ds)
	where := fmt.Sprintf("scale %d", *scale)
	if *counties > 1 {
		where = fmt.Sprintf("%d counties", len(ds.Counties))
	}
	fmt.Fprintf(stdout, "wrote %s (seed %d, %s): %d towns, %d parcels (%d existing %.0f mu, %d under construction %.0f mu, %d candidates), %d protected areas, %d quotas, %d industries, %d enterprises in %d groups\n",
		*out, *seed, where, len(ds.Towns), len(ds.Parcels), s.Existing.Parks, s.Existing.AreaMu, s.UnderConstruction.Parks, s.UnderConstruction.AreaMu,
		s.Candidates, len(ds.Protected), len(ds.Quotas), len(ds.Industries), len(ds.Enterprises), s.Groups)
	fmt.Fprintf(stdout, "wrote %s: synthetic monitoring of %d park-years and %d firm-years (%d–%d)\n",
		filepath.Join(*out, dataset.DirMonitoring), len(mon.Parks), len(mon.Firms), demo.MonitoringYears[0], demo.MonitoringYears[1])
	return nil
}
