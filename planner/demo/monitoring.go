package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// MonitoringYears are the two years of synthetic monitoring data the demo
// ships for its built parks.
var MonitoringYears = [2]int{2020, 2021}

// Drift of the synthetic monitoring data (docs/data.md).
const (
	monRelatedP   = 0.62 // a firm in the park's specialty …
	monRelatedP2  = 0.20 // … or a related industry (the rest: any industry)
	monSmallP     = 0.82 // small or micro
	monLeasable   = 0.8  // share of the floor built that is let to firms (the rest: services, canteen, dormitories)
	monOccMin     = 0.86 // first-year occupancy of the leasable floor, min …
	monOccSpan    = 0.10 // … plus up to this
	monLeaveP     = 0.07 // a firm leaves between the two years
	monSlideLeave = 0.25 // in the sliding park, a specialty or related firm leaves …
	monRefillP    = 0.9  // … and its floor goes to a firm of an unrelated industry with this chance
	monGrowth     = 0.06 // output and tax change by up to ± this between the years
	monFloorStep  = 10   // floors rounded to this many m²
)

// Monitoring generates the demo's two years of monitoring data
// (MonitoringYears) for ds's built parks, deterministically from seed:
// each park's firms (specialty and related ≈ 80 %, small/micro ≈ 80 %,
// occupying 86–96 % of the leasable floor, 80 % of the floor built), their floor, output, tax and
// 亩均效益 class, and the facilities the park's tier requires. The second
// year drifts: ≈ 7 % of firms leave (their floor stands empty); in the
// first existing park of 100 mu or more with at least 20 firms ("the sliding park") 25 % of
// the specialty and related firms leave and unrelated firms take most of
// their floor, so it falls below the 70 % specialty rule; the same park
// closes its canteen. It is all synthetic (docs/data.md).
func Monitoring(ds *planner.Dataset, seed int64) *planner.Monitoring {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6d6f6e)) // "mon"
	inds := map[string]planner.Industry{}
	var codes []string
	for _, ind := range ds.Industries {
		inds[ind.Code] = ind
		codes = append(codes, ind.Code)
	}
	sort.Strings(codes)
	parks := append([]planner.Parcel(nil), ds.Parcels...)
	sort.Slice(parks, func(i, j int) bool { return parks[i].ID < parks[j].ID })
	m := &planner.Monitoring{}
	serial := 0
	newFirm := func(year int, p planner.Parcel, industry string, floor float64) planner.FirmYear {
		serial++
		size := planner.SizeMedium
		if rng.Float64() < monSmallP {
			size = planner.SizeMicro
			if rng.Float64() < 0.4 {
				size = planner.SizeSmall
			}
		}
		lv := pick(outputCum, rng.Float64())
		f := planner.FirmYear{Year: year, ParkID: p.ID, FirmID: fmt.Sprintf("91330282SYN%07d", serial), Industry: industry, Size: size,
			FloorM2: floor, OutputWan: round2(outputLevels[lv] * floor / planner.MuM2), TaxWan: round2(taxLevels[lv] * floor / planner.MuM2)}
		f.MuClass = muClassOf(planner.Enterprise{OutputPerMu: outputLevels[lv], TaxPerMu: taxLevels[lv], Pollution: planner.PollutionLight})
		return f
	}
	industryFor := func(p planner.Parcel) string {
		spec := p.Specialty
		switch u := rng.Float64(); {
		case u < monRelatedP || len(inds[spec].Related) == 0 && u < monRelatedP+monRelatedP2:
			return spec
		case u < monRelatedP+monRelatedP2:
			rel := inds[spec].Related
			return rel[rng.IntN(len(rel))]
		}
		return codes[rng.IntN(len(codes))]
	}
	sliding := ""
	y1, y2 := MonitoringYears[0], MonitoringYears[1]
	for _, p := range parks {
		if !p.Kind.Locked() || p.OpenYear > y1 || p.FloorM2 <= 0 || inds[p.Specialty].Code == "" {
			continue
		}
		if sliding == "" && p.Kind == planner.KindExisting && p.Firms >= 20 && p.AreaMu >= 100 {
			sliding = p.ID
		}
		n := p.Firms
		if n <= 0 {
			n = max(1, int(p.FloorM2/1500))
		}
		leasable := p.FloorM2 * monLeasable
		occupied := leasable * (monOccMin + monOccSpan*rng.Float64())
		weights := make([]float64, n)
		var sum float64
		for i := range weights {
			weights[i] = 0.5 + rng.Float64()
			sum += weights[i]
		}
		used := 0.0
		for i := range n {
			floor := math.Max(monFloorStep, math.Floor(occupied*weights[i]/sum/monFloorStep)*monFloorStep)
			used += floor
			m.Firms = append(m.Firms, newFirm(y1, p, industryFor(p), floor))
		}
		fac := planner.RequiredFacilities(planner.TierOf(p.AreaMu))
		m.Parks = append(m.Parks, planner.ParkYear{Year: y1, ParkID: p.ID, FloorBuiltM2: p.FloorM2, FloorVacantM2: round2(leasable - used), Facilities: fac})
	}
	// Year two: drift from year one.
	parcel := map[string]planner.Parcel{}
	for _, p := range parks {
		parcel[p.ID] = p
	}
	vacant := map[string]float64{}
	for _, py := range m.Parks {
		vacant[py.ParkID] = py.FloorVacantM2
	}
	var firms2 []planner.FirmYear
	for _, f := range m.Firms {
		p := parcel[f.ParkID]
		related := f.Industry == p.Specialty || contains(inds[p.Specialty].Related, f.Industry)
		leave := rng.Float64() < monLeaveP
		if f.ParkID == sliding && related && rng.Float64() < monSlideLeave {
			leave = true
			if rng.Float64() < monRefillP {
				other := codes[rng.IntN(len(codes))]
				for other == p.Specialty || contains(inds[p.Specialty].Related, other) {
					other = codes[rng.IntN(len(codes))]
				}
				firms2 = append(firms2, newFirm(y2, p, other, f.FloorM2))
				vacant[f.ParkID] -= f.FloorM2
			}
		}
		if leave {
			vacant[f.ParkID] += f.FloorM2
			continue
		}
		g := f
		g.Year = y2
		k := 1 + monGrowth*(2*rng.Float64()-1)
		g.OutputWan, g.TaxWan = round2(f.OutputWan*k), round2(f.TaxWan*k)
		firms2 = append(firms2, g)
	}
	n1 := len(m.Parks)
	for _, py := range m.Parks[:n1] {
		q := py
		q.Year = y2
		q.FloorVacantM2 = round2(vacant[py.ParkID])
		if py.ParkID == sliding {
			q.Facilities = nil
			for _, f := range py.Facilities {
				if f != planner.FacilityCanteen {
					q.Facilities = append(q.Facilities, f)
				}
			}
		}
		m.Parks = append(m.Parks, q)
	}
	m.Firms = append(m.Firms, firms2...)
	sort.SliceStable(m.Firms, func(i, j int) bool {
		a, b := m.Firms[i], m.Firms[j]
		return a.Year < b.Year || (a.Year == b.Year && a.FirmID < b.FirmID)
	})
	return m
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
