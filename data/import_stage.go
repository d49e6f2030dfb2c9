package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// stagingSchema is where an import builds the new dataset (migration
// 00080); it holds nothing between imports.
const stagingSchema = "parkplan_import"

// The swap waits for readers of the live tables this long at first, twice
// as long on each later attempt, up to swapLockWaitMax. Below PostgreSQL's
// deadlock_timeout (1 s): a reader that holds one dataset table and waits
// for another the swap holds gets it back before a deadlock is declared.
const (
	swapLockWait    = 100 * time.Millisecond
	swapLockWaitMax = 800 * time.Millisecond
)

// A stage is the new dataset built beside the live one, inside the
// import's transaction. Each dataset table is created in stagingSchema as
// LIKE the live table — columns, defaults, NOT NULL and CHECK constraints
// (so COPY rejects a row with the same message, naming the same relation
// and record, as before) — with no key, index, foreign key or trigger to
// maintain row by row. Once every record is in, build adds the keys and
// indexes in one pass each; swap then drops the live tables and moves the
// staged ones in their place, adding the foreign keys (checked in one
// query each), triggers and grants. Every definition is read from the
// live tables' catalog entries (the migrations stay their one
// definition), when the import starts.
//
// Readers keep reading the previous dataset until swap; from its lock to
// the commit (milliseconds: no row is written then) they wait, and then
// read the new one. As with TRUNCATE, a REPEATABLE READ transaction that
// took its snapshot before the commit and reads a dataset table for the
// first time after it sees that table empty; one that has read any
// dataset table holds it, and the swap waits for it to end.
type stage struct {
	home  string      // schema of the live tables
	build []stageStmt // keys and indexes, on the loaded staged tables
	after []stageStmt // foreign keys, triggers, grants, once the tables are live
}

// stageStmt is one DDL statement generated from the catalog for a table.
type stageStmt struct{ table, sql string }

// The statements that give a staged table what its live twin has. $1 the
// table, $2 the live schema, $3 the staging schema. Primary keys, unique
// and exclusion constraints come with their indexes; the other indexes
// are those no constraint of the table owns.
const (
	sqlStageKeys = `SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', $3::text, c.relname, k.conname, pg_get_constraintdef(k.oid))
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
WHERE c.relname = $1 AND c.relnamespace = $2::regnamespace AND k.contype IN ('p', 'u', 'x')
ORDER BY k.conname`
	sqlStageIndexes = `SELECT regexp_replace(pg_get_indexdef(i.indexrelid), ' ON \S+ USING ', format(' ON %I.%I USING ', $3::text, c.relname))
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
WHERE c.relname = $1 AND c.relnamespace = $2::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
ORDER BY i.indexrelid`
	sqlStageForeignKeys = `SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', $2::text, c.relname, k.conname, pg_get_constraintdef(k.oid))
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
WHERE c.relname = $1 AND c.relnamespace = $2::regnamespace AND k.contype = 'f'
ORDER BY k.conname`
	sqlStageTriggers = `SELECT pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relname = $1 AND c.relnamespace = $2::regnamespace AND NOT t.tgisinternal
ORDER BY t.tgname`
	sqlStageGrants = `SELECT format('GRANT %s ON %I.%I TO %s%s', a.privilege_type, $2::text, c.relname,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
       CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
FROM pg_class c, aclexplode(c.relacl) a
WHERE c.relname = $1 AND c.relnamespace = $2::regnamespace AND a.grantee <> c.relowner
ORDER BY 1`
)

// newStage reads the definitions of the live dataset tables and creates
// their bare twins in stagingSchema.
func newStage(ctx context.Context, tx *sql.Tx) (*stage, error) {
	st := &stage{}
	if err := tx.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&st.home); err != nil {
		return nil, fmt.Errorf("data: import: %w", err)
	}
	for _, q := range []struct {
		sql   string
		build bool // run on the staged tables ($3 names their schema)
	}{{sqlStageKeys, true}, {sqlStageIndexes, true}, {sqlStageForeignKeys, false}, {sqlStageTriggers, false}, {sqlStageGrants, false}} {
		for _, t := range datasetTables {
			args := []any{t, st.home}
			if q.build {
				args = append(args, stagingSchema)
			}
			stmts, err := queryStrings(ctx, tx, q.sql, args...)
			if err != nil {
				return nil, fmt.Errorf("data: import: reading the definition of %s: %w", t, err)
			}
			for _, s := range stmts {
				if q.build {
					st.build = append(st.build, stageStmt{t, s})
				} else {
					st.after = append(st.after, stageStmt{t, s})
				}
			}
		}
	}
	for _, t := range datasetTables {
		create := fmt.Sprintf("CREATE TABLE %s (LIKE %s INCLUDING ALL EXCLUDING INDEXES)",
			pq.QuoteIdentifier(stagingSchema)+"."+pq.QuoteIdentifier(t), st.live(t))
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return nil, fmt.Errorf("data: import: staging %s: %w", t, err)
		}
	}
	return st, nil
}

// live returns the qualified name of the live table t.
func (st *stage) live(t string) string {
	return pq.QuoteIdentifier(st.home) + "." + pq.QuoteIdentifier(t)
}

// swap builds the staged tables' keys and indexes, then puts them in
// place of the live ones and notifies the feature cache's listeners.
func (st *stage) swap(ctx context.Context, tx *sql.Tx) error {
	if err := st.exec(ctx, tx, st.build); err != nil {
		return err
	}
	live := make([]string, len(datasetTables))
	for i, t := range datasetTables {
		live[i] = st.live(t)
	}
	if err := lockTables(ctx, tx, "LOCK TABLE "+strings.Join(live, ", ")+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		return fmt.Errorf("data: import: locking the dataset tables: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE "+strings.Join(live, ", ")); err != nil {
		return fmt.Errorf("data: import: replacing the dataset tables: %w", err)
	}
	for _, t := range datasetTables {
		move := "ALTER TABLE " + pq.QuoteIdentifier(stagingSchema) + "." + pq.QuoteIdentifier(t) + " SET SCHEMA " + pq.QuoteIdentifier(st.home)
		if _, err := tx.ExecContext(ctx, move); err != nil {
			return fmt.Errorf("data: import: replacing %s: %w", t, err)
		}
	}
	if err := st.exec(ctx, tx, st.after); err != nil {
		return err
	}
	// no row of a live table changed, so no trigger of migration 00030 fired
	for _, t := range datasetTables {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, featureNotifyChannel, t); err != nil {
			return fmt.Errorf("data: import: %w", err)
		}
	}
	return nil
}

// exec runs generated statements. A constraint the data breaks (a key
// the reader would have refused) is reported against the table's file.
func (st *stage) exec(ctx context.Context, tx *sql.Tx, stmts []stageStmt) error {
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.sql); err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) && (pe.Code.Class() == "22" || pe.Code.Class() == "23") {
				msg := pe.Message
				if pe.Detail != "" && len(pe.Detail) < 200 {
					msg += " (" + pe.Detail + ")"
				}
				return planner.FieldErrorf(tableFile(s.table), "the database rejected it: %s", msg)
			}
			return fmt.Errorf("data: import: %s: %w", s.sql, err)
		}
	}
	return nil
}

// lockTables runs lock, a LOCK TABLE statement, waiting at most
// swapLockWait at first: when readers hold a table longer, it lets go of
// what it got (so no reader waits on the import for long, nor deadlocks
// with it) and tries again, waiting longer, until ctx ends.
func lockTables(ctx context.Context, tx *sql.Tx, lock string) error {
	var was string
	if err := tx.QueryRowContext(ctx, `SELECT current_setting('lock_timeout')`).Scan(&was); err != nil {
		return err
	}
	for wait := swapLockWait; ; wait = min(2*wait, swapLockWaitMax) {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT parkplan_swap_lock`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SELECT set_config('lock_timeout', $1, true)`, fmt.Sprintf("%dms", wait.Milliseconds())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, lock)
		var pe *pq.Error
		if err == nil {
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT parkplan_swap_lock`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `SELECT set_config('lock_timeout', $1, true)`, was)
			return err
		}
		if !errors.As(err, &pe) || (pe.Code != "55P03" && pe.Code != "40P01") { // lock_not_available, deadlock_detected
			return err
		}
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT parkplan_swap_lock`); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// tableFile names the file whose records a dataset table holds.
func tableFile(table string) string {
	switch table {
	case "industry", "industry_related":
		return dataset.FileIndustries
	case "county":
		return dataset.FileCounties
	case "town":
		return dataset.FileTowns
	case "quota":
		return dataset.FileQuotas
	case "parcel":
		return dataset.FileParcels
	case "protected_area":
		return dataset.FileProtected
	case "enterprise":
		return dataset.FileEnterprises
	}
	panic("data: tableFile: not a dataset table: " + table)
}

// queryStrings returns the one text column of a query's rows.
func queryStrings(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
