package data_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// testImportGaussKrugerFromGDAL imports the fixture reprojected by ogr2ogr
// to EPSG:4549 (declared by GDAL's "crs" member): every stored coordinate
// is within 1 mm of the EPSG:4490 original.
func testImportGaussKrugerFromGDAL(t *testing.T, db *data.DB) {
	const tolM = 1e-3 // 1 mm, the agreement asked of a CRS round trip
	dir := t.TempDir()
	if err := datasettest.CopyDir(dir, smallDir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{dataset.FileTowns, dataset.FileParcels, dataset.FileProtected, dataset.FileEnterprises} {
		out := filepath.Join(dir, f)
		os.Remove(out)
		cmd := exec.Command("ogr2ogr", "-f", "GeoJSON", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4549", out, filepath.Join(smallDir, f))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %s: %v\n%s", f, err, b)
		}
	}
	ctx := context.Background()
	if _, err := db.Import(ctx, dir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := db.LoadDataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := dataset.LoadDir(smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Parcels) != len(want.Parcels) || len(got.Enterprises) != len(want.Enterprises) {
		t.Fatalf("%d parcels, %d enterprises; want %d, %d", len(got.Parcels), len(got.Enterprises), len(want.Parcels), len(want.Enterprises))
	}
	worst := 0.0
	for i, w := range want.Parcels {
		g := got.Parcels[i]
		for pi := range w.Geometry {
			for ri := range w.Geometry[pi] {
				for k, p := range w.Geometry[pi][ri] {
					d := geo.DistanceM(p, g.Geometry[pi][ri][k])
					worst = max(worst, d)
					if d > tolM {
						t.Errorf("parcel %s vertex %d: %.4f m off", w.ID, k, d)
					}
				}
			}
		}
	}
	for i, w := range want.Enterprises {
		if d := geo.DistanceM(w.Location, got.Enterprises[i].Location); d > tolM {
			t.Errorf("enterprise %s: %.4f m off", w.ID, d)
		}
	}
	t.Logf("largest parcel vertex difference %.3g m", worst)
}

// testImportGDALCopyExportsCanonical imports the fixture as GDAL rewrites
// it (ogr2ogr to GeoJSON, same CRS: other member order, number format,
// the id moved to the feature) and exports it: the canonical files come
// back byte for byte.
func testImportGDALCopyExportsCanonical(t *testing.T, db *data.DB) {
	dir := t.TempDir()
	if err := datasettest.CopyDir(dir, smallDir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{dataset.FileTowns, dataset.FileParcels, dataset.FileProtected, dataset.FileEnterprises} {
		out := filepath.Join(dir, f)
		os.Remove(out)
		cmd := exec.Command("ogr2ogr", "-f", "GeoJSON", "-lco", "RFC7946=YES", out, filepath.Join(smallDir, f))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %s: %v\n%s", f, err, b)
		}
	}
	ctx := context.Background()
	if _, err := db.Import(ctx, dir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := db.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	assertSameFiles(t, smallDir, out)
}
