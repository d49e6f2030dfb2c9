package dataset_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner/dataset"
)

// redeclare rewrites the "crs" member GDAL wrote in every GeoJSON layer
// of dir from one EPSG code to another: a declaration that disagrees with
// the coordinates, as a wrong .prj would.
func redeclare(t *testing.T, dir, from, to string) {
	t.Helper()
	for _, f := range geojsonFiles {
		p := filepath.Join(dir, f)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		old := "EPSG::" + from
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s does not declare %s", f, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, "EPSG::"+to, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestZoneDisagreesWithData: coordinates projected by GDAL into one zone
// and declared as another are refused, the error naming both zones.
func TestZoneDisagreesWithData(t *testing.T) {
	tests := []struct {
		name          string
		projected, as string
		want          []string
	}{
		{"prefix 40 declared zone 39", "4528", "4527", []string{"carries zone prefix 40 (EPSG:4528", "declared CRS is EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"}},
		{"prefix 40 declared 6-degree zone 21", "4528", "4499", []string{"carries zone prefix 40 (EPSG:4528", "EPSG:4499"}},
		{"no prefix declared zone 40", "4549", "4528", []string{"has no zone prefix", "EPSG:4528", "looks like EPSG:4549"}},
		{"prefix declared without", "4528", "4549", []string{"carries zone prefix 40: that is EPSG:4528", "not EPSG:4549"}},
		// GDAL projects into any zone; Cixi lies 4.2° east of zone 20's meridian
		{"data beyond its zone", "4509", "4509", []string{"4.2° from the central meridian 117°E of EPSG:4509", "central meridian 120°E, e.g. EPSG:4549"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := reprojectWithGDAL(t, smallDir, "EPSG:"+tt.projected)
			redeclare(t, dir, tt.projected, tt.as)
			_, err := dataset.LoadDir(dir, dataset.Options{})
			if err == nil {
				t.Fatal("read without error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if !strings.Contains(err.Error(), "towns.geojson: feature 0") {
				t.Errorf("error does not name the file and feature:\n%v", err)
			}
		})
	}
}

// TestOlderDatumRefused: a file declaring Xi'an 1980 is refused with the
// conversion named, before any feature is read.
func TestOlderDatumRefused(t *testing.T) {
	dir := reprojectWithGDAL(t, smallDir, "EPSG:4549")
	redeclare(t, dir, "4549", "2385")
	_, err := dataset.LoadDir(dir, dataset.Options{})
	if err == nil {
		t.Fatal("read without error")
	}
	for _, w := range []string{"towns.geojson: crs", "Xi'an 1980", "EPSG:4549", "does not guess datum shifts"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}
