package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

// Tile geometry: MVT coordinates run 0 … tileExtent across a tile, and
// features are clipped tileBuffer units outside its edge, so that lines
// and polygon outlines crossing an edge draw without seams (the defaults
// of ST_AsMVTGeom and of pg_tileserv).
const (
	tileExtent = 4096
	tileBuffer = 64
)

// sqlTile writes one tile: the layer's features whose bounding box meets
// the tile grown by the buffer, clipped and quantised by ST_AsMVTGeom, with
// the layer's properties as MVT attributes. Geometries are stored in
// CGCS2000 lon/lat, read here as WGS84 lon/lat (as CRS84 GeoJSON is; the
// datums agree to well under a metre here, a tenth of a pixel at zoom 18),
// which spares PROJ's ellipsoid change: 4490 → 3857 costs twice 4326 → 3857.
// The && test against the tile's lon/lat box uses the layer's GiST index;
// the box is exact, since Web Mercator maps the tile's edges to meridians
// and parallels. Both boxes are scalar subqueries, computed once per
// query: in the prepared statement's generic plan z/x/y are parameters,
// and ST_TileEnvelope would otherwise run once per feature (a third
// fewer tiles per second at zoom 14). ST_AsMVT skips the rows whose
// clipped geometry is null, and count(geom) counts the rest: a WHERE on
// geom would be pushed into the scan and clip every feature twice.
const sqlTile = `select ST_AsMVT(t, {name}::text, {extent}, 'geom'), count(t.geom)::int from (
	select ST_AsMVTGeom(ST_Transform(ST_SetSRID({geom}, 4326), 3857),
		(select ST_TileEnvelope({z}::int, {x}::int, {y}::int))::box2d, {extent}, {buffer}, true) as geom, {tilecols}
	from {from} where {where}
	and {geom} && (select ST_SetSRID(ST_Transform(ST_TileEnvelope({z}::int, {x}::int, {y}::int, margin => {margin}::float8), 4326), 4490))
) t`

// tileCols returns the layer's properties as SQL columns named after them,
// cast to the types MVT attributes carry (strings, 64-bit integers and
// floats, booleans; arrays as their JSON text). They are the same
// properties, from the same definitions, as the layer's GeoJSON features.
func (l *featureLayer) tileCols() string {
	var b strings.Builder
	for i, p := range l.props {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		b.WriteString(p.expr)
		b.WriteString(")::")
		b.WriteString(mvtType[p.typ])
		b.WriteString(" as ")
		b.WriteString(pq.QuoteIdentifier(p.name))
	}
	return b.String()
}

// mvtType is the SQL type of each property type in a tile.
var mvtType = map[string]string{"string": "text", "number": "float8", "integer": "int8", "boolean": "bool", "array": "text", "members": "text"}

// Tile returns one Mapbox Vector Tile of a collection on WebMercatorQuad,
// or ENOTFOUND for an unknown collection, EINVALID for a tile outside the
// matrix set. The tile's one layer is named after the collection's layer.
func (s *FeatureStore) Tile(ctx context.Context, tq planner.TileQuery) (*planner.Tile, error) {
	if err := tq.Check(); err != nil {
		return nil, err
	}
	l, owner, err := s.resolve(tq.Collection)
	if err != nil {
		return nil, err
	}
	o, err := s.ownerOf(ctx, l, owner, tq.Unpublished)
	if err != nil {
		return nil, err
	}
	public := !l.restricted && (o == nil || o.published)
	gen, cached := s.cache.generation()
	key := ""
	if cached {
		key = tileKey(tq, o)
		if e, ok := s.cache.get(key); ok && s.cacheUsable(ctx, gen) {
			return &planner.Tile{MVT: e.body, ETag: e.etag, Features: e.returned, Public: public}, nil
		}
	}
	t, err := s.tile(ctx, tq, l, o)
	if err != nil {
		return nil, err
	}
	t.Public = public
	if cached && s.cacheFill(ctx, gen) {
		s.cache.put(key, cacheEntry{gen: gen, body: t.MVT, etag: t.ETag, returned: t.Features, matched: t.Features})
	}
	return t, nil
}

// tileKey is the feature cache key of a tile; a scenario's layers key on
// when its plan was saved, as their pages do.
func tileKey(tq planner.TileQuery, o *layerOwner) string {
	b := make([]byte, 0, 64)
	b = append(b, "tile\x00"...)
	b = append(b, tq.Collection...)
	for _, n := range []int{tq.Z, tq.X, tq.Y} {
		b = append(b, 0)
		b = strconv.AppendInt(b, int64(n), 10)
	}
	if o != nil {
		b = append(b, 0)
		b = o.updated.AppendFormat(b, "20060102150405.999999999")
	}
	return string(b)
}

// tile reads one tile from the database.
func (s *FeatureStore) tile(ctx context.Context, tq planner.TileQuery, l *featureLayer, o *layerOwner) (*planner.Tile, error) {
	var q query
	frags := map[string]string{"geom": l.geom, "tilecols": l.tileCols(), "where": "true",
		"extent": strconv.Itoa(tileExtent), "buffer": strconv.Itoa(tileBuffer)}
	if o != nil {
		frags["sc"] = q.arg(o.arg)
	}
	frags["from"] = fill(l.from, frags)
	if l.where != "" {
		frags["where"] = fill(l.where, frags)
	}
	frags["name"] = q.arg(l.name)
	frags["z"] = q.arg(tq.Z)
	frags["x"] = q.arg(tq.X)
	frags["y"] = q.arg(tq.Y)
	frags["margin"] = q.arg(float64(tileBuffer) / tileExtent)
	t := &planner.Tile{}
	if err := s.queryRow(ctx, fill(sqlTile, frags), q.args...).Scan(&t.MVT, &t.Features); err != nil {
		return nil, fmt.Errorf("data: tile %s: %w", tq, err)
	}
	if t.Features == 0 {
		t.MVT = nil
	}
	sum := sha256.Sum256(t.MVT)
	t.ETag = `"` + hex.EncodeToString(sum[:16]) + `"`
	return t, nil
}

var _ planner.TileStore = (*FeatureStore)(nil)
