package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// ImportOptions says how Import reads the dataset directory.
type ImportOptions struct {
	Read dataset.Options // input CRS, GCJ-02, error cap
	// By names who imports (recorded in the new dataset revision).
	By string
}

// importLockKey is the advisory lock that keeps two imports from running
// at once (an arbitrary constant: "parkplan import").
const importLockKey = 0x70_61_72_6b_69_6d

// Tables of the county dataset (dependents first) — a fixed list, never
// user input. An import replaces them all (import_stage.go).
var datasetTables = []string{"enterprise", "parcel", "protected_area", "quota", "town", "county", "industry_related", "industry"}

// COPY column lists, in the order the rows below send their values.
var (
	copyIndustry  = []string{"code", "name_zh", "name_en"}
	copyRelated   = []string{"industry", "related"}
	copyCounty    = []string{"code", "name_zh", "name_en", "prefecture", "seat", "geom", "implied"}
	copyTown      = []string{"code", "name_zh", "name_en", "type", "industries", "seat", "geom", "synthetic", "county"}
	copyQuota     = []string{"town", "year", "new_land_mu"}
	copyParcel    = []string{"id", "town", "kind", "name", "area_mu", "far", "cost_wan", "floor_m2", "firms", "specialty", "open_year", "geom"}
	copyProtected = []string{"id", "kind", "name", "geom"}
	copyFirm      = []string{"id", "town", "industry", "size", "floor_m2", "output_per_mu", "tax_per_mu", "pollution", "low_scattered", "safety_ok", "geom", "mu_class"}
)

// Import replaces the county dataset with the one in dir, in one
// transaction: it streams the files with COPY into new tables beside the
// live ones, builds their keys and indexes, and swaps them in for the
// previous towns, parcels, protected areas, quotas, industries and
// enterprises just before the commit (stage, import_stage.go). Every
// record is validated (planner/dataset); on any error nothing is written
// and the error (a dataset.Errors, code EINVALID) names file, feature
// index, id and field. The schema must be migrated (Migrate). Scenarios
// and plans are kept: each plan carries its own geometry and figures, and
// is stale from now on. The import records the next dataset revision
// (number, content hash of the records, time, opt.By, dir) in the same
// transaction; DatasetRevision reads it.
func (db *DB) Import(ctx context.Context, dir string, opt ImportOptions) (dataset.Counts, error) {
	return db.ImportFrom(ctx, dir, opt.By, func(h dataset.Handler) (dataset.Counts, error) { return dataset.ReadDir(dir, opt.Read, h) })
}

// ImportFrom is Import with the records read by read — dataset.ReadDir
// or dataset.ReadSources (a county's GeoPackage, Shapefiles, File
// Geodatabase or register through a mapping) — in the same transaction,
// with the same checks, errors and revision record (source and by are
// recorded in it).
func (db *DB) ImportFrom(ctx context.Context, source, by string, read func(dataset.Handler) (dataset.Counts, error)) (dataset.Counts, error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return dataset.Counts{}, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, importLockKey); err != nil {
		return dataset.Counts{}, err
	}
	st, err := newStage(ctx, tx)
	if err != nil {
		return dataset.Counts{}, err
	}
	cp := &copier{ctx: ctx, tx: tx, schema: stagingSchema}
	var related [][2]string // industry_related rows, sent once industries are done
	flushRelated := func() error {
		for _, r := range related {
			if err := cp.row("industry_related", dataset.FileIndustries, copyRelated, r[0]+" "+r[1], r[0], r[1]); err != nil {
				return err
			}
		}
		related = nil
		return nil
	}
	h, contentHash := dataset.ContentHash(dataset.Handler{
		Industry: func(x planner.Industry) error {
			for _, r := range x.Related {
				related = append(related, [2]string{x.Code, r})
			}
			return cp.row("industry", dataset.FileIndustries, copyIndustry, x.Code, x.Code, x.NameZh, x.NameEn)
		},
		County: func(x planner.County) error {
			if err := flushRelated(); err != nil {
				return err
			}
			var seat, g any // the implied county has neither
			if !x.Implied {
				var err error
				if seat, err = pointEWKBHex(x.Seat); err != nil {
					return err
				}
				if g, err = multiPolygonEWKBHex(x.Boundary); err != nil {
					return err
				}
			}
			return cp.row("county", dataset.FileCounties, copyCounty, x.Code,
				x.Code, x.NameZh, x.NameEn, x.Prefecture, seat, g, x.Implied)
		},
		Town: func(x planner.Town) error {
			if err := flushRelated(); err != nil {
				return err
			}
			seat, err := pointEWKBHex(x.Seat)
			if err != nil {
				return err
			}
			g, err := multiPolygonEWKBHex(x.Boundary)
			if err != nil {
				return err
			}
			return cp.row("town", dataset.FileTowns, copyTown, x.Code,
				x.Code, x.NameZh, x.NameEn, string(x.Type), pq.StringArray(x.Industries), seat, g, x.Synthetic, x.County)
		},
		Quota: func(x planner.Quota) error {
			return cp.row("quota", dataset.FileQuotas, copyQuota, x.Town+" "+fmt.Sprint(x.Year), x.Town, x.Year, x.NewLandMu)
		},
		Parcel: func(x planner.Parcel) error {
			g, err := multiPolygonEWKBHex(x.Geometry)
			if err != nil {
				return err
			}
			return cp.row("parcel", dataset.FileParcels, copyParcel, x.ID,
				x.ID, x.Town, string(x.Kind), x.Name, x.AreaMu, x.FAR, x.CostWan, x.FloorM2, x.Firms,
				nullString(x.Specialty), nullInt(x.OpenYear), g)
		},
		Protected: func(x planner.ProtectedArea) error {
			g, err := multiPolygonEWKBHex(x.Geometry)
			if err != nil {
				return err
			}
			return cp.row("protected_area", dataset.FileProtected, copyProtected, x.ID, x.ID, string(x.Kind), x.Name, g)
		},
		Enterprise: func(x planner.Enterprise) error {
			g, err := pointEWKBHex(x.Location)
			if err != nil {
				return err
			}
			return cp.row("enterprise", dataset.FileEnterprises, copyFirm, x.ID,
				x.ID, x.Town, x.Industry, string(x.Size), x.FloorM2, x.OutputPerMu, x.TaxPerMu,
				string(x.Pollution), x.LowScattered, x.SafetyOK, g, nullString(string(x.MuClass)))
		},
	})
	p := newPipe()
	counts, err := read(p.handler(h))
	if perr := p.close(err); err == nil {
		err = perr
	}
	if err != nil {
		cp.abort()
		return counts, err
	}
	if err := flushRelated(); err != nil {
		cp.abort()
		return counts, err
	}
	if err := cp.finish(); err != nil {
		return counts, err
	}
	if err := st.swap(ctx, tx); err != nil {
		return counts, err
	}
	if _, err := insertRevision(ctx, tx, contentHash(), by, source, counts); err != nil {
		return counts, err
	}
	if err := tx.Commit(); err != nil {
		return counts, fmt.Errorf("data: import: commit: %w", err)
	}
	return counts, nil
}

// copier streams rows into one table at a time with COPY (only one COPY
// may be open on a connection); switching tables finishes the previous.
type copier struct {
	ctx    context.Context
	tx     *sql.Tx
	schema string // of the tables
	table  string
	file   string
	stmt   *sql.Stmt
	rows   int // rows sent to the open COPY
}

// row sends one row to table. id names the record (for the reader; the
// database's error names a rejected row by its line in the COPY).
func (c *copier) row(table, file string, cols []string, id string, vals ...any) error {
	if table != c.table {
		if err := c.finish(); err != nil {
			return err
		}
		stmt, err := c.tx.PrepareContext(c.ctx, pq.CopyInSchema(c.schema, table, cols...))
		if err != nil {
			return fmt.Errorf("data: import: COPY %s: %w", table, err)
		}
		c.table, c.file, c.stmt, c.rows = table, file, stmt, 0
	}
	c.rows++
	if _, err := c.stmt.ExecContext(c.ctx, vals...); err != nil {
		return c.explain(err)
	}
	return nil
}

// finish ends the open COPY, if any.
func (c *copier) finish() error {
	if c.stmt == nil {
		return nil
	}
	_, err := c.stmt.ExecContext(c.ctx)
	cerr := c.stmt.Close()
	if err != nil {
		err = c.explain(err)
	}
	c.stmt, c.table = nil, ""
	if err != nil {
		return err
	}
	return cerr
}

// abort ends the open COPY after a failure; the transaction is rolled back.
func (c *copier) abort() {
	if c.stmt != nil {
		c.stmt.Close()
		c.stmt, c.table = nil, ""
	}
}

// explain turns a database error during COPY into an EINVALID error
// naming the file and record when the database rejected a row (a check
// constraint the reader did not foresee), or wraps it otherwise.
func (c *copier) explain(err error) error {
	var pe *pq.Error
	if !errors.As(err, &pe) {
		return fmt.Errorf("data: import: COPY %s: %w", c.table, err)
	}
	switch pe.Code.Class() {
	case "22", "23": // data exception, integrity constraint violation
		// Records reach COPY in file order and only while all are valid,
		// so COPY line n is record n-1 of the file.
		where := c.file
		var line int
		if _, serr := fmt.Sscanf(pe.Where, "COPY "+c.table+", line %d", &line); serr == nil && line >= 1 {
			where = fmt.Sprintf("%s: record %d", c.file, line-1)
		}
		msg := pe.Message
		const failing = "Failing row contains ("
		switch {
		case strings.HasPrefix(pe.Detail, failing):
			// the first column of every county table is its id
			id, _, _ := strings.Cut(pe.Detail[len(failing):], ", ")
			where += " (id " + id + ")"
		case pe.Detail != "" && len(pe.Detail) < 200:
			msg += " (" + pe.Detail + ")"
		}
		return planner.FieldErrorf(where, "the database rejected it: %s", msg)
	}
	return fmt.Errorf("data: import: COPY %s: %w", c.table, err)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return v
}
