package ogr_test

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// TestMappedFaultsInFileOrder: the geometries of a mapped layer are read
// ahead on worker goroutines (dataset's readAhead), the other checks in
// order; the faults are still reported in the file's order, the same on
// every read, whichever check finds them. Two faults far into a
// 3,000-parcel layer — an invalid (self-intersecting) geometry and a
// negative FAR, each in turn the earlier one — read from a GeoPackage and
// from Shapefiles in EPSG:4549, with more workers than this machine has
// cores: with --max-errors 1 the earlier fault is the one reported (and
// the read's goroutines end), and with the default cap both, the earlier
// first.
func TestMappedFaultsInFileOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	const n, seed, early, late = 3000, 11, 1700, 2400
	bowtie := func(mp orb.MultiPolygon) orb.MultiPolygon {
		b := mp.Bound()
		return orb.MultiPolygon{{{b.Min, b.Max, {b.Max[0], b.Min[1]}, {b.Min[0], b.Max[1]}, b.Min}}}
	}
	for _, tc := range []struct {
		name     string
		geometry int // the parcel given a self-intersecting geometry
		far      int // the parcel given far -2
	}{
		{"geometry first", early, late},
		{"property first", late, early},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := datasettest.Small()
			ds.Parcels = datasettest.GenerateParcels(n, seed)
			ds.Parcels[tc.geometry].Geometry = bowtie(ds.Parcels[tc.geometry].Geometry)
			ds.Parcels[tc.far].FAR = -2
			_, gpkgDir, shpDir := writeCountyFormats(t, ds)
			geomFault := "feature " + itoa(tc.geometry) + " (id " + ds.Parcels[tc.geometry].ID + "): geometry: invalid geometry"
			farFault := "feature " + itoa(tc.far) + " (id " + ds.Parcels[tc.far].ID + "): column far: is -2"
			first, second := geomFault, farFault
			if tc.far < tc.geometry {
				first, second = farFault, geomFault
			}
			for _, src := range []struct{ name, path, dir string }{
				{"gpkg", filepath.Join(gpkgDir, "county.gpkg"), gpkgDir},
				{"shp-4549", shpDir, shpDir},
			} {
				m, err := dataset.LoadMapping(suggest(t, src.path, src.dir))
				if err != nil {
					t.Fatal(err)
				}
				read := func(maxErrors int) string {
					s, err := ogr.Sources(context.Background(), m)
					if err != nil {
						t.Fatal(err)
					}
					_, err = dataset.ReadSources(s, dataset.Options{MaxErrors: maxErrors}, dataset.Handler{})
					if err == nil {
						t.Fatalf("%s: no error", src.name)
					}
					return err.Error()
				}
				before := runtime.NumGoroutine()
				one := read(1) // stops early: the workers, producer and GDAL streams must end
				for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
					time.Sleep(10 * time.Millisecond)
				}
				if n := runtime.NumGoroutine(); n > before {
					t.Errorf("%s: %d goroutines after a read stopped at its first fault, %d before", src.name, n, before)
				}
				if !strings.Contains(one, first) || strings.Contains(one, second) {
					t.Errorf("%s, --max-errors 1: %q; want only %q", src.name, one, first)
				}
				all := read(0)
				i, j := strings.Index(all, first), strings.Index(all, second)
				if i < 0 || j < 0 || i > j {
					t.Errorf("%s: %q; want %q, then %q", src.name, all, first, second)
				}
				for range 3 {
					if again := read(0); again != all {
						t.Errorf("%s: a second read reports\n%s\nthe first\n%s", src.name, again, all)
					}
				}
			}
		})
	}
}
