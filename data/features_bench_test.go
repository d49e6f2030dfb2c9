package data_test

import (
	"context"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// benchFeatureParcels sizes the synthetic county of the feature benchmarks
// (scripts/bench-api.sql; deterministic). scripts/bench-api.sh measures
// the whole server on 100,000.
var benchFeatureParcels = flag.Int("feature.parcels", 10000, "parcels in the feature benchmarks' county")

// benchFeatureStore loads the county into a throwaway database; the store
// is uncached, so every iteration reads PostGIS.
func benchFeatureStore(b *testing.B) *data.FeatureStore {
	b.Helper()
	db, _ := newTestDB(b)
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	sqlText, err := os.ReadFile("../scripts/bench-api.sql")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, strings.ReplaceAll(string(sqlText), "{{parcels}}", strconv.Itoa(*benchFeatureParcels))); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	fs := data.NewFeatureStore(db.SQL())
	b.Cleanup(func() { fs.Close() })
	return fs
}

// BenchmarkFeatureItems reads 1,000-feature pages of parcels as GeoJSON:
// the whole collection's first page, and the first page inside a box of
// 5 % of the county's area.
func BenchmarkFeatureItems(b *testing.B) {
	fs := benchFeatureStore(b)
	box := [4]float64{121.1, 30.1, 121.189443, 30.189443}
	for _, bc := range []struct {
		name string
		q    planner.ItemsQuery
	}{
		{"page", planner.ItemsQuery{Collection: "parcels", Limit: 1000, CRS: planner.CRS84}},
		{"bbox", planner.ItemsQuery{Collection: "parcels", Limit: 1000, CRS: planner.CRS84, Bbox: &box, BboxCRS: planner.CRS84}},
		{"page-4549", planner.ItemsQuery{Collection: "parcels", Limit: 1000, CRS: planner.EPSG4549}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				p, err := fs.Items(context.Background(), bc.q)
				if err != nil {
					b.Fatal(err)
				}
				n = len(p.Features)
			}
			b.SetBytes(int64(n))
		})
	}
}

// BenchmarkFeatureItem reads one parcel by id.
func BenchmarkFeatureItem(b *testing.B) {
	fs := benchFeatureStore(b)
	id := "P" + strings.Repeat("0", 6-len(strconv.Itoa(*benchFeatureParcels/2))) + strconv.Itoa(*benchFeatureParcels/2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fs.Item(context.Background(), "parcels", id, planner.CRS84, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFeatureTile writes Mapbox Vector Tiles of parcels at zoom 12,
// 14 and 16 over the county's middle (121.2° E, 30.2° N), uncached: the
// database finding the rows and the store encoding them (geo/mvt). scripts/bench-scale.sh
// measures the whole server on 100,000 parcels against pg_tileserv.
func BenchmarkFeatureTile(b *testing.B) {
	fs := benchFeatureStore(b)
	for _, tc := range []struct{ z, x, y int }{{12, 3426, 1687}, {14, 13707, 6749}, {16, 54831, 26996}} {
		b.Run("z"+strconv.Itoa(tc.z), func(b *testing.B) {
			q := planner.TileQuery{Collection: "parcels", Z: tc.z, X: tc.x, Y: tc.y}
			b.ReportAllocs()
			var n, feats int
			for b.Loop() {
				t, err := fs.Tile(context.Background(), q)
				if err != nil {
					b.Fatal(err)
				}
				n, feats = len(t.MVT), t.Features
			}
			if feats == 0 {
				b.Fatalf("tile %v is empty", q)
			}
			b.SetBytes(int64(n))
			b.ReportMetric(float64(feats), "features/tile")
		})
	}
}
