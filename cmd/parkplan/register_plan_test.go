package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
	"github.com/parkplan/parkplan/planner/demo"
)

// registerPlanNodes bounds the solves of TestRegisterSamePlan: a solve
// that ends on its node limit is reproducible to the byte (docs/scenarios.md),
// and a few nodes are enough to compare two plans.
const registerPlanNodes = "node_limit: 20"

// TestRegisterSamePlan: the demo's firms imported from an .xlsx register
// without coordinates (towns by Chinese name) give the same plan as the
// demo's GeoJSON with coordinates: the model measures relocation from the
// town seat, so parks, towns, KPIs and the solve are equal, and so is how
// many firms each park takes at which distance. Which firm of a group of
// alike firms goes to which park is decided by the firms' own locations
// (planner/decode.go firmArcs), so firm ids are compared as such only
// through the multiset of (park, distance) and of unplaced reasons.
func TestRegisterSamePlan(t *testing.T) {
	ds, dir := demoDataset(t)
	base, err := os.ReadFile("../../scenarios/baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc := strings.Replace(strings.Replace(string(base), "node_limit: 5000", registerPlanNodes, 1), "time_limit: 60s", "time_limit: 900s", 1)
	if sc == string(base) {
		t.Fatal("baseline.yaml no longer has node_limit: 5000 / time_limit: 60s")
	}
	scFile := filepath.Join(t.TempDir(), "baseline.yaml")
	os.WriteFile(scFile, []byte(sc), 0o644)

	solve := func(dbURL string) map[string]any {
		t.Helper()
		out := t.TempDir()
		if code, o, e := runCLI("solve", "--scenario", scFile, "--out", out, "--no-timing", "--db", dbURL); code != 0 {
			t.Fatalf("solve: %d\n%s%s", code, o, e)
		}
		b, err := os.ReadFile(filepath.Join(out, "plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		var plan map[string]any
		if err := json.Unmarshal(b, &plan); err != nil {
			t.Fatal(err)
		}
		delete(plan, "scenario_hash") // covers the firms' locations, which differ
		return plan
	}

	withCoords := postgisTestDB(t, "regplana")
	if code, o, e := runCLI("import", dir, "--db", withCoords); code != 0 {
		t.Fatalf("import: %d\n%s%s", code, o, e)
	}
	want := solve(withCoords)

	county := t.TempDir()
	gpkg := filepath.Join(county, "county.gpkg")
	for _, l := range []string{"towns", "parcels", "protected"} {
		if out, err := exec.Command("ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4490", "-append", "-nln", l, gpkg, filepath.Join(dir, l+".geojson")).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr: %v\n%s", err, out)
		}
	}
	for _, f := range []string{dataset.FileIndustries, dataset.FileQuotas} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		os.WriteFile(filepath.Join(county, f), b, 0o644)
	}
	if err := datasettest.WriteRegister(filepath.Join(county, "企业名录.xlsx"), "企业", ds.Enterprises, ds.Towns, datasettest.RegisterOptions{}); err != nil {
		t.Fatal(err)
	}
	mapping := filepath.Join(county, "mapping.yaml")
	if code, o, e := runCLI("import", "--suggest-mapping", county, "--out", mapping); code != 0 {
		t.Fatalf("suggest: %d\n%s%s", code, o, e)
	}
	fromRegister := postgisTestDB(t, "regplanb")
	if code, o, e := runCLI("import", "--mapping", mapping, "--db", fromRegister); code != 0 {
		b, _ := os.ReadFile(mapping)
		t.Fatalf("import --mapping: %d\n%s%s\nmapping:\n%s", code, o, e, b)
	}
	got := solve(fromRegister)
	for _, plan := range []map[string]any{want, got} {
		plan["assignments"] = multiset(plan["assignments"], "parcel_id", "distance_m")
		plan["unplaced"] = multiset(plan["unplaced"], "reason")
	}
	if !reflect.DeepEqual(got, want) {
		for k := range want {
			if !reflect.DeepEqual(got[k], want[k]) {
				a, _ := json.Marshal(want[k])
				b, _ := json.Marshal(got[k])
				if len(a) > 600 {
					a, b = a[:600], b[:600]
				}
				t.Errorf("plan.json %q differs between the register and the GeoJSON import:\n%s\n%s", k, a, b)
			}
		}
	}
	if kpi, _ := want["kpi"].(map[string]any); kpi == nil || kpi["firms_placed"].(float64) == 0 {
		t.Errorf("the plan places no firm; the comparison shows nothing: %v", kpi)
	}
}

// multiset counts the rows of a plan.json array by the given members.
func multiset(rows any, keys ...string) map[string]int {
	out := map[string]int{}
	list, _ := rows.([]any)
	for _, r := range list {
		m, _ := r.(map[string]any)
		var k []string
		for _, key := range keys {
			b, _ := json.Marshal(m[key])
			k = append(k, string(b))
		}
		out[strings.Join(k, " ")]++
	}
	return out
}

// demoDataset writes the Cixi demo (default seed) as a dataset directory.
func demoDataset(t *testing.T) (*planner.Dataset, string) {
	t.Helper()
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	return ds, dir
}
