// Package compliance checks a plan, or a set of proposed parcels, the way
// the natural-resources bureau signs parks off: each town's new construction
// land against its yearly quota (the quota ledger), and each park against
// protected land (permanent basic farmland, the ecological red line, the
// urban development boundary). It also measures where extra quota would do
// most good (marginal value of quota) and the smallest quota increase that
// makes an infeasible target feasible.
//
// Areas are in mu (1 mu = 10,000/15 m²); geometries are orb values in
// CGCS2000 lon/lat degrees (EPSG:4490). The spatial overlaps themselves are
// computed in PostGIS by package data (data.CheckParcels), which returns the
// ParcelCheck values defined here. This package imports only planner,
// planner/dataset (CRS names, error lists) and geo.
package compliance
