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

// ClipToConvex returns the parts of the simple ring subject (convex or
// not, no holes) inside the convex ring clip, as separate polygons, in
// the lon/lat plane. Unlike ClipConvex it never joins pieces by
// zero-width bridges: where a concave subject leaves and re-enters the
// clip region the result has one polygon per piece, so it is valid as a
// MultiPolygon. Pieces keep subject's orientation. Vertices lying exactly
// on a clip edge count as inside. Neither input is modified; the result
// is nil when nothing is inside.
func ClipToConvex(subject, clip orb.Ring) orb.MultiPolygon {
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
	pieces := [][]orb.Point{append([]orb.Point(nil), s...)}
	for i := range c {
		a, b := c[i], c[(i+1)%len(c)]
		var next [][]orb.Point
		for _, p := range pieces {
			next = append(next, splitHalfPlane(p, a, b)...)
		}
		pieces = next
		if len(pieces) == 0 {
			return nil
		}
	}
	var out orb.MultiPolygon
	for _, p := range pieces {
		p = dedupe(p)
		if len(p) < 3 || signedArea(p) == 0 {
			continue
		}
		out = append(out, orb.Polygon{append(orb.Ring(p), p[0])})
	}
	return out
}

// splitNode is a vertex of a ring being split by a line: an inside vertex
// or a crossing of the line (t: position along the line).
type splitNode struct {
	p        orb.Point
	crossing bool
	exit     bool // the boundary leaves the half-plane here
	t        float64
	partner  int // for a crossing: the crossing at the other end of its inside interval
}

// splitHalfPlane returns the pieces of the open simple ring ps left of (or
// on) the directed line ab.
func splitHalfPlane(ps []orb.Point, a, b orb.Point) [][]orb.Point {
	n := len(ps)
	in := make([]bool, n)
	all, none := true, true
	for i, p := range ps {
		in[i] = leftOf(a, b, p)
		all = all && in[i]
		none = none && !in[i]
	}
	if all {
		return [][]orb.Point{ps}
	}
	if none {
		return nil
	}
	dx, dy := b[0]-a[0], b[1]-a[1]
	var nodes []splitNode
	var cross []int
	for i := range n {
		j := (i + 1) % n
		if in[i] {
			nodes = append(nodes, splitNode{p: ps[i]})
		}
		if in[i] != in[j] {
			x := lineCross(a, b, ps[i], ps[j])
			cross = append(cross, len(nodes))
			nodes = append(nodes, splitNode{p: x, crossing: true, exit: in[i], t: (x[0]-a[0])*dx + (x[1]-a[1])*dy})
		}
	}
	sorted := append([]int(nil), cross...)
	// insertion sort by t: crossings are few, and this keeps it allocation-light
	for i := 1; i < len(sorted); i++ {
		for k := i; k > 0 && nodes[sorted[k]].t < nodes[sorted[k-1]].t; k-- {
			sorted[k], sorted[k-1] = sorted[k-1], sorted[k]
		}
	}
	for k := 0; k+1 < len(sorted); k += 2 {
		nodes[sorted[k]].partner = sorted[k+1]
		nodes[sorted[k+1]].partner = sorted[k]
	}
	visited := make([]bool, len(nodes))
	var out [][]orb.Point
	for _, start := range cross {
		if nodes[start].exit || visited[start] {
			continue
		}
		var piece []orb.Point
		i := start
		for guard := 0; guard <= 2*len(nodes); guard++ {
			visited[i] = true
			piece = append(piece, nodes[i].p)
			if nodes[i].crossing && nodes[i].exit {
				i = nodes[i].partner // run along the line to where the boundary comes back in
				if i == start {
					break
				}
				continue
			}
			i = (i + 1) % len(nodes)
			if i == start {
				break
			}
		}
		out = append(out, piece)
	}
	return out
}
