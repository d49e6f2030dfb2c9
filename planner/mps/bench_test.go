package mps_test

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/mps"
)

// BenchmarkBuild builds the exact model of the baseline scenario on the
// demo county exactly as `parkplan demo` writes it (seed demo.DefaultSeed)
// at 1× and 3×: every rule's rows and the MPS columns, not the writing.
func BenchmarkBuild(b *testing.B) {
	sc, err := planner.LoadScenarioFile("../../scenarios/baseline.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, scale := range []int{1, 3} {
		ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: scale})
		if err != nil {
			b.Fatal(err)
		}
		inst, err := planner.BuildInstance(ds, *sc)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("demo%dx", scale), func(b *testing.B) {
			b.ReportAllocs()
			var m *mps.Model
			for i := 0; i < b.N; i++ {
				m = mps.Build(inst)
			}
			b.ReportMetric(float64(len(m.Rows)), "rows")
			b.ReportMetric(float64(m.Elements()), "elements")
		})
	}
}
