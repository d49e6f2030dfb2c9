package planner_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// ExampleTownSummary_Years lists the years of a town's quota ledger.
func ExampleTownSummary_Years() {
	t := planner.TownSummary{
		Town:          "zhangqi",
		QuotaMu:       map[int]float64{2020: 50, 2019: 100},
		NewLandUsedMu: map[int]float64{2019: 80},
		OldFactoryMu:  map[int]float64{2021: 30},
	}
	fmt.Println(t.Years())
	// Output: [2019 2020 2021]
}
