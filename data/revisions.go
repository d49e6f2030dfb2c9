package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// SQL of dataset revisions (table dataset_revision, migration 00045);
// every value is a $n parameter.
const (
	// sqlCurrentRevision is the latest revision, 0 before any import.
	sqlCurrentRevision = `SELECT coalesce(max(revision), 0) FROM dataset_revision`
	sqlInsertRevision  = `INSERT INTO dataset_revision (revision, content_hash, imported_by, source, counts)
SELECT coalesce(max(revision), 0) + 1, $1, $2, $3, $4 FROM dataset_revision RETURNING revision`
	sqlLatestRevision = `SELECT revision, content_hash, imported_at, imported_by, source
FROM dataset_revision ORDER BY revision DESC LIMIT 1`
	// sqlRevisionLockShared is taken by a plan save: it waits for an
	// import in progress (which holds importLockKey exclusively until it
	// commits) and keeps the next one from starting until the save commits,
	// so the revision a save checks is the one its geometry is copied from.
	sqlRevisionLockShared = `SELECT pg_advisory_xact_lock_shared($1)`
)

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// currentRevision reads the dataset's current revision (0 before any import).
func currentRevision(ctx context.Context, q querier) (int, error) {
	var rev int
	if err := q.QueryRowContext(ctx, sqlCurrentRevision).Scan(&rev); err != nil {
		return 0, fmt.Errorf("data: reading the dataset revision: %w", err)
	}
	return rev, nil
}

// insertRevision records an import inside its transaction and returns
// the new revision number. The caller holds importLockKey, so numbers are
// given out one at a time.
func insertRevision(ctx context.Context, tx *sql.Tx, hash, by, source string, n dataset.Counts) (int, error) {
	counts, err := json.Marshal(map[string]int{"industries": n.Industries, "counties": n.Counties, "towns": n.Towns, "quotas": n.Quotas,
		"parcels": n.Parcels, "protected": n.Protected, "enterprises": n.Enterprises})
	if err != nil {
		return 0, err
	}
	var rev int
	if err := tx.QueryRowContext(ctx, sqlInsertRevision, hash, by, source, counts).Scan(&rev); err != nil {
		return 0, fmt.Errorf("data: import: recording the revision: %w", err)
	}
	return rev, nil
}

// DatasetRevision returns the latest import's revision record; Revision 0
// when nothing was imported.
func (db *DB) DatasetRevision(ctx context.Context) (planner.DatasetRevision, error) {
	var r planner.DatasetRevision
	err := db.sql.QueryRowContext(ctx, sqlLatestRevision).Scan(&r.Revision, &r.ContentHash, &r.ImportedAt, &r.ImportedBy, &r.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return planner.DatasetRevision{}, nil
	} else if err != nil {
		return r, fmt.Errorf("data: reading the dataset revision: %w", err)
	}
	r.ImportedAt = r.ImportedAt.UTC()
	return r, nil
}

// checkRevision is called by a plan save inside its transaction: it waits
// for any import in progress, then refuses the plan (ErrDataChanged) when
// the data's revision is no longer the one the plan was built on.
func checkRevision(ctx context.Context, tx *sql.Tx, id string, built int) error {
	if _, err := tx.ExecContext(ctx, sqlRevisionLockShared, importLockKey); err != nil {
		return fmt.Errorf("scenario %s: waiting for an import: %w", id, err)
	}
	cur, err := currentRevision(ctx, tx)
	if err != nil {
		return err
	}
	if cur != built {
		return planner.DataChangedError(id, built, cur)
	}
	return nil
}
