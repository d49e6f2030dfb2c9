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
// its first vertex (for Cixi that is EPSG:4549, CM 120°E) and its planar
// area is integrated with the projection's area scale 1/k² folded in
// (see ringAreaM2), so the result is the area on the ellipsoid. It agrees
// with PostGIS ST_Area(geography) to about 1e-6 relative (docs/crs.md).
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
//
// In the Gauss–Krüger plane the ellipsoidal area element is dX dY / k²,
// and k depends on the distance X' from the central meridian:
// k = 1 + u/2 + u²/24 with u = X'²/R² (R² = ρν, the product of the
// principal radii of curvature). By Green's theorem the area is then
// ∮ G(X') dY with G' = 1/k² = 1 − u + 2u²/3, i.e.
// G = X' − X'³/(3R²) + 2X'⁵/(15R⁴), integrated along each straight edge
// by 3-point Gauss–Legendre quadrature (exact for this quintic). R is
// taken at the ring's mean latitude; its change over a county moves the
// result by < 1e-7.
func ringAreaM2(r orb.Ring) float64 {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	if n < 3 {
		return 0
	}
	z := ZoneAt(r[0][0])
	var meanLat float64
	for _, p := range r[:n] {
		meanLat += p[1]
	}
	meanLat /= float64(n)
	s := math.Sin(meanLat * deg)
	den := 1 - ecc2*s*s
	rho := SemiMajorM * (1 - ecc2) / (den * math.Sqrt(den))
	nu := SemiMajorM / math.Sqrt(den)
	inv := 1 / (rho * nu) // 1/R²
	g := func(x float64) float64 {
		x2 := x * x
		return x * (1 - x2*inv/3 + 2*x2*x2*inv*inv/15)
	}
	const (
		gl1 = 0.11270166537925831 // (1 − √(3/5))/2
		gl2 = 0.5
		gl3 = 0.8872983346207417 // (1 + √(3/5))/2
		w13 = 5.0 / 18
		w2  = 8.0 / 18
	)
	x0, y0 := z.Forward(r[0][0], r[0][1])
	px, py := x0-z.FalseEasting, y0
	var sum float64
	for i := 1; i <= n; i++ {
		q := r[i%n]
		qx, qy := z.Forward(q[0], q[1])
		qx -= z.FalseEasting
		dx := qx - px
		sum += (w13*(g(px+gl1*dx)+g(px+gl3*dx)) + w2*g(px+gl2*dx)) * (qy - py)
		px, py = qx, qy
	}
	return sum
}
