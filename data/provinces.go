package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

var _ planner.ProvinceStore = (*ProvinceStore)(nil)

// ProvinceStore keeps provincial plans in PostGIS (migration 00071): the
// record as jsonb and one province_allocation row per county and year.
type ProvinceStore struct {
	db *sql.DB
}

// NewProvinceStore returns a ProvinceStore on db (a migrated database).
func NewProvinceStore(db *sql.DB) *ProvinceStore { return &ProvinceStore{db: db} }

// SQL of the province store; every value is a $n parameter.
const (
	sqlSaveProvince = `INSERT INTO province (id, name, scenario, result, dataset_revision, created_at, created_by, saved_at)
VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()), $7, now())
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, scenario = EXCLUDED.scenario, result = EXCLUDED.result,
  dataset_revision = EXCLUDED.dataset_revision, created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by, saved_at = now()
RETURNING created_at`
	sqlClearAllocation = `DELETE FROM province_allocation WHERE province_id = $1`
	// sqlSaveAllocation writes every row in one statement (arrays of the
	// same length, unnested side by side).
	sqlSaveAllocation = `INSERT INTO province_allocation
  (province_id, county, year, request_mu, allocated_mu, used_mu, marginal_value, release_value, scenario_id)
SELECT $1, * FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::text[])`
	sqlFindProvince  = `SELECT id, scenario, result, dataset_revision, created_at, created_by FROM province WHERE id = $1`
	sqlListProvinces = `SELECT id, scenario, result, dataset_revision, created_at, created_by FROM province
ORDER BY created_at, id COLLATE "C"`
)

// SaveProvince writes rec and its allocation rows (from rec.Result, none
// before it is solved) in one transaction, replacing an earlier record of
// the same id and its rows. A zero CreatedAt is set to the time of the
// first save's transaction (and rec updated). An empty id, an allocation
// listed twice for a county and year, or a figure that is not finite
// (allocations and prices, which jsonb cannot hold) is EINVALID and
// nothing is written.
func (s *ProvinceStore) SaveProvince(ctx context.Context, rec *planner.ProvinceRecord) error {
	if rec.ID == "" {
		return planner.FieldErrorf("id", "a province record needs an id")
	}
	if err := checkAllocation(rec.Result); err != nil {
		return err
	}
	scenario, err := json.Marshal(rec.Scenario)
	if err != nil {
		return planner.FieldErrorf("scenario", "province %s: %v", rec.ID, err)
	}
	var result []byte // null until solved
	if rec.Result != nil {
		if result, err = json.Marshal(rec.Result); err != nil {
			return planner.FieldErrorf("result", "province %s: %v", rec.ID, err)
		}
	}
	var created any
	if !rec.CreatedAt.IsZero() {
		created = rec.CreatedAt
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var at time.Time
	if err := tx.QueryRowContext(ctx, sqlSaveProvince, rec.ID, rec.Scenario.Name, scenario, nullJSON(result),
		rec.DatasetRevision, created, rec.CreatedBy).Scan(&at); err != nil {
		return fmt.Errorf("data: saving province %s: %w", rec.ID, err)
	}
	if _, err := tx.ExecContext(ctx, sqlClearAllocation, rec.ID); err != nil {
		return fmt.Errorf("data: saving province %s: %w", rec.ID, err)
	}
	if rec.Result != nil && len(rec.Result.Allocation) > 0 {
		if _, err := tx.ExecContext(ctx, sqlSaveAllocation, append([]any{rec.ID}, allocationColumns(rec.Result)...)...); err != nil {
			return fmt.Errorf("data: saving province %s's allocation: %w", rec.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	rec.CreatedAt = at.UTC()
	return nil
}

// nullJSON is b, or SQL null when b is nil.
func nullJSON(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// checkAllocation refuses what the tables cannot hold: an allocation row
// twice, a figure that is not finite.
func checkAllocation(r *planner.ProvinceResult) error {
	if r == nil {
		return nil
	}
	seen := map[[2]any]int{}
	for i, a := range r.Allocation {
		field := fmt.Sprintf("result.allocation[%d]", i)
		key := [2]any{a.County, a.Year}
		if j, dup := seen[key]; dup {
			return planner.FieldErrorf(field, "county %s year %d is listed twice (also allocation[%d])", a.County, a.Year, j)
		}
		seen[key] = i
		for name, v := range map[string]float64{"request_mu": a.RequestMu, "allocated_mu": a.AllocatedMu, "used_mu": a.UsedMu,
			"marginal_value": a.MarginalValue, "release_value": a.ReleaseValue} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return planner.FieldErrorf(field+"."+name, "county %s year %d: %v is not a finite number", a.County, a.Year, v)
			}
		}
	}
	for i, p := range r.Prices {
		if math.IsNaN(p.Price) || math.IsInf(p.Price, 0) {
			return planner.FieldErrorf(fmt.Sprintf("result.prices[%d].price", i), "year %d: %v is not a finite number", p.Year, p.Price)
		}
	}
	for name, v := range map[string]float64{"objective": r.Objective, "bound": r.Bound, "gap": r.Gap} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return planner.FieldErrorf("result."+name, "%v is not a finite number", v)
		}
	}
	return nil
}

// allocationColumns returns the allocation rows as the column arrays of
// sqlSaveAllocation ($2…$9), each county's plan scenario beside its rows.
func allocationColumns(r *planner.ProvinceResult) []any {
	plans := map[string]string{}
	for _, c := range r.Counties {
		plans[c.County] = c.ScenarioID
	}
	n := len(r.Allocation)
	county, scenario := make(pq.StringArray, n), make(pq.StringArray, n)
	year := make(pq.Int64Array, n)
	req, alloc, used, marg, rel := make(pq.Float64Array, n), make(pq.Float64Array, n), make(pq.Float64Array, n), make(pq.Float64Array, n), make(pq.Float64Array, n)
	for i, a := range r.Allocation {
		county[i], year[i], scenario[i] = a.County, int64(a.Year), plans[a.County]
		req[i], alloc[i], used[i], marg[i], rel[i] = a.RequestMu, a.AllocatedMu, a.UsedMu, a.MarginalValue, a.ReleaseValue
	}
	return []any{county, year, req, alloc, used, marg, rel, scenario}
}

// FindProvince reads one record; an unknown id is ENOTFOUND.
func (s *ProvinceStore) FindProvince(ctx context.Context, id string) (*planner.ProvinceRecord, error) {
	rec, err := scanProvince(s.db.QueryRowContext(ctx, sqlFindProvince, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, planner.Errorf(planner.ENOTFOUND, "no province plan with id %q", id)
	}
	return rec, err
}

// ListProvinces reads every record, oldest first.
func (s *ProvinceStore) ListProvinces(ctx context.Context) ([]planner.ProvinceRecord, error) {
	rows, err := s.db.QueryContext(ctx, sqlListProvinces)
	if err != nil {
		return nil, fmt.Errorf("data: listing provinces: %w", err)
	}
	defer rows.Close()
	var out []planner.ProvinceRecord
	for rows.Next() {
		rec, err := scanProvince(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *rec)
	}
	return out, rows.Err()
}

// scanProvince reads one province row (sqlFindProvince's columns).
func scanProvince(row interface{ Scan(...any) error }) (*planner.ProvinceRecord, error) {
	var rec planner.ProvinceRecord
	var scenario, result []byte
	if err := row.Scan(&rec.ID, &scenario, &result, &rec.DatasetRevision, &rec.CreatedAt, &rec.CreatedBy); err != nil {
		return nil, err
	}
	rec.CreatedAt = rec.CreatedAt.UTC()
	if err := json.Unmarshal(scenario, &rec.Scenario); err != nil {
		return nil, fmt.Errorf("data: province %s: reading its scenario: %w", rec.ID, err)
	}
	if result != nil {
		rec.Result = &planner.ProvinceResult{}
		if err := json.Unmarshal(result, rec.Result); err != nil {
			return nil, fmt.Errorf("data: province %s: reading its result: %w", rec.ID, err)
		}
	}
	return &rec, nil
}
