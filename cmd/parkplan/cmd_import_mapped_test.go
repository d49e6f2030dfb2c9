package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner/dataset"
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
