package geo

import (
	"fmt"

	"github.com/paulmach/orb"
)

// pointFunc maps one coordinate pair to another.
type pointFunc func(x, y float64) (float64, float64)

// ToLonLat converts g from the projected CRS epsg (a CGCS2000 Gauss–Krüger zone, EPSG:4491–4554,
// metres) to CGCS2000 lon/lat degrees. Geographic codes (EPSG:4490,
// EPSG:4326) leave g as it is. The conversion is done in place: every
// slice-backed geometry g holds is overwritten; the result is returned
// because a bare orb.Point (a value) cannot be changed in place.
func ToLonLat(g orb.Geometry, epsg int) (orb.Geometry, error) {
	if epsg == EPSG4490 || epsg == EPSG4326 {
		return g, nil
	}
	z, err := Zone(epsg)
	if err != nil {
		return g, err
	}
	return apply(g, z.Inverse), nil
}

// FromLonLat converts g from CGCS2000 lon/lat degrees to the projected CRS
// epsg (a CGCS2000 Gauss–Krüger zone, metres), in place like ToLonLat.
func FromLonLat(g orb.Geometry, epsg int) (orb.Geometry, error) {
	if epsg == EPSG4490 || epsg == EPSG4326 {
		return g, nil
	}
	z, err := Zone(epsg)
	if err != nil {
		return g, err
	}
	return apply(g, z.Forward), nil
}

// apply maps every coordinate of g through f, in place, and returns g.
// Unknown geometry types are a programmer error and panic.
func apply(g orb.Geometry, f pointFunc) orb.Geometry {
	switch g := g.(type) {
	case nil:
		return nil
	case orb.Point:
		x, y := f(g[0], g[1])
		return orb.Point{x, y}
	case orb.MultiPoint:
		applyPoints(g, f)
		return g
	case orb.LineString:
		applyPoints(g, f)
		return g
	case orb.Ring:
		applyPoints(g, f)
		return g
	case orb.MultiLineString:
		for _, ls := range g {
			applyPoints(ls, f)
		}
		return g
	case orb.Polygon:
		for _, r := range g {
			applyPoints(r, f)
		}
		return g
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				applyPoints(r, f)
			}
		}
		return g
	case orb.Collection:
		for i := range g {
			g[i] = apply(g[i], f)
		}
		return g
	case orb.Bound:
		g.Min = apply(g.Min, f).(orb.Point)
		g.Max = apply(g.Max, f).(orb.Point)
		return g
	}
	panic(fmt.Sprintf("geo: unknown geometry type %T", g))
}

func applyPoints(ps []orb.Point, f pointFunc) {
	for i, p := range ps {
		ps[i][0], ps[i][1] = f(p[0], p[1])
	}
}
