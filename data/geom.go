package data

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/paulmach/orb"
	geom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"
)

// SRID of every stored geometry: CGCS2000 lon/lat degrees.
const srid = 4490

// multiPolygonEWKBHex encodes mp (lon/lat degrees) as hex EWKB with SRID
// 4490, the text form PostGIS accepts for a geometry value in COPY.
func multiPolygonEWKBHex(mp orb.MultiPolygon) (string, error) {
	n := 0
	for _, p := range mp {
		for _, r := range p {
			n += 2 * len(r)
		}
	}
	flat := make([]float64, 0, n)
	endss := make([][]int, 0, len(mp))
	for _, p := range mp {
		ends := make([]int, 0, len(p))
		for _, r := range p {
			for _, pt := range r {
				flat = append(flat, pt[0], pt[1])
			}
			ends = append(ends, len(flat))
		}
		endss = append(endss, ends)
	}
	g := geom.NewMultiPolygonFlat(geom.XY, flat, endss).SetSRID(srid)
	return ewkbHex(g)
}

// pointEWKBHex encodes p (lon/lat degrees) as hex EWKB with SRID 4490.
func pointEWKBHex(p orb.Point) (string, error) {
	return ewkbHex(geom.NewPointFlat(geom.XY, []float64{p[0], p[1]}).SetSRID(srid))
}

func ewkbHex(g geom.T) (string, error) {
	b, err := ewkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
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
	flat := make([]float64, 0, 2*len(ls))
	for _, p := range ls {
		flat = append(flat, p[0], p[1])
	}
	return ewkbHex(geom.NewLineStringFlat(geom.XY, flat).SetSRID(srid))
}
