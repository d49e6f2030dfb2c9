package data

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

var _ planner.MonitoringStore = (*DB)(nil)

const (
	sqlMonitoringRefsParcels = `SELECT id, town, kind, area_mu, far, floor_m2, firms, COALESCE(specialty, ''), COALESCE(open_year, 0) FROM parcel`
	sqlMonitoringRefsInds    = `SELECT code FROM industry`
	sqlMonitoringDeleteYear  = `DELETE FROM monitoring_park WHERE year = ANY($1)`
	sqlMonitoringParks       = `SELECT year, park_id, floor_built_m2, floor_vacant_m2, facilities FROM monitoring_park
WHERE cardinality($1::int[]) = 0 OR year = ANY($1) ORDER BY year, park_id COLLATE "C"`
	sqlMonitoringFirms = `SELECT year, firm_id, park_id, industry, size, floor_m2, output_wan, tax_wan, COALESCE(mu_class, '')
FROM monitoring_firm WHERE cardinality($1::int[]) = 0 OR year = ANY($1) ORDER BY year, firm_id COLLATE "C"`
)

// MonitoringCounts says what a monitoring import wrote.
type MonitoringCounts struct {
	Years        []int
	Parks, Firms int
}

// ImportMonitoring reads the monitoring directory dir (parks.csv and
// firms.csv, planner/dataset.ReadMonitoringDir) against the stored
// dataset's parcels and industries, with thisYear as the latest year a
// record may hold, and stores it in one transaction: the years the files
// hold replace those years' records; other years are kept. On any fault
// nothing is written and the error (dataset.Errors, EINVALID) names file,
// line and field.
func (db *DB) ImportMonitoring(ctx context.Context, dir string, thisYear int, opt dataset.Options) (MonitoringCounts, error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return MonitoringCounts{}, err
	}
	defer tx.Rollback()
	// One import at a time, dataset or monitoring: the references must not move.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, importLockKey); err != nil {
		return MonitoringCounts{}, err
	}
	refs := dataset.MonitoringRefs{Parcels: map[string]planner.Parcel{}, Industries: map[string]bool{}, ThisYear: thisYear}
	if err := each(ctx, tx, sqlMonitoringRefsParcels, func(r *sql.Rows) error {
		var p planner.Parcel
		if err := r.Scan(&p.ID, &p.Town, &p.Kind, &p.AreaMu, &p.FAR, &p.FloorM2, &p.Firms, &p.Specialty, &p.OpenYear); err != nil {
			return err
		}
		refs.Parcels[p.ID] = p
		return nil
	}); err != nil {
		return MonitoringCounts{}, fmt.Errorf("data: monitoring import: reading parcels: %w", err)
	}
	if err := each(ctx, tx, sqlMonitoringRefsInds, func(r *sql.Rows) error {
		var code string
		err := r.Scan(&code)
		refs.Industries[code] = true
		return err
	}); err != nil {
		return MonitoringCounts{}, fmt.Errorf("data: monitoring import: reading industries: %w", err)
	}
	m, err := dataset.ReadMonitoringDir(dir, refs, opt)
	if err != nil {
		return MonitoringCounts{}, err
	}
	years := m.Years()
	if _, err := tx.ExecContext(ctx, sqlMonitoringDeleteYear, pq.Array(years)); err != nil {
		return MonitoringCounts{}, fmt.Errorf("data: monitoring import: clearing %v: %w", years, err)
	}
	if err := copyRows(ctx, tx, "monitoring_park", []string{"year", "park_id", "floor_built_m2", "floor_vacant_m2", "facilities"},
		len(m.Parks), func(i int) []any {
			p := &m.Parks[i]
			fs := make([]string, len(p.Facilities))
			for j, f := range p.Facilities {
				fs[j] = string(f)
			}
			return []any{p.Year, p.ParkID, p.FloorBuiltM2, p.FloorVacantM2, pq.StringArray(fs)}
		}); err != nil {
		return MonitoringCounts{}, fmt.Errorf("data: monitoring import: %w", err)
	}
	if err := copyRows(ctx, tx, "monitoring_firm", []string{"year", "firm_id", "park_id", "industry", "size", "floor_m2", "output_wan", "tax_wan", "mu_class"},
		len(m.Firms), func(i int) []any {
			f := &m.Firms[i]
			return []any{f.Year, f.FirmID, f.ParkID, f.Industry, string(f.Size), f.FloorM2, f.OutputWan, f.TaxWan, nullString(string(f.MuClass))}
		}); err != nil {
		return MonitoringCounts{}, fmt.Errorf("data: monitoring import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return MonitoringCounts{}, fmt.Errorf("data: monitoring import: commit: %w", err)
	}
	return MonitoringCounts{Years: years, Parks: len(m.Parks), Firms: len(m.Firms)}, nil
}

// LoadMonitoring implements planner.MonitoringStore: the stored record of
// the given years (every year when none is given), in one snapshot.
func (db *DB) LoadMonitoring(ctx context.Context, years ...int) (*planner.Monitoring, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	m := &planner.Monitoring{}
	if years == nil {
		years = []int{}
	}
	if err := each(ctx, tx, sqlMonitoringParks, func(r *sql.Rows) error {
		var p planner.ParkYear
		var fs pq.StringArray
		if err := r.Scan(&p.Year, &p.ParkID, &p.FloorBuiltM2, &p.FloorVacantM2, &fs); err != nil {
			return err
		}
		for _, f := range fs {
			p.Facilities = append(p.Facilities, planner.Facility(f))
		}
		m.Parks = append(m.Parks, p)
		return nil
	}, pq.Array(years)); err != nil {
		return nil, fmt.Errorf("data: loading monitoring parks: %w", err)
	}
	if err := each(ctx, tx, sqlMonitoringFirms, func(r *sql.Rows) error {
		var f planner.FirmYear
		if err := r.Scan(&f.Year, &f.FirmID, &f.ParkID, &f.Industry, &f.Size, &f.FloorM2, &f.OutputWan, &f.TaxWan, &f.MuClass); err != nil {
			return err
		}
		m.Firms = append(m.Firms, f)
		return nil
	}, pq.Array(years)); err != nil {
		return nil, fmt.Errorf("data: loading monitoring firms: %w", err)
	}
	return m, nil
}
