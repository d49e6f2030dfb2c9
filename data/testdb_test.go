package data_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/parkplan/parkplan/data"
)

// newTestDB creates a throwaway database (parkplan_test_data_<random>)
// on the server of DATABASE_URL, with PostGIS, opens it, and drops it when
// the test ends. It fails the test when DATABASE_URL is unset: `make test`
// always provides it.
func newTestDB(t testing.TB) (*data.DB, string) {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		t.Fatal("DATABASE_URL is unset; run `make test` or export DATABASE_URL=$(scripts/db.sh)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DATABASE_URL: %v", err)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	name := "parkplan_test_data_" + hex.EncodeToString(rnd[:])
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	u.Path = "/" + name
	dbURL := u.String()
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
		admin.Close()
	})
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SQL().ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		t.Fatal(err)
	}
	return db, dbURL
}

// migrated returns a fresh test database with every migration applied.
func migrated(t testing.TB) *data.DB {
	t.Helper()
	db, _ := newTestDB(t)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
