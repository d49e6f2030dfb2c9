// Package dataset reads, validates and writes parkplan's public dataset
// format: a directory holding towns.geojson, parcels.geojson,
// protected.geojson, enterprises.geojson (RFC 7946 FeatureCollections,
// longitude/latitude degrees) and quotas.csv, industries.csv.
//
// Reading streams: each GeoJSON file is walked token by token and decoded
// one feature at a time, so memory does not grow with the file's size (it
// grows only with the set of ids seen, a few tens of bytes a feature).
// Every feature is validated; errors name the file, the feature index, the
// id, the field and the value (see docs/data-format.md).
//
// Writing is deterministic: features sorted by id, properties in a fixed
// order, coordinates rounded to 1e-8 degrees (about 1 mm) and other numbers
// to 1e-6, so the same dataset gives the same bytes on every run.
//
// Input may be CGCS2000/WGS84 longitude/latitude (EPSG:4490, EPSG:4326),
// CGCS2000 3-degree Gauss–Krüger (EPSG:4549, EPSG:4528) declared by the
// file's "crs" member or by Options.CRS, or GCJ-02 (Options.FromGCJ02).
// Output is always EPSG:4490 longitude/latitude.
package dataset
