package geo

import "fmt"

// The CGCS2000 Gauss–Krüger CRSs in the EPSG registry, in four runs of
// codes (EPSG:4491–4554). Each run lists the zones from 75°E to 135°E.
//
//	EPSG:4491–4501  6° zones 13–23, zone number prefixed to the easting
//	EPSG:4502–4512  6° zones by central meridian 75°E–135°E, no prefix
//	EPSG:4513–4533  3° zones 25–45, zone number prefixed to the easting
//	EPSG:4534–4554  3° zones by central meridian 75°E–135°E, no prefix
const (
	gk6PrefixFirst   = 4491
	gk6NoPrefixFirst = 4502
	gk3PrefixFirst   = 4513
	gk3NoPrefixFirst = 4534
	gkLast           = 4554

	gk6FirstZone = 13 // 6° zone 13: central meridian 75°E
	gk3FirstZone = 25 // 3° zone 25: central meridian 75°E

	// gkFalseEasting is the false easting of every zone before its zone
	// prefix (zone number × 1,000,000 m) is added, metres.
	gkFalseEasting = 500000
	// gkPrefixUnit is what one unit of zone prefix adds to the false
	// easting, metres.
	gkPrefixUnit = 1000000
)

// GKZone is one CGCS2000 Gauss–Krüger CRS of the EPSG registry.
type GKZone struct {
	EPSG       int
	WidthDeg   int  // 3 or 6: zone width, degrees of longitude
	Number     int  // zone number: 13–23 (6°) or 25–45 (3°)
	Prefixed   bool // the zone number is prefixed to the easting
	CentralLon int  // central meridian, degrees east
}

// CGCS2000Zone returns the zone of a CGCS2000 Gauss–Krüger EPSG code
// (4491–4554), or ok false.
func CGCS2000Zone(epsg int) (z GKZone, ok bool) {
	switch {
	case epsg >= gk6PrefixFirst && epsg < gk6NoPrefixFirst:
		z = GKZone{WidthDeg: 6, Number: gk6FirstZone + epsg - gk6PrefixFirst, Prefixed: true}
	case epsg >= gk6NoPrefixFirst && epsg < gk3PrefixFirst:
		z = GKZone{WidthDeg: 6, Number: gk6FirstZone + epsg - gk6NoPrefixFirst}
	case epsg >= gk3PrefixFirst && epsg < gk3NoPrefixFirst:
		z = GKZone{WidthDeg: 3, Number: gk3FirstZone + epsg - gk3PrefixFirst, Prefixed: true}
	case epsg >= gk3NoPrefixFirst && epsg <= gkLast:
		z = GKZone{WidthDeg: 3, Number: gk3FirstZone + epsg - gk3NoPrefixFirst}
	default:
		return GKZone{}, false
	}
	z.EPSG = epsg
	if z.WidthDeg == 6 {
		z.CentralLon = 6*z.Number - 3
	} else {
		z.CentralLon = 3 * z.Number
	}
	return z, true
}

// CGCS2000ZoneOf returns the EPSG zone with the given width (3 or 6),
// central meridian (degrees) and false easting (metres: 500,000, or with
// the zone prefix), or ok false when no EPSG code has them.
func CGCS2000ZoneOf(widthDeg int, centralLon, falseEasting float64) (GKZone, bool) {
	for epsg := gk6PrefixFirst; epsg <= gkLast; epsg++ {
		z, _ := CGCS2000Zone(epsg)
		if z.WidthDeg == widthDeg && float64(z.CentralLon) == centralLon && z.Projection().FalseEasting == falseEasting {
			return z, true
		}
	}
	return GKZone{}, false
}

// ZoneOfCentralMeridian returns the 3° or 6° CGCS2000 zone with the given
// central meridian and false easting, preferring the 3° zone when both
// have it (a 6° zone's meridian, 6n−3, is also a 3° zone's; the two are
// the same projection, and only the prefix, when present, tells them
// apart). ok false when none matches.
func ZoneOfCentralMeridian(centralLon, falseEasting float64) (GKZone, bool) {
	if z, ok := CGCS2000ZoneOf(3, centralLon, falseEasting); ok {
		return z, true
	}
	return CGCS2000ZoneOf(6, centralLon, falseEasting)
}

// Projection returns the zone's transverse Mercator.
func (z GKZone) Projection() GaussKruger {
	fe := float64(gkFalseEasting)
	if z.Prefixed {
		fe += float64(z.Number) * gkPrefixUnit
	}
	return GaussKruger{CentralMeridian: float64(z.CentralLon), FalseEasting: fe}
}

// String names the zone as EPSG does, e.g. "CGCS2000 / 3-degree
// Gauss-Kruger zone 40" or "CGCS2000 / Gauss-Kruger CM 117E".
func (z GKZone) String() string {
	deg := ""
	if z.WidthDeg == 3 {
		deg = "3-degree "
	}
	if z.Prefixed {
		return fmt.Sprintf("CGCS2000 / %sGauss-Kruger zone %d", deg, z.Number)
	}
	return fmt.Sprintf("CGCS2000 / %sGauss-Kruger CM %dE", deg, z.CentralLon)
}

// PrefixZone returns the zone whose prefix an easting carries (e.g.
// 40,512,345 m → 3° zone 40, EPSG:4528; 20,412,345 → 6° zone 20,
// EPSG:4497): 3° prefixes (25–45) and 6° prefixes (13–23) do not overlap,
// so the prefix alone names the zone. ok false for an easting without a
// prefix EPSG knows.
func PrefixZone(easting float64) (GKZone, bool) {
	n := int(easting / gkPrefixUnit)
	switch {
	case n >= gk3FirstZone && n < gk3FirstZone+gk3NoPrefixFirst-gk3PrefixFirst:
		return CGCS2000Zone(gk3PrefixFirst + n - gk3FirstZone)
	case n >= gk6FirstZone && n < gk6FirstZone+gk3PrefixFirst-gk6NoPrefixFirst:
		return CGCS2000Zone(gk6PrefixFirst + n - gk6FirstZone)
	}
	return GKZone{}, false
}
