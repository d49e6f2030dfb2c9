package datasettest

import (
	"fmt"
	"math/rand/v2"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
)

// GenerateParcels returns n random candidate parcels for benchmarks, the
// same for the same seed: rectangles of 20–500 mu (plus a few pentagons)
// scattered over the two towns of Small, alternately new land and old
// factory land, ids B-0000001….
func GenerateParcels(n int, seed uint64) []planner.Parcel {
	rng := rand.New(rand.NewPCG(seed, 0x7061726b))
	out := make([]planner.Parcel, n)
	for i := range out {
		town, w := "zhouxiang", 121.1
		if i%2 == 1 {
			town, w = "guanhaiwei", 121.25
		}
		// a side of s degrees ≈ s·96 km east, s·111 km north at 30°N
		s := 0.0012 + 0.0055*rng.Float64()
		lon := w + 0.002 + (0.15-0.004-s)*rng.Float64()
		lat := 30.102 + (0.15-0.004-s)*rng.Float64()
		g := rect(lon, lat, lon+s, lat+s*(0.6+0.8*rng.Float64()))
		if i%10 == 0 { // a notched pentagon now and then
			r := g[0][0]
			g[0][0] = orb.Ring{r[0], r[1], r[2], {lon + s/2, r[2][1] - s/4}, r[3], r[4]}
		}
		kind := planner.KindNewLand
		if i%3 == 0 {
			kind = planner.KindOldFactory
		}
		out[i] = planner.Parcel{
			ID: fmt.Sprintf("B-%07d", i), Town: town, Kind: kind,
			AreaMu: geo.AreaMu(g), FAR: 1 + 2*rng.Float64(), CostWan: float64(rng.IntN(5000)),
			Geometry: g,
		}
	}
	return out
}
