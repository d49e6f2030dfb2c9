package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// migrateLockKey serialises River's migrations over concurrent migrators
// (several `serve` and `worker` processes starting at once).
const migrateLockKey int32 = -1

// Migration is one River schema migration applied or rolled back.
type Migration struct {
	Version int
	Name    string
}

// Migrate applies River's pending schema migrations (its job, leader,
// queue and client tables) through rivermigrate, after parkplan's own
// (data.DB.Migrate); `parkplan migrate` runs both.
func Migrate(ctx context.Context, db *sql.DB) ([]Migration, error) {
	return migrate(ctx, db, rivermigrate.DirectionUp, nil)
}

// MigrateDown rolls River's schema back entirely (`parkplan migrate down --all`).
func MigrateDown(ctx context.Context, db *sql.DB) ([]Migration, error) {
	return migrate(ctx, db, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1})
}

func migrate(ctx context.Context, db *sql.DB, dir rivermigrate.Direction, opts *rivermigrate.MigrateOpts) ([]Migration, error) {
	m, err := rivermigrate.New(riverdatabasesql.New(db), nil)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer discard(conn)
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, $2)`, lockSpace, migrateLockKey); err != nil {
		return nil, fmt.Errorf("jobs: waiting for other migrators: %w", err)
	}
	res, err := m.Migrate(ctx, dir, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: River migrations %s: %w", dir, err)
	}
	out := make([]Migration, len(res.Versions))
	for i, v := range res.Versions {
		out[i] = Migration{Version: v.Version, Name: v.Name}
	}
	return out, nil
}
