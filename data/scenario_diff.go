package data

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// ScenarioLayerStore builds scenario difference layers in PostGIS. It
// only reads, so it may sit on the read-only pool.
type ScenarioLayerStore struct {
	db *ScenarioStore
}

var _ planner.LayerStore = (*ScenarioLayerStore)(nil)

// NewScenarioLayerStore returns a layer store on s's pool.
func NewScenarioLayerStore(s *ScenarioStore) *ScenarioLayerStore { return &ScenarioLayerStore{db: s} }

// sqlScenarioDiff encodes the difference between the plans of scenarios
// $1 (a) and $2 (b) as a JSON array of GeoJSON Features ordered by id, and
// counts them. Parks ("park:{parcel}", the parcel polygon): added (only
// in b), removed (only in a), or changed: re-specialised (specialty
// differs) and/or re-timed (opening year differs). Firms
// ("firm:{enterprise}", a line): moved (park in a → park in b), entered
// (firm → its park in b) or left (its park in a → firm). Coordinates are
// CGCS2000 lon/lat, 7 decimals (≈1 cm), served as CRS84. Geometry and
// figures come from the plans' own rows (each plan's dataset revision),
// never from the current parcels and firms.
const sqlScenarioDiff = `
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
SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', fid,
		'geometry', ST_AsGeoJSON(geom, 7)::json, 'properties', props) ORDER BY fid), '[]'::json),
	count(*)
FROM features`

// ScenarioDiff implements planner.LayerStore.
func (s *ScenarioLayerStore) ScenarioDiff(ctx context.Context, a, b string) (json.RawMessage, int, error) {
	var (
		feats []byte
		n     int
	)
	if err := s.db.pool(ctx).QueryRowContext(ctx, sqlScenarioDiff, a, b).Scan(&feats, &n); err != nil {
		return nil, 0, fmt.Errorf("data: difference of scenarios %q and %q: %w", a, b, err)
	}
	return json.RawMessage(feats), n, nil
}
