package solver

import (
	"math"
	"sort"
)

// Budget prices at fixed place-once prices.
//
// For fixed λ the park LPs' values w do not change with the budget prices
// ρ, so L(λ, ·) = Σ λ·Count + φ(ρ) with
//
//	φ(ρ) = master(w, ρ) + Σ_t ρ_t·Budget_t,
//
// a convex, piecewise-linear function of ρ ≥ 0 whose subgradient in ρ_t
// is Budget_t − (cost of the sites the master opens in year t). Only the
// site master is solved again for a new ρ, which costs a small part of an
// iteration. tuneRho minimises φ one budgeted year at a time (bisection
// on the sign of that year's slack), a few rounds over the years.
//
// Why: the multipliers that start at the LP duals hold the LP's budget
// prices for good, and the LP's prices are not the relaxation's (its
// master opens whole parks): on 3× drawn-5-5 (budgets in four years) the
// LP's price 7.84 in every year left the bound at its first value,
// 168,180, for the whole solve, while the clusters' LPs' 4.62 let it fall
// to 166,933 (docs/solver.md, "Budget prices of the relaxation").

const (
	// rhoRounds is how many passes over the budgeted years tuneRho makes.
	rhoRounds = 2
	// rhoTuneBisections is how many bisections tuneRho spends on a year's
	// price once the price is bracketed.
	rhoTuneBisections = 12
	// rhoMaxDoublings is how many times tuneRho doubles a price looking
	// for one that keeps its years within budget. None does when the
	// budgets cannot be kept at all (locked sites, or the target, cost
	// more): then L falls without end as the price grows — each L is
	// still a valid bound, and a plan cannot exist.
	rhoMaxDoublings = 20
	// rhoTuneEvery is how many relaxation iterations pass between two
	// tunings of the budget prices while the multipliers move.
	rhoTuneEvery = 50
)

// tuneRho sets r.rho to budget prices that lower φ at r.w (the park
// values of the last evaluate) and returns L at them: Σ λ·Count + φ. It
// never returns more than L at the prices it started from. ms is the
// master's choice at the returned prices. First one price for every
// budgeted year (the years trade sites between them, so moving one year's
// price alone can stall where a common move still descends), then each
// year's own, rhoRounds times.
func (r *relaxation) tuneRho() (bound float64, ms masterResult) {
	m := r.m
	inst := m.inst
	base := 0.0
	for g, gr := range inst.Groups {
		base += r.lambda[g] * float64(gr.Count)
	}
	// the first price tried above 0 when a year's is 0: a tenth of the
	// objective's cost weight (the median |fixed value| per cost)
	var ratios []float64
	for _, site := range inst.Sites {
		if site.CostWan > 0 {
			ratios = append(ratios, math.Abs(site.FixedValue)/site.CostWan)
		}
	}
	scale := 1e-6
	if len(ratios) > 0 {
		sort.Float64s(ratios)
		scale = math.Max(scale, 0.1*ratios[len(ratios)/2])
	}
	rho := append([]float64(nil), r.rho...)
	best, bestMS := math.Inf(1), masterResult{}
	bestRho := append([]float64(nil), rho...)
	// try evaluates φ at rho, keeps the best, and returns the master's choice
	try := func() masterResult {
		res := m.solveMaster(r.w, rho)
		if !res.feasible {
			return res
		}
		v := res.value
		for t, b := range m.budgeted {
			if b {
				v += rho[t] * inst.BudgetWan[t]
			}
		}
		if v < best {
			best, bestMS = v, res
			copy(bestRho, rho)
		}
		return res
	}
	if try(); math.IsInf(best, 1) {
		return math.Inf(-1), bestMS // no site choice at all
	}
	// slack is the budget left in the years of the mask by a choice
	slack := func(mask []bool, res masterResult) float64 {
		spend := m.yearSpend(res.year)
		s := 0.0
		for t, in := range mask {
			if in {
				s += inst.BudgetWan[t] - spend[t]
			}
		}
		return s
	}
	// search moves the prices of the years in mask together (one value
	// p) to where their slack changes sign, from p0: bisection on the
	// sign of the slack, the best φ seen kept by try.
	search := func(mask []bool, p0 float64) {
		copy(rho, bestRho)
		set := func(p float64) {
			for t, in := range mask {
				if in {
					rho[t] = p
				}
			}
		}
		set(0)
		if res := try(); !res.feasible || slack(mask, res) >= 0 {
			return // within the budgets at no price: 0 is optimal
		}
		lo, hi, p := 0.0, math.Inf(1), math.Max(p0, scale)
		for k := 0; k < rhoMaxDoublings && math.IsInf(hi, 1); k++ {
			set(p)
			if res := try(); res.feasible && slack(mask, res) >= 0 {
				hi = p
			} else {
				lo, p = p, 2*p
			}
		}
		if math.IsInf(hi, 1) {
			return // no price keeps these years within their budgets
		}
		for k := 0; k < rhoTuneBisections; k++ {
			p = 0.5 * (lo + hi)
			set(p)
			if res := try(); res.feasible && slack(mask, res) >= 0 {
				hi = p
			} else {
				lo = p
			}
		}
	}
	mean, nb := 0.0, 0
	for t, b := range m.budgeted {
		if b {
			mean += r.rho[t]
			nb++
		}
	}
	search(m.budgeted, mean/float64(max(nb, 1)))
	one := make([]bool, len(m.budgeted))
	for round := 0; round < rhoRounds; round++ {
		for t, b := range m.budgeted {
			if !b {
				continue
			}
			one[t] = true
			search(one, bestRho[t])
			one[t] = false
		}
	}
	copy(r.rho, bestRho)
	return base + best, bestMS
}
