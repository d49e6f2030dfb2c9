package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/parkplan/parkplan/geo/mvt"
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

// maxPooledTile is the most features a tile's layer may have been written
// with and still go back to the store's pool: its tables and buffers are
// kept for the next tile (a map's tiles are alike), a huge one's are not.
const maxPooledTile = 20000

// sqlTile finds the features of one tile: the layer's rows whose
// bounding box meets the tile grown by its buffer, as a lon/lat box
// computed in Go (exact: Web Mercator maps a tile's edges to meridians
// and parallels), so the layer's GiST index answers it; each row's
// geometry as WKB and its properties as one row value (cols). Clipping,
// snapping to the grid and encoding happen in Go (geo/mvt): PostGIS's
// ST_Transform, ST_AsMVTGeom and ST_AsMVT did the same work at two to
// three times the CPU (docs/scale.md). Geometries are stored in CGCS2000
// lon/lat and read as WGS84 lon/lat, as the CRS84 GeoJSON is (the datums
// agree to well under a metre here, a tenth of a pixel at zoom 18).
const sqlTile = `select ST_AsBinary({geom}), {cols} from {from} where {where}
	and {geom} && ST_MakeEnvelope({west}, {south}, {east}, {north}, 4490)`

// sqlTileRows finds the features of one tile of a layer with a tile row
// (features_tilerow.go): the same rows as sqlTile, each as its one
// stored tile row.
const sqlTileRows = `select {tileRow} from {from} where {where}
	and {geom} && ST_MakeEnvelope({west}, {south}, {east}, {north}, 4490)`

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

// tileTextKey keys a layer's tile SQL: the text depends only on the
// layer and whether it has an owner (a scenario, check, year or
// province, its id the first parameter).
type tileTextKey struct {
	l     *featureLayer
	owned bool
}

// tileSQL returns the tile query of layer l (sqlTile filled in), built
// once per layer: its parameters are the owner's id when owned, then the
// tile's west, south, east and north.
func (s *FeatureStore) tileSQL(l *featureLayer, owned bool) string {
	key := tileTextKey{l, owned}
	if t, ok := s.tileTexts.Load(key); ok {
		return t.(string)
	}
	var q query
	frags := map[string]string{"geom": l.geom, "cols": l.cols(), "tileRow": l.tileRow, "where": "true"}
	if owned {
		frags["sc"] = q.arg(nil)
	}
	frags["from"] = fill(l.from, frags)
	if l.where != "" {
		frags["where"] = fill(l.where, frags)
	}
	frags["west"], frags["south"], frags["east"], frags["north"] = q.arg(nil), q.arg(nil), q.arg(nil), q.arg(nil)
	text := sqlTile
	if l.tileRow != "" {
		text = sqlTileRows
	}
	t := fill(text, frags)
	s.tileTexts.Store(key, t)
	return t
}

// tile reads one tile's features from the database and encodes them.
func (s *FeatureStore) tile(ctx context.Context, tq planner.TileQuery, l *featureLayer, o *layerOwner) (*planner.Tile, error) {
	mt := mvt.Tile{Z: tq.Z, X: tq.X, Y: tq.Y, Extent: tileExtent, Buffer: tileBuffer}
	box := mt.LonLatBound()
	args := make([]any, 0, 5)
	if o != nil {
		args = append(args, o.arg)
	}
	args = append(args, box.Min[0], box.Min[1], box.Max[0], box.Max[1])
	rows, err := s.query(ctx, s.tileSQL(l, o != nil), args...)
	if err != nil {
		return nil, fmt.Errorf("data: tile %s: %w", tq, err)
	}
	defer rows.Close()
	layer, _ := s.mvtLayers.Get().(*mvt.Layer)
	if layer == nil {
		layer = mvt.NewLayer(l.name, mt)
	} else {
		layer.Reset(l.name, mt)
	}
	defer func() {
		if layer.Len() <= maxPooledTile { // a huge tile's tables are not kept
			s.mvtLayers.Put(layer)
		}
	}()
	keys := make([]mvt.Key, len(l.props))
	for i, p := range l.props {
		keys[i] = layer.Key(p.name)
	}
	var geom, rec sql.RawBytes
	vals := make([][]byte, len(l.props))
	row := 0
	for rows.Next() {
		if l.tileRow != "" {
			if err := rows.Scan(&rec); err != nil {
				return nil, fmt.Errorf("data: tile %s: %w", tq, err)
			}
			if geom, err = tileRowProps(layer, keys, l, rec); err != nil {
				return nil, fmt.Errorf("data: tile %s: row %d: %w", tq, row, err)
			}
		} else {
			if err := rows.Scan(&geom, &rec); err != nil {
				return nil, fmt.Errorf("data: tile %s: %w", tq, err)
			}
			if !parseRecord(rec, vals) {
				return nil, fmt.Errorf("data: tile %s: malformed property row %.100q", tq, rec)
			}
			if err := tileProps(layer, keys, l, vals); err != nil {
				return nil, fmt.Errorf("data: tile %s: %w", tq, err)
			}
		}
		if _, err := layer.FeatureWKB(geom); err != nil {
			return nil, fmt.Errorf("data: tile %s: geometry of row %d: %w", tq, row, err)
		}
		row++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: tile %s: %w", tq, err)
	}
	t := &planner.Tile{MVT: layer.Bytes(), Features: layer.Len()}
	sum := sha256.Sum256(t.MVT)
	t.ETag = `"` + hex.EncodeToString(sum[:16]) + `"`
	return t, nil
}

// tileProps sets the next feature's properties from their text form
// (parseRecord; nil for NULL, left out as ST_AsMVT does): the same
// properties, from the same definitions, as the layer's GeoJSON
// features, as MVT's typed values (strings, 64-bit floats and integers,
// booleans; arrays as their JSON text).
func tileProps(layer *mvt.Layer, keys []mvt.Key, l *featureLayer, vals [][]byte) error {
	for i := range l.props {
		p, v := &l.props[i], vals[i]
		if v == nil {
			continue
		}
		switch p.typ {
		case "number":
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil {
				return fmt.Errorf("property %s: %w", p.name, err)
			}
			layer.Double(keys[i], f)
		case "integer":
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return fmt.Errorf("property %s: %w", p.name, err)
			}
			layer.Int(keys[i], n)
		case "boolean":
			layer.Bool(keys[i], v[0] == 't' || v[0] == 'T')
		default: // string; array (JSON text)
			layer.String(keys[i], v)
		}
	}
	return nil
}

var _ planner.TileStore = (*FeatureStore)(nil)
