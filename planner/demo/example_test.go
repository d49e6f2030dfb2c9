package demo_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner/demo"
)

func ExampleGenerate() {
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		panic(err)
	}
	s := demo.Summarize(ds)
	fmt.Printf("%d towns; %d existing parks, %.0f mu, %.0f m², %d firms\n",
		len(ds.Towns), s.Existing.Parks, s.Existing.AreaMu, s.Existing.FloorM2, s.Existing.Firms)
	fmt.Printf("%d under construction, %.0f mu, %.0f m², %d firms to enter\n",
		s.UnderConstruction.Parks, s.UnderConstruction.AreaMu, s.UnderConstruction.FloorM2, s.UnderConstruction.Firms)
	fmt.Printf("%d candidates (%d new land, %d old factory)\n", s.Candidates, s.NewLand, s.OldFactory)
	// Output:
	// 19 towns; 11 existing parks, 1700 mu, 980000 m², 700 firms
	// 4 under construction, 600 mu, 880000 m², 400 firms to enter
	// 80 candidates (45 new land, 35 old factory)
}
