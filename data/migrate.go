package data

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrationFiles holds every migration, numbered by owner: 00001–00009
// county data (towns, parcels, protected land, quotas, industries,
// enterprises), 00010–00019 scenarios and plans, 00020–00029 quota checks,
// 00030–00039 feature notifications, 00045 dataset revisions and plan
// snapshots.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationTable is goose's version table.
const migrationTable = "goose_db_version"

// newProvider returns a goose provider over the embedded migrations.
func newProvider(db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	// an advisory lock serialises concurrent migrators (import and serve at once)
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, sub,
		goose.WithLogger(goose.NopLogger()), goose.WithDisableGlobalRegistry(true), goose.WithSessionLocker(locker))
}

// MigrationResult is one migration applied or rolled back.
type MigrationResult struct {
	Version   int64
	Source    string // file name
	Direction string // "up" or "down"
}

func results(rs []*goose.MigrationResult) []MigrationResult {
	out := make([]MigrationResult, 0, len(rs))
	for _, r := range rs {
		out = append(out, MigrationResult{Version: r.Source.Version, Source: r.Source.Path, Direction: r.Direction})
	}
	return out
}

// Migrate applies every pending migration, each in its own transaction,
// and returns those applied (none when the schema is current).
func (db *DB) Migrate(ctx context.Context) ([]MigrationResult, error) {
	p, err := newProvider(db.sql)
	if err != nil {
		return nil, err
	}
	rs, err := p.Up(ctx)
	if err != nil {
		return results(rs), fmt.Errorf("data: migrate up: %w", err)
	}
	return results(rs), nil
}

// MigrateDown rolls back the latest applied migration, or, with all,
// every one of them.
func (db *DB) MigrateDown(ctx context.Context, all bool) ([]MigrationResult, error) {
	p, err := newProvider(db.sql)
	if err != nil {
		return nil, err
	}
	if all {
		rs, err := p.DownTo(ctx, 0)
		if err != nil {
			return results(rs), fmt.Errorf("data: migrate down: %w", err)
		}
		return results(rs), nil
	}
	r, err := p.Down(ctx)
	if err != nil {
		return nil, fmt.Errorf("data: migrate down: %w", err)
	}
	return results([]*goose.MigrationResult{r}), nil
}

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Source  string
	Applied bool
}

// MigrationStatus lists every embedded migration and whether it is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := newProvider(db.sql)
	if err != nil {
		return nil, err
	}
	ss, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("data: migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(ss))
	for _, s := range ss {
		out = append(out, MigrationStatus{Version: s.Source.Version, Source: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}

// WriteMigrationStatus prints st as a table.
func WriteMigrationStatus(w io.Writer, st []MigrationStatus) {
	for _, s := range st {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(w, "%05d  %-8s %s\n", s.Version, state, s.Source)
	}
}
