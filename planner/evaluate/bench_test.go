package evaluate_test

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/evaluate"
)

// BenchmarkEvaluate evaluates the second monitoring year of the demo
// county at scale 1 and 3 (copies of the county; seed demo.DefaultSeed):
// every built park's indicators, rules, rating and its two-year history.
// TestDemoDrift checks the scale-1 result.
func BenchmarkEvaluate(b *testing.B) {
	for _, scale := range []int{1, 3} {
		ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: scale})
		if err != nil {
			b.Fatal(err)
		}
		mon := demo.Monitoring(ds, demo.DefaultSeed)
		in := evaluate.Input{Dataset: ds, Scenario: planner.Defaults(), Monitoring: mon, Rubric: evaluate.DefaultRubric()}
		b.Run(fmt.Sprintf("scale=%d/firm-years=%d", scale, len(mon.Firms)), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				rep, err := evaluate.Evaluate(in, demo.MonitoringYears[1])
				if err != nil || len(rep.Parks) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}
