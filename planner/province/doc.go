// Package province solves a provincial plan (docs/province.md): the
// province's yearly new-land quota pool shared among counties that are
// otherwise independent. A coordinator (Solve) prices the pool, one price
// per mu and year, moved by projected subgradient steps on the pool's
// excess over the counties' demand; every round's county solves go through
// a planner.CountySolver (InProcess here; package jobs runs them on
// worker machines). The provincial bound is the sum of the county bounds
// at the prices plus the price terms (Lagrangian duality). The plan is
// then assembled from the county plans the rounds produced, one per
// county, choosing by value per mu while the pool holds; what is left of
// the pool goes to the counties with the highest marginal value, which
// are solved again under their larger allocation.
package province
