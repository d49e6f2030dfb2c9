package ogr_test

import (
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

var (
	benchParcels = flag.Int("bench.parcels", 20000, "parcels in the generated county for BenchmarkReadCounty")
	benchSeed    = flag.Uint64("bench.seed", 42, "seed of the generated parcels")
)

// BenchmarkReadCounty reads and validates the same generated county as a
// GeoJSON directory (dataset.ReadDir) and, through ogr2ogr on a pipe and
// the mapping, as a GeoPackage and as Shapefiles in EPSG:4549 — each
// through the binary stream (GDAL's PostgreSQL dump, EWKB) and through
// GeoJSON text — no database, so the figures are the reading paths alone.
func BenchmarkReadCounty(b *testing.B) {
	n, seed := *benchParcels, *benchSeed
	ds := datasettest.Small()
	ds.Parcels = datasettest.GenerateParcels(n, seed)
	dir, gpkgDir, shpDir := writeCountyFormats(b, ds)
	cases := []struct {
		name string
		read func() (dataset.Counts, error)
	}{
		{"geojson", func() (dataset.Counts, error) { return dataset.ReadDir(dir, dataset.Options{}, dataset.Handler{}) }},
		{"gpkg", mappedReader(b, filepath.Join(gpkgDir, "county.gpkg"), gpkgDir, ogr.Sources)},
		{"gpkg-geojson-text", mappedReader(b, filepath.Join(gpkgDir, "county.gpkg"), gpkgDir, ogr.SourcesText)},
		{"shp-4549", mappedReader(b, shpDir, shpDir, ogr.Sources)},
		{"shp-4549-geojson-text", mappedReader(b, shpDir, shpDir, ogr.SourcesText)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got, err := c.read()
				if err != nil {
					b.Fatal(err)
				}
				if got.Parcels != n {
					b.Fatalf("%d parcels, want %d", got.Parcels, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "parcels/s")
		})
	}
}

// mappedReader reads src through its suggested mapping with sources
// (ogr.Sources: the binary stream where it applies; ogr.SourcesText:
// GeoJSON text throughout).
func mappedReader(b *testing.B, src, dir string, sources func(context.Context, *dataset.Mapping) (dataset.Sources, error)) func() (dataset.Counts, error) {
	m, err := dataset.LoadMapping(suggest(b, src, dir))
	if err != nil {
		b.Fatal(err)
	}
	return func() (dataset.Counts, error) {
		s, err := sources(context.Background(), m)
		if err != nil {
			return dataset.Counts{}, err
		}
		return dataset.ReadSources(s, dataset.Options{}, dataset.Handler{})
	}
}

// writeCountyFormats writes ds as a dataset directory, and from it with
// ogr2ogr as a GeoPackage (gpkgDir/county.gpkg) and as Shapefiles in
// EPSG:4549 (shpDir), each with parkplan's industries and quotas CSVs.
func writeCountyFormats(t testing.TB, ds *planner.Dataset) (dir, gpkgDir, shpDir string) {
	t.Helper()
	dir = t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	gpkgDir, shpDir = t.TempDir(), t.TempDir()
	for _, l := range []string{"towns", "parcels", "protected", "enterprises"} {
		run(t, "ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4490", "-append", "-nln", l, filepath.Join(gpkgDir, "county.gpkg"), filepath.Join(dir, l+".geojson"))
		run(t, "ogr2ogr", "-f", "ESRI Shapefile", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4549", "-mapFieldType", "StringList=String",
			"-lco", "ENCODING=UTF-8", filepath.Join(shpDir, l+".shp"), filepath.Join(dir, l+".geojson"))
	}
	copyCSVs(t, dir, gpkgDir)
	copyCSVs(t, dir, shpDir)
	return dir, gpkgDir, shpDir
}
