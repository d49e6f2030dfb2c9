package dataset

import (
	"encoding/json"
	"fmt"

	"github.com/parkplan/parkplan/geo"
	"github.com/paulmach/orb"
)

// rawGeometry is a GeoJSON geometry before its coordinates are checked.
type rawGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	// decoded is the geometry a binary source already decoded
	// (SourceFeature); Coordinates is then empty.
	decoded orb.Geometry
	// checked is the geometry read ahead by a worker (ahead.go), or nil.
	checked *geomCheck
}

// geomReader turns raw geometries into orb values in EPSG:4490 lon/lat,
// reporting every fault through bad(field, message).
type geomReader struct {
	tr          *transform
	maxVertices int // positions per geometry; 0: no cap
	bad         func(field, format string, args ...any)
}

// multiPolygon reads a Polygon or MultiPolygon as an orb.MultiPolygon.
// ok is false if anything was wrong (already reported).
func (g *geomReader) multiPolygon(raw *rawGeometry) (orb.MultiPolygon, bool) {
	if c := g.ahead(raw, shapeMultiPolygon); c != nil {
		return c.mp, c.ok
	}
	rg, ok := g.header(raw, "Polygon or MultiPolygon")
	if !ok {
		return nil, false
	}
	switch {
	case rg.decoded != nil && (rg.Type == "Polygon" || rg.Type == "MultiPolygon"):
		return readPolygons(g, rg.Type, decodedRings(rg.decoded))
	case rg.Type == "Polygon":
		poly, err := parsePolygon(rg.Coordinates)
		if err != nil {
			g.bad("geometry.coordinates", "not a Polygon's array of rings of [x, y] positions: %v", err)
			return nil, false
		}
		return readPolygons(g, rg.Type, [][][][]float64{poly})
	case rg.Type == "MultiPolygon":
		coords, err := parseMultiPolygon(rg.Coordinates)
		if err != nil {
			g.bad("geometry.coordinates", "not a MultiPolygon's array of polygons of rings of [x, y] positions: %v", err)
			return nil, false
		}
		return readPolygons(g, rg.Type, coords)
	}
	g.bad("geometry.type", "is %q; this layer needs Polygon or MultiPolygon", clip(rg.Type))
	return nil, false
}

// position is one [x, y, …] position as parsed from GeoJSON text, or as
// a binary source decoded it.
type position interface{ []float64 | orb.Point }

// readPolygons reads the polygons of rings of positions of a Polygon or
// MultiPolygon (typ, for the fields named in messages) as an
// orb.MultiPolygon: the position cap, the rings, OGC validity.
func readPolygons[P position](g *geomReader, typ string, coords [][][]P) (orb.MultiPolygon, bool) {
	if len(coords) == 0 {
		g.bad("geometry.coordinates", "is empty; a parcel or area needs at least one polygon")
		return nil, false
	}
	if n := positions(coords); g.maxVertices > 0 && n > g.maxVertices {
		g.bad("geometry.coordinates", "has %d positions; one geometry may have at most %d (--max-vertices); simplify it (e.g. ogr2ogr -simplify) or split it",
			n, g.maxVertices)
		return nil, false
	}
	mp := make(orb.MultiPolygon, 0, len(coords))
	ok := true
	for pi, poly := range coords {
		if len(poly) == 0 {
			g.bad(fmt.Sprintf("geometry.coordinates[%d]", pi), "polygon has no rings")
			ok = false
			continue
		}
		p := make(orb.Polygon, 0, len(poly))
		for ri, ring := range poly {
			field := func() string { // written only for a message
				if typ == "Polygon" {
					return fmt.Sprintf("geometry.coordinates[%d]", ri)
				}
				return fmt.Sprintf("geometry.coordinates[%d][%d]", pi, ri)
			}
			r, rok := readRing(g, field, ring)
			ok = ok && rok
			p = append(p, r)
		}
		mp = append(mp, p)
	}
	if !ok {
		return nil, false
	}
	if msg := validateMultiPolygon(mp); msg != "" {
		g.bad("geometry", "%s", msg)
		return nil, false
	}
	return mp, true
}

// readRing reads one linear ring: at least 4 positions, closed, each a
// valid coordinate. fieldOf names the ring in messages.
func readRing[P position](g *geomReader, fieldOf func() string, ring []P) (orb.Ring, bool) {
	if len(ring) == 0 {
		g.bad(fieldOf(), "ring is empty")
		return nil, false
	}
	for i, pos := range ring {
		if len(pos) < 2 {
			g.bad(fmt.Sprintf("%s[%d]", fieldOf(), i), "position has %d numbers; it needs [x, y]", len(pos))
			return nil, false
		}
	}
	first, last := ring[0], ring[len(ring)-1]
	if first[0] != last[0] || first[1] != last[1] {
		g.bad(fieldOf(), "ring is not closed: it starts at [%s, %s] and ends at [%s, %s] (the last position must repeat the first)",
			num(first[0]), num(first[1]), num(last[0]), num(last[1]))
		return nil, false
	}
	if len(ring) < 4 {
		g.bad(fieldOf(), "ring has %d positions; a closed ring needs at least 4", len(ring))
		return nil, false
	}
	r := make(orb.Ring, len(ring))
	for i, pos := range ring {
		p, msg := g.tr.point(pos[0], pos[1])
		if msg != "" {
			g.bad(fmt.Sprintf("%s[%d]", fieldOf(), i), "%s", msg)
			return nil, false
		}
		r[i] = p
	}
	return r, true
}

// point reads a Point geometry.
func (g *geomReader) point(raw *rawGeometry) (orb.Point, bool) {
	if c := g.ahead(raw, shapePoint); c != nil {
		return c.pt, c.ok
	}
	rg, ok := g.header(raw, "Point")
	if !ok {
		return orb.Point{}, false
	}
	if rg.Type != "Point" {
		g.bad("geometry.type", "is %q; this layer needs Point", clip(rg.Type))
		return orb.Point{}, false
	}
	var pos []float64
	var err error
	if p, ok := rg.decoded.(orb.Point); ok {
		pos = []float64{p[0], p[1]}
	} else {
		pos, err = parsePosition(rg.Coordinates)
	}
	if err != nil {
		g.bad("geometry.coordinates", "not a Point's [x, y] position: %v", err)
		return orb.Point{}, false
	}
	if len(pos) < 2 {
		g.bad("geometry.coordinates", "position has %d numbers; it needs [x, y]", len(pos))
		return orb.Point{}, false
	}
	p, msg := g.tr.point(pos[0], pos[1])
	if msg != "" {
		g.bad("geometry.coordinates", "%s", msg)
		return orb.Point{}, false
	}
	return p, true
}

// header checks a geometry's type and coordinates are present.
func (g *geomReader) header(rg *rawGeometry, want string) (*rawGeometry, bool) {
	if rg == nil {
		g.bad("geometry", "missing; this layer needs a %s", want)
		return nil, false
	}
	if rg.Type == "" {
		g.bad("geometry.type", "missing; this layer needs a %s", want)
		return nil, false
	}
	if rg.Type == "GeometryCollection" {
		g.bad("geometry.type", "is a GeometryCollection; this layer needs a %s (split the collection into its parts, e.g. ogr2ogr -explodecollections, and keep the %s)",
			want, want)
		return nil, false
	}
	if rg.decoded == nil && (len(rg.Coordinates) == 0 || string(rg.Coordinates) == "null") {
		g.bad("geometry.coordinates", "missing")
		return nil, false
	}
	return rg, true
}

// validateMultiPolygon checks OGC validity (the rules PostGIS ST_IsValid
// applies) with geo.ValidateGeometry and returns "" or what is wrong.
func validateMultiPolygon(mp orb.MultiPolygon) string {
	if err := geo.ValidateGeometry(mp); err != nil {
		return "invalid geometry: " + err.Error()
	}
	return ""
}

// positions counts the positions of MultiPolygon coordinates.
func positions[P position](coords [][][]P) int {
	n := 0
	for _, p := range coords {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}
