package dataset_test

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// streamSeed seeds the generated parcels of the streaming test.
const streamSeed = 20190042

// writeBigParcels writes parcels.geojson into a copy of the fixture with
// about sizeMB megabytes of parcels: 2,000-vertex near-circles of ~100 m
// radius spread over the fixture's town zhouxiang, each ≈ 52 kB.
func writeBigParcels(t testing.TB, sizeMB int) string {
	t.Helper()
	dir := t.TempDir()
	if err := datasettest.CopyDir(dir, smallDir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, dataset.FileParcels))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(streamSeed, uint64(sizeMB)))
	const vertices = 2000
	fmt.Fprint(w, `{"type":"FeatureCollection","features":[`)
	written := 0
	for i := 0; written < sizeMB<<20; i++ {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		cx, cy := 121.11+0.13*rng.Float64(), 30.11+0.13*rng.Float64()
		n, _ := fmt.Fprintf(w, "\n{\"type\":\"Feature\",\"properties\":{\"id\":\"B-%06d\",\"town\":\"zhouxiang\",\"kind\":\"old_factory\",\"far\":1.5,\"cost_wan\":100,\"floor_m2\":0,\"firms\":0},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[", i)
		written += n
		var buf []byte
		for k := 0; k <= vertices; k++ {
			a := 2 * math.Pi * float64(k%vertices) / vertices
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			buf = strconv.AppendFloat(buf, cx+0.001*math.Cos(a), 'f', 8, 64)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, cy+0.001*math.Sin(a), 'f', 8, 64)
			buf = append(buf, ']')
		}
		w.Write(buf)
		written += len(buf)
		n, _ = fmt.Fprint(w, "]]}}")
		written += n
	}
	fmt.Fprint(w, "\n]}\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// peakHeap reads dir and returns the number of parcels and the largest
// live heap (runtime.MemStats.HeapAlloc after a GC, bytes) seen while
// reading, sampled every 25 parcels.
func peakHeap(t *testing.T, dir string) (int, uint64) {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	n := 0
	_, err := dataset.ReadDir(dir, dataset.Options{}, dataset.Handler{Parcel: func(planner.Parcel) error {
		n++
		if n%25 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return n, peak
}

// TestReaderMemoryDoesNotGrowWithFileSize reads a 2 MB and a 20 MB parcels
// file: the live heap while reading the larger stays within a small bound
// of the smaller's (one feature in memory at a time), far below its size.
func TestReaderMemoryDoesNotGrowWithFileSize(t *testing.T) {
	start := time.Now()
	small, large := writeBigParcels(t, 2), writeBigParcels(t, 20)
	t.Logf("generated in %v", time.Since(start))
	nSmall, heapSmall := peakHeap(t, small)
	nLarge, heapLarge := peakHeap(t, large)
	t.Logf("read in %v", time.Since(start))
	t.Logf("2 MB: %d parcels, peak live heap %.2f MB; 20 MB: %d parcels, peak live heap %.2f MB",
		nSmall, float64(heapSmall)/(1<<20), nLarge, float64(heapLarge)/(1<<20))
	if nLarge < 9*nSmall {
		t.Fatalf("generator: %d vs %d parcels", nLarge, nSmall)
	}
	// Allowance: the ids seen (≈ 100 B a feature) and allocator noise.
	const slackBytes = 4 << 20
	if heapLarge > heapSmall+slackBytes {
		t.Errorf("live heap grew from %d to %d bytes with a 10× larger file", heapSmall, heapLarge)
	}
	if heapLarge > 8<<20 {
		t.Errorf("live heap %d bytes reading a 20 MB file; want < 8 MB", heapLarge)
	}
}
