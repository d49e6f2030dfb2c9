// Package plantest makes small seeded random Datasets for tests of the
// model pipeline (BuildInstance → solver → DecodePlan → rules.Check): a few
// towns on a grid near Cixi, built parks and candidates, quotas,
// industries and firms, some barred, low/scattered or unsafe, some
// candidates on protected land. The same seed and size give the same Dataset.
package plantest

import (
	"fmt"
	"math/rand"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// Size shapes a Dataset.
type Size struct {
	Towns          int
	CandidatesTown int // candidate parcels per town
	BuiltEvery     int // every n-th town has a built park (0: none)
	Industries     int
	FirmsPerTown   int
	TownSpacingDeg float64 // distance between neighbouring town seats, degrees (~0.05° ≈ 5 km)
	ParcelMuMin    float64
	ParcelMuMax    float64
	QuotaMuPerYear float64 // mean quota per town and year
	FirmFloorM2Max float64
	ProtectedShare float64 // share of candidates overlapping farmland
}

// Tiny is small enough for the brute-force enumerator after grouping.
func Tiny() Size {
	return Size{Towns: 2, CandidatesTown: 2, BuiltEvery: 2, Industries: 3, FirmsPerTown: 4, TownSpacingDeg: 0.05,
		ParcelMuMin: 1, ParcelMuMax: 4, QuotaMuPerYear: 4, FirmFloorM2Max: 900, ProtectedShare: 0.2}
}

// Small is a few towns and a few dozen firms: CBC proves it in seconds.
func Small() Size {
	return Size{Towns: 3, CandidatesTown: 3, BuiltEvery: 2, Industries: 4, FirmsPerTown: 10, TownSpacingDeg: 0.05,
		ParcelMuMin: 2, ParcelMuMax: 8, QuotaMuPerYear: 8, FirmFloorM2Max: 1200, ProtectedShare: 0.15}
}

// Dataset returns a random dataset of the given size.
func Dataset(seed int64, sz Size) *planner.Dataset {
	rng := rand.New(rand.NewSource(seed))
	ds := &planner.Dataset{Overlaps: map[string]planner.Overlap{}}
	for i := 0; i < sz.Industries; i++ {
		ind := planner.Industry{Code: fmt.Sprintf("ind%02d", i), NameZh: fmt.Sprintf("产业%d", i), NameEn: fmt.Sprintf("Industry %d", i)}
		if i > 0 && rng.Intn(2) == 0 {
			ind.Related = append(ind.Related, fmt.Sprintf("ind%02d", i-1))
		}
		if i+1 < sz.Industries && rng.Intn(2) == 0 {
			ind.Related = append(ind.Related, fmt.Sprintf("ind%02d", i+1))
		}
		ds.Industries = append(ds.Industries, ind)
	}
	kinds := []planner.ParcelKind{planner.KindNewLand, planner.KindOldFactory}
	for ti := 0; ti < sz.Towns; ti++ {
		code := fmt.Sprintf("town%02d", ti)
		seat := orb.Point{121.2 + float64(ti%3)*sz.TownSpacingDeg, 30.2 + float64(ti/3)*sz.TownSpacingDeg}
		half := sz.TownSpacingDeg / 2
		town := planner.Town{Code: code, NameZh: fmt.Sprintf("镇%d", ti), NameEn: fmt.Sprintf("Town %d", ti), Type: "town", Seat: seat,
			Boundary: orb.MultiPolygon{square(seat, half)}}
		main := rng.Intn(sz.Industries)
		town.Industries = []string{ds.Industries[main].Code}
		if other := rng.Intn(sz.Industries); other != main && rng.Intn(2) == 0 {
			town.Industries = append(town.Industries, ds.Industries[other].Code)
		}
		ds.Towns = append(ds.Towns, town)
		n := sz.CandidatesTown
		for pi := 0; pi < n+1; pi++ {
			kind := kinds[rng.Intn(2)]
			if pi == n {
				if sz.BuiltEvery == 0 || ti%sz.BuiltEvery != 0 {
					continue
				}
				kind = planner.KindExisting
				if rng.Intn(2) == 0 {
					kind = planner.KindUnderConstruction
				}
			}
			mu := sz.ParcelMuMin + rng.Float64()*(sz.ParcelMuMax-sz.ParcelMuMin)
			side := sqrtDeg(mu)
			c := orb.Point{seat[0] + (rng.Float64()-0.5)*half, seat[1] + (rng.Float64()-0.5)*half}
			geom := orb.MultiPolygon{square(c, side/2)}
			p := planner.Parcel{ID: fmt.Sprintf("P%02d-%d", ti, pi), Town: code, Kind: kind, AreaMu: round2(geo.AreaMu(geom)),
				FAR: round2(1 + rng.Float64()*1.5), CostWan: float64(50 + rng.Intn(200)), Geometry: geom}
			switch kind {
			case planner.KindExisting:
				p.OpenYear = 2016
				p.Specialty = town.Industries[0]
				p.FloorM2 = round2(p.AreaMu * planner.MuM2 * p.FAR * 0.3)
				p.Firms = 3
				p.CostWan = 0
			case planner.KindUnderConstruction:
				p.OpenYear = 2020
				p.Specialty = town.Industries[0]
			}
			if kind != planner.KindExisting && kind != planner.KindUnderConstruction && rng.Float64() < sz.ProtectedShare {
				ds.Overlaps[p.ID] = planner.Overlap{ParcelID: p.ID, FarmlandMu: round2(0.1 + rng.Float64())}
			}
			ds.Parcels = append(ds.Parcels, p)
		}
		for y := 2019; y <= 2022; y++ {
			ds.Quotas = append(ds.Quotas, planner.Quota{Town: code, Year: y, NewLandMu: round2(rng.Float64() * 2 * sz.QuotaMuPerYear)})
		}
		for fi := 0; fi < sz.FirmsPerTown; fi++ {
			ind := town.Industries[rng.Intn(len(town.Industries))]
			if rng.Intn(4) == 0 {
				ind = ds.Industries[rng.Intn(sz.Industries)].Code
			}
			size := planner.SizeMicro
			switch r := rng.Intn(10); {
			case r < 3:
				size = planner.SizeSmall
			case r < 5:
				size = planner.SizeMedium
			}
			pol := planner.PollutionLight
			if rng.Intn(12) == 0 {
				pol = planner.PollutionHeavy
			}
			// Few distinct floor sizes, so that firms group.
			floor := sz.FirmFloorM2Max * float64(1+rng.Intn(3)) / 3
			ds.Enterprises = append(ds.Enterprises, planner.Enterprise{
				ID: fmt.Sprintf("E%02d-%03d", ti, fi), Town: code, Industry: ind, Size: size, FloorM2: round2(floor),
				OutputPerMu: float64(100 * (1 + rng.Intn(3))), TaxPerMu: 10, Pollution: pol,
				LowScattered: rng.Intn(10) == 0, SafetyOK: rng.Intn(15) != 0,
				Location: orb.Point{seat[0] + (rng.Float64()-0.5)*half, seat[1] + (rng.Float64()-0.5)*half},
			})
		}
	}
	return ds
}

func square(c orb.Point, half float64) orb.Polygon {
	return orb.Polygon{{{c[0] - half, c[1] - half}, {c[0] + half, c[1] - half}, {c[0] + half, c[1] + half}, {c[0] - half, c[1] + half}, {c[0] - half, c[1] - half}}}
}

// sqrtDeg is the side in degrees of a square of mu mu near 30°N (approximate; the area is then measured).
func sqrtDeg(mu float64) float64 {
	m := mu * planner.MuM2
	side := 1.0
	for i := 0; i < 30; i++ { // Newton on side² = m
		side = (side + m/side) / 2
	}
	return side / 100000 // ~1e5 m per degree, close enough for test shapes
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

// County is shaped like the demo county times scale: 19·scale towns, four
// candidates and a built park every other town, ~160 firms per town.
func County(scale int) Size {
	return Size{Towns: 19 * scale, CandidatesTown: 4, BuiltEvery: 2, Industries: 12, FirmsPerTown: 160, TownSpacingDeg: 0.05,
		ParcelMuMin: 30, ParcelMuMax: 300, QuotaMuPerYear: 80, FirmFloorM2Max: 3000, ProtectedShare: 0.1}
}
