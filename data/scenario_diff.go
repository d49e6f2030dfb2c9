package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// ScenarioLayerStore builds scenario difference layers in PostGIS. It
// only reads, so it may sit on the read-only pool.
type ScenarioLayerStore struct {
	db *ScenarioStore
	// MaxVertices bounds the geometry one answer carries, as
	// FeatureStore.MaxVertices does for every other collection (0: no
	// bound): a page ends before the feature that would take its vertex
	// total above it, and a single feature above it is refused with
	// ETOOLARGE before PostGIS encodes it.
	MaxVertices int
}

var _ planner.LayerStore = (*ScenarioLayerStore)(nil)

// NewScenarioLayerStore returns a layer store on s's pool, bounded by
// DefaultMaxVertices.
func NewScenarioLayerStore(s *ScenarioStore) *ScenarioLayerStore {
	return &ScenarioLayerStore{db: s, MaxVertices: DefaultMaxVertices}
}

// sqlDiffFeatures is the difference between the plans of scenarios $1 (a)
// and $2 (b), as the rows of CTE "features" (fid, geom, props as JSON),
// which the queries below page, find by id or measure. Parks ("park:{parcel}", the parcel polygon): added (only
// in b), removed (only in a), or changed: re-specialised (specialty
// differs) and/or re-timed (opening year differs). Firms
// ("firm:{enterprise}", a line): moved (park in a → park in b), entered
// (firm → its park in b) or left (its park in a → firm). Coordinates are
// CGCS2000 lon/lat, served as CRS84 as every collection's are. Geometry and
// figures come from the plans' own rows (each plan's dataset revision),
// never from the current parcels and firms.
const sqlDiffFeatures = `
WITH pa AS (SELECT * FROM plan_park WHERE scenario_id = $1),
pb AS (SELECT * FROM plan_park WHERE scenario_id = $2),
parks AS (
	SELECT coalesce(pa.parcel_id, pb.parcel_id) AS parcel_id,
		CASE WHEN pa.parcel_id IS NULL THEN 'added' WHEN pb.parcel_id IS NULL THEN 'removed' ELSE 'changed' END AS change,
		pa.specialty AS specialty_a, pb.specialty AS specialty_b, pa.open_year AS open_year_a, pb.open_year AS open_year_b,
		pa.tier AS tier_a, pb.tier AS tier_b, pa.firms AS firms_a, pb.firms AS firms_b,
		coalesce(pb.geom, pa.geom) AS geom, coalesce(pb.name, pa.name) AS name, coalesce(pb.town, pa.town) AS town,
		coalesce(pb.kind, pa.kind) AS kind, coalesce(pb.area_mu, pa.area_mu) AS area_mu
	FROM pa FULL JOIN pb ON pa.parcel_id = pb.parcel_id
	WHERE pa.parcel_id IS NULL OR pb.parcel_id IS NULL
		OR pa.specialty <> pb.specialty OR pa.open_year <> pb.open_year
),
fa AS (SELECT * FROM plan_assignment WHERE scenario_id = $1),
fb AS (SELECT * FROM plan_assignment WHERE scenario_id = $2),
firms AS (
	SELECT coalesce(fa.enterprise_id, fb.enterprise_id) AS enterprise_id,
		CASE WHEN fa.parcel_id IS NULL THEN 'entered' WHEN fb.parcel_id IS NULL THEN 'left' ELSE 'moved' END AS change,
		fa.parcel_id AS park_a, fb.parcel_id AS park_b, fa.distance_m AS distance_m_a, fb.distance_m AS distance_m_b,
		fa.geom AS line_a, fb.geom AS line_b, coalesce(fb.firm_town, fa.firm_town) AS town,
		coalesce(fb.industry, fa.industry) AS industry, coalesce(fb.size, fa.size) AS size
	FROM fa FULL JOIN fb ON fa.enterprise_id = fb.enterprise_id
	WHERE fa.parcel_id IS DISTINCT FROM fb.parcel_id
),
features AS (
	SELECT 'park:' || parks.parcel_id AS fid, parks.geom AS geom,
		json_build_object('layer', 'parks', 'change', parks.change,
			'respecialised', parks.change = 'changed' AND parks.specialty_a <> parks.specialty_b,
			'retimed', parks.change = 'changed' AND parks.open_year_a <> parks.open_year_b,
			'parcel_id', parks.parcel_id, 'name', parks.name, 'town', parks.town, 'kind', parks.kind, 'area_mu', parks.area_mu,
			'specialty_a', parks.specialty_a, 'specialty_b', parks.specialty_b,
			'open_year_a', parks.open_year_a, 'open_year_b', parks.open_year_b,
			'tier_a', parks.tier_a, 'tier_b', parks.tier_b, 'firms_a', parks.firms_a, 'firms_b', parks.firms_b) AS props
	FROM parks
	UNION ALL
	SELECT 'firm:' || firms.enterprise_id,
		-- an assignment's line runs from the firm to a point on its park
		CASE firms.change
			WHEN 'moved' THEN ST_MakeLine(ST_EndPoint(firms.line_a), ST_EndPoint(firms.line_b))
			WHEN 'entered' THEN firms.line_b
			ELSE ST_Reverse(firms.line_a) END,
		json_build_object('layer', 'firms', 'change', firms.change, 'enterprise_id', firms.enterprise_id,
			'town', firms.town, 'industry', firms.industry, 'size', firms.size,
			'park_a', firms.park_a, 'park_b', firms.park_b,
			'distance_m_a', firms.distance_m_a, 'distance_m_b', firms.distance_m_b,
			-- primary-key lookups: a join here is planned as a nested loop
			-- over every unplaced firm when the fresh rows have no statistics
			'unplaced_reason_a', (SELECT ua.reason FROM plan_unplaced ua WHERE ua.scenario_id = $1 AND ua.enterprise_id = firms.enterprise_id),
			'unplaced_reason_b', (SELECT ub.reason FROM plan_unplaced ub WHERE ub.scenario_id = $2 AND ub.enterprise_id = firms.enterprise_id))
	FROM firms
)
`

// sqlDiffPage reads one page of the difference ({bbox}: a condition on
// geom; {limit}, {offset}, {cap}: parameters): each feature's id, its
// geometry as GeoJSON (null above the vertex cap: never encoded), its
// properties, its vertex count; and, on every row, the number of
// matches. The lateral join yields one row (of nulls) even for a page
// past the end, so the count is always read.
const sqlDiffPage = sqlDiffFeatures + `,
matched AS (SELECT * FROM features WHERE {bbox})
SELECT p.fid, p.geojson, p.props::text, p.npoints, c.n
FROM (SELECT count(*)::int AS n FROM matched) c
LEFT JOIN LATERAL (
	SELECT fid, {geojson} AS geojson, props, coalesce(ST_NPoints(geom), 0) AS npoints
	FROM matched ORDER BY fid LIMIT {limit} OFFSET {offset}
) p ON true`

// sqlDiffItem reads one feature of the difference ({fid}, {cap}: parameters).
const sqlDiffItem = sqlDiffFeatures + `
SELECT fid, {geojson}, props::text, coalesce(ST_NPoints(geom), 0) FROM features WHERE fid = {fid}`

// sqlDiffExtent reads the bounding box of the difference's features.
const sqlDiffExtent = sqlDiffFeatures + `
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM features) x`

// diffGeoJSON returns the GeoJSON expression of a difference feature's
// geometry (CRS84, as every collection's), capped at MaxVertices.
func (s *ScenarioLayerStore) diffGeoJSON(q *query) string {
	return capGeoJSON(q, "geom", planner.CRS84, s.MaxVertices)
}

// diffQuery starts a difference query of a and b ($1, $2).
func diffQuery(a, b string) *query {
	q := &query{}
	q.arg(a)
	q.arg(b)
	return q
}

// appendDiffFeature appends one Feature of the difference to b.
func appendDiffFeature(b, fid, geojson, props []byte) []byte {
	b = append(b, `{"type":"Feature","id":`...)
	b = appendJSONString(b, fid)
	b = append(b, `,"geometry":`...)
	if geojson == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, geojson...)
	}
	b = append(b, `,"properties":`...)
	b = append(b, props...)
	return append(b, '}')
}

// DiffItems implements planner.LayerStore: one page, in id order, bounded
// by MaxVertices as FeatureStore.Items is.
func (s *ScenarioLayerStore) DiffItems(ctx context.Context, a, b string, iq planner.ItemsQuery) (*planner.FeaturePage, error) {
	if iq.CRS != planner.CRS84 || (iq.Bbox != nil && iq.BboxCRS != planner.CRS84) {
		panic("data: a difference page in a CRS other than CRS84") // the API refuses these
	}
	q := diffQuery(a, b)
	frags := map[string]string{"bbox": "true"}
	if iq.Bbox != nil {
		frags["bbox"] = "geom && ST_MakeEnvelope(" + q.arg(iq.Bbox[0]) + ", " + q.arg(iq.Bbox[1]) + ", " +
			q.arg(iq.Bbox[2]) + ", " + q.arg(iq.Bbox[3]) + ", 4490)"
	}
	frags["geojson"] = s.diffGeoJSON(q)
	frags["limit"] = q.arg(iq.Limit)
	frags["offset"] = q.arg(iq.Offset)
	rows, err := s.db.pool(ctx).QueryContext(ctx, fill(sqlDiffPage, frags), q.args...)
	if err != nil {
		return nil, fmt.Errorf("data: difference of scenarios %q and %q: %w", a, b, err)
	}
	defer rows.Close()
	var fid, geojson, props sql.RawBytes
	var npoints sql.NullInt64
	page := &planner.FeaturePage{}
	budget := vertexBudget{max: s.MaxVertices}
	buf := []byte{'['}
	for rows.Next() {
		if err := rows.Scan(&fid, &geojson, &props, &npoints, &page.Matched); err != nil {
			return nil, fmt.Errorf("data: difference of scenarios %q and %q: %w", a, b, err)
		}
		if fid == nil { // the row of a page past the end
			continue
		}
		if ok, err := budget.take(diffCollection(a, b), fid, int(npoints.Int64), page.Returned); err != nil {
			return nil, err
		} else if !ok {
			page.Truncated = true
			break
		}
		if page.Returned > 0 {
			buf = append(buf, ',')
		}
		buf = appendDiffFeature(buf, fid, geojson, props)
		page.Returned++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: difference of scenarios %q and %q: %w", a, b, err)
	}
	page.Features = append(buf, ']')
	return page, nil
}

// DiffItem implements planner.LayerStore.
func (s *ScenarioLayerStore) DiffItem(ctx context.Context, a, b, fid string) (json.RawMessage, error) {
	coll := diffCollection(a, b)
	notFound := &planner.Error{Code: planner.ENOTFOUND, Field: "featureId",
		Message: fmt.Sprintf("collection %q has no feature %s", coll, truncateID(fid))}
	if !storable(fid) {
		return nil, notFound
	}
	q := diffQuery(a, b)
	frags := map[string]string{"geojson": s.diffGeoJSON(q), "fid": q.arg(fid)}
	var id, geojson, props []byte
	var npoints int
	err := s.db.pool(ctx).QueryRowContext(ctx, fill(sqlDiffItem, frags), q.args...).Scan(&id, &geojson, &props, &npoints)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("data: difference of scenarios %q and %q: %w", a, b, err)
	}
	budget := vertexBudget{max: s.MaxVertices}
	if _, err := budget.take(coll, id, npoints, 0); err != nil {
		return nil, err
	}
	return appendDiffFeature(nil, id, geojson, props), nil
}

// DiffExtent implements planner.LayerStore.
func (s *ScenarioLayerStore) DiffExtent(ctx context.Context, a, b string) (*[4]float64, error) {
	var w, so, e, n sql.NullFloat64
	if err := s.db.pool(ctx).QueryRowContext(ctx, sqlDiffExtent, a, b).Scan(&w, &so, &e, &n); err != nil {
		return nil, fmt.Errorf("data: difference of scenarios %q and %q: %w", a, b, err)
	}
	if !w.Valid {
		return nil, nil
	}
	return &[4]float64{w.Float64, so.Float64, e.Float64, n.Float64}, nil
}

// diffCollection is the collection id of the difference of a and b.
func diffCollection(a, b string) string { return "diff." + a + "." + b }
