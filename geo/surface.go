package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// PointOnSurface returns a point inside the polygon mp (lon/lat degrees),
// the end of a firm's line to its park in the plan layers: unlike the
// centroid, it lies inside any shape, an L or a U included. It is the
// point GEOS's interior-point rule (PostGIS ST_PointOnSurface) picks: a
// horizontal scan line halfway between the vertex latitudes nearest the
// middle of each polygon's bounds, crossed with every ring; the middle of
// the widest inside stretch, over all polygons. The result depends only
// on mp. An empty or degenerate (zero-height) mp gives its first vertex,
// or the zero point when it has none.
func PointOnSurface(mp orb.MultiPolygon) orb.Point {
	best, bestWidth := orb.Point{}, -1.0
	for _, p := range mp {
		if len(p) == 0 || len(p[0]) == 0 {
			continue
		}
		y, ok := scanLatitude(p)
		if !ok {
			if bestWidth < 0 {
				best, bestWidth = p[0][0], 0
			}
			continue
		}
		var xs []float64
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				if (a[1] > y) != (b[1] > y) {
					xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
				}
			}
		}
		sort.Float64s(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			if w := xs[i+1] - xs[i]; w > bestWidth {
				best, bestWidth = orb.Point{(xs[i] + xs[i+1]) / 2, y}, w
			}
		}
	}
	if bestWidth < 0 && len(mp) > 0 && len(mp[0]) > 0 && len(mp[0][0]) > 0 {
		return mp[0][0][0]
	}
	return best
}

// scanLatitude returns the latitude of p's scan line: halfway between
// the nearest vertex latitudes below and above (or at) the middle of p's
// bounds, so that the line passes through no vertex. ok is false when p
// has no height.
func scanLatitude(p orb.Polygon) (y float64, ok bool) {
	b := p[0].Bound()
	mid := (b.Min[1] + b.Max[1]) / 2
	lo, hi := b.Min[1], b.Max[1]
	for _, r := range p {
		for _, v := range r {
			switch y := v[1]; {
			case y <= mid && y > lo:
				lo = y
			case y > mid && y < hi:
				hi = y
			}
		}
	}
	if !(hi > lo) || math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, false
	}
	return (lo + hi) / 2, true
}
