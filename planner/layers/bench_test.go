package layers

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// benchSeed draws the benchmark's county.
const benchSeed = 2019

// benchPlan returns a county of parks square parcels (a 0.004° grid) and
// firms firms at seeded random points, and a plan opening every parcel
// and placing every firm, over 5 years in 19 towns.
func benchPlan(parks, firms int) (*planner.Dataset, *planner.Plan) {
	r := rand.New(rand.NewPCG(benchSeed, uint64(firms)))
	ds, plan := &planner.Dataset{}, &planner.Plan{}
	for i := range 19 {
		code := fmt.Sprintf("t%02d", i)
		x := 121 + 0.05*float64(i)
		ds.Towns = append(ds.Towns, planner.Town{Code: code, NameZh: code,
			Boundary: orb.MultiPolygon{{{{x, 30}, {x + 0.05, 30}, {x + 0.05, 30.5}, {x, 30.5}, {x, 30}}}}})
		ts := planner.TownSummary{Town: code, QuotaMu: map[int]float64{}, NewLandUsedMu: map[int]float64{}}
		for y := 2019; y < 2024; y++ {
			ts.QuotaMu[y] = 50
		}
		plan.Towns = append(plan.Towns, ts)
	}
	for i := range parks {
		x, y := 121+0.004*float64(i%100), 30+0.004*float64(i/100)
		id := fmt.Sprintf("P%06d", i)
		ds.Parcels = append(ds.Parcels, planner.Parcel{ID: id, Town: ds.Towns[i%19].Code,
			Geometry: orb.MultiPolygon{{{{x, y}, {x + 0.003, y}, {x + 0.003, y + 0.003}, {x, y + 0.003}, {x, y}}}}})
		plan.Parks = append(plan.Parks, planner.Park{ParcelID: id, Town: ds.Towns[i%19].Code, OpenYear: 2019 + i%5, Tier: planner.TierBasic})
	}
	for i := range firms {
		id := fmt.Sprintf("E%07d", i)
		ds.Enterprises = append(ds.Enterprises, planner.Enterprise{ID: id, Town: ds.Towns[i%19].Code,
			Location: orb.Point{121 + 0.4*r.Float64(), 30 + 0.4*r.Float64()}})
		plan.Assignments = append(plan.Assignments, planner.Assignment{EnterpriseID: id, ParcelID: plan.Parks[r.IntN(parks)].ParcelID})
	}
	return ds, plan
}

// BenchmarkPlanLayers builds a plan's layers and writes them as GeoJSON
// (what `parkplan solve --out` and a plan save do with them).
func BenchmarkPlanLayers(b *testing.B) {
	for _, sz := range []struct{ parks, firms int }{{20, 1000}, {200, 10000}, {2000, 100000}} {
		ds, plan := benchPlan(sz.parks, sz.firms)
		b.Run(fmt.Sprintf("parks=%d/firms=%d", sz.parks, sz.firms), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, c := range Plan(ds, plan) {
					if err := WriteGeoJSON(io.Discard, c); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(sz.firms)*float64(b.N)/b.Elapsed().Seconds(), "firms/s")
		})
	}
}

// TestBenchPlan checks the benchmark's plan: every firm placed once, in
// one feature of the assignments layer whose line ends inside its park.
func TestBenchPlan(t *testing.T) {
	ds, plan := benchPlan(20, 1000)
	for _, c := range Plan(ds, plan) {
		if c.Name == Assignments && len(c.Features) != 1000 {
			t.Errorf("%d assignment features, want 1000", len(c.Features))
		}
		if c.Name == Towns && len(c.Features) != 19*5 {
			t.Errorf("%d town-year features, want 95", len(c.Features))
		}
	}
}
