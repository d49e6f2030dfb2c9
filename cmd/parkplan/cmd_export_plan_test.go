package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/ogr"
)

// TestExportPlanGIS: a saved plan exported as a GeoPackage and as zipped
// GBK Shapefiles, read back by ogrinfo: every plan layer with the plan's
// feature count and CRS EPSG:4490, and the scenario, KPI and quota-ledger
// tables.
func TestExportPlanGIS(t *testing.T) {
	dbURL := postgisTestDB(t, "exportplan")
	_, dir := demoDataset(t)
	if code, o, e := runCLI("import", dir, "--db", dbURL); code != 0 {
		t.Fatalf("import: %d\n%s%s", code, o, e)
	}
	base, _ := os.ReadFile("../../scenarios/baseline.yaml")
	sc := strings.Replace(strings.Replace(string(base), "node_limit: 5000", registerPlanNodes, 1), "time_limit: 60s", "time_limit: 900s", 1)
	scFile := filepath.Join(t.TempDir(), "baseline.yaml")
	os.WriteFile(scFile, []byte(sc), 0o644)
	planDir := t.TempDir()
	code, out, errOut := runCLI("solve", "--scenario", scFile, "--out", planDir, "--no-timing", "--db", dbURL)
	m := regexp.MustCompile(`saved scenario "[^"]*" as (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("solve: %d\n%s%s", code, out, errOut)
	}
	id := m[1]
	var plan struct {
		Parks, Assignments, Unplaced, Towns []json.RawMessage
	}
	b, _ := os.ReadFile(filepath.Join(planDir, "plan.json"))
	if err := json.Unmarshal(b, &plan); err != nil {
		t.Fatal(err)
	}
	ledger := 0
	for _, tw := range plan.Towns {
		var ts struct {
			QuotaMu map[string]float64 `json:"quota_mu"`
		}
		json.Unmarshal(tw, &ts)
		ledger += len(ts.QuotaMu)
	}
	want := map[string]int{"parks": len(plan.Parks), "assignments": len(plan.Assignments), "unplaced": len(plan.Unplaced),
		"towns": ledger, "scenario": 8, "kpi": 13, "quota_ledger": ledger}

	check := func(t *testing.T, src string, layers []ogr.Layer) {
		t.Helper()
		got := map[string]ogr.Layer{}
		for _, l := range layers {
			got[l.Name] = l
		}
		for name, n := range want {
			l, ok := got[name]
			if !ok {
				t.Errorf("%s: no layer %s", src, name)
				continue
			}
			if l.Count != n {
				t.Errorf("%s: layer %s has %d features, want %d", src, name, l.Count, n)
			}
			if geom := name == "parks" || name == "assignments" || name == "unplaced" || name == "towns"; geom && !strings.Contains(l.WKT, `ID["EPSG",4490]`) {
				t.Errorf("%s: layer %s is not in EPSG:4490:\n%s", src, name, l.WKT)
			}
		}
	}

	t.Run("gpkg", func(t *testing.T) {
		gpkg := filepath.Join(t.TempDir(), "plan.gpkg")
		if code, o, e := runCLI("export", "--scenario", id, "--format", "gpkg", "--out", gpkg, "--db", dbURL); code != 0 {
			t.Fatalf("export: %d\n%s%s", code, o, e)
		}
		layers, err := ogr.Inspect(context.Background(), gpkg)
		if err != nil {
			t.Fatal(err)
		}
		check(t, gpkg, layers)
	})
	t.Run("shp GBK", func(t *testing.T) {
		zipFile := filepath.Join(t.TempDir(), "plan.zip")
		if code, o, e := runCLI("export", "--scenario", id, "--format", "shp", "--encoding", "GBK", "--out", zipFile, "--db", dbURL); code != 0 {
			t.Fatalf("export: %d\n%s%s", code, o, e)
		}
		shp := unzip(t, zipFile)
		if b, _ := os.ReadFile(filepath.Join(shp, "towns.cpg")); strings.TrimSpace(string(b)) != "CP936" {
			t.Errorf("towns.cpg says %q, want CP936", b)
		}
		layers, err := ogr.Inspect(context.Background(), shp)
		if err != nil {
			t.Fatal(err)
		}
		check(t, shp, layers)
		for _, l := range layers {
			if l.Name == "towns" {
				// the Chinese town names survive GBK and GDAL's reading of the .cpg
				out, _ := runOgrinfo(t, filepath.Join(shp, "towns.shp"))
				if !strings.Contains(out, "浒山街道") {
					t.Errorf("towns.shp read back without 浒山街道")
				}
			}
		}
	})
}

func runOgrinfo(t *testing.T, path string) (string, error) {
	t.Helper()
	rc, err := ogr.Stream(context.Background(), path, strings.TrimSuffix(filepath.Base(path), ".shp"))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

// unzip extracts a zip archive into a new directory.
func unzip(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dir := t.TempDir()
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(f.Name)), b, 0o644)
	}
	return dir
}
