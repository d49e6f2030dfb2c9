package data_test

import (
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// Benchmark size and seed (scripts/bench-import.sh sets them).
var (
	benchParcels = flag.Int("bench.parcels", 100000, "parcels generated for BenchmarkImportParcels")
	benchSeed    = flag.Uint64("bench.seed", 42, "seed of the generated parcels")
	benchKeep    = flag.String("bench.keep", "", "also write the generated dataset to this directory (for the ogr2ogr comparison)")
)

// writeGenerated writes the Small fixture with its parcels replaced by n
// generated ones into a new directory.
func writeGenerated(tb testing.TB, n int, seed uint64, dir string) string {
	tb.Helper()
	if dir == "" {
		dir = tb.TempDir()
	}
	ds := datasettest.Small()
	ds.Parcels = datasettest.GenerateParcels(n, seed)
	if err := dataset.WriteDir(ds, dir); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// testImportGenerated imports 2,000 generated parcels (the benchmark's
// data at a test's size): every parcel arrives, with the same total area.
func testImportGenerated(t *testing.T, db *data.DB) {
	const n, seed = 2000, 42
	dir := writeGenerated(t, n, seed, "")
	ctx := context.Background()
	got, err := db.Import(ctx, dir, data.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Parcels != n {
		t.Fatalf("imported %d parcels, want %d", got.Parcels, n)
	}
	var rows int
	var mu float64
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*), sum(area_mu) FROM parcel`).Scan(&rows, &mu); err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for _, p := range datasettest.GenerateParcels(n, seed) {
		want += p.AreaMu
	}
	if rows != n || math.Abs(mu-want) > 1e-6*want {
		t.Errorf("database holds %d parcels, %.3f mu; want %d, %.3f mu", rows, mu, n, want)
	}
}

// BenchmarkImportParcels imports -bench.parcels generated parcels (default
// 100,000) per iteration, replacing the previous import, and reports
// parcels per second: reading, validation, EWKB, COPY, constraints
// (ST_IsValid) and GiST index maintenance, in one transaction.
func BenchmarkImportParcels(b *testing.B) {
	dir := writeGenerated(b, *benchParcels, *benchSeed, "")
	if *benchKeep != "" {
		if err := datasettest.CopyDir(*benchKeep, dir); err != nil {
			b.Fatal(err)
		}
	}
	st, err := os.Stat(filepath.Join(dir, dataset.FileParcels))
	if err != nil {
		b.Fatal(err)
	}
	db := migrated(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := db.Import(ctx, dir, data.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if n.Parcels != *benchParcels {
			b.Fatalf("imported %d parcels", n.Parcels)
		}
	}
	b.ReportMetric(float64(*benchParcels)*float64(b.N)/b.Elapsed().Seconds(), "parcels/s")
	b.ReportMetric(float64(st.Size())/(1<<20), "MB/file")
}
