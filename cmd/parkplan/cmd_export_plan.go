package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// Plan export formats.
const (
	formatGPKG = "gpkg"
	formatSHP  = "shp"
)

// exportPlan writes a saved scenario's plan where GIS users work: one
// GeoPackage (format gpkg) or a zip of Shapefiles (shp, DBFs in encoding)
// holding the plan's layers — parks, assignments, unplaced firms, towns,
// the same features and properties as `parkplan solve --out`
// (writePlanFiles) — and the scenario, its KPIs and the quota ledger as
// attribute tables.
func exportPlan(ctx context.Context, db *data.DB, id, format, encoding, out string, stdout io.Writer) error {
	rec, err := data.NewScenarioStore(db.SQL()).FindScenario(ctx, id)
	if err != nil {
		return err
	}
	if rec.Plan == nil {
		return planner.FieldErrorf("--scenario", "scenario %s has no plan yet (status %s)", id, rec.Status)
	}
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "parkplan-export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writePlanFiles(tmp, ds, rec.Plan); err != nil {
		return err
	}
	if err := writePlanTables(tmp, rec.ID, rec.Plan); err != nil {
		return err
	}
	var layers []ogr.OutLayer
	for _, l := range []string{"parks", "assignments", "unplaced", "towns"} {
		layers = append(layers, ogr.OutLayer{Name: l, Path: filepath.Join(tmp, l+".geojson")})
	}
	counties := planCounties(ds, rec.Plan)
	if len(counties) > 0 {
		path := filepath.Join(tmp, dataset.FileCounties)
		if err := dataset.WriteFile(path, func(w io.Writer) error { return dataset.WriteCounties(w, counties) }); err != nil {
			return err
		}
		layers = append(layers, ogr.OutLayer{Name: "counties", Path: path})
	}
	for _, t := range []string{"scenario", "kpi", "quota_ledger"} {
		layers = append(layers, ogr.OutLayer{Name: t, Path: filepath.Join(tmp, t+".csv")})
	}
	switch format {
	case formatGPKG:
		err = ogr.WriteGeoPackage(ctx, out, layers)
	case formatSHP:
		err = ogr.WriteShapefileZip(ctx, out, layers, encoding)
	default:
		return planner.FieldErrorf("--format", "is %q; use gpkg or shp", format)
	}
	if err != nil {
		return err
	}
	withCounties := ""
	if len(counties) > 0 {
		withCounties = fmt.Sprintf(", %d counties", len(counties))
	}
	fmt.Fprintf(stdout, "exported scenario %s to %s: %d parks, %d assignments, %d unplaced firms, %d towns%s, scenario, kpi, quota_ledger\n",
		rec.ID, out, len(rec.Plan.Parks), len(rec.Plan.Assignments), len(rec.Plan.Unplaced), len(rec.Plan.Towns), withCounties)
	return nil
}

// planCounties returns the counties of the plan's towns, for a counties
// layer; none when the data has no counties of its own (the implied
// default county has no boundary to draw, and the export stays as it was).
func planCounties(ds *planner.Dataset, plan *planner.Plan) []planner.County {
	if planner.OnlyImpliedCounty(ds.Counties) {
		return nil
	}
	countyOf := map[string]string{}
	for _, t := range ds.Towns {
		countyOf[t.Code] = t.County
	}
	in := map[string]bool{}
	for _, ts := range plan.Towns {
		in[countyOf[ts.Town]] = true
	}
	var out []planner.County
	for _, c := range ds.Counties {
		if in[c.Code] {
			out = append(out, c)
		}
	}
	return out
}

// writePlanTables writes the plan's attribute tables as CSV into dir:
// scenario.csv and kpi.csv (key, value), quota_ledger.csv (town, year,
// quota_mu, new_land_used_mu, old_factory_mu).
func writePlanTables(dir, id string, plan *planner.Plan) error {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	s := plan.Solve
	scenario := [][]string{{"key", "value"},
		{"id", id}, {"name", plan.Scenario}, {"scenario_hash", plan.ScenarioHash},
		{"solver", s.Solver}, {"status", string(s.Status)}, {"objective", num(s.Objective)}, {"bound", num(s.Bound)}, {"gap", num(s.Gap)},
	}
	k := plan.KPI
	kpi := [][]string{{"kpi", "value"},
		{"parks_by_target_year", strconv.Itoa(k.ParksByTarget)}, {"parks_total", strconv.Itoa(k.ParksTotal)},
		{"towns_covered", strconv.Itoa(k.TownsCovered)}, {"new_land_parks", strconv.Itoa(k.NewLandParks)},
		{"new_land_mu", num(k.NewLandMu)}, {"old_factory_mu", num(k.OldFactoryMu)}, {"locked_mu", num(k.LockedMu)},
		{"firms_placed", strconv.Itoa(k.FirmsPlaced)}, {"floor_placed_m2", num(k.FloorPlacedM2)},
		{"output_per_mu", num(k.OutputPerMu)}, {"mean_relocation_km", num(k.MeanRelocationKm)},
		{"max_relocation_km", num(k.MaxRelocationKm)}, {"cost_wan", num(k.CostWan)},
	}
	ledger := [][]string{{"town", "year", "quota_mu", "new_land_used_mu", "old_factory_mu"}}
	for _, t := range plan.Towns {
		for _, y := range t.Years() {
			ledger = append(ledger, []string{t.Town, strconv.Itoa(y), num(t.QuotaMu[y]), num(t.NewLandUsedMu[y]), num(t.OldFactoryMu[y])})
		}
	}
	for name, rows := range map[string][][]string{"scenario": scenario, "kpi": kpi, "quota_ledger": ledger} {
		f, err := os.Create(filepath.Join(dir, name+".csv"))
		if err != nil {
			return err
		}
		w := csv.NewWriter(f)
		w.WriteAll(rows)
		if err := w.Error(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
