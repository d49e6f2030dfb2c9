package demo

import (
	_ "embed"
	"errors"
	"fmt"
	"math"

	"github.com/parkplan/parkplan/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// countyGCJ02 is Cixi's outline (adcode 330282) as published by Aliyun
// DataV, in GCJ-02. Its northern edge runs out into Hangzhou Bay (tidal
// flats and sea, ~1,487 km² against the official 1,361 km² of land).
//
//go:embed cixi_county_gcj02.geojson
var countyGCJ02 []byte

// countyOutline returns the county's outer ring in WGS84 lon/lat.
func countyOutline() (orb.Ring, error) {
	fc, err := geojson.UnmarshalFeatureCollection(countyGCJ02)
	if err != nil {
		return nil, fmt.Errorf("demo: county outline: %w", err)
	}
	if len(fc.Features) != 1 {
		return nil, fmt.Errorf("demo: county outline: %d features, want 1", len(fc.Features))
	}
	var ring orb.Ring
	switch g := fc.Features[0].Geometry.(type) {
	case orb.MultiPolygon:
		if len(g) != 1 {
			return nil, errors.New("demo: county outline: want one polygon")
		}
		ring = g[0][0]
	case orb.Polygon:
		ring = g[0]
	default:
		return nil, fmt.Errorf("demo: county outline: geometry %T", g)
	}
	ring = append(orb.Ring(nil), ring...)
	geo.GeometryGCJ02ToWGS84(ring)
	return ring, nil
}

// localFrame maps lon/lat to a plane where one unit is the same distance
// east and north near lat0 (x = lon·cos lat0, y = lat), so that Voronoi
// bisectors are perpendicular on the ground. It is affine, so straight
// lines stay straight in lon/lat.
type localFrame struct{ c float64 }

func (f localFrame) to(p orb.Point) orb.Point   { return orb.Point{p[0] * f.c, p[1]} }
func (f localFrame) from(p orb.Point) orb.Point { return orb.Point{p[0] / f.c, p[1]} }

// voronoiCells returns, for each seat, its Voronoi cell (a convex ring in
// lon/lat) within the box b.
func voronoiCells(seats []orb.Point, b orb.Bound) []orb.Ring {
	f := localFrame{math.Cos(b.Center()[1] * math.Pi / 180)}
	box := orb.Ring{f.to(b.Min), f.to(orb.Point{b.Max[0], b.Min[1]}), f.to(b.Max), f.to(orb.Point{b.Min[0], b.Max[1]}), f.to(b.Min)}
	const far = 100.0 // half-plane boxes reach far past the county (degrees)
	cells := make([]orb.Ring, len(seats))
	for i, si := range seats {
		cell := box
		pi := f.to(si)
		for j, sj := range seats {
			if i == j || cell == nil {
				continue
			}
			pj := f.to(sj)
			m := orb.Point{(pi[0] + pj[0]) / 2, (pi[1] + pj[1]) / 2}
			n := orb.Point{pi[0] - pj[0], pi[1] - pj[1]} // towards seat i
			l := math.Hypot(n[0], n[1])
			n = orb.Point{n[0] / l, n[1] / l}
			d := orb.Point{-n[1], n[0]}
			half := orb.Ring{
				{m[0] - far*d[0], m[1] - far*d[1]},
				{m[0] + far*d[0], m[1] + far*d[1]},
				{m[0] + far*d[0] + far*n[0], m[1] + far*d[1] + far*n[1]},
				{m[0] - far*d[0] + far*n[0], m[1] - far*d[1] + far*n[1]},
			}
			half = append(half, half[0])
			cell = geo.ClipConvex(cell, half)
		}
		out := make(orb.Ring, len(cell))
		for k, p := range cell {
			out[k] = f.from(p)
		}
		cells[i] = out
	}
	return cells
}

// townBoundaries partitions the county outline among the seats: each
// town is its Voronoi cell clipped to the outline (one or more pieces).
// It returns the boundaries and the cells (convex, reused to cut the
// development boundary along town lines).
func townBoundaries(outline orb.Ring, seats []orb.Point) ([]orb.MultiPolygon, []orb.Ring, error) {
	b := outline.Bound().Pad(0.05)
	cells := voronoiCells(seats, b)
	out := make([]orb.MultiPolygon, len(seats))
	for i, c := range cells {
		if c == nil {
			return nil, nil, fmt.Errorf("demo: seat %d has an empty Voronoi cell", i)
		}
		mp := geo.ClipToConvex(outline, c)
		if len(mp) == 0 {
			return nil, nil, fmt.Errorf("demo: seat %d's cell misses the county", i)
		}
		out[i] = mp
	}
	return out, cells, nil
}
