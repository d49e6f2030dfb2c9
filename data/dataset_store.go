package data

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

var _ planner.DatasetStore = (*DB)(nil)

// SQL of the dataset store; every value is a $n parameter.
const (
	sqlLoadIndustries = `SELECT i.code, i.name_zh, i.name_en,
  COALESCE(array_agg(r.related ORDER BY r.related) FILTER (WHERE r.related IS NOT NULL), '{}')
FROM industry i LEFT JOIN industry_related r ON r.industry = i.code
GROUP BY i.code ORDER BY i.code COLLATE "C"`
	sqlLoadCounties = `SELECT code, name_zh, name_en, prefecture, ST_AsEWKB(seat), ST_AsEWKB(geom), implied
FROM county ORDER BY code COLLATE "C"`
	sqlLoadTowns = `SELECT code, name_zh, name_en, type, industries, ST_AsEWKB(seat), ST_AsEWKB(geom), synthetic, county
FROM town ORDER BY code COLLATE "C"`
	sqlLoadQuotas = `SELECT town, year, new_land_mu FROM quota ORDER BY town COLLATE "C", year`
	sqlParcelRows = `SELECT id, town, kind, name, area_mu, far, cost_wan, floor_m2, firms,
  COALESCE(specialty, ''), COALESCE(open_year, 0), ST_AsEWKB(geom)
FROM parcel`
	sqlLoadParcels = sqlParcelRows + ` ORDER BY id COLLATE "C"`
	// sqlLoadParcelsIn reads the parcels whose ids are in $1.
	sqlLoadParcelsIn   = sqlParcelRows + ` WHERE id = ANY($1) ORDER BY id COLLATE "C"`
	sqlLoadProtected   = `SELECT id, kind, name, ST_AsEWKB(geom) FROM protected_area ORDER BY id COLLATE "C"`
	sqlLoadEnterprises = `SELECT id, town, industry, size, floor_m2, output_per_mu, tax_per_mu, pollution,
  low_scattered, safety_ok, ST_AsEWKB(geom), COALESCE(mu_class, '')
FROM enterprise ORDER BY id COLLATE "C"`

	// sqlOverlaps measures each parcel's conflict with protected land on
	// the spheroid (geography areas, m²; $1 = m² per mu). Only protected
	// areas whose boxes meet the parcel are unioned (GiST). With no
	// development boundary at all, no parcel counts as outside it.
	sqlOverlaps = `WITH has_boundary AS (SELECT EXISTS (SELECT 1 FROM protected_area WHERE kind = 'dev_boundary') AS yes)
SELECT p.id,
  COALESCE((SELECT ST_Area(ST_Intersection(p.geom, ST_Union(a.geom))::geography)
            FROM protected_area a WHERE a.kind = 'basic_farmland' AND ST_Intersects(a.geom, p.geom)), 0) / $1,
  COALESCE((SELECT ST_Area(ST_Intersection(p.geom, ST_Union(a.geom))::geography)
            FROM protected_area a WHERE a.kind = 'eco_redline' AND ST_Intersects(a.geom, p.geom)), 0) / $1,
  CASE WHEN NOT (SELECT yes FROM has_boundary) THEN 0
       ELSE COALESCE(ST_Area(ST_Difference(p.geom,
              (SELECT ST_Union(a.geom) FROM protected_area a WHERE a.kind = 'dev_boundary' AND ST_Intersects(a.geom, p.geom))
            )::geography), ST_Area(p.geom::geography)) / $1
  END
FROM parcel p ORDER BY p.id COLLATE "C"`
)

// overlapMinMu is the smallest overlap recorded, mu (≈ 0.07 m²): below it
// a shared edge's floating-point sliver, not a conflict.
const overlapMinMu = 1e-4

// LoadDataset reads every layer, sorted by id, with each parcel's overlap
// with protected land computed in PostGIS (parcels with none are absent
// from Overlaps). It reads in one read-only snapshot (REPEATABLE READ),
// with the dataset revision (Dataset.Revision) of that snapshot.
func (db *DB) LoadDataset(ctx context.Context) (*planner.Dataset, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ds, err := loadLayers(ctx, tx)
	if err != nil {
		return nil, err
	}
	if ds.Overlaps, err = loadOverlaps(ctx, tx); err != nil {
		return nil, err
	}
	if ds.Revision, err = currentRevision(ctx, tx); err != nil {
		return nil, err
	}
	return ds, nil
}

// Export writes the stored dataset to dir in the public format, the bytes
// dataset.WriteDir would write: a dataset imported and exported gives back
// the same files when they were written by dataset.WriteDir. Parcels and
// enterprises stream from the database to their files one row at a time
// (ORDER BY id COLLATE "C" is the writer's byte order), so exporting a
// large dataset needs little memory; the small layers are read whole.
// Each file is written through a temporary file renamed into place.
func (db *DB) Export(ctx context.Context, dir string) (dataset.Counts, error) {
	var n dataset.Counts
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return n, err
	}
	defer tx.Rollback()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return n, err
	}
	inds, err := loadIndustries(ctx, tx)
	if err != nil {
		return n, err
	}
	counties, err := loadCounties(ctx, tx)
	if err != nil {
		return n, err
	}
	towns, err := loadTowns(ctx, tx)
	if err != nil {
		return n, err
	}
	quotas, err := loadQuotas(ctx, tx)
	if err != nil {
		return n, err
	}
	protected, err := loadProtected(ctx, tx)
	if err != nil {
		return n, err
	}
	n.Industries, n.Counties, n.Towns, n.Quotas, n.Protected = len(inds), len(counties), len(towns), len(quotas), len(protected)
	if err := dataset.WriteCountiesFile(dir, counties); err != nil {
		return n, fmt.Errorf("data: export: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{dataset.FileIndustries, func(w io.Writer) error { return dataset.WriteIndustries(w, inds) }},
		{dataset.FileTowns, func(w io.Writer) error { return dataset.WriteTowns(w, towns, counties) }},
		{dataset.FileQuotas, func(w io.Writer) error { return dataset.WriteQuotas(w, quotas) }},
		{dataset.FileParcels, func(w io.Writer) error {
			pw := dataset.NewParcelWriter(w)
			if err := eachParcel(ctx, tx, func(p *planner.Parcel) error { n.Parcels++; return pw.Write(p) }); err != nil {
				return err
			}
			return pw.Close()
		}},
		{dataset.FileProtected, func(w io.Writer) error { return dataset.WriteProtected(w, protected) }},
		{dataset.FileEnterprises, func(w io.Writer) error {
			ew := dataset.NewEnterpriseWriter(w)
			if err := eachEnterprise(ctx, tx, func(e *planner.Enterprise) error { n.Enterprises++; return ew.Write(e) }); err != nil {
				return err
			}
			return ew.Close()
		}},
	}
	for _, f := range files {
		if err := dataset.WriteFile(filepath.Join(dir, f.name), f.write); err != nil {
			return n, fmt.Errorf("data: export: %w", err)
		}
	}
	return n, nil
}

// each runs query and calls scan for every row.
func each(ctx context.Context, tx *sql.Tx, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func loadLayers(ctx context.Context, tx *sql.Tx) (*planner.Dataset, error) {
	ds := &planner.Dataset{}
	var err error
	if ds.Industries, err = loadIndustries(ctx, tx); err != nil {
		return nil, err
	}
	if ds.Counties, err = loadCounties(ctx, tx); err != nil {
		return nil, err
	}
	if ds.Towns, err = loadTowns(ctx, tx); err != nil {
		return nil, err
	}
	if ds.Quotas, err = loadQuotas(ctx, tx); err != nil {
		return nil, err
	}
	if err = eachParcel(ctx, tx, func(x *planner.Parcel) error { ds.Parcels = append(ds.Parcels, *x); return nil }); err != nil {
		return nil, err
	}
	if ds.Protected, err = loadProtected(ctx, tx); err != nil {
		return nil, err
	}
	if err = eachEnterprise(ctx, tx, func(x *planner.Enterprise) error { ds.Enterprises = append(ds.Enterprises, *x); return nil }); err != nil {
		return nil, err
	}
	return ds, nil
}

func loadIndustries(ctx context.Context, tx *sql.Tx) ([]planner.Industry, error) {
	var out []planner.Industry
	err := each(ctx, tx, sqlLoadIndustries, func(r *sql.Rows) error {
		var x planner.Industry
		var rel pq.StringArray
		if err := r.Scan(&x.Code, &x.NameZh, &x.NameEn, &rel); err != nil {
			return err
		}
		if len(rel) > 0 {
			x.Related = []string(rel)
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: loading industries: %w", err)
	}
	return out, nil
}

func loadCounties(ctx context.Context, tx *sql.Tx) ([]planner.County, error) {
	var out []planner.County
	err := each(ctx, tx, sqlLoadCounties, func(r *sql.Rows) error {
		var x planner.County
		var seat, g []byte
		if err := r.Scan(&x.Code, &x.NameZh, &x.NameEn, &x.Prefecture, &seat, &g, &x.Implied); err != nil {
			return err
		}
		var err error
		if seat != nil {
			if x.Seat, err = pointFromEWKB(seat); err != nil {
				return err
			}
		}
		if g != nil {
			if x.Boundary, err = multiPolygonFromEWKB(g); err != nil {
				return err
			}
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: loading counties: %w", err)
	}
	return out, nil
}

func loadTowns(ctx context.Context, tx *sql.Tx) ([]planner.Town, error) {
	var out []planner.Town
	err := each(ctx, tx, sqlLoadTowns, func(r *sql.Rows) error {
		var x planner.Town
		var inds pq.StringArray
		var seat, g []byte
		if err := r.Scan(&x.Code, &x.NameZh, &x.NameEn, &x.Type, &inds, &seat, &g, &x.Synthetic, &x.County); err != nil {
			return err
		}
		x.Industries = []string(inds)
		var err error
		if x.Seat, err = pointFromEWKB(seat); err != nil {
			return err
		}
		if x.Boundary, err = multiPolygonFromEWKB(g); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: loading towns: %w", err)
	}
	return out, nil
}

func loadQuotas(ctx context.Context, tx *sql.Tx) ([]planner.Quota, error) {
	var out []planner.Quota
	err := each(ctx, tx, sqlLoadQuotas, func(r *sql.Rows) error {
		var x planner.Quota
		if err := r.Scan(&x.Town, &x.Year, &x.NewLandMu); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: loading quotas: %w", err)
	}
	return out, nil
}

// eachParcel calls fn with every parcel in id (byte) order, one at a time.
func eachParcel(ctx context.Context, tx *sql.Tx, fn func(*planner.Parcel) error) error {
	return eachParcelOf(ctx, tx, fn, sqlLoadParcels)
}

// eachParcelOf calls fn with each parcel query (sqlParcelRows with a
// condition and order) returns.
func eachParcelOf(ctx context.Context, tx *sql.Tx, fn func(*planner.Parcel) error, query string, args ...any) error {
	err := each(ctx, tx, query, func(r *sql.Rows) error {
		var x planner.Parcel
		var g []byte
		if err := r.Scan(&x.ID, &x.Town, &x.Kind, &x.Name, &x.AreaMu, &x.FAR, &x.CostWan, &x.FloorM2, &x.Firms,
			&x.Specialty, &x.OpenYear, &g); err != nil {
			return err
		}
		var err error
		if x.Geometry, err = multiPolygonFromEWKB(g); err != nil {
			return err
		}
		return fn(&x)
	}, args...)
	if err != nil {
		return fmt.Errorf("data: loading parcels: %w", err)
	}
	return nil
}

func loadProtected(ctx context.Context, tx *sql.Tx) ([]planner.ProtectedArea, error) {
	var out []planner.ProtectedArea
	err := each(ctx, tx, sqlLoadProtected, func(r *sql.Rows) error {
		var x planner.ProtectedArea
		var g []byte
		if err := r.Scan(&x.ID, &x.Kind, &x.Name, &g); err != nil {
			return err
		}
		var err error
		if x.Geometry, err = multiPolygonFromEWKB(g); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: loading protected areas: %w", err)
	}
	return out, nil
}

// eachEnterprise calls fn with every enterprise in id (byte) order, one at a time.
func eachEnterprise(ctx context.Context, tx *sql.Tx, fn func(*planner.Enterprise) error) error {
	err := each(ctx, tx, sqlLoadEnterprises, func(r *sql.Rows) error {
		var x planner.Enterprise
		var g []byte
		if err := r.Scan(&x.ID, &x.Town, &x.Industry, &x.Size, &x.FloorM2, &x.OutputPerMu, &x.TaxPerMu, &x.Pollution,
			&x.LowScattered, &x.SafetyOK, &g, &x.MuClass); err != nil {
			return err
		}
		var err error
		if x.Location, err = pointFromEWKB(g); err != nil {
			return err
		}
		return fn(&x)
	})
	if err != nil {
		return fmt.Errorf("data: loading enterprises: %w", err)
	}
	return nil
}

func loadOverlaps(ctx context.Context, tx *sql.Tx) (map[string]planner.Overlap, error) {
	out := map[string]planner.Overlap{}
	err := each(ctx, tx, sqlOverlaps, func(r *sql.Rows) error {
		var o planner.Overlap
		if err := r.Scan(&o.ParcelID, &o.FarmlandMu, &o.RedlineMu, &o.OutsideBoundaryMu); err != nil {
			return err
		}
		if o.FarmlandMu < overlapMinMu {
			o.FarmlandMu = 0
		}
		if o.RedlineMu < overlapMinMu {
			o.RedlineMu = 0
		}
		if o.OutsideBoundaryMu < overlapMinMu {
			o.OutsideBoundaryMu = 0
		}
		if o.FarmlandMu > 0 || o.RedlineMu > 0 || o.OutsideBoundaryMu > 0 {
			out[o.ParcelID] = o
		}
		return nil
	}, planner.MuM2)
	if err != nil {
		return nil, fmt.Errorf("data: computing protected-land overlaps: %w", err)
	}
	return out, nil
}
