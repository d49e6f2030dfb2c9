package planner_test

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
)

// benchSeed names the dataset the benchmarks build on.
const benchSeed = 42

// BenchmarkBuildInstance builds the baseline model on county-shaped
// datasets at 1× and 3× (towns, parcels, firms).
func BenchmarkBuildInstance(b *testing.B) {
	for _, scale := range []int{1, 3} {
		ds := plantest.Dataset(benchSeed, plantest.County(scale))
		b.Run(fmt.Sprintf("county%dx", scale), func(b *testing.B) {
			b.ReportAllocs()
			var inst *planner.Instance
			for i := 0; i < b.N; i++ {
				var err error
				if inst, err = planner.BuildInstance(ds, planner.Defaults()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(inst.Arcs)), "arcs")
			b.ReportMetric(float64(len(inst.Groups)), "groups")
		})
	}
}

// BenchmarkScenarioHash hashes the baseline with a county-shaped dataset.
func BenchmarkScenarioHash(b *testing.B) {
	ds := plantest.Dataset(benchSeed, plantest.County(1))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = planner.ScenarioHash(planner.Defaults(), ds)
	}
}
