package layers_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/layers"
)

// A plan's town layer has one feature per town and year.
func ExamplePlan() {
	ds := &planner.Dataset{Towns: []planner.Town{{Code: "zhangqi", NameZh: "掌起镇",
		Boundary: orb.MultiPolygon{{{{121.3, 30.2}, {121.4, 30.2}, {121.4, 30.3}, {121.3, 30.2}}}}}}}
	plan := &planner.Plan{Towns: []planner.TownSummary{{Town: "zhangqi",
		QuotaMu: map[int]float64{2019: 60, 2020: 60}, NewLandUsedMu: map[int]float64{2020: 45}}}}
	for _, c := range layers.Plan(ds, plan) {
		if c.Name != layers.Towns {
			continue
		}
		for _, f := range c.Features {
			fmt.Println(f.ID, f.Values[:6])
		}
	}
	// Output:
	// zhangqi-2019 [zhangqi 掌起镇 2019 60 0 60]
	// zhangqi-2020 [zhangqi 掌起镇 2020 60 45 15]
}
