// Package datasettest holds a small, hand-made dataset and a table of bad
// inputs for tests of dataset readers and importers (planner/dataset,
// data). It is test support: nothing in the program uses it.
package datasettest

import (
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
)

// square returns a lon/lat square with its south-west corner at (lon,
// lat) and sides of d degrees, exterior ring counter-clockwise.
func square(lon, lat, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}}
}

// rect returns a lon/lat rectangle [w,e]×[s,n], exterior ring counter-clockwise.
func rect(w, s, e, n float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}}
}

// Small returns a small valid dataset near Cixi: 3 industries, 2 towns,
// 5 parcels (one of each kind, plus one with a hole), 3 protected areas
// of which the farmland and the development boundary overlap parcel P-05
// (new land), 4 enterprises and 4 quotas. Coordinates have at most 8
// decimals so the file writer keeps them exactly.
func Small() *planner.Dataset {
	// area_mu is fixed (geo.AreaMu of each shape when the fixture was
	// made, to 1e-6 mu), so the golden files do not move when geo's area
	// method is refined; the reader checks it against geo.AreaMu to 1 %.
	areaMu := map[string]float64{"P-01": 256.38795, "P-02": 400.604185, "P-03": 144.204625, "P-04": 240.172578, "P-05": 576.40864}
	parcel := func(id, town string, kind planner.ParcelKind, name string, g orb.MultiPolygon, far, cost, floor float64, firms int, spec string, year int) planner.Parcel {
		return planner.Parcel{ID: id, Town: town, Kind: kind, Name: name, AreaMu: areaMu[id], FAR: far, CostWan: cost,
			FloorM2: floor, Firms: firms, Specialty: spec, OpenYear: year, Geometry: g}
	}
	holed := rect(121.3, 30.2, 121.304, 30.204)
	holed[0] = append(holed[0], orb.Ring{{121.301, 30.201}, {121.301, 30.202}, {121.302, 30.202}, {121.302, 30.201}, {121.301, 30.201}})
	return &planner.Dataset{
		Industries: []planner.Industry{
			{Code: "appliance", NameZh: "家电", NameEn: "Household appliances", Related: []string{"hardware"}},
			{Code: "hardware", NameZh: "五金", NameEn: "Hardware", Related: []string{"appliance"}},
			{Code: "textile", NameZh: "针织纺织", NameEn: "Knitting and textiles"},
		},
		Towns: []planner.Town{
			{Code: "zhouxiang", NameZh: "周巷镇", NameEn: "Zhouxiang Zhen", Type: planner.TownTown, Industries: []string{"appliance", "hardware"},
				Seat: orb.Point{121.15, 30.17}, Boundary: rect(121.1, 30.1, 121.25, 30.25), Synthetic: true},
			{Code: "guanhaiwei", NameZh: "观海卫镇", NameEn: "Guanhaiwei Zhen", Type: planner.TownTown, Industries: []string{"textile"},
				Seat: orb.Point{121.31, 30.18}, Boundary: rect(121.25, 30.1, 121.4, 30.25), Synthetic: true},
		},
		Parcels: []planner.Parcel{
			parcel("P-01", "zhouxiang", planner.KindExisting, "周巷小微园", square(121.12, 30.12, 0.004), 1.2, 0, 98000, 70, "appliance", 2016),
			parcel("P-02", "zhouxiang", planner.KindUnderConstruction, "", square(121.14, 30.12, 0.005), 2.2, 1200, 220000, 100, "hardware", 2019),
			parcel("P-03", "guanhaiwei", planner.KindOldFactory, "旧厂房改造 \"A\"", square(121.27, 30.13, 0.003), 1.8, 850.5, 0, 0, "", 0),
			parcel("P-04", "guanhaiwei", planner.KindOldFactory, "", holed, 1.5, 600, 0, 0, "", 0),
			parcel("P-05", "zhouxiang", planner.KindNewLand, "new land east", square(121.2, 30.2, 0.006), 2.0, 3000, 0, 0, "", 0),
		},
		Protected: []planner.ProtectedArea{
			{ID: "DB-1", Kind: planner.ProtectedDevBoundary, Name: "城镇开发边界", Geometry: rect(121.1, 30.1, 121.203, 30.25)},
			{ID: "DB-2", Kind: planner.ProtectedDevBoundary, Name: "城镇开发边界", Geometry: rect(121.25, 30.1, 121.4, 30.25)},
			{ID: "FL-1", Kind: planner.ProtectedFarmland, Name: "永久基本农田", Geometry: rect(121.204, 30.19, 121.22, 30.203)},
		},
		Enterprises: []planner.Enterprise{
			{ID: "E-0001", Town: "zhouxiang", Industry: "appliance", Size: planner.SizeMicro, FloorM2: 800, OutputPerMu: 320.5, TaxPerMu: 18.25,
				Pollution: planner.PollutionLight, SafetyOK: true, Location: orb.Point{121.16, 30.15}},
			{ID: "E-0002", Town: "zhouxiang", Industry: "hardware", Size: planner.SizeSmall, FloorM2: 2500, OutputPerMu: 410, TaxPerMu: 22,
				Pollution: planner.PollutionModerate, LowScattered: true, SafetyOK: true, Location: orb.Point{121.17, 30.16}},
			{ID: "E-0003", Town: "guanhaiwei", Industry: "textile", Size: planner.SizeMedium, FloorM2: 6000, OutputPerMu: 280, TaxPerMu: 15.5,
				Pollution: planner.PollutionHeavy, SafetyOK: false, Location: orb.Point{121.33, 30.19}},
			{ID: "E-0004", Town: "guanhaiwei", Industry: "textile", Size: planner.SizeLarge, FloorM2: 12000, OutputPerMu: 500, TaxPerMu: 40,
				Pollution: planner.PollutionLight, SafetyOK: true, Location: orb.Point{121.35, 30.2}},
		},
		Quotas: []planner.Quota{
			{Town: "guanhaiwei", Year: 2019, NewLandMu: 0},
			{Town: "guanhaiwei", Year: 2020, NewLandMu: 30},
			{Town: "zhouxiang", Year: 2019, NewLandMu: 50},
			{Town: "zhouxiang", Year: 2020, NewLandMu: 45.5},
		},
	}
}
