// Package planner holds parkplan's domain: towns, parcels, protected land,
// land quotas, industries, enterprises, scenarios and plans, the store
// interfaces the rest of the program implements, and the planning model.
//
// Units: areas are in mu (1 mu = 10,000/15 m² ≈ 666.67 m²) unless a name
// ends in M2; distances are in metres unless a name ends in Km; money is in
// 10,000 yuan (万元). Geometries are orb values in CGCS2000 / WGS84
// longitude-latitude degrees (EPSG:4490, treated as EPSG:4326; the two agree
// to well under a metre here).
//
// planner imports no project package except geo; it knows nothing of
// PostGIS or HTTP.
package planner

// MuM2 is the area of one mu in square metres (市亩: 10,000/15 m²).
const MuM2 = 10000.0 / 15.0
