// Package randinst makes seeded random planner Instances shaped like the
// model (docs/model.md): towns with block industries, parks already built
// or under construction (locked), candidate parcels on new land and on old
// factory land, yearly new-land quotas and budgets, industries with related
// industries, and groups of identical firms with the parks they may move to.
//
// Small sizes serve brute-force and CBC cross-checks; County(scale) is
// shaped like the demo county (19 towns, ~95 sites, ~300 groups at scale 1)
// for benchmarks. The same seed and size always give the same Instance.
package randinst

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// Size sets the shape of a generated Instance.
type Size struct {
	Name            string
	Towns           int     // towns (镇/街道)
	SitesPerTown    int     // candidate parcels per town (± 1 at random)
	LockedPerTown   float64 // expected locked parks (existing / under construction) per town
	Years           int     // planning years from 2019
	Industries      int     // industries in the county
	MaxSpecialties  int     // block industries per town (a site's specialty choices)
	GroupsPerTown   int     // firm groups registered in each town
	MaxGroupCount   int     // firms in one group: 1…MaxGroupCount
	NeighbourKm     float64 // firms may move to parks within this distance of their town seat
	AreaMuMin       float64 // candidate parcel area range, mu
	AreaMuMax       float64
	NewLandShare    float64 // share of candidates on new land (the rest old factory land)
	NewLandCap      int     // Scenario.MaxNewLandParks; −1 for none
	CapacityFactor  float64 // multiplies every site's capacity (tightness of floor space)
	BudgetShare     float64 // yearly budget as a share of all candidates' cost spread over the years; 0 = uncapped
	TargetShare     float64 // target parks = locked + this share of the candidates
	QuotaCarryOver  bool
	SpecialtyShares float64 // α = β (0.7 in the seed)
	SmallMicroShare float64 // γ (0.7 in the seed)
}

// Tiny is small enough for a brute-force enumerator: 2 towns, 2 sites per
// town, 2 years, ≤ 2 specialties, 3 groups per town of ≤ 3 firms.
func Tiny() Size {
	return Size{
		Name: "tiny", Towns: 2, SitesPerTown: 2, LockedPerTown: 0.3, Years: 2, Industries: 3,
		MaxSpecialties: 2, GroupsPerTown: 3, MaxGroupCount: 3, NeighbourKm: 6,
		AreaMuMin: 1, AreaMuMax: 4, NewLandShare: 0.5, NewLandCap: 1, CapacityFactor: 1,
		BudgetShare: 0.6, TargetShare: 0.4, SpecialtyShares: 0.6, SmallMicroShare: 0.6,
	}
}

// Small is a few towns, for CBC cross-checks and solver unit tests.
func Small() Size {
	return Size{
		Name: "small", Towns: 3, SitesPerTown: 3, LockedPerTown: 0.4, Years: 3, Industries: 4,
		MaxSpecialties: 2, GroupsPerTown: 5, MaxGroupCount: 6, NeighbourKm: 7,
		AreaMuMin: 2, AreaMuMax: 10, NewLandShare: 0.4, NewLandCap: 2, CapacityFactor: 1,
		BudgetShare: 0.6, TargetShare: 0.4, SpecialtyShares: 0.7, SmallMicroShare: 0.7,
	}
}

// County is shaped like the demo county times scale: 19·scale towns, about
// 5 sites (≈ 0.8 locked) and 16 firm groups (≈ 160 firms) per town, four
// years 2019–2022, up to 3 specialties per site, at most 6·scale parks on
// new land, seed shares of 70 %.
func County(scale int) Size {
	if scale < 1 {
		panic(fmt.Sprintf("randinst: County scale %d < 1", scale))
	}
	cap := 6 * scale
	return Size{
		Name: fmt.Sprintf("county%dx", scale), Towns: 19 * scale, SitesPerTown: 4, LockedPerTown: 0.8,
		Years: 4, Industries: 12, MaxSpecialties: 3, GroupsPerTown: 16, MaxGroupCount: 20,
		NeighbourKm: 8, AreaMuMin: 30, AreaMuMax: 300, NewLandShare: 0.35, NewLandCap: cap,
		CapacityFactor: 0.5, BudgetShare: 0.5, TargetShare: 0.15, SpecialtyShares: 0.7, SmallMicroShare: 0.7,
	}
}

// Objective weights used by every generated Instance (see planner.Weights).
var weights = planner.Weights{FloorM2: 0.001, Firms: 1, Output: 0.002, LandMu: 0.3, DistanceKm: 0.05, Cost: 0.01}

// Generate returns a random Instance of the given size. It panics if size
// has non-positive counts (a programmer error).
func Generate(seed int64, size Size) *planner.Instance {
	if size.Towns < 1 || size.Years < 1 || size.Industries < 1 || size.MaxSpecialties < 1 || size.MaxGroupCount < 1 {
		panic(fmt.Sprintf("randinst: bad size %+v", size))
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_9a7c_0c1e_2019))
	g := &gen{rng: rng, size: size}
	return g.instance()
}

type gen struct {
	rng  *rand.Rand
	size Size
}

func (g *gen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.rng.Float64() }

func (g *gen) instance() *planner.Instance {
	sz := g.size
	inst := &planner.Instance{}
	sc := planner.Scenario{
		Name:                "random",
		FirstYear:           2019,
		LastYear:            2019 + sz.Years - 1,
		EveryTown:           true,
		MaxNewLandParks:     sz.NewLandCap,
		SpecialtyShareFirms: sz.SpecialtyShares,
		SpecialtyShareFloor: sz.SpecialtyShares,
		SmallMicroShare:     sz.SmallMicroShare,
		UsableShare:         0.7,
		QuotaScale:          1,
		QuotaCarryOver:      sz.QuotaCarryOver,
		MaxRelocationKm:     sz.NeighbourKm,
		Weights:             weights,
		GapTarget:           1e-4,
	}
	for y := 0; y < sz.Years; y++ {
		inst.Years = append(inst.Years, sc.FirstYear+y)
	}
	inst.TargetT = min(1, sz.Years-1)
	sc.TargetYear = inst.Years[inst.TargetT]

	// Industries: each related to itself and to one or two others (symmetric).
	ni := sz.Industries
	for i := 0; i < ni; i++ {
		inst.Industries = append(inst.Industries, fmt.Sprintf("ind%02d", i))
	}
	inst.Related = make([][]bool, ni)
	for i := range inst.Related {
		inst.Related[i] = make([]bool, ni)
		inst.Related[i][i] = true
	}
	for i := 0; i < ni; i++ {
		if ni > 1 && g.rng.Float64() < 0.6 {
			j := g.rng.IntN(ni)
			inst.Related[i][j], inst.Related[j][i] = true, true
		}
	}

	// Towns on a jittered grid about 6 km apart, each with block industries.
	type town struct {
		seat orb.Point // km
		inds []int
	}
	towns := make([]town, sz.Towns)
	cols := int(math.Ceil(math.Sqrt(float64(sz.Towns))))
	for i := range towns {
		inst.Towns = append(inst.Towns, fmt.Sprintf("town%03d", i))
		towns[i].seat = orb.Point{6*float64(i%cols) + g.uniform(-1.5, 1.5), 6*float64(i/cols) + g.uniform(-1.5, 1.5)}
		k := 1 + g.rng.IntN(min(sz.MaxSpecialties, ni))
		towns[i].inds = g.rng.Perm(ni)[:k]
	}

	// Sites: locked parks first drawn per town, then candidates.
	for ti := range towns {
		nLocked := 0
		for f := sz.LockedPerTown; f > 0; f-- {
			if g.rng.Float64() < f {
				nLocked++
			}
		}
		nCand := sz.SitesPerTown
		if sz.SitesPerTown > 1 {
			nCand += g.rng.IntN(3) - 1
		}
		for j := 0; j < nLocked+nCand; j++ {
			locked := j < nLocked
			at := orb.Point{towns[ti].seat[0] + g.uniform(-2, 2), towns[ti].seat[1] + g.uniform(-2, 2)}
			area := math.Round(math.Exp(g.uniform(math.Log(sz.AreaMuMin), math.Log(sz.AreaMuMax)))*10) / 10
			far := math.Round(g.uniform(1.2, 3.0)*10) / 10
			s := planner.Site{
				ParcelID: fmt.Sprintf("P%03d-%02d", ti, j),
				Town:     ti,
				AreaMu:   area,
				Centroid: orb.Point{121.0 + at[0]/100, 30.0 + at[1]/111},
			}
			s.CapacityM2 = math.Round(area * planner.MuM2 * far * sc.UsableShare * sz.CapacityFactor)
			switch {
			case locked:
				s.Kind = planner.KindExisting
				if g.rng.Float64() < 0.3 {
					s.Kind = planner.KindUnderConstruction
				}
				s.Locked = true
				if s.Kind == planner.KindUnderConstruction {
					s.LockedYear = g.rng.IntN(min(2, sz.Years))
				}
				s.CapacityM2 = math.Round(s.CapacityM2 * g.uniform(0.2, 0.6)) // floor already taken
				s.Specialties = []int{towns[ti].inds[0]}
			default:
				s.Kind = planner.KindOldFactory
				s.CostWan = math.Round(area * g.uniform(3, 8))
				if g.rng.Float64() < sz.NewLandShare {
					s.Kind = planner.KindNewLand
					s.CostWan = math.Round(area * g.uniform(6, 12))
				}
				s.Specialties = append([]int(nil), towns[ti].inds...)
				sort.Ints(s.Specialties)
				s.FixedValue = -weights.Cost * s.CostWan
				if s.Kind == planner.KindNewLand {
					s.FixedValue -= weights.LandMu * area
				}
			}
			inst.Sites = append(inst.Sites, s)
		}
	}

	// Groups: mostly in the town's block industries or related ones, 80 % small/micro.
	firm := 0
	for ti := range towns {
		for j := 0; j < sz.GroupsPerTown; j++ {
			var ind int
			switch r := g.rng.Float64(); {
			case r < 0.6:
				ind = towns[ti].inds[g.rng.IntN(len(towns[ti].inds))]
			default:
				ind = g.rng.IntN(ni)
			}
			sm := g.rng.Float64() < 0.8
			floor := math.Round(math.Exp(g.uniform(math.Log(300), math.Log(2500))))
			if !sm {
				floor = math.Round(floor * g.uniform(2, 4))
			}
			perMu := g.uniform(100, 800) // output per mu of land, 10,000 yuan
			output := math.Round(perMu*floor/planner.MuM2/1.5*10) / 10
			count := 1 + g.rng.IntN(sz.MaxGroupCount)
			gr := planner.Group{Town: ti, Industry: ind, SmallMicro: sm, FloorM2: floor, OutputWan: output, Count: count}
			for m := 0; m < count; m++ {
				gr.Members = append(gr.Members, fmt.Sprintf("E%06d", firm))
				firm++
			}
			inst.Groups = append(inst.Groups, gr)
		}
	}

	// Arcs: a group may move to any site within NeighbourKm of its town seat
	// (its own town's sites always), distance from seat to site.
	siteAt := make([]orb.Point, len(inst.Sites))
	for i, s := range inst.Sites {
		siteAt[i] = orb.Point{(s.Centroid[0] - 121.0) * 100, (s.Centroid[1] - 30.0) * 111}
	}
	for si, s := range inst.Sites {
		for gi, gr := range inst.Groups {
			seat := towns[gr.Town].seat
			d := math.Hypot(siteAt[si][0]-seat[0], siteAt[si][1]-seat[1])
			if gr.Town != s.Town && d > sz.NeighbourKm {
				continue
			}
			d = math.Round(d*100) / 100
			v := weights.FloorM2*gr.FloorM2 + weights.Firms + weights.Output*gr.OutputWan - weights.DistanceKm*d
			inst.Arcs = append(inst.Arcs, planner.Arc{Group: gi, Site: si, DistanceKm: d, Value: v})
		}
	}

	// Quotas: per town and year, zero in some years, enough for one or two
	// typical parcels in others.
	inst.QuotaMu = make([][]float64, sz.Towns)
	for ti := range inst.QuotaMu {
		inst.QuotaMu[ti] = make([]float64, sz.Years)
		for t := range inst.QuotaMu[ti] {
			if g.rng.Float64() < 0.35 {
				continue
			}
			inst.QuotaMu[ti][t] = math.Round(g.uniform(0.5, 2.0) * math.Sqrt(sz.AreaMuMin*sz.AreaMuMax))
		}
	}

	// Budget: a share of all candidates' cost spread evenly over the years.
	inst.BudgetWan = make([]float64, sz.Years)
	total, locked, cands := 0.0, 0, 0
	for _, s := range inst.Sites {
		total += s.CostWan
		if s.Locked {
			if s.LockedYear <= inst.TargetT {
				locked++
			}
		} else {
			cands++
		}
	}
	for t := range inst.BudgetWan {
		if sz.BudgetShare <= 0 {
			inst.BudgetWan[t] = math.Inf(1)
			continue
		}
		inst.BudgetWan[t] = math.Round(total * sz.BudgetShare / float64(sz.Years))
	}
	sc.TargetParks = locked + int(math.Round(sz.TargetShare*float64(cands)))
	sc.Budget = map[int]float64{}
	for t, y := range inst.Years {
		if !math.IsInf(inst.BudgetWan[t], 1) {
			sc.Budget[y] = inst.BudgetWan[t]
		}
	}
	inst.Scenario = sc
	return inst
}
