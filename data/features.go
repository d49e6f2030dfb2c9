package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// FeatureStore serves the base layers and every solved scenario's layers
// as pre-encoded GeoJSON: PostGIS writes each geometry (ST_AsGeoJSON, the
// costly part) and the store splices it with the property values into
// feature bytes with a hand-written encoder (no reflection, no JSON
// building in SQL, which costs PostgreSQL 3–4× the plain query). Layers
// and their SQL come only from the allow-list in features_layers.go;
// every value is a $n parameter; every query gets the caller's context.
type FeatureStore struct {
	db    *sql.DB
	route *ReadRouter // reads through a router (RouteReads); nil: db
	stmts sync.Map    // stmtKey → *sql.Stmt; texts come from allow-listed fragments, so they are few
	// mvtLayers pools the tile encoder's layers (*mvt.Layer), so a tile
	// reuses the tables and buffers of the last.
	mvtLayers sync.Pool
	tileTexts sync.Map // tileTextKey → the layer's tile SQL
	counts    countCache
	cache     *featureCache            // nil until StartCache
	layers    map[string]*featureLayer // base layers by name
	scLay     map[string]*featureLayer // scenario layers by suffix
	chLay     map[string]*featureLayer // saved checks' layers by suffix
	yrLay     map[string]*featureLayer // yearly layers by suffix
	prLay     map[string]*featureLayer // provincial plans' layers by suffix
	order     []*featureLayer
	// CountCap bounds numberMatched: a query matching more features than
	// this reports Matched = -1 (not counted) rather than scan them all.
	CountCap int
	// MaxVertices bounds the geometry one answer carries, and so its
	// bytes and memory whatever the geometries (0: no bound): a page ends
	// before the feature that would take its vertex total above it
	// (FeaturePage.Truncated), and a single feature above it is refused
	// with ETOOLARGE before PostGIS encodes it.
	MaxVertices int
}

// DefaultMaxVertices is FeatureStore.MaxVertices's default: the import's
// limit per geometry (dataset.DefaultMaxVertices, 200,000), so every
// geometry an import accepts can be served; about 5 MB of GeoJSON in
// degrees (25 bytes a vertex).
const DefaultMaxVertices = dataset.DefaultMaxVertices

// stmt returns the prepared statement of a SQL text, preparing it once:
// a prepared query costs one round trip instead of lib/pq's two (parse,
// then execute). Texts come from allow-listed fragments, so they are few.
func (s *FeatureStore) stmt(ctx context.Context, text string) (*sql.Stmt, error) {
	db := s.pool(ctx)
	key := stmtKey{db, text}
	if st, ok := s.stmts.Load(key); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(key, st); loaded {
		st.Close()
		st = prev.(*sql.Stmt)
	}
	return st, nil
}

// query runs a prepared query.
func (s *FeatureStore) query(ctx context.Context, text string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, text)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a prepared query that returns one row.
func (s *FeatureStore) queryRow(ctx context.Context, text string, args ...any) *sql.Row {
	st, err := s.stmt(ctx, text)
	if err != nil {
		// Let QueryRow report the error (it parses the text again).
		return s.pool(ctx).QueryRowContext(ctx, text, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Close releases the store's prepared statements (not the pool).
func (s *FeatureStore) Close() error {
	s.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		s.stmts.Delete(k)
		return true
	})
	return nil
}

var _ planner.FeatureStore = (*FeatureStore)(nil)

// DefaultCountCap is FeatureStore.CountCap's default: counting up to
// 100,000 matches costs tens of milliseconds once per filter and
// DefaultCountTTL; more would dominate a page.
const DefaultCountCap = 100000

// NewFeatureStore returns a feature store reading db (the read-only pool
// is enough).
func NewFeatureStore(db *sql.DB) *FeatureStore {
	s := &FeatureStore{db: db, layers: map[string]*featureLayer{}, scLay: map[string]*featureLayer{},
		chLay: map[string]*featureLayer{}, yrLay: map[string]*featureLayer{}, prLay: map[string]*featureLayer{}, CountCap: DefaultCountCap, MaxVertices: DefaultMaxVertices,
		counts: countCache{ttl: DefaultCountTTL, m: map[string]countEntry{}}}
	for _, l := range append(layers(), provinceLayers()...) {
		l := l
		for i := range l.props {
			l.props[i].key = appendJSONString(nil, []byte(l.props[i].name))
			l.props[i].key = append(l.props[i].key, ':')
		}
		switch {
		case l.scenario:
			s.scLay[l.name] = &l
		case l.check:
			s.chLay[l.name] = &l
		case l.year:
			s.yrLay[l.name] = &l
		case l.province:
			s.prLay[l.name] = &l
		default:
			s.layers[l.name] = &l
		}
		s.order = append(s.order, &l)
	}
	return s
}

// Coordinate precision of ST_AsGeoJSON: 7 decimals of a degree is ~1 cm,
// 3 decimals of a metre is 1 mm; finer digits would only add bytes.
const (
	digitsDegrees = 7
	digitsMetres  = 3
)

// SQL of the feature store. {…} marks allow-listed fragments filled from a
// featureLayer; values are $n parameters.
const (
	// sqlItems returns one page: id, geometry as GeoJSON, the properties,
	// then the geometry's vertex count.
	sqlItems = `select {fid}, {geojson}, {cols}, {npoints} from {from} where {where} {bbox}
	order by {order} limit {limit} offset {offset}`
	// sqlCount counts matches up to a cap (a subquery, so it stops early).
	sqlCount = `select count(*)::int from (select 1 from {from} where {where} {bbox} limit {cap}) m`
	// sqlItem returns one feature.
	sqlItem = `select {fid}, {geojson}, {cols}, {npoints} from {from} where {idMatch}`
	// sqlBboxDegrees and sqlBbox4549 filter by a box given in lon/lat degrees or
	// in EPSG:4549 easting/northing metres (transformed to the storage CRS).
	// A geometry whose bounding box lies inside the box intersects it: the
	// cheap box test (@) spares ST_Intersects for all but the features on
	// the box's edge (a third less database time on a 5 % box).
	sqlBboxDegrees = `and {geomcol} && ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4490)
	and ({geomcol} @ ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4490) or ST_Intersects({geomcol}, ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4490)))`
	sqlBbox4549 = `and {geomcol} && ST_Transform(ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4549), 4490)
	and ST_Intersects({geomcol}, ST_Transform(ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4549), 4490))`
)

// query is a SQL text with its $n arguments under construction.
type query struct {
	args []any
}

// arg appends v and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// fill replaces {name} fragments of tmpl by frags.
func fill(tmpl string, frags map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		name := ""
		if j > 0 {
			name = tmpl[i+1 : i+j]
		}
		v, ok := frags[name]
		if !ok {
			// Not a fragment (e.g. JSON text inside a string literal).
			b.WriteString(tmpl[:i+1])
			tmpl = tmpl[i+1:]
			continue
		}
		b.WriteString(tmpl[:i])
		b.WriteString(v)
		tmpl = tmpl[i+j+1:]
	}
}

// resolve finds the layer of a collection id: a base layer name,
// "{scenario}.{layer}" or "check-{id}.{layer}". owner is the part before
// the dot ("" for base layers); ownerOf checks it.
func (s *FeatureStore) resolve(collection string) (l *featureLayer, owner string, err error) {
	if !storable(collection) {
		// No such collection can exist, and PostgreSQL would refuse the text.
		return nil, "", &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
			Message: fmt.Sprintf("no collection %s: not valid UTF-8 text without NUL", truncateID(collection))}
	}
	if l, ok := s.layers[collection]; ok {
		return l, "", nil
	}
	if i := strings.LastIndexByte(collection, '.'); i > 0 {
		if l, ok := s.scLay[collection[i+1:]]; ok {
			return l, collection[:i], nil
		}
		if l, ok := s.chLay[collection[i+1:]]; ok {
			return l, collection[:i], nil
		}
		if l, ok := s.yrLay[collection[i+1:]]; ok {
			return l, collection[:i], nil
		}
		if l, ok := s.prLay[collection[i+1:]]; ok {
			return l, collection[:i], nil
		}
	}
	return nil, "", &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
		Message: fmt.Sprintf("no collection %s (base layers: towns, parcels, protected, enterprises, counties; scenario layers: {scenario}.parks, .assignments, .unplaced, .towns, .candidates; saved checks, reviewer and planner roles: violations, check-{id}.violations; saved evaluations: year-{year}.evaluation, year-{year}.exit; saved provincial plans: province-{id}.allocation)", truncateID(collection))}
}

// geojsonExpr returns the SQL that writes geometry expression g as GeoJSON in crs.
func geojsonExpr(g string, crs planner.CRS) string {
	// options 0: no "crs" member (RFC 7946); the response names its CRS.
	switch crs {
	case planner.CRS84:
		// Storage is CGCS2000 lon/lat; CGCS2000 and WGS84 agree to well under a metre here.
		return "ST_AsGeoJSON(" + g + ", " + strconv.Itoa(digitsDegrees) + ", 0)"
	case planner.EPSG4326, planner.EPSG4490:
		return "ST_AsGeoJSON(ST_FlipCoordinates(" + g + "), " + strconv.Itoa(digitsDegrees) + ", 0)"
	case planner.EPSG4549:
		return "ST_AsGeoJSON(ST_FlipCoordinates(ST_Transform(" + g + ", 4549)), " + strconv.Itoa(digitsMetres) + ", 0)"
	}
	panic(fmt.Sprintf("data: unchecked CRS %d", crs))
}

// npointsExpr returns the SQL of geometry expression g's vertex count (0 for null).
func npointsExpr(g string) string { return "coalesce(ST_NPoints(" + g + "), 0)" }

// cappedGeoJSON returns geojsonExpr, or null for a geometry of more than
// MaxVertices vertices (so PostGIS never encodes nor sends it), adding the
// cap as an argument.
func (s *FeatureStore) cappedGeoJSON(q *query, g string, crs planner.CRS) string {
	return capGeoJSON(q, g, crs, s.MaxVertices)
}

// capGeoJSON returns geojsonExpr, or null for a geometry of more than max
// vertices (0: no cap), adding the cap as an argument.
func capGeoJSON(q *query, g string, crs planner.CRS, max int) string {
	e := geojsonExpr(g, crs)
	if max <= 0 {
		return e
	}
	return "case when ST_NPoints(" + g + ") <= " + q.arg(max) + " then " + e + " end"
}

// vertexBudget cuts a page at the store's vertex limit.
type vertexBudget struct {
	max, used int
}

// take reports whether a feature of n vertices still fits the answer
// after returned features; a first feature above the whole limit is an
// ETOOLARGE error naming it.
func (v *vertexBudget) take(collection string, id []byte, n, returned int) (bool, error) {
	if v.max <= 0 {
		return true, nil
	}
	if n > v.max {
		if returned > 0 {
			return false, nil
		}
		return false, &planner.Error{Code: planner.ETOOLARGE, Field: "featureId",
			Message: fmt.Sprintf("feature %s of %q has %d vertices, more than one answer may carry (%d: the server's max_page_vertices)",
				truncateID(string(id)), collection, n, v.max)}
	}
	if v.used+n > v.max && returned > 0 {
		return false, nil
	}
	v.used += n
	return true, nil
}

// storable reports whether a text value can reach PostgreSQL: valid
// UTF-8 without NUL (the server refuses anything else with an error, which
// would be a 500 for what is only an id that cannot exist).
func storable(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// truncateID quotes an id for an error, cut to maxEchoedID bytes.
func truncateID(id string) string {
	if len(id) > maxEchoedID {
		return strconv.Quote(id[:maxEchoedID]) + "…"
	}
	return strconv.Quote(id)
}

// maxEchoedID bounds how much of a feature id an error repeats.
const maxEchoedID = 64

// bboxFilter returns the bbox condition for q (or ""), adding its arguments.
func bboxFilter(q *query, l *featureLayer, bbox *[4]float64, crs planner.CRS) string {
	if bbox == nil {
		return ""
	}
	b := *bbox
	if crs.LatFirst() {
		b = [4]float64{b[1], b[0], b[3], b[2]}
	}
	tmpl := sqlBboxDegrees
	if crs == planner.EPSG4549 {
		tmpl = sqlBbox4549
	}
	return fill(tmpl, map[string]string{"geomcol": l.geom,
		"x0": q.arg(b[0]), "y0": q.arg(b[1]), "x1": q.arg(b[2]), "y1": q.arg(b[3])})
}

// checkItems validates q's values (the API checks them too; the store
// does not trust its caller).
func checkItems(q planner.ItemsQuery) error {
	switch {
	case q.Limit < 1 || q.Limit > planner.ItemsMaxLimit:
		return planner.FieldErrorf("query.limit", "limit %d is outside 1…%d", q.Limit, planner.ItemsMaxLimit)
	case q.Offset < 0:
		return planner.FieldErrorf("query.offset", "offset %d is negative", q.Offset)
	case !q.CRS.Valid():
		return planner.FieldErrorf("query.crs", "unsupported CRS %d", q.CRS)
	case q.Bbox != nil && !q.BboxCRS.Valid():
		return planner.FieldErrorf("query.bbox-crs", "unsupported CRS %d", q.BboxCRS)
	case q.Bbox != nil && (q.Bbox[0] > q.Bbox[2] || q.Bbox[1] > q.Bbox[3]):
		return planner.FieldErrorf("query.bbox", "bbox %v: each minimum must not exceed its maximum", *q.Bbox)
	case q.Bbox != nil && !q.BboxCRS.InDomain(*q.Bbox):
		// PROJ would fail ("Point outside of projection domain") or invert to nonsense.
		return planner.FieldErrorf("query.bbox", "bbox %v is outside the domain %v of EPSG:%d", *q.Bbox, q.BboxCRS.Domain(), q.BboxCRS.SRID())
	}
	return nil
}

// Items returns one page of a collection in q.CRS, ordered by feature id.
func (s *FeatureStore) Items(ctx context.Context, iq planner.ItemsQuery) (*planner.FeaturePage, error) {
	if err := checkItems(iq); err != nil {
		return nil, err
	}
	l, owner, err := s.resolve(iq.Collection)
	if err != nil {
		return nil, err
	}
	gen, cached := s.cache.generation()
	key := ""
	if cached {
		key = itemsKey(iq)
		if e, ok := s.cache.get(key); ok && s.cacheUsable(ctx, gen) {
			return &planner.FeaturePage{Features: e.body, Returned: e.returned, Matched: e.matched, Truncated: e.truncated}, nil
		}
	}
	page, err := s.items(ctx, iq, l, owner)
	if err == nil && cached && s.cacheFill(ctx, gen) {
		s.cache.put(key, cacheEntry{gen: gen, body: page.Features, returned: page.Returned, matched: page.Matched, truncated: page.Truncated})
	}
	return page, err
}

// itemsKey is the feature cache key of an items query.
func itemsKey(q planner.ItemsQuery) string {
	b := make([]byte, 0, 128)
	b = append(b, "items\x00"...)
	b = append(b, q.Collection...)
	for _, n := range []int{q.Limit, q.Offset, int(q.CRS), int(q.BboxCRS)} {
		b = append(b, 0)
		b = strconv.AppendInt(b, int64(n), 10)
	}
	b = strconv.AppendBool(b, q.Unpublished)
	if q.Bbox != nil {
		for _, f := range q.Bbox {
			b = append(b, 0)
			b = strconv.AppendFloat(b, f, 'g', -1, 64)
		}
	}
	return string(b)
}

// items reads one page from the database.
func (s *FeatureStore) items(ctx context.Context, iq planner.ItemsQuery, l *featureLayer, owner string) (*planner.FeaturePage, error) {
	var q query
	frags := map[string]string{"from": l.from, "order": l.order, "fid": l.fid, "cols": l.cols(),
		"npoints": npointsExpr(l.geom), "where": "true"}
	o, err := s.ownerOf(ctx, l, owner, iq.Unpublished)
	if err != nil {
		return nil, err
	}
	version := ""
	if o != nil {
		version = o.updated.String()
		frags["sc"] = q.arg(o.arg)
	}
	if l.where != "" {
		frags["where"] = fill(l.where, frags)
	}
	frags["from"] = fill(l.from, frags)
	frags["bbox"] = bboxFilter(&q, l, iq.Bbox, iq.BboxCRS)

	page := &planner.FeaturePage{Matched: -1}
	// The count depends on the filters only, not on the page: cache it.
	nargs := len(q.args)
	frags["cap"] = q.arg(s.CountCap + 1)
	countSQL := fill(sqlCount, frags)
	countKey := countSQL + "\x00" + fmt.Sprint(q.args...) + "\x00" + version
	if gen, ok := s.cache.generation(); ok {
		// Exact while notifications flow: a change starts a new generation.
		countKey += "\x00" + strconv.FormatUint(gen, 10)
	}
	matched, cached := s.counts.get(countKey)
	if !cached {
		if err := s.queryRow(ctx, countSQL, q.args...).Scan(&matched); err != nil {
			return nil, fmt.Errorf("data: counting collection %q: %w", iq.Collection, err)
		}
		if matched > s.CountCap {
			matched = -1
		}
		s.counts.put(countKey, matched)
	}
	page.Matched = matched
	q.args = q.args[:nargs]
	frags["limit"] = q.arg(iq.Limit)
	frags["offset"] = q.arg(iq.Offset)
	frags["geojson"] = s.cappedGeoJSON(&q, l.geom, iq.CRS)

	rows, err := s.query(ctx, fill(sqlItems, frags), q.args...)
	if err != nil {
		return nil, fmt.Errorf("data: reading collection %q: %w", iq.Collection, err)
	}
	defer rows.Close()
	var id, geom, rec sql.RawBytes
	var npoints int
	dest := []any{&id, &geom, &rec, &npoints}
	budget := vertexBudget{max: s.MaxVertices}
	vals := make([][]byte, len(l.props))
	// A feature of a 1,000-parcel page is ~420 bytes; start near that.
	b := make([]byte, 0, 512*min(iq.Limit, 2000)+2)
	b = append(b, '[')
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("data: reading collection %q: %w", iq.Collection, err)
		}
		if ok, err := budget.take(iq.Collection, id, npoints, page.Returned); err != nil {
			return nil, err
		} else if !ok {
			// The rest of the page is left unread; rows.Close discards it.
			page.Truncated = true
			break
		}
		if !parseRecord(rec, vals) {
			return nil, fmt.Errorf("data: collection %q: feature %s: malformed property row %.100q", iq.Collection, id, rec)
		}
		if page.Returned > 0 {
			b = append(b, ',')
		}
		b = appendFeature(b, l, id, geom, vals)
		page.Returned++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: reading collection %q: %w", iq.Collection, err)
	}
	page.Features = append(b, ']')
	return page, nil
}

// Item returns one feature of a collection in crs, or ENOTFOUND.
func (s *FeatureStore) Item(ctx context.Context, collection, id string, crs planner.CRS, unpublished bool) (json.RawMessage, error) {
	if !crs.Valid() {
		return nil, planner.FieldErrorf("query.crs", "unsupported CRS %d", crs)
	}
	l, owner, err := s.resolve(collection)
	if err != nil {
		return nil, err
	}
	if !storable(id) {
		return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "featureId",
			Message: fmt.Sprintf("collection %s has no feature %s: not valid UTF-8 text without NUL", truncateID(collection), truncateID(id))}
	}
	gen, cached := s.cache.generation()
	key := ""
	if cached {
		key = "item\x00" + collection + "\x00" + id + "\x00" + strconv.Itoa(int(crs)) + strconv.FormatBool(unpublished)
		if e, ok := s.cache.get(key); ok && s.cacheUsable(ctx, gen) {
			return e.body, nil
		}
	}
	f, err := s.item(ctx, collection, id, crs, unpublished, l, owner)
	if err == nil && cached && s.cacheFill(ctx, gen) {
		s.cache.put(key, cacheEntry{gen: gen, body: f, returned: 1, matched: 1})
	}
	return f, err
}

// item reads one feature from the database.
func (s *FeatureStore) item(ctx context.Context, collection, id string, crs planner.CRS, unpublished bool, l *featureLayer, owner string) (json.RawMessage, error) {
	o, err := s.ownerOf(ctx, l, owner, unpublished)
	if err != nil {
		return nil, err
	}
	var q query
	frags := map[string]string{"fid": l.fid, "cols": l.cols(), "npoints": npointsExpr(l.geom)}
	if o != nil {
		frags["sc"] = q.arg(o.arg)
	}
	frags["geojson"] = s.cappedGeoJSON(&q, l.geom, crs)
	frags["id"] = q.arg(id)
	frags["from"] = fill(l.from, frags)
	frags["idMatch"] = fill(l.idMatch, frags)
	var fid, geom, rec sql.RawBytes
	var npoints int
	dest := []any{&fid, &geom, &rec, &npoints}
	vals := make([][]byte, len(l.props))
	rows, err := s.query(ctx, fill(sqlItem, frags), q.args...)
	if err != nil {
		return nil, fmt.Errorf("data: reading feature %q of %q: %w", id, collection, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("data: reading feature %q of %q: %w", id, collection, err)
		}
		return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "featureId",
			Message: fmt.Sprintf("collection %s has no feature %s", truncateID(collection), truncateID(id))}
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, fmt.Errorf("data: reading feature %q of %q: %w", id, collection, err)
	}
	budget := vertexBudget{max: s.MaxVertices}
	if _, err := budget.take(collection, fid, npoints, 0); err != nil {
		return nil, err
	}
	if !parseRecord(rec, vals) {
		return nil, fmt.Errorf("data: collection %q: feature %s: malformed property row %.100q", collection, fid, rec)
	}
	return appendFeature(make([]byte, 0, 1024), l, fid, geom, vals), rows.Err()
}
