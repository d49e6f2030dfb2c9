package plantest

import (
	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// squareDeg is a lon/lat square of side d degrees with its south-west corner at (x, y).
func squareDeg(x, y, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}}
}

// Hand is a hand-made dataset whose every figure a test can reason about:
// two towns 0.1° (~9.6 km) apart. Zhouxiang (周巷镇, textiles) has a built
// park (60 mu, FAR 1.5, 30,000 m² built), a 65 mu new-land candidate and a
// 40 mu old-factory candidate, and 20 mu of quota in 2019 and in 2020.
// Guanhaiwei (观海卫镇, appliances and plastics) has a 50 mu new-land
// candidate overlapping 3.2 mu of basic farmland and a clear 45 mu one, and
// 50 mu of quota in 2020. Seven firms: three textile/garment firms of
// Zhouxiang, a medium appliance firm of Guanhaiwei, and three that may not
// enter (heavy polluter, low/scattered, failed safety).
func Hand() *planner.Dataset {
	firm := func(id, town, ind string, size planner.SizeClass, floor float64) planner.Enterprise {
		return planner.Enterprise{ID: id, Town: town, Industry: ind, Size: size, FloorM2: floor, OutputPerMu: 300,
			Pollution: planner.PollutionLight, SafetyOK: true, Location: orb.Point{121.15, 30.19}}
	}
	heavy := firm("E5", "guanhaiwei", "plastics", planner.SizeMicro, 800)
	heavy.Pollution = planner.PollutionHeavy
	low := firm("E6", "guanhaiwei", "plastics", planner.SizeMicro, 800)
	low.LowScattered = true
	unsafe := firm("E7", "zhouxiang", "textile", planner.SizeMicro, 800)
	unsafe.SafetyOK = false
	return &planner.Dataset{
		Towns: []planner.Town{
			{Code: "zhouxiang", NameZh: "周巷镇", Industries: []string{"textile"}, Seat: orb.Point{121.15, 30.20}, Boundary: squareDeg(121.1, 30.15, 0.1)},
			{Code: "guanhaiwei", NameZh: "观海卫镇", Industries: []string{"appliance", "plastics"}, Seat: orb.Point{121.25, 30.20}, Boundary: squareDeg(121.2, 30.15, 0.1)},
		},
		Industries: []planner.Industry{
			{Code: "textile", Related: []string{"garment"}},
			{Code: "garment", Related: []string{"textile"}},
			{Code: "appliance", Related: []string{"plastics"}},
			{Code: "plastics", Related: []string{"appliance"}},
		},
		Parcels: []planner.Parcel{
			{ID: "Z-built", Town: "zhouxiang", Kind: planner.KindExisting, AreaMu: 60, FAR: 1.5, FloorM2: 30000, Firms: 20, Specialty: "textile", OpenYear: 2016, Geometry: squareDeg(121.15, 30.20, 0.004)},
			{ID: "Z-new", Town: "zhouxiang", Kind: planner.KindNewLand, AreaMu: 65, FAR: 2, CostWan: 3000, Geometry: squareDeg(121.16, 30.20, 0.004)},
			{ID: "Z-old", Town: "zhouxiang", Kind: planner.KindOldFactory, AreaMu: 40, FAR: 1.2, CostWan: 800, Geometry: squareDeg(121.14, 30.21, 0.004)},
			{ID: "G-farm", Town: "guanhaiwei", Kind: planner.KindNewLand, AreaMu: 50, FAR: 2, CostWan: 2000, Geometry: squareDeg(121.25, 30.21, 0.004)},
			{ID: "G-new", Town: "guanhaiwei", Kind: planner.KindNewLand, AreaMu: 45, FAR: 2, CostWan: 2500, Geometry: squareDeg(121.25, 30.19, 0.004)},
		},
		Quotas: []planner.Quota{{Town: "zhouxiang", Year: 2019, NewLandMu: 20}, {Town: "zhouxiang", Year: 2020, NewLandMu: 20}, {Town: "guanhaiwei", Year: 2020, NewLandMu: 50}},
		Enterprises: []planner.Enterprise{
			firm("E1", "zhouxiang", "textile", planner.SizeMicro, 1000),
			firm("E2", "zhouxiang", "textile", planner.SizeMicro, 1000),
			firm("E3", "zhouxiang", "garment", planner.SizeSmall, 1500),
			firm("E4", "guanhaiwei", "appliance", planner.SizeMedium, 5000),
			heavy, low, unsafe,
		},
		Overlaps: map[string]planner.Overlap{"G-farm": {ParcelID: "G-farm", FarmlandMu: 3.2}},
	}
}
