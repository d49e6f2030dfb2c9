package demo

import (
	"fmt"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Enterprises seeking space (synthetic). Firms are drawn from a few
// profiles per town, so identical firms form groups the solver can merge.
const (
	firmsPerCounty  = 3000
	profilesPerTown = 17 // ± 3
	townIndustryP   = 0.75
	lowScatteredP   = 0.10
	unsafeP         = 0.03
	heavyP          = 0.03 // 0.15 in recycling and chemical fibres
	nearSeatP       = 0.7  // share of firms around the town seat
	nearSeatSigmaM  = 2500 // their spread, metres (normal)
	heavyDirtyP     = 0.15
	moderateP       = 0.25
)

// Discrete levels: floor need by size class (m²); output and tax per mu
// (10,000 yuan per mu per year) go together by level.
var (
	floorBySize = map[planner.SizeClass][]float64{
		planner.SizeMicro:  {300, 500, 800},
		planner.SizeSmall:  {800, 1200, 2000},
		planner.SizeMedium: {2000, 3000, 5000},
		planner.SizeLarge:  {5000, 8000},
	}
	outputLevels = []float64{150, 250, 400, 600}
	taxLevels    = []float64{8, 15, 25, 40}
	outputCum    = []float64{0.3, 0.65, 0.9, 1}
	sizeOrder    = []planner.SizeClass{planner.SizeMicro, planner.SizeSmall, planner.SizeMedium, planner.SizeLarge}
	sizeCum      = []float64{0.55, 0.85, 0.96, 1}
)

// profile is one kind of firm.
type profile struct {
	e planner.Enterprise
}

func pick(cum []float64, u float64) int {
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}

func (c *county) enterprises() {
	all := industryFacts
	weights := make([]float64, len(c.towns))
	var sum float64
	for i := range c.towns {
		weights[i] = 0.6 + 0.8*c.rng.Float64()
		sum += weights[i]
	}
	for i, t := range c.towns {
		n := int(float64(firmsPerCounty)*weights[i]/sum + 0.5)
		g := profilesPerTown - 3 + c.rng.IntN(7)
		profs := make([]profile, g)
		for j := range profs {
			var e planner.Enterprise
			e.Town = t.t.Code
			if c.rng.Float64() < townIndustryP {
				inds := t.fact.inds
				// main industry half the time, else any of the town's
				if c.rng.Float64() < 0.5 {
					e.Industry = inds[0]
				} else {
					e.Industry = inds[c.rng.IntN(len(inds))]
				}
			} else {
				e.Industry = all[c.rng.IntN(len(all))].Code
			}
			e.Size = sizeOrder[pick(sizeCum, c.rng.Float64())]
			floors := floorBySize[e.Size]
			e.FloorM2 = floors[c.rng.IntN(len(floors))]
			lv := pick(outputCum, c.rng.Float64())
			e.OutputPerMu = outputLevels[lv]
			e.TaxPerMu = taxLevels[lv]
			hp := heavyP
			if e.Industry == "recycling" || e.Industry == "chemical_fiber" {
				hp = heavyDirtyP
			}
			switch u := c.rng.Float64(); {
			case u < hp:
				e.Pollution = planner.PollutionHeavy
			case u < hp+moderateP:
				e.Pollution = planner.PollutionModerate
			default:
				e.Pollution = planner.PollutionLight
			}
			e.LowScattered = c.rng.Float64() < lowScatteredP
			e.SafetyOK = c.rng.Float64() >= unsafeP
			e.MuClass = muClassOf(e)
			profs[j] = profile{e: e}
		}
		// every profile gets one firm, the rest go by Zipf-like weights
		cum := make([]float64, g)
		var tot float64
		for j := range cum {
			tot += 1 / float64(j+1)
			cum[j] = tot
		}
		for j := range cum {
			cum[j] /= tot
		}
		for k := range max(n, g) {
			j := k
			if k >= g {
				j = pick(cum, c.rng.Float64())
			}
			e := profs[j].e
			c.ids.firm++
			e.ID = c.prefix + fmt.Sprintf("F%06d", c.ids.firm)
			e.Location = c.firmLocation(t)
			c.ds.Enterprises = append(c.ds.Enterprises, e)
		}
	}
}

// firmLocation draws a firm's point in its town: most around the seat
// (workshops cluster in the built-up centre), the rest anywhere.
func (c *county) firmLocation(t *town) orb.Point {
	if c.rng.Float64() < nearSeatP {
		z := geo.ZoneAt(t.t.Seat[0])
		sx, sy := z.Forward(t.t.Seat[0], t.t.Seat[1])
		for range 50 {
			lon, lat := z.Inverse(sx+c.rng.NormFloat64()*nearSeatSigmaM, sy+c.rng.NormFloat64()*nearSeatSigmaM)
			p := orb.Point{lon, lat}
			if planar.MultiPolygonContains(t.t.Boundary, p) {
				return p
			}
		}
	}
	return c.randomPointIn(t)
}

// muClassOf is a demo firm's synthetic 亩均效益 class, derived without
// randomness from its figures (docs/data.md): output ≥ 600 and tax ≥ 40
// (10,000 yuan/mu/year) is A, ≥ 400 and ≥ 25 is B, ≥ 250 and ≥ 15 is C;
// below that C again, unless the firm is also 低散乱 or not a light
// polluter, which makes it D (Zhejiang's evaluation weighs emissions and
// energy too). Real classes come from the county's yearly evaluation.
func muClassOf(e planner.Enterprise) planner.MuClass {
	switch {
	case e.OutputPerMu >= 600 && e.TaxPerMu >= 40:
		return planner.MuClassA
	case e.OutputPerMu >= 400 && e.TaxPerMu >= 25:
		return planner.MuClassB
	case e.OutputPerMu >= 250 && e.TaxPerMu >= 15:
		return planner.MuClassC
	case e.LowScattered || e.Pollution != planner.PollutionLight:
		return planner.MuClassD
	}
	return planner.MuClassC
}
