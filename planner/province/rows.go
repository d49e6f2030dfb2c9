package province

import (
	"math"

	"github.com/parkplan/parkplan/planner"
)

// The province's shared rows (docs/province.md): each pool year's
// Σ_c max(floor_c,t, u_c,t) ≤ Pool_t, and the province-wide targets
// Σ_c parks open by target_year ≥ target_parks and Σ_c parks on new land
// ≤ max_new_land_parks. Each has one price in the price vector (the pool
// years at their horizon index, then the target, then the cap), its
// county objective term (the task's new_land_price, park_bonus and
// new_land_park_price) and its share of the provincial bound; rowClaim is
// the one definition of what a county plan takes of each row.

// rowKind names a shared row's kind.
type rowKind int

const (
	rowPool   rowKind = iota // a pool year: new land, mu, ≤ the pool
	rowTarget                // province-wide target_parks: parks open by target_year, ≥
	rowCap                   // province-wide max_new_land_parks: parks on new land, ≤
)

// sharedRow is one row the counties share.
type sharedRow struct {
	kind  rowKind
	t     int     // horizon index of a pool year (rowPool)
	price int     // index in the price vector
	rhs   float64 // the pool, the target, the cap
	// weight converts the row's violation into mu of an average pool
	// year when plans are assembled (1 for pool rows; the mean pool over
	// the row's right-hand side for the park rows).
	weight float64
}

// ge reports whether the row is a ≥ row (its price is a bonus).
func (r sharedRow) ge() bool { return r.kind == rowTarget }

// sign is +1 for a ≤ row, −1 for a ≥ row: the county objective term of
// price π on the row is −sign·π·claim, the bound's +sign·π·rhs.
func (r sharedRow) sign() float64 {
	if r.ge() {
		return -1
	}
	return 1
}

// setupRows lists the shared rows of co.ps: the pool years, then the
// target and the cap when the province has them. The price vector has
// len(co.years)+2 entries: the horizon years, the target's, the cap's.
func (co *coordinator) setupRows() {
	nT := len(co.years)
	co.nPrice = nT + 2
	meanPool, n := 0.0, 0
	for t := range co.years {
		if co.inPool[t] {
			co.rows = append(co.rows, sharedRow{kind: rowPool, t: t, price: t, rhs: co.pool[t], weight: 1})
			meanPool += co.pool[t]
			n++
		}
	}
	meanPool /= math.Max(1, float64(n))
	meanPool = math.Max(1, meanPool)
	if co.ps.TargetParks > 0 {
		rhs := float64(co.ps.TargetParks)
		co.rows = append(co.rows, sharedRow{kind: rowTarget, t: -1, price: nT, rhs: rhs, weight: meanPool / rhs})
	}
	if co.ps.MaxNewLandParks >= 0 {
		rhs := float64(co.ps.MaxNewLandParks)
		co.rows = append(co.rows, sharedRow{kind: rowCap, t: -1, price: nT + 1, rhs: rhs, weight: meanPool / math.Max(1, rhs)})
	}
}

// rowClaim is what county k's plan c takes of row r: its new land in the
// year (at least the county's floor), its parks open by the province's
// target year, its parks on new land.
func (co *coordinator) rowClaim(k *county, c *column, r sharedRow) float64 {
	switch r.kind {
	case rowTarget:
		return float64(c.byTarget)
	case rowCap:
		return float64(c.newLandParks)
	}
	return co.claim(k, c, r.t)
}

// countParks sets c's park counts for the target and cap rows from its
// plan: the parks open by the province's target year (those open before
// the horizon included) and the parks on new land.
func (co *coordinator) countParks(c *column) {
	for _, p := range c.plan.Parks {
		if p.OpenYear <= co.targetYear {
			c.byTarget++
		}
		if p.Kind == planner.KindNewLand {
			c.newLandParks++
		}
	}
}

// parkPriceTerms is what the prices of the park rows took from plan c's
// objective: +ν per park on new land, −λ per park open by the target
// year (the pool years' −π·use are taken back in solveRound).
func (co *coordinator) parkPriceTerms(c *column) float64 {
	v := 0.0
	for _, r := range co.rows {
		if r.kind != rowPool {
			v += r.sign() * c.price[r.price] * co.rowClaim(nil, c, r)
		}
	}
	return v
}

// boundTerms is Σ over the rows of sign·price·rhs: the price terms of
// the provincial bound.
func (co *coordinator) boundTerms(price []float64) float64 {
	v := 0.0
	for _, r := range co.rows {
		v += r.sign() * price[r.price] * r.rhs
	}
	return v
}

// violation is how far load (Σ of the counties' claims) breaks row r, in
// the row's own units.
func (r sharedRow) violation(load float64) float64 {
	if r.ge() {
		return math.Max(0, r.rhs-load-poolTol)
	}
	return math.Max(0, load-r.rhs-poolTol)
}

// holds reports whether load keeps row r.
func (r sharedRow) holds(load float64) bool { return r.violation(load) == 0 }
