package solver

import "math"

// Lazy specialties (docs/solver.md, "Large counties"). With other
// specialties allowed every site has all of them (14 on the demo) and an
// evaluation of the relaxation solves 14 park LPs per site, of which only
// the best counts. A park LP's value v(λ) = max Σ (value − λ_g)·x over its
// rows is at most v(λ₀) + Σ_a U_a·max(0, λ₀_g − λ_g) at any λ (x ≤ U), so a
// specialty whose last value, raised by the fall of its firms' prices
// since, is no more than the best value solved at this evaluation cannot
// be the best: it is not solved again, and the maximum — the bound — is
// the same as with every LP solved. Its LP value and point stay those of
// its last solve (only the local search's ordering reads them).
const (
	// lazyMinSpecialties: lazy evaluation runs on large counties
	// (largeSites) whose sites have more specialties than this.
	lazyMinSpecialties = 3
)

// lazySpecs keeps, per site and specialty, an upper bound on the park
// LP's value at the current prices.
type lazySpecs struct {
	ub         [][]float64 // per site, per specialty: +Inf until solved
	lambdaPrev []float64   // the prices at the last evaluation
}

// newLazySpecs returns the lazy state for r, or nil where lazy evaluation
// does not run (small counties, few specialties per site).
func newLazySpecs(r *relaxation) *lazySpecs {
	inst := r.m.inst
	most := 0
	for s := range r.rows {
		most = max(most, len(r.rows[s]))
	}
	if len(inst.Sites) <= largeSites || most <= lazyMinSpecialties {
		return nil
	}
	lz := &lazySpecs{ub: make([][]float64, len(r.rows)), lambdaPrev: append([]float64(nil), r.lambda...)}
	for s := range r.rows {
		lz.ub[s] = make([]float64, len(r.rows[s]))
		for k := range lz.ub[s] {
			lz.ub[s][k] = math.Inf(1)
		}
	}
	return lz
}

// drift raises site s's bounds by how much its LPs' values may have grown
// since the last evaluation: Σ over its arcs of U·(fall of the group's
// price).
func (lz *lazySpecs) drift(m *model, s int, lambda []float64) {
	d := 0.0
	for _, a := range m.siteArcs[s] {
		g := m.inst.Arcs[a].Group
		if fall := lz.lambdaPrev[g] - lambda[g]; fall > 0 {
			d += float64(m.ub[a]) * fall
		}
	}
	if d == 0 {
		return
	}
	for k := range lz.ub[s] {
		lz.ub[s][k] += d
	}
}

// order lists site s's specialties with the last best first, so that the
// others are compared with a good value.
func (lz *lazySpecs) order(s, kBest int) []int {
	ks := make([]int, 0, len(lz.ub[s]))
	ks = append(ks, kBest)
	for k := range lz.ub[s] {
		if k != kBest {
			ks = append(ks, k)
		}
	}
	return ks
}

// done records the prices of an evaluation.
func (lz *lazySpecs) done(lambda []float64) { copy(lz.lambdaPrev, lambda) }
