package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// ClipConvex returns the part of ring subject inside the convex ring clip,
// by Sutherland–Hodgman clipping in the lon/lat plane (degrees). clip must
// be convex (either orientation; a closing vertex is optional); subject
// may be any simple ring, but when subject is not convex the result can
// contain zero-width bridges — its area is still right. The result is a
// closed ring, or nil when the two do not overlap. Neither input is
// modified.
//
// Edges are straight in lon/lat, as PostGIS draws them in EPSG:4490; over
// a parcel this differs from a geodesic by far less than a millimetre.
func ClipConvex(subject, clip orb.Ring) orb.Ring {
	c := openRing(clip)
	s := openRing(subject)
	if len(c) < 3 || len(s) < 3 {
		return nil
	}
	if signedArea(c) < 0 {
		rev := make([]orb.Point, len(c))
		for i, p := range c {
			rev[len(c)-1-i] = p
		}
		c = rev
	}
	out := append([]orb.Point(nil), s...)
	for i := range c {
		a, b := c[i], c[(i+1)%len(c)]
		in := out
		out = make([]orb.Point, 0, len(in)+2)
		for j := range in {
			p, q := in[j], in[(j+1)%len(in)]
			pin, qin := leftOf(a, b, p), leftOf(a, b, q)
			switch {
			case pin && qin:
				out = append(out, q)
			case pin && !qin:
				out = append(out, lineCross(a, b, p, q))
			case !pin && qin:
				out = append(out, lineCross(a, b, p, q), q)
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	out = dedupe(out)
	if len(out) < 3 || math.Abs(signedArea(out)) == 0 {
		return nil
	}
	return append(orb.Ring(out), out[0])
}

// IntersectionAreaMu returns the area in mu (on the ellipsoid, as AreaMu)
// of the overlap of ring subject with the convex ring clip.
func IntersectionAreaMu(subject, clip orb.Ring) float64 {
	r := ClipConvex(subject, clip)
	if r == nil {
		return 0
	}
	return AreaMu(r)
}

// IsConvex reports whether ring r (closed or not) is convex and non-degenerate.
func IsConvex(r orb.Ring) bool {
	s := openRing(r)
	if len(s) < 3 {
		return false
	}
	var sign float64
	for i := range s {
		o := orient(s[i], s[(i+1)%len(s)], s[(i+2)%len(s)])
		if o == 0 {
			continue
		}
		if sign == 0 {
			sign = o
		} else if o != sign {
			return false
		}
	}
	return sign != 0
}

// openRing drops a closing vertex equal to the first.
func openRing(r orb.Ring) []orb.Point {
	if n := len(r); n > 1 && r[0] == r[n-1] {
		return r[:n-1]
	}
	return r
}

// signedArea is the shoelace area in squared degrees (CCW positive).
func signedArea(ps []orb.Point) float64 {
	var s float64
	for i := range ps {
		p, q := ps[i], ps[(i+1)%len(ps)]
		s += (p[0] - ps[0][0]) * (q[1] - ps[0][1])
		s -= (q[0] - ps[0][0]) * (p[1] - ps[0][1])
	}
	return s / 2
}

// leftOf reports whether p is on or left of the directed line ab.
func leftOf(a, b, p orb.Point) bool {
	return (b[0]-a[0])*(p[1]-a[1])-(b[1]-a[1])*(p[0]-a[0]) >= 0
}

// lineCross is where segment pq meets the line through a and b.
func lineCross(a, b, p, q orb.Point) orb.Point {
	dp := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
	dq := (b[0]-a[0])*(q[1]-a[1]) - (b[1]-a[1])*(q[0]-a[0])
	t := dp / (dp - dq)
	return orb.Point{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}
}

// dedupe removes consecutive duplicates (cyclically).
func dedupe(ps []orb.Point) []orb.Point {
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p == out[len(out)-1] {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}
