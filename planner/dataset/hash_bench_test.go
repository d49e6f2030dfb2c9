package dataset_test

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// hashBenchSeed seeds BenchmarkReadDirContentHash's generated parcels.
const hashBenchSeed = 42

// BenchmarkReadDirContentHash measures what the import's content hash
// (dataset.ContentHash, docs/data-format.md) adds to reading and
// validating a dataset: the same directory of n generated parcels read
// with a nil handler ("plain") and through ContentHash ("hashed").
func BenchmarkReadDirContentHash(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		ds := datasettest.Small()
		ds.Parcels = datasettest.GenerateParcels(n, hashBenchSeed)
		dir := b.TempDir()
		if err := dataset.WriteDir(ds, dir); err != nil {
			b.Fatal(err)
		}
		for _, hashed := range []bool{false, true} {
			name := map[bool]string{false: "plain", true: "hashed"}[hashed]
			b.Run(fmt.Sprintf("parcels=%d/%s", n, name), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					h := dataset.Handler{}
					sum := func() string { return "" }
					if hashed {
						h, sum = dataset.ContentHash(h)
					}
					if _, err := dataset.ReadDir(dir, dataset.Options{}, h); err != nil {
						b.Fatal(err)
					}
					_ = sum()
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "parcels/s")
			})
		}
	}
}
