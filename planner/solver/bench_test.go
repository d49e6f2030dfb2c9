package solver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner/randinst"
)

// BenchmarkSolve solves seeded county-shaped instances at 1×, 3× and 10×
// (randinst.County, seed 1), with the yearly budget rows and without them
// (as in scenarios/baseline.yaml), under a 10 s limit, and reports the gap
// and objective. scripts/bench-solver.sh runs the long version (1…120 s).
func BenchmarkSolve(b *testing.B) {
	for _, scale := range []int{1, 3, 10} {
		for _, budget := range []bool{true, false} {
			size := randinst.County(scale)
			name := fmt.Sprintf("county%dx", scale)
			if !budget {
				size.BudgetShare = 0
				name += "-nobudget"
			}
			inst := randinst.Generate(1, size)
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				var gap, obj float64
				for i := 0; i < b.N; i++ {
					sol, err := Solve(context.Background(), inst, Options{TimeLimit: 10 * time.Second})
					if err != nil {
						b.Fatal(err)
					}
					gap, obj = sol.Info.Gap, sol.Info.Objective
				}
				b.ReportMetric(gap*100, "gap%")
				b.ReportMetric(obj, "objective")
			})
		}
	}
}
