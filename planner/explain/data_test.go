package explain_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
)

// handScenario is the seed's rules on plantest.Hand with a target of 2 parks.
func handScenario() planner.Scenario {
	sc := planner.Defaults()
	sc.Name = "hand"
	sc.TargetParks = 2
	return sc
}

// handPlus is plantest.Hand with G-small, a 10 mu new-land candidate in
// Guanhaiwei costing 6,000 (10,000 yuan): the plan opens G-new (45 mu of
// the town's 50 mu 2020 quota) for every_town, which leaves 5 mu — too
// little for G-small, and G-small costs more than G-new saves in land.
func handPlus() *planner.Dataset {
	ds := plantest.Hand()
	ds.Parcels = append(ds.Parcels, planner.Parcel{ID: "G-small", Town: "guanhaiwei", Kind: planner.KindNewLand,
		AreaMu: 10, FAR: 2, CostWan: 6000, Geometry: square(121.26, 30.20, 0.002)})
	return ds
}

func square(x, y, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}}
}

// frontierTown is one town whose firms need new land: a built park with
// room for 5 firms of 1,000 m², candidates A (10 mu, room for 10 firms),
// B (20 mu, 12) and C (30 mu, 16), ample quota, 40 micro textile firms.
// Firms housed against new land (mu) can be: 5 at 0, 15 at 10 (A), 17 at
// 20 (B), 21 at 30 (C), 27 at 30 (A+B), 31 at 40 (A+C), 33 at 50 (B+C),
// 40 at 60 (all). The frontier is (5,0) (15,10) (27,30) (31,40) (40,60);
// its convex hull's corners — the points weighted sums can find — are all
// but (31,40), which lies in a dent (slope 0.4 firm/mu, then 0.45).
func frontierTown() *planner.Dataset {
	ds := &planner.Dataset{
		Towns: []planner.Town{{Code: "zhouxiang", NameZh: "周巷镇", Industries: []string{"textile"},
			Seat: orb.Point{121.15, 30.20}, Boundary: square(121.1, 30.15, 0.1)}},
		Industries: []planner.Industry{{Code: "textile"}},
		Quotas: []planner.Quota{{Town: "zhouxiang", Year: 2019, NewLandMu: 100}, {Town: "zhouxiang", Year: 2020, NewLandMu: 100},
			{Town: "zhouxiang", Year: 2021, NewLandMu: 100}, {Town: "zhouxiang", Year: 2022, NewLandMu: 100}},
		Overlaps: map[string]planner.Overlap{},
	}
	// Capacity = mu × 666.67 × FAR × 0.8 (usable share).
	ds.Parcels = []planner.Parcel{
		{ID: "A", Town: "zhouxiang", Kind: planner.KindNewLand, AreaMu: 10, FAR: 10.5 / (10 * planner.MuM2 * 0.8 / 1000), CostWan: 100, Geometry: square(121.16, 30.20, 0.001)},
		{ID: "B", Town: "zhouxiang", Kind: planner.KindNewLand, AreaMu: 20, FAR: 12.5 / (20 * planner.MuM2 * 0.8 / 1000), CostWan: 100, Geometry: square(121.15, 30.21, 0.001)},
		{ID: "C", Town: "zhouxiang", Kind: planner.KindNewLand, AreaMu: 30, FAR: 16.5 / (30 * planner.MuM2 * 0.8 / 1000), CostWan: 100, Geometry: square(121.14, 30.20, 0.001)},
		{ID: "built", Town: "zhouxiang", Kind: planner.KindExisting, AreaMu: 60, FAR: 1.5, FloorM2: 60*planner.MuM2*1.5*0.8 - 5500,
			Firms: 20, Specialty: "textile", OpenYear: 2016, Geometry: square(121.15, 30.19, 0.003)},
	}
	for i := 0; i < 40; i++ {
		ds.Enterprises = append(ds.Enterprises, planner.Enterprise{ID: fmt.Sprintf("E%02d", i), Town: "zhouxiang", Industry: "textile",
			Size: planner.SizeMicro, FloorM2: 1000, OutputPerMu: 100, Pollution: planner.PollutionLight, SafetyOK: true,
			Location: orb.Point{121.15, 30.20}})
	}
	return ds
}

// frontierScenario: one park by 2020 (the built one), no new-land cap.
func frontierScenario() planner.Scenario {
	sc := planner.Defaults()
	sc.Name = "frontier-town"
	sc.TargetParks = 1
	sc.MaxNewLandParks = -1
	return sc
}
