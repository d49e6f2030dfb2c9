package province

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// simplexTol is gonum's Simplex tolerance for the price master: its
// figures are objective units and mu, of order 1e2–1e7.
const simplexTol = 1e-9

// cuttingPlanePrices is the next round's prices (indexed as
// sharedRow.price; 0 where no row is): the minimiser, within the trust
// region [max(0, centre−theta·scale), centre+theta·scale] per shared row,
// of the model of the provincial bound that the counties' plans so far
// give,
//
//	M(π) = Σ_c max_j (v_cj − Σ_r sign_r·π_r·claim_cjr) + Σ_r sign_r·π_r·rhs_r,
//
// (sign +1 on the ≤ rows — the pool years, the new-land cap — and −1 on
// the target's ≥ row; with the pool alone, Σ_c max_j (v_cj −
// π·claim_cj) + π·Pool)
// (Kelley's cutting planes on the Lagrangian dual, stabilised by the
// trust region around the prices of the best bound). Every plan a county
// returned is a plan it could choose at any price, so M is below the
// true dual function and its minimiser is where the plans seen so far
// say the pool's price should be. ok is false when the LP fails (the
// caller falls back to a subgradient step).
//
// The master is solved as the LP: minimise Σ_r sign_r·rhs_r π_r + Σ_c
// μ_c subject to μ_c + Σ_r sign_r·claim_cj,r π_r ≥ v_cj for every plan j
// of county c, lo_r ≤ π_r ≤ hi_r; μ free.
func (co *coordinator) cuttingPlanePrices(centre []float64, theta float64) ([]float64, bool) {
	nT, nC := len(co.rows), len(co.counties)
	nVar := nT + nC
	c := make([]float64, nVar)
	for i, r := range co.rows {
		c[i] = r.sign() * r.rhs
	}
	for k := range co.counties {
		c[nT+k] = 1
	}
	var rows [][]float64
	var h []float64
	for k, cty := range co.counties {
		for _, col := range cty.cols {
			row := make([]float64, nVar)
			for i, r := range co.rows {
				row[i] = -r.sign() * co.rowClaim(cty, col, r)
			}
			row[nT+k] = -1
			rows = append(rows, row)
			h = append(h, -col.value)
		}
	}
	for i, r := range co.rows {
		radius := theta * co.scale[r.price]
		lo, hi := math.Max(0, centre[r.price]-radius), centre[r.price]+radius
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
	out := make([]float64, co.nPrice)
	for i, r := range co.rows {
		out[r.price] = math.Max(0, x[i]-x[nVar+i])
	}
	return out, true
}
