package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/lib/pq"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
)

// ComplianceStore computes parks' and proposed parcels' conflicts with
// protected land (table protected_area) in PostGIS. Checks store nothing:
// each runs in a transaction that is rolled back. SaveReport keeps a
// report when the caller asks (tables quota_check, quota_check_violation).
type ComplianceStore struct {
	db *sql.DB
}

var (
	_ compliance.SpatialChecker = (*ComplianceStore)(nil)
	_ compliance.ReportSaver    = (*ComplianceStore)(nil)
)

// NewComplianceStore returns a compliance store on db (a read-write pool:
// checks create a temporary table).
func NewComplianceStore(db *sql.DB) *ComplianceStore { return &ComplianceStore{db: db} }

// SQL of the check, one statement per step. The parcels to check are put in
// a temporary table dropped at the end of the transaction (which is rolled
// back in any case). Areas are geography areas on the CGCS2000 ellipsoid,
// m², divided by $1 (m² per mu). Overlaps are computed against the union of
// the protected polygons a parcel meets, so protected polygons that overlap
// each other are not counted twice. Invalid parcels are reported with
// ST_IsValidReason and not repaired; their overlaps are not computed. The
// overlap CTE is MATERIALIZED: inlined, each overlap was computed once per
// use (six subplans for three overlaps).
const (
	sqlCheckTempTable = `create temporary table check_parcel (
	ord int primary key, id text not null, town text not null, kind text not null,
	open_year int, geom geometry) on commit drop`

	sqlCheckInsertProposed = `insert into check_parcel (ord, id, town, kind, open_year, geom)
	select u.ord::int - 1, u.id, u.town, u.kind, nullif(u.open_year, 0), ST_SetSRID(ST_GeomFromGeoJSON(u.geojson), 4490)
	from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])
		with ordinality as u(id, town, kind, open_year, geojson, ord)`

	sqlCheckInsertStored = `insert into check_parcel (ord, id, town, kind, open_year, geom)
	select i.ord::int - 1, p.id, p.town, p.kind, p.open_year, p.geom
	from unnest($1::text[]) with ordinality as i(id, ord) join parcel p on p.id = i.id`

	// sqlCheckNoJIT: PostGIS functions carry high planner costs, so even a
	// one-parcel check crosses jit_above_cost and spends ~0.8 s compiling
	// (measured: 0.96 s with JIT, 5 ms without). Off for this transaction only.
	sqlCheckNoJIT = `set local jit = off`

	sqlCheckAnalyze = `analyze check_parcel`

	sqlCheckHasBoundary = `select exists (select 1 from protected_area where kind = 'dev_boundary')`

	sqlCheckOverlaps = `with p as (
	select ord, id, town, kind, open_year, geom, ST_IsValid(geom) as valid
	from check_parcel
), o as materialized (
	select p.ord, p.id, p.town, p.kind, p.open_year, p.valid,
		case when p.valid then null else ST_IsValidReason(p.geom) end as reason,
		case when p.valid then p.geom end as geom,
		(select ST_CollectionExtract(ST_Intersection(p.geom, ST_Union(a.geom)), 3)
			from protected_area a
			where p.valid and a.kind = 'basic_farmland' and ST_Intersects(a.geom, p.geom)) as farmland,
		(select ST_CollectionExtract(ST_Intersection(p.geom, ST_Union(a.geom)), 3)
			from protected_area a
			where p.valid and a.kind = 'eco_redline' and ST_Intersects(a.geom, p.geom)) as redline,
		(select case when not p.valid or not $2::bool then null
				when count(*) = 0 then p.geom
				else ST_CollectionExtract(ST_Difference(p.geom, ST_Union(a.geom)), 3) end
			from protected_area a
			where p.valid and a.kind = 'dev_boundary' and ST_Intersects(a.geom, p.geom)) as outside
	from p
), e as (
	select ord, id, town, kind, open_year, valid, reason, geom,
		case when ST_IsEmpty(farmland) then null else farmland end as farmland,
		case when ST_IsEmpty(redline) then null else redline end as redline,
		case when ST_IsEmpty(outside) then null else outside end as outside
	from o
)
select ord, id, town, kind, coalesce(open_year, 0), valid, coalesce(reason, ''),
	coalesce(ST_Area(geom::geography) / $1, 0),
	coalesce(ST_Area(farmland::geography) / $1, 0), coalesce(ST_AsGeoJSON(farmland, 9), ''),
	coalesce(ST_Area(redline::geography) / $1, 0), coalesce(ST_AsGeoJSON(redline, 9), ''),
	coalesce(ST_Area(outside::geography) / $1, 0), coalesce(ST_AsGeoJSON(outside, 9), '')
from e order by ord`
)

// CheckProposed computes each proposed parcel's conflicts with the stored
// protected land, in input order. Geometry is lon/lat (EPSG:4490) and may
// be invalid: PostGIS then says why (ParcelCheck.InvalidReason). The parcels go into a temporary table in
// a transaction that is rolled back: nothing is stored.
func (s *ComplianceStore) CheckProposed(ctx context.Context, parcels []compliance.Proposed) ([]compliance.ParcelCheck, error) {
	n := len(parcels)
	ids, towns, kinds, geoms := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	years := make([]int64, n)
	for i, p := range parcels {
		gj, err := geojson.NewGeometry(p.Geometry).MarshalJSON()
		if err != nil {
			return nil, planner.FieldErrorf(fmt.Sprintf("parcel %d (id %s): geometry", i, p.ID), "cannot encode: %v", err)
		}
		ids[i], towns[i], kinds[i], years[i], geoms[i] = p.ID, p.Town, string(p.Kind), int64(p.OpenYear), string(gj)
	}
	return s.check(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlCheckInsertProposed,
			pq.Array(ids), pq.Array(towns), pq.Array(kinds), pq.Array(years), pq.Array(geoms))
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && strings.HasPrefix(string(pqErr.Code), "XX") {
			// PostGIS refuses a geometry outright (e.g. an unclosed ring);
			// ReadProposed catches these first, so this is a last guard.
			return planner.FieldErrorf("parcels: geometry", "PostGIS cannot read it: %s", pqErr.Message)
		} else if err != nil {
			return fmt.Errorf("check: insert parcels: %w", err)
		}
		return nil
	})
}

// CheckStored computes the conflicts of stored parcels (table parcel) with
// protected land, in the order of ids; ids not in the table are an
// ENOTFOUND error naming them.
func (s *ComplianceStore) CheckStored(ctx context.Context, ids []string) ([]compliance.ParcelCheck, error) {
	checks, err := s.check(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlCheckInsertStored, pq.Array(ids))
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(checks) != len(ids) {
		found := map[string]bool{}
		for _, c := range checks {
			found[c.ParcelID] = true
		}
		var missing []string
		for _, id := range ids {
			if !found[id] {
				missing = append(missing, id)
			}
		}
		return nil, planner.Errorf(planner.ENOTFOUND, "check: parcels not in the database: %s", strings.Join(missing, ", "))
	}
	return checks, nil
}

// check runs fill (which loads check_parcel) and the overlap query in one
// transaction, then rolls it back.
func (s *ComplianceStore) check(ctx context.Context, fill func(tx *sql.Tx) error) ([]compliance.ParcelCheck, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("check: begin: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{sqlCheckNoJIT, sqlCheckTempTable} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("check: %s: %w", q, err)
		}
	}
	if err := fill(tx); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, sqlCheckAnalyze); err != nil {
		return nil, fmt.Errorf("check: analyze: %w", err)
	}
	var hasBoundary bool
	if err := tx.QueryRowContext(ctx, sqlCheckHasBoundary).Scan(&hasBoundary); err != nil {
		return nil, fmt.Errorf("check: dev boundary: %w", err)
	}
	rows, err := tx.QueryContext(ctx, sqlCheckOverlaps, planner.MuM2, hasBoundary)
	if err != nil {
		return nil, fmt.Errorf("check: overlaps: %w", err)
	}
	defer rows.Close()
	var out []compliance.ParcelCheck
	for rows.Next() {
		var c compliance.ParcelCheck
		var ord int
		var kind string
		var farm, red, outside string
		if err := rows.Scan(&ord, &c.ParcelID, &c.Town, &kind, &c.OpenYear, &c.Valid, &c.InvalidReason, &c.AreaMu,
			&c.FarmlandMu, &farm, &c.RedlineMu, &red, &c.OutsideBoundaryMu, &outside); err != nil {
			return nil, fmt.Errorf("check: scan: %w", err)
		}
		c.Kind = planner.ParcelKind(kind)
		for _, g := range []struct {
			text string
			dst  *orb.MultiPolygon
		}{{farm, &c.Farmland}, {red, &c.Redline}, {outside, &c.OutsideBoundary}} {
			if g.text == "" {
				continue
			}
			mp, err := multiPolygonOf(g.text)
			if err != nil {
				return nil, fmt.Errorf("check: parcel %s: overlap geometry: %w", c.ParcelID, err)
			}
			*g.dst = mp
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("check: overlaps: %w", err)
	}
	return out, nil
}

// multiPolygonOf decodes a GeoJSON Polygon or MultiPolygon as a MultiPolygon.
func multiPolygonOf(text string) (orb.MultiPolygon, error) {
	g, err := geojson.UnmarshalGeometry([]byte(text))
	if err != nil {
		return nil, err
	}
	switch v := g.Geometry().(type) {
	case orb.Polygon:
		return orb.MultiPolygon{v}, nil
	case orb.MultiPolygon:
		return v, nil
	}
	return nil, fmt.Errorf("unexpected %s", g.Geometry().GeoJSONType())
}

// SQL of SaveReport.
const (
	sqlSaveCheck = `insert into quota_check (source, scenario, clean, tolerance_mu, report, created_at)
	values ($1, $2, $3, $4, $5, coalesce($6, now())) returning id`
	sqlSaveCheckViolations = `insert into quota_check_violation (check_id, seq, kind, parcel_id, town, year, area_mu, detail, geom, parks)
	select $1, u.seq::int, u.kind, u.parcel_id, u.town, nullif(u.year, 0), u.area_mu, u.detail,
		case when u.geojson = '' then null else ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(u.geojson), 4490)) end,
		u.parks::jsonb
	from unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::float8[], $7::text[], $8::text[], $9::text[])
		with ordinality as u(kind, parcel_id, town, year, area_mu, detail, geojson, parks, seq)`
)

// SaveReport stores a check the caller chose to keep: the report (JSON)
// in quota_check (created_at r.SavedAt, or now when zero) and each
// violation, with its overlap geometry and parks, in
// quota_check_violation, in one transaction. It returns the check's id.
func (s *ComplianceStore) SaveReport(ctx context.Context, r *compliance.Report) (int64, error) {
	doc, err := json.Marshal(r)
	if err != nil {
		return 0, fmt.Errorf("check: save: %w", err)
	}
	n := len(r.Violations)
	kinds, parcels, towns, details, geoms := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	parks := make([]string, n)
	years, areas := make([]int64, n), make([]float64, n)
	for i, v := range r.Violations {
		kinds[i], parcels[i], towns[i], details[i] = string(v.Kind), v.ParcelID, v.Town, v.Detail
		p := v.Parks
		if p == nil {
			p = []string{}
		}
		b, err := json.Marshal(p)
		if err != nil {
			return 0, fmt.Errorf("check: save violation %d: %w", i, err)
		}
		parks[i] = string(b)
		years[i], areas[i] = int64(v.Year), v.AreaMu
		if v.Geometry != nil {
			if mp, ok := v.Geometry.(orb.MultiPolygon); !ok || len(mp) > 0 {
				gj, err := geojson.NewGeometry(v.Geometry).MarshalJSON()
				if err != nil {
					return 0, fmt.Errorf("check: save violation %d: %w", i, err)
				}
				geoms[i] = string(gj)
			}
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("check: save: %w", err)
	}
	defer tx.Rollback()
	var id int64
	var savedAt any // the check's time (Report.SavedAt), or the database's now
	if !r.SavedAt.IsZero() {
		savedAt = r.SavedAt
	}
	if err := tx.QueryRowContext(ctx, sqlSaveCheck, r.Source, r.Scenario, r.Clean, r.ToleranceMu, doc, savedAt).Scan(&id); err != nil {
		return 0, fmt.Errorf("check: save: %w", err)
	}
	if n > 0 {
		if _, err := tx.ExecContext(ctx, sqlSaveCheckViolations, id, pq.Array(kinds), pq.Array(parcels), pq.Array(towns),
			pq.Array(years), pq.Array(areas), pq.Array(details), pq.Array(geoms), pq.Array(parks)); err != nil {
			return 0, fmt.Errorf("check: save violations: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("check: save: %w", err)
	}
	return id, nil
}
