// Package data keeps parkplan's county data, scenarios and plans in
// PostGIS through lib/pq. Geometry is stored in SRID 4490 (CGCS2000
// lon/lat) and crosses the database edge as EWKB through go-geom; the rest
// of the program sees only orb values. Migrations are embedded and run by
// pressly/goose (Migrate).
package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/lib/pq" // registers the "postgres" driver
)

// Pool limits. A planner workstation or a small server: a few concurrent
// HTTP requests and one import or solve at a time.
const (
	maxOpenConns    = 16
	maxIdleConns    = 4
	connMaxLifetime = 30 * time.Minute
	connMaxIdleTime = 5 * time.Minute
)

// DB is a connection pool to a parkplan PostGIS database.
type DB struct {
	sql *sql.DB
}

// Open connects to the PostgreSQL/PostGIS database at url (a postgres://
// URL or key=value DSN, as lib/pq takes) and checks that it answers.
func Open(ctx context.Context, url string) (*DB, error) {
	if url == "" {
		return nil, fmt.Errorf("data: no database URL (set DATABASE_URL or pass --db)")
	}
	db, err := sql.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("data: open: %w", err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxLifetime(connMaxLifetime)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("data: connect: %w", err)
	}
	return &DB{sql: db}, nil
}

// SQL returns the underlying pool, for the stores built on it
// (NewScenarioStore, NewFeatureStore, …).
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }
