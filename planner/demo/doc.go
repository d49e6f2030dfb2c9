// Package demo generates parkplan's demo dataset: a synthetic but
// seed-anchored Cixi county (慈溪市) with its 19 towns and subdistricts,
// the 11 built and 4 under-construction small/micro-enterprise parks of
// the 2019 reply to People's Congress suggestion No. 42, candidate parcels
// on new and old factory land, protected land, yearly land quotas and
// about 3,000 enterprises seeking space.
//
// Generate is deterministic: the same Options give the same Dataset, and
// dataset.WriteDir gives the same bytes. The figures taken from the seed
// document are constants in parks.go (seedExisting…, seedUnderConstruction…);
// everything else is drawn from math/rand/v2 seeded by Options.Seed.
// docs/data.md says which is which.
//
// Geometry is CGCS2000 lon/lat (EPSG:4490). Town boundaries are synthetic:
// Voronoi cells of the town seats clipped to the county outline, which is
// published in GCJ-02 and converted to WGS84 with geo.GCJ02ToWGS84.
package demo
