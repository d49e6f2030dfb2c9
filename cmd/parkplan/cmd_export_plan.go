package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner"
)

// newPlanExport returns the plan exporter on db: the scenario's OGC
// collections (what the API serves) through GDAL.
func newPlanExport(db *data.DB) *ogr.PlanExport {
	return &ogr.PlanExport{Features: data.NewFeatureStore(db.SQL()), Plans: data.NewScenarioStore(db.SQL())}
}

// exportPlan writes a saved scenario's plan where GIS users work: one
// GeoPackage (format gpkg) or a zip of Shapefiles (shp, DBFs in encoding)
// holding the plan layers of planner/layers and candidates — the
// scenario's OGC collections, the features and properties the API serves
// — and the scenario, its KPIs and the quota ledger as attribute tables.
// The file is written beside out and renamed into place.
func exportPlan(ctx context.Context, db *data.DB, id, format, encoding, out string, stdout io.Writer) error {
	req := planner.ExportRequest{Scenario: id, Format: format, Encoding: encoding, Unpublished: true}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = newPlanExport(db).ExportPlan(ctx, req, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// The exporter names its request's fields; here they are flags.
		if pe := (*planner.Error)(nil); errors.As(err, &pe) && (pe.Field == "scenario" || pe.Field == "format" || pe.Field == "encoding") {
			pe.Field = "--" + pe.Field
		}
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported scenario %s to %s: %v, scenario, kpi, quota_ledger\n", id, out, ogr.ExportLayerNames())
	return nil
}
