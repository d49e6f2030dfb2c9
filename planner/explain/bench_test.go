package explain_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/explain"
	"github.com/parkplan/parkplan/planner/plantest"
)

// benchSeed seeds the benchmark datasets.
const benchSeed = 2019

// BenchmarkWhyParcelsRules measures the rule figures alone (no
// re-solves) on county-shaped datasets of 1× and 3× the demo county's size.
func BenchmarkWhyParcelsRules(b *testing.B) {
	for _, scale := range []int{1, 3} {
		b.Run(fmt.Sprintf("county-%dx", scale), func(b *testing.B) {
			ds := plantest.Dataset(benchSeed, plantest.County(scale))
			sc := planner.Defaults()
			sc.Name = "bench"
			sc.TargetParks = 10 * scale
			sc.EveryTown = false // some random towns have too little quota for any candidate
			sc.TimeLimit = planner.Duration{Duration: 5e9}
			plan, err := (&engine.Engine{}).SolveDataset(context.Background(), ds, &sc, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := explain.WhyParcels(context.Background(), ds, &sc, plan, engine.Parkplan, explain.Options{NoForce: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFrontierTown measures a complete frontier on the frontierTown dataset.
func BenchmarkFrontierTown(b *testing.B) {
	ds, sc := frontierTown(), frontierScenario()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := explain.Frontier(context.Background(), ds, &sc, explain.Firms, explain.NewLandMu, 7, engine.Parkplan, explain.FrontierOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
