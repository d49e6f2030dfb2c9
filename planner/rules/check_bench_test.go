package rules_test

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// benchSeed names the dataset the benchmark checks plans on.
const benchSeed = 42

// BenchmarkCheck checks a plan that opens every site and fills it greedily
// (validity does not matter for speed) on county-shaped datasets.
func BenchmarkCheck(b *testing.B) {
	for _, scale := range []int{1, 3} {
		ds := plantest.Dataset(benchSeed, plantest.County(scale))
		sc := planner.Defaults()
		inst, err := planner.BuildInstance(ds, sc)
		if err != nil {
			b.Fatal(err)
		}
		sol := &planner.Solution{Year: make([]int, len(inst.Sites)), Specialty: make([]int, len(inst.Sites)), Count: make([]int, len(inst.Arcs))}
		for s, site := range inst.Sites {
			sol.Year[s] = site.LockedYear
		}
		left := make([]int, len(inst.Groups))
		for g, grp := range inst.Groups {
			left[g] = grp.Count
		}
		room := make([]float64, len(inst.Sites))
		for s, site := range inst.Sites {
			room[s] = site.CapacityM2
		}
		for a, arc := range inst.Arcs {
			g := inst.Groups[arc.Group]
			for left[arc.Group] > 0 && room[arc.Site] >= g.FloorM2 {
				sol.Count[a]++
				left[arc.Group]--
				room[arc.Site] -= g.FloorM2
			}
		}
		plan, err := planner.DecodePlan(ds, inst, sol)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("county%dx", scale), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = rules.Check(ds, sc, plan)
			}
			b.ReportMetric(float64(len(plan.Assignments)), "assignments")
		})
	}
}
