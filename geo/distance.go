package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// vincentyTol is the convergence threshold on the auxiliary longitude
// (radians); 1e-12 rad is about 6 µm on the ground.
const vincentyTol = 1e-12

// DistanceM returns the geodesic distance in metres between two lon/lat
// points (degrees) on the CGCS2000 ellipsoid, by Vincenty's inverse
// formula (1975). It agrees with PostGIS ST_Distance(geography) to well
// under a millimetre. For nearly antipodal points, where Vincenty's
// iteration may not converge, it falls back to the haversine distance on
// the mean radius (error < 0.5 %) — never the case inside a county.
func DistanceM(a, b orb.Point) float64 {
	if a == b {
		return 0
	}
	const (
		semiMinor = SemiMajorM * (1 - flattening)
		f         = flattening
	)
	u1 := math.Atan((1 - f) * math.Tan(a[1]*deg))
	u2 := math.Atan((1 - f) * math.Tan(b[1]*deg))
	sinU1, cosU1 := math.Sincos(u1)
	sinU2, cosU2 := math.Sincos(u2)
	l := (b[0] - a[0]) * deg
	lam := l
	for range 200 {
		sinLam, cosLam := math.Sincos(lam)
		sinSigma := math.Hypot(cosU2*sinLam, cosU1*sinU2-sinU1*cosU2*cosLam)
		if sinSigma == 0 {
			return 0 // coincident points
		}
		cosSigma := sinU1*sinU2 + cosU1*cosU2*cosLam
		sigma := math.Atan2(sinSigma, cosSigma)
		sinAlpha := cosU1 * cosU2 * sinLam / sinSigma
		cos2Alpha := 1 - sinAlpha*sinAlpha
		cos2SigmaM := 0.0
		if cos2Alpha != 0 { // not on the equator
			cos2SigmaM = cosSigma - 2*sinU1*sinU2/cos2Alpha
		}
		c := f / 16 * cos2Alpha * (4 + f*(4-3*cos2Alpha))
		prev := lam
		lam = l + (1-c)*f*sinAlpha*(sigma+c*sinSigma*(cos2SigmaM+c*cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)))
		if math.Abs(lam-prev) < vincentyTol {
			u2sq := cos2Alpha * (SemiMajorM*SemiMajorM - semiMinor*semiMinor) / (semiMinor * semiMinor)
			bigA := 1 + u2sq/16384*(4096+u2sq*(-768+u2sq*(320-175*u2sq)))
			bigB := u2sq / 1024 * (256 + u2sq*(-128+u2sq*(74-47*u2sq)))
			dSigma := bigB * sinSigma * (cos2SigmaM + bigB/4*(cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)-
				bigB/6*cos2SigmaM*(-3+4*sinSigma*sinSigma)*(-3+4*cos2SigmaM*cos2SigmaM)))
			return semiMinor * bigA * (sigma - dSigma)
		}
	}
	return HaversineM(a, b)
}

// HaversineM returns the great-circle distance in metres between two
// lon/lat points (degrees) on a sphere of the CGCS2000 mean radius.
func HaversineM(a, b orb.Point) float64 {
	dlat := (b[1] - a[1]) * deg
	dlon := (b[0] - a[0]) * deg
	s := math.Sin(dlat/2)*math.Sin(dlat/2) +
		math.Cos(a[1]*deg)*math.Cos(b[1]*deg)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * MeanRadiusM * math.Asin(math.Min(1, math.Sqrt(s)))
}

// Centroid returns the centroid of g as a lon/lat point (degrees). For
// polygons it is the area-weighted centroid computed in the local
// Gauss–Krüger plane (so it is the centroid on the ground, not of the
// degree grid); for lines the length-weighted mean; for points the mean.
// An empty geometry gives the zero point.
func Centroid(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.Polygon, orb.MultiPolygon, orb.Ring, orb.Bound, orb.Collection:
		if AreaM2(g) > 0 {
			return areaCentroid(g)
		}
	}
	return lineOrPointCentroid(g)
}

// areaCentroid is the area-weighted centroid of g's polygons.
func areaCentroid(g orb.Geometry) orb.Point {
	var rings []orb.Ring
	var signs []float64
	var collect func(orb.Geometry)
	collect = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Ring:
			rings, signs = append(rings, g), append(signs, 1)
		case orb.Polygon:
			for i, r := range g {
				s := 1.0
				if i > 0 {
					s = -1
				}
				rings, signs = append(rings, r), append(signs, s)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				collect(p)
			}
		case orb.Bound:
			collect(g.ToPolygon())
		case orb.Collection:
			for _, c := range g {
				collect(c)
			}
		}
	}
	collect(g)
	first := rings[0][0]
	z := ZoneAt(first[0])
	ox, oy := z.Forward(first[0], first[1])
	var sa, sx, sy float64
	for k, r := range rings {
		var ra, rx, ry float64
		n := len(r)
		if n > 1 && r[0] == r[n-1] {
			n--
		}
		// shoelace relative to the first vertex for numerical stability
		for i := range n {
			x1, y1 := z.Forward(r[i][0], r[i][1])
			x2, y2 := z.Forward(r[(i+1)%n][0], r[(i+1)%n][1])
			x1, y1, x2, y2 = x1-ox, y1-oy, x2-ox, y2-oy
			c := x1*y2 - x2*y1
			ra += c
			rx += (x1 + x2) * c
			ry += (y1 + y2) * c
		}
		if ra < 0 { // orient every ring counter-clockwise, then apply its sign
			ra, rx, ry = -ra, -rx, -ry
		}
		sa += signs[k] * ra / 2
		sx += signs[k] * rx / 6
		sy += signs[k] * ry / 6
	}
	lon, lat := z.Inverse(ox+sx/sa, oy+sy/sa)
	return orb.Point{lon, lat}
}

// lineOrPointCentroid averages the points of g (weighting line segments by
// their length when there are any).
func lineOrPointCentroid(g orb.Geometry) orb.Point {
	var pts [][]orb.Point
	var walk func(orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Point:
			pts = append(pts, []orb.Point{g})
		case orb.MultiPoint:
			for _, p := range g {
				pts = append(pts, []orb.Point{p})
			}
		case orb.LineString:
			pts = append(pts, g)
		case orb.Ring:
			pts = append(pts, g)
		case orb.MultiLineString:
			for _, l := range g {
				pts = append(pts, l)
			}
		case orb.Polygon:
			for _, r := range g {
				pts = append(pts, r)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		case orb.Collection:
			for _, c := range g {
				walk(c)
			}
		case orb.Bound:
			walk(g.ToPolygon())
		}
	}
	walk(g)
	var wl, lx, ly float64 // length-weighted
	var n, px, py float64  // plain mean
	for _, seq := range pts {
		for i, p := range seq {
			n++
			px += p[0]
			py += p[1]
			if i > 0 {
				q := seq[i-1]
				w := DistanceM(q, p)
				wl += w
				lx += w * (p[0] + q[0]) / 2
				ly += w * (p[1] + q[1]) / 2
			}
		}
	}
	switch {
	case wl > 0:
		return orb.Point{lx / wl, ly / wl}
	case n > 0:
		return orb.Point{px / n, py / n}
	}
	return orb.Point{}
}
