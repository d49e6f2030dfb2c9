package planner

import "time"

// Defaults returns the seed's rules (scenarios/baseline.yaml): years
// 2019–2022, at least 20 parks by 2020, a park in every town, at most 6 new
// parks on newly approved land, 70 % specialty (firms and floor) and 70 %
// small/micro shares, 80 % of area × FAR usable, 0.01 mu protected-land
// tolerance, relocation within 15 km of the firm's town seat, a 10 s solve
// with a 1e-4 gap target.
func Defaults() Scenario {
	return Scenario{
		Name:                 "baseline",
		FirstYear:            2019,
		LastYear:             2022,
		TargetParks:          20,
		TargetYear:           2020,
		EveryTown:            true,
		MaxNewLandParks:      6,
		SpecialtyShareFirms:  0.7,
		SpecialtyShareFloor:  0.7,
		SmallMicroShare:      0.7,
		UsableShare:          0.8,
		ProtectedToleranceMu: 0.01,
		MaxRelocationKm:      15,
		QuotaScale:           1,
		Weights:              DefaultWeights(),
		TimeLimit:            Duration{10 * time.Second},
		GapTarget:            1e-4,
	}
}

// DefaultWeights are the objective weights of the baseline: housing firms
// and floor space dominates; output per mu breaks ties between firms; land,
// distance and cost are charged lightly so that, among plans housing the
// same firms, the one using less new land, shorter moves and less money wins.
//
//	floor_m2    0.01  per m² housed      (a 1,500 m² firm: 15)
//	firms       5     per firm housed
//	output      0.01  per 10,000 yuan/yr (a firm of 500: 5)
//	land_mu     0.05  per mu of new land (a 60 mu park: 3)
//	distance_km 0.2   per firm-km moved  (10 km: 2)
//	cost        0.001 per 10,000 yuan    (a 3,000 park: 3)
func DefaultWeights() Weights {
	return Weights{FloorM2: 0.01, Firms: 5, Output: 0.01, LandMu: 0.05, DistanceKm: 0.2, Cost: 0.001}
}
