package province

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// simplexTol is gonum's Simplex tolerance for the price master: its
// figures are objective units and mu, of order 1e2–1e7.
const simplexTol = 1e-9

// cuttingPlanePrices is the next round's prices (per horizon year; 0
// outside the pool years): the minimiser, within the trust region
// [max(0, centre−radius), centre+radius] per pool year, of the model of
// the provincial bound that the counties' plans so far give,
//
//	M(π) = Σ_c max_j (v_cj − π·claim_cj) + π·Pool,
//
// (Kelley's cutting planes on the Lagrangian dual, stabilised by the
// trust region around the prices of the best bound). Every plan a county
// returned is a plan it could choose at any price, so M is below the
// true dual function and its minimiser is where the plans seen so far
// say the pool's price should be. ok is false when the LP fails (the
// caller falls back to a subgradient step).
//
// The master is solved as the LP: minimise Σ_t Pool_t π_t + Σ_c μ_c
// subject to μ_c + Σ_t claim_cj,t π_t ≥ v_cj for every plan j of county
// c, lo_t ≤ π_t ≤ hi_t; μ free.
func (co *coordinator) cuttingPlanePrices(centre []float64, radius float64) ([]float64, bool) {
	var years []int // horizon indices of the pool years
	for t := range co.years {
		if co.inPool[t] {
			years = append(years, t)
		}
	}
	nT, nC := len(years), len(co.counties)
	nVar := nT + nC
	c := make([]float64, nVar)
	for i, t := range years {
		c[i] = co.pool[t]
	}
	for k := range co.counties {
		c[nT+k] = 1
	}
	var rows [][]float64
	var h []float64
	for k, cty := range co.counties {
		for _, col := range cty.cols {
			row := make([]float64, nVar)
			for i, t := range years {
				row[i] = -co.claim(cty, col, t)
			}
			row[nT+k] = -1
			rows = append(rows, row)
			h = append(h, -col.value)
		}
	}
	for i, t := range years {
		lo, hi := math.Max(0, centre[t]-radius), centre[t]+radius
		up := make([]float64, nVar)
		up[i] = 1
		down := make([]float64, nVar)
		down[i] = -1
		rows = append(rows, up, down)
		h = append(h, hi, -lo)
	}
	g := mat.NewDense(len(rows), nVar, nil)
	for i, r := range rows {
		g.SetRow(i, r)
	}
	cs, as, bs := lp.Convert(c, g, h, nil, nil)
	_, x, err := lp.Simplex(cs, as, bs, simplexTol, nil)
	if err != nil {
		return nil, false
	}
	// Convert splits each free variable into x⁺ − x⁻: x[i] − x[nVar+i].
	out := make([]float64, len(co.years))
	for i, t := range years {
		out[t] = math.Max(0, x[i]-x[nVar+i])
	}
	return out, true
}
