// Package geo holds parkplan's geometry helpers over orb: areas in mu,
// CGCS2000 Gauss–Krüger projections (EPSG:4549, EPSG:4528), the GCJ-02
// ↔ WGS84 conversion, geodesic distance, geometry validation and convex
// clipping.
//
// Coordinates are orb values. Unless a name says otherwise they are
// CGCS2000 longitude/latitude in degrees (EPSG:4490; the county data treat
// it as the same as WGS84 / EPSG:4326 — the two frames differ by a few
// centimetres). Projected coordinates are Gauss–Krüger easting/northing in
// metres. Areas are in mu (1 mu = 10,000/15 m²) or m² when the name ends in
// M2; distances are in metres.
//
// geo imports no other parkplan package. docs/crs.md explains the choice of
// area method and how it was checked against PostGIS.
package geo
