package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// newTestDatabase creates an empty throwaway database
// (parkplan_test_<kind>_<random>) on DATABASE_URL's server, drops it when
// the test ends, and returns its URL. It fails the test when DATABASE_URL
// is unset: `make test` always provides it.
func newTestDatabase(t *testing.T, kind string) string {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		t.Fatal("DATABASE_URL is unset; run `make test` or export DATABASE_URL=$(scripts/db.sh)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	name := "parkplan_test_" + kind + "_" + hex.EncodeToString(rnd[:])
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
		admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}

// postgisTestDB is newTestDatabase with the PostGIS extension created
// (no migrations applied).
func postgisTestDB(t *testing.T, kind string) string {
	t.Helper()
	dbURL := newTestDatabase(t, kind)
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		t.Fatal(err)
	}
	return dbURL
}

// importedTestDB is postgisTestDB with ds written to a temporary
// directory and loaded by `parkplan import` (which applies the
// migrations first).
func importedTestDB(t *testing.T, kind string, ds *planner.Dataset) string {
	t.Helper()
	dbURL := postgisTestDB(t, kind)
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("import", dir, "--db", dbURL); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	return dbURL
}

// storeTestDataset applies the migrations (parkplan's and River's) to dbURL and imports ds with
// data.Import in-process.
func storeTestDataset(t *testing.T, dbURL string, ds *planner.Dataset) {
	t.Helper()
	ctx := context.Background()
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.Migrate(ctx, db.SQL()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, dir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}
