package explain_test

import (
	"context"
	"fmt"

	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/explain"
)

// ExampleWhyParcels explains the plan of the hand dataset: the farmland
// parcel, the two quota-blocked ones, the one that is simply worse.
func ExampleWhyParcels() {
	ds, sc := handPlus(), handScenario()
	ctx := context.Background()
	plan, err := (&engine.Engine{}).SolveDataset(ctx, ds, &sc, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := explain.WhyParcels(ctx, ds, &sc, plan, engine.Parkplan, explain.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range rep.Parcels {
		fmt.Printf("%-8s %-10s %s\n", p.ParcelID, p.Verdict, p.Reason)
	}
	for _, b := range rep.Parcels[2].Blocks { // G-small
		fmt.Println(b.Detail)
	}
	fmt.Println(rep.Parcels[5].Detail) // Z-old
	// Output:
	// G-farm   not_chosen protected_land
	// G-new    chosen     optimal
	// G-small  not_chosen quota
	// Z-built  chosen     locked
	// Z-new    not_chosen quota
	// Z-old    not_chosen worse
	// needs 10.0 mu of new-land quota; 观海卫镇 (guanhaiwei) has left, net of this plan: 2019 0.0 of 0.0 mu, 2020 5.0 of 50.0 mu, 2021 0.0 of 0.0 mu, 2022 0.0 of 0.0 mu
	// no rule keeps it out; the plan is better without it; forcing it in costs 0.8 of objective (both plans optimal within the gap target); opens Z-old
}

// ExampleFrontier traces firms housed against new land in a town whose
// firms need new land: the corners of the frontier's convex hull.
func ExampleFrontier() {
	ds, sc := frontierTown(), frontierScenario()
	res, err := explain.Frontier(context.Background(), ds, &sc, explain.Firms, explain.NewLandMu, 7, engine.Parkplan, explain.FrontierOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Points {
		fmt.Printf("%2.0f firms on %2.0f mu of new land, parks %v\n", p.X, p.Y, p.Parks)
	}
	fmt.Println("complete:", res.Complete)
	// Output:
	//  5 firms on  0 mu of new land, parks []
	// 15 firms on 10 mu of new land, parks [A]
	// 27 firms on 30 mu of new land, parks [A B]
	// 40 firms on 60 mu of new land, parks [A B C]
	// complete: true
}
