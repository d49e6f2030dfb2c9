package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// AreaMu returns the area of g in mu on the CGCS2000 ellipsoid; g is in
// lon/lat degrees. Points and lines have area 0; holes are subtracted;
// ring orientation does not matter.
//
// Method: each ring is projected to the 3-degree Gauss–Krüger zone of
// its first vertex (for Cixi that is EPSG:4549, CM 120°E) and its area is
// summed as a fan of triangles from the first vertex, each divided by the
// projection's area scale k² at the triangle's centre. The result agrees
// with PostGIS ST_Area(geography) to about 1e-6 relative (see docs/crs.md).
func AreaMu(g orb.Geometry) float64 { return AreaM2(g) / MuM2 }

// AreaM2 is AreaMu in square metres.
func AreaM2(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Ring:
		return math.Abs(ringAreaM2(g))
	case orb.Polygon:
		return polygonAreaM2(g)
	case orb.MultiPolygon:
		var s float64
		for _, p := range g {
			s += polygonAreaM2(p)
		}
		return s
	case orb.Collection:
		var s float64
		for _, c := range g {
			s += AreaM2(c)
		}
		return s
	case orb.Bound:
		return polygonAreaM2(g.ToPolygon())
	}
	return 0
}

func polygonAreaM2(p orb.Polygon) float64 {
	if len(p) == 0 {
		return 0
	}
	a := math.Abs(ringAreaM2(p[0]))
	for _, h := range p[1:] {
		a -= math.Abs(ringAreaM2(h))
	}
	return a
}

// ringAreaM2 is the signed (counter-clockwise positive) ellipsoidal area
// of ring r in m². A closing vertex equal to the first is optional.
func ringAreaM2(r orb.Ring) float64 {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	if n < 3 {
		return 0
	}
	z := ZoneAt(r[0][0])
	x0, y0 := z.Forward(r[0][0], r[0][1])
	px, py := z.Forward(r[1][0], r[1][1])
	var sum float64
	for i := 2; i < n; i++ {
		qx, qy := z.Forward(r[i][0], r[i][1])
		tri := ((px-x0)*(qy-y0) - (qx-x0)*(py-y0)) / 2
		clon := (r[0][0] + r[i-1][0] + r[i][0]) / 3
		clat := (r[0][1] + r[i-1][1] + r[i][1]) / 3
		sum += tri / z.areaScale(clon, clat)
		px, py = qx, qy
	}
	return sum
}
