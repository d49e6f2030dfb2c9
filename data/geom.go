package data

import (
	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb"
	geom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"

	orbewkb "github.com/paulmach/orb/encoding/ewkb"
)

// SRID of every stored geometry: CGCS2000 lon/lat degrees.
const srid = 4490

// multiPolygonEWKBHex encodes mp (lon/lat degrees) as hex EWKB with SRID
// 4490, the text form PostGIS accepts for a geometry value in COPY.
func multiPolygonEWKBHex(mp orb.MultiPolygon) (string, error) {
	if mp == nil {
		mp = orb.MultiPolygon{} // an empty MULTIPOLYGON, not no bytes
	}
	return orbewkb.MarshalToHex(mp, srid, binary.LittleEndian)
}

// pointEWKBHex encodes p (lon/lat degrees) as hex EWKB with SRID 4490.
func pointEWKBHex(p orb.Point) (string, error) {
	return orbewkb.MarshalToHex(p, srid, binary.LittleEndian)
}

// multiPolygonFromEWKB decodes EWKB (as ST_AsEWKB returns it) holding a
// Polygon or MultiPolygon into an orb.MultiPolygon.
func multiPolygonFromEWKB(b []byte) (orb.MultiPolygon, error) {
	g, err := ewkb.Unmarshal(b)
	if err != nil {
		return nil, err
	}
	switch g := g.(type) {
	case *geom.MultiPolygon:
		mp := make(orb.MultiPolygon, g.NumPolygons())
		for i := range mp {
			mp[i] = polygonFromGeom(g.Polygon(i))
		}
		return mp, nil
	case *geom.Polygon:
		return orb.MultiPolygon{polygonFromGeom(g)}, nil
	}
	return nil, fmt.Errorf("data: stored geometry is %T, want a (multi)polygon", g)
}

func polygonFromGeom(p *geom.Polygon) orb.Polygon {
	out := make(orb.Polygon, p.NumLinearRings())
	for i := range out {
		lr := p.LinearRing(i)
		flat, stride := lr.FlatCoords(), lr.Stride()
		r := make(orb.Ring, len(flat)/stride)
		for j := range r {
			r[j] = orb.Point{flat[j*stride], flat[j*stride+1]}
		}
		out[i] = r
	}
	return out
}

// pointFromEWKB decodes EWKB holding a Point.
func pointFromEWKB(b []byte) (orb.Point, error) {
	g, err := ewkb.Unmarshal(b)
	if err != nil {
		return orb.Point{}, err
	}
	p, ok := g.(*geom.Point)
	if !ok || p.Empty() {
		return orb.Point{}, fmt.Errorf("data: stored geometry is %T, want a point", g)
	}
	return orb.Point{p.X(), p.Y()}, nil
}

// lineStringEWKBHex encodes ls (lon/lat degrees) as hex EWKB with SRID 4490.
func lineStringEWKBHex(ls orb.LineString) (string, error) {
	if ls == nil {
		ls = orb.LineString{}
	}
	return orbewkb.MarshalToHex(ls, srid, binary.LittleEndian)
}
