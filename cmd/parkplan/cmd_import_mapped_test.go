package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// TestImportMappedCLI: `parkplan import --suggest-mapping` then
// `--mapping` on the demo written by ogr2ogr as a GeoPackage stores the
// dataset `parkplan export` writes back byte for byte; a bad GeoPackage
// exits 2 naming the layer, feature and column, and leaves the stored
// dataset as it was.
func TestImportMappedCLI(t *testing.T) {
	dbURL := postgisTestDB(t, "importmapped")
	_, dir := demoDataset(t)
	county := t.TempDir()
	gpkg := filepath.Join(county, "county.gpkg")
	for _, l := range []string{"towns", "parcels", "protected", "enterprises"} {
		out, err := exec.Command("ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4490", "-append", "-nln", l, gpkg, filepath.Join(dir, l+".geojson")).CombinedOutput()
		if err != nil {
			t.Fatalf("ogr2ogr: %v\n%s", err, out)
		}
	}
	for _, f := range []string{dataset.FileIndustries, dataset.FileQuotas} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		os.WriteFile(filepath.Join(county, f), b, 0o644)
	}
	mapping := filepath.Join(county, "mapping.yaml")
	if code, out, errOut := runCLI("import", "--suggest-mapping", gpkg, "--out", mapping); code != 0 || !strings.Contains(out, "wrote "+mapping) {
		t.Fatalf("suggest: %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCLI("import", "--mapping", mapping, "--db", dbURL); code != 0 || !strings.Contains(out, "95 parcels, 271 protected areas, 2999 enterprises") {
		t.Fatalf("import --mapping: %d\n%s%s", code, out, errOut)
	}
	exported := t.TempDir()
	if code, out, errOut := runCLI("export", "--db", dbURL, "--out", exported); code != 0 {
		t.Fatalf("export: %d\n%s%s", code, out, errOut)
	}
	for _, f := range []string{dataset.FileTowns, dataset.FileParcels, dataset.FileProtected, dataset.FileEnterprises, dataset.FileQuotas, dataset.FileIndustries} {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, _ := os.ReadFile(filepath.Join(exported, f))
		if !bytes.Equal(a, b) {
			t.Errorf("exported %s differs from the demo's", f)
		}
	}
	// the dataset revision's content hash (records as read) is the GeoJSON directory's
	hashOf := func(out string) string {
		_, h, _ := strings.Cut(out, "content sha256 ")
		return strings.TrimSpace(h)
	}
	_, dirOut, _ := runCLI("import", "--check", dir)
	_, gpkgOut, _ := runCLI("import", "--check", "--mapping", mapping)
	if h := hashOf(gpkgOut); h == "" || h != hashOf(dirOut) {
		t.Errorf("content hash through the mapping %q, of the GeoJSON directory %q", h, hashOf(dirOut))
	}
	_, before, _ := runCLI("summary", "--db", dbURL)

	// a GeoPackage with a parcel of negative FAR: nothing written
	out, err := exec.Command("ogrinfo", gpkg, "-sql", "UPDATE parcels SET far = -1 WHERE id = 'zhangqi-N01'").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	code, _, errOut := runCLI("import", "--mapping", mapping, "--db", dbURL)
	if want := "county.gpkg, layer parcels: feature"; code != 2 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "(id zhangqi-N01): column far: is -1") {
		t.Errorf("bad import: exit %d, stderr %q; want 2 naming the layer, feature and column", code, errOut)
	}
	if _, after, _ := runCLI("summary", "--db", dbURL); after != before {
		t.Errorf("the failed import changed the stored dataset:\n%s\nwas\n%s", after, before)
	}
	if code, _, errOut := runCLI("import", "--mapping", mapping, "--check"); code != 2 || !strings.Contains(errOut, "zhangqi-N01") {
		t.Errorf("import --check --mapping of the bad GeoPackage: exit %d, %q", code, errOut)
	}
}

// TestImportMappedLateBadFeature: a GeoPackage and Shapefiles (EPSG:4549)
// of 3,000 generated parcels import; the same with parcel 2,600's
// geometry self-intersecting — a fault found by a worker reading
// geometries ahead of the validator, long after the first rows went to
// the database — exit 2 naming the source, feature, id and fault, and
// leave the stored dataset as it was.
func TestImportMappedLateBadFeature(t *testing.T) {
	const n, seed, bad = 3000, 5, 2600
	dbURL := postgisTestDB(t, "importmappedlate")
	ds := datasettest.Small()
	ds.Parcels = datasettest.GenerateParcels(n, seed)
	good := mappedCounty(t, ds)
	b := ds.Parcels[bad].Geometry.Bound()
	ds.Parcels[bad].Geometry = orb.MultiPolygon{{{b.Min, b.Max, {b.Max[0], b.Min[1]}, {b.Min[0], b.Max[1]}, b.Min}}}
	spoilt := mappedCounty(t, ds)
	for _, format := range []struct{ name, where string }{
		{"gpkg", "county.gpkg, layer parcels: feature"},
		{"shp", "parcels.shp: feature"},
	} {
		t.Run(format.name, func(t *testing.T) {
			if code, out, errOut := runCLI("import", "--mapping", good[format.name], "--db", dbURL); code != 0 || !strings.Contains(out, strconv.Itoa(n)+" parcels") {
				t.Fatalf("import --mapping: %d\n%s%s", code, out, errOut)
			}
			_, before, _ := runCLI("summary", "--db", dbURL)
			code, _, errOut := runCLI("import", "--mapping", spoilt[format.name], "--db", dbURL)
			want := format.where + " " + strconv.Itoa(bad) + " (id " + ds.Parcels[bad].ID + "): geometry: invalid geometry"
			if code != 2 || !strings.Contains(errOut, want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, want)
			}
			if _, after, _ := runCLI("summary", "--db", dbURL); after != before {
				t.Errorf("the failed import changed the stored dataset:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

// mappedCounty writes ds with ogr2ogr as a GeoPackage and as Shapefiles
// in EPSG:4549, with their suggested mappings (by format name).
func mappedCounty(t *testing.T, ds *planner.Dataset) map[string]string {
	t.Helper()
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	gpkgDir, shpDir := t.TempDir(), t.TempDir()
	for _, l := range []string{"towns", "parcels", "protected", "enterprises"} {
		ogr2ogr(t, "-f", "GPKG", "-a_srs", "EPSG:4490", "-append", "-nln", l, filepath.Join(gpkgDir, "county.gpkg"), filepath.Join(dir, l+".geojson"))
		ogr2ogr(t, "-f", "ESRI Shapefile", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4549", "-mapFieldType", "StringList=String",
			"-lco", "ENCODING=UTF-8", filepath.Join(shpDir, l+".shp"), filepath.Join(dir, l+".geojson"))
	}
	out := map[string]string{}
	for name, src := range map[string]string{"gpkg": filepath.Join(gpkgDir, "county.gpkg"), "shp": shpDir} {
		d := filepath.Dir(src)
		if name == "shp" {
			d = src
		}
		for _, f := range []string{dataset.FileIndustries, dataset.FileQuotas} {
			b, _ := os.ReadFile(filepath.Join(dir, f))
			if err := os.WriteFile(filepath.Join(d, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		mapping := filepath.Join(d, "mapping.yaml")
		if code, _, errOut := runCLI("import", "--suggest-mapping", src, "--out", mapping); code != 0 {
			t.Fatalf("suggest %s: %d\n%s", src, code, errOut)
		}
		out[name] = mapping
	}
	return out
}

func ogr2ogr(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ogr2ogr", args...).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
}
