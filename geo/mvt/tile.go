// Package mvt writes Mapbox Vector Tiles (MVT 2.1) on the WebMercatorQuad
// tile matrix set from lon/lat geometries: each feature is projected to
// Web Mercator (EPSG:3857, the spherical formula), mapped to the tile's
// integer grid, clipped to the tile grown by a buffer, and encoded as it
// arrives, so a tile of thousands of features costs no more memory than
// its bytes. Properties are typed values (strings, doubles, integers,
// booleans), keys and values shared across the layer as MVT requires.
//
// It does in Go what PostGIS's ST_AsMVTGeom and ST_AsMVT do in the
// database, so the database only finds the rows: a tile of parcels then
// costs 2–4× less CPU in all than PostGIS writing it (docs/scale.md).
// mvt imports no parkplan package.
package mvt

import (
	"math"

	"github.com/paulmach/orb"
)

// Tile is one tile of WebMercatorQuad (z 0…24, x and y in 0 … 2^z − 1,
// row 0 at the north) with its grid: Extent units across the tile and
// features kept up to Buffer units outside its edges.
type Tile struct {
	Z, X, Y int
	Extent  int
	Buffer  int
}

// LonLatBound returns the tile grown by its buffer as a lon/lat box
// (degrees): exact, since Web Mercator maps a tile's edges to meridians
// and parallels. Rows the box's index test finds may still fall outside
// the tile; Layer.Feature drops them.
func (t Tile) LonLatBound() orb.Bound {
	n := math.Ldexp(1, t.Z)
	m := float64(t.Buffer) / float64(t.Extent)
	lon := func(x float64) float64 { return x/n*360 - 180 }
	lat := func(y float64) float64 { return math.Atan(math.Sinh(math.Pi*(1-2*y/n))) * 180 / math.Pi }
	return orb.Bound{
		Min: orb.Point{lon(float64(t.X) - m), lat(float64(t.Y) + 1 + m)},
		Max: orb.Point{lon(float64(t.X) + 1 + m), lat(float64(t.Y) - m)},
	}
}

// projector maps lon/lat degrees to the tile's grid (x right, y down).
type projector struct {
	scale, x0, y0 float64 // grid units per world width; the tile's origin in those units
}

func (t Tile) projector() projector {
	s := math.Ldexp(float64(t.Extent), t.Z)
	return projector{scale: s, x0: float64(t.X) * float64(t.Extent), y0: float64(t.Y) * float64(t.Extent)}
}

// maxLat is Web Mercator's latitude limit (degrees), where y reaches the
// world's edge; points beyond it are held at it.
const maxLat = 85.0511287798066

// point projects one lon/lat point to grid units (unrounded).
func (p projector) point(q orb.Point) orb.Point {
	lat := math.Max(-maxLat, math.Min(maxLat, q[1]))
	sin := math.Sin(lat * math.Pi / 180)
	y := 0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi)
	return orb.Point{(q[0]+180)/360*p.scale - p.x0, y*p.scale - p.y0}
}

// project projects g in place (a Point, a value, is returned projected).
func (p projector) project(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return p.point(g)
	case orb.MultiPoint:
		p.points(g)
	case orb.LineString:
		p.points(g)
	case orb.MultiLineString:
		for _, l := range g {
			p.points(l)
		}
	case orb.Ring:
		p.points(g)
	case orb.Polygon:
		for _, r := range g {
			p.points(r)
		}
	case orb.MultiPolygon:
		for _, pg := range g {
			for _, r := range pg {
				p.points(r)
			}
		}
	case orb.Collection:
		for i, c := range g {
			g[i] = p.project(c)
		}
	}
	return g
}

func (p projector) points(ps []orb.Point) {
	for i, q := range ps {
		ps[i] = p.point(q)
	}
}
