package ogr

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/layers"
)

// PlanFinder reads a saved scenario with its plan (data.ScenarioStore).
type PlanFinder interface {
	FindScenario(ctx context.Context, id string) (*planner.ScenarioRecord, error)
}

// PlanExport implements planner.PlanExporter with GDAL's ogr2ogr: it reads
// the scenario's OGC collections from Features — the plan layers of
// planner/layers and candidates, the same features and properties the
// API serves — and writes them with the scenario, its KPIs and its quota
// ledger as attribute tables.
type PlanExport struct {
	Features planner.FeatureStore
	Plans    PlanFinder
}

var _ planner.PlanExporter = (*PlanExport)(nil)

// Collections exported beside the plan layers: the scenario's candidates
// and the base layers of protected land and counties.
const (
	candidatesLayer = "candidates"
	protectedLayer  = "protected"
	countiesLayer   = "counties" // the base collection of counties (docs/province.md)
)

// ExportPlan implements planner.PlanExporter. GeoPackage (and the QGIS
// project's GeoPackage) is written to a temporary file and then copied to w;
// a zipped Shapefile set is zipped straight onto w.
func (e *PlanExport) ExportPlan(ctx context.Context, req planner.ExportRequest, w io.Writer) error {
	switch req.Format {
	case planner.ExportGPKG, planner.ExportSHP, planner.ExportQGZ:
	default:
		return &planner.Error{Code: planner.EINVALID, Field: "format", Message: fmt.Sprintf("is %q; use gpkg, shp or qgz", req.Format)}
	}
	enc := encUTF8
	if req.Encoding != "" {
		if enc = normEncoding(req.Encoding); enc != encUTF8 && enc != encGBK {
			return &planner.Error{Code: planner.EINVALID, Field: "encoding", Message: fmt.Sprintf("is %q; use UTF-8 or GBK", req.Encoding)}
		}
	}
	rec, err := e.Plans.FindScenario(ctx, req.Scenario)
	if err != nil {
		return err
	}
	if rec.Plan == nil {
		return &planner.Error{Code: planner.ENOTFOUND, Field: "scenario",
			Message: fmt.Sprintf("scenario %s has no plan yet (status %s)", req.Scenario, rec.Status)}
	}
	tmp, err := os.MkdirTemp("", "parkplan-export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out, err := e.writeSources(ctx, tmp, req, rec)
	if err != nil {
		return err
	}
	switch req.Format {
	case planner.ExportSHP:
		return writeShapefileZip(ctx, w, out, enc)
	case planner.ExportQGZ:
		parks, err := os.ReadFile(filepath.Join(tmp, layers.Parks+".geojson"))
		if err != nil {
			return err
		}
		return writeQGISZip(ctx, w, tmp, req.Scenario, out, specialtiesOf(parks))
	}
	gpkg := filepath.Join(tmp, req.Scenario+".gpkg")
	if err := WriteGeoPackage(ctx, gpkg, out); err != nil {
		return err
	}
	return copyFile(w, gpkg)
}

// ExportLayerNames lists the exported feature layers, in order: the plan
// layers, candidates, protected land (and, on data with counties of its
// own, the plan's counties: planCounties).
func ExportLayerNames() []string {
	var names []string
	for _, l := range layers.PlanLayers() {
		names = append(names, l.Name)
	}
	return append(names, candidatesLayer, protectedLayer)
}

// writeSources writes every exported layer as GeoJSON (read page by page
// from the scenario's collections) and the tables as CSV into dir.
func (e *PlanExport) writeSources(ctx context.Context, dir string, req planner.ExportRequest, rec *planner.ScenarioRecord) ([]OutLayer, error) {
	dbf := map[string]layers.Layer{}
	for _, l := range layers.PlanLayers() {
		dbf[l.Name] = l
	}
	var out []OutLayer
	for _, name := range ExportLayerNames() {
		path := filepath.Join(dir, name+".geojson")
		n, err := writeCollectionFile(ctx, e.Features, req, name, path)
		if err != nil {
			return nil, err
		}
		ol := OutLayer{Name: name, Path: path}
		// GDAL knows a GeoJSON layer's fields from its features only.
		if l, ok := dbf[name]; ok && n > 0 {
			ol.DBF = dbfFields(l)
		}
		out = append(out, ol)
	}
	if path, ok, err := e.planCounties(ctx, dir, rec.Plan); err != nil {
		return nil, err
	} else if ok {
		out = append(out, OutLayer{Name: countiesLayer, Path: path})
	}
	tables, err := writePlanTables(dir, rec.ID, rec.Plan)
	if err != nil {
		return nil, err
	}
	return append(out, tables...), nil
}

// writeCollectionFile writes the scenario's collection of layer name to path.
func writeCollectionFile(ctx context.Context, fs planner.FeatureStore, req planner.ExportRequest, name, path string) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	collection := req.Scenario + "." + name
	if name == protectedLayer {
		collection = name // a base layer
	}
	q := planner.ItemsQuery{Collection: collection, Limit: planner.ItemsMaxLimit, CRS: planner.CRS84,
		BboxCRS: planner.CRS84, Unpublished: req.Unpublished}
	n, err := planner.WriteCollection(q, name, func(q planner.ItemsQuery) (*planner.FeaturePage, error) { return fs.Items(ctx, q) },
		func() (io.Writer, error) { return f, nil })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// dbfFields returns the renames of l's properties whose names do not fit
// a DBF's 10 bytes, with every field GDAL reads from the layer's GeoJSON
// (the feature id as "id", then the properties).
func dbfFields(l layers.Layer) []DBFField {
	fields := []DBFField{{Name: "id", DBF: "id"}}
	for _, p := range l.Props {
		fields = append(fields, DBFField{Name: p.Name, DBF: p.DBFName()})
	}
	return fields
}

// writePlanTables writes the plan's attribute tables as CSV into dir:
// scenario.csv and kpi.csv (key, value), quota_ledger.csv (town, year,
// quota_mu, new_land_used_mu, old_factory_mu).
func writePlanTables(dir, id string, plan *planner.Plan) ([]OutLayer, error) {
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
	var out []OutLayer
	for _, t := range []struct {
		name string
		rows [][]string
	}{{"scenario", scenario}, {"kpi", kpi}, {"quota_ledger", ledger}} {
		path := filepath.Join(dir, t.name+".csv")
		if err := writeCSV(path, t.rows); err != nil {
			return nil, err
		}
		out = append(out, OutLayer{Name: t.name, Path: path})
	}
	return out, nil
}

func writeCSV(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyFile copies the file at path to w.
func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// planCounties writes the counties of the plan's towns (features of the
// counties collection, the towns' county from the towns collection) to
// dir/counties.geojson; ok is false, and nothing written, on data without
// counties of its own (only the implied default county).
func (e *PlanExport) planCounties(ctx context.Context, dir string, plan *planner.Plan) (path string, ok bool, err error) {
	type feature struct {
		raw   json.RawMessage
		Props map[string]any `json:"properties"`
	}
	read := func(collection string) ([]feature, error) {
		page, err := e.Features.Items(ctx, planner.ItemsQuery{Collection: collection, Limit: planner.ItemsMaxLimit, CRS: planner.CRS84, BboxCRS: planner.CRS84})
		if err != nil {
			return nil, err
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(page.Features, &raws); err != nil {
			return nil, fmt.Errorf("export: %s: %w", collection, err)
		}
		fs := make([]feature, len(raws))
		for i, r := range raws {
			if err := json.Unmarshal(r, &fs[i]); err != nil {
				return nil, fmt.Errorf("export: %s: %w", collection, err)
			}
			fs[i].raw = r
		}
		return fs, nil
	}
	towns, err := read("towns")
	if err != nil {
		return "", false, err
	}
	countyOf := map[string]any{}
	for _, t := range towns {
		countyOf[fmt.Sprint(t.Props["code"])] = t.Props["county"]
	}
	in := map[string]bool{}
	for _, ts := range plan.Towns {
		in[fmt.Sprint(countyOf[ts.Town])] = true
	}
	counties, err := read(countiesLayer)
	if err != nil {
		return "", false, err
	}
	var kept []string
	own := false
	for _, c := range counties {
		if c.Props["implied"] != true {
			own = true
		}
		if in[fmt.Sprint(c.Props["code"])] {
			kept = append(kept, string(c.raw))
		}
	}
	if !own {
		return "", false, nil
	}
	path = filepath.Join(dir, countiesLayer+".geojson")
	doc := `{"type":"FeatureCollection","name":"` + countiesLayer + `","features":[` + strings.Join(kept, ",") + "]}\n"
	return path, true, os.WriteFile(path, []byte(doc), 0o644)
}
