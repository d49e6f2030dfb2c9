package data_test

import (
	"context"
	"testing"
)

// TestMigrateUpDownUp applies every migration, rolls them all back, and
// applies them again, checking the tables come and go.
func TestMigrateUpDownUp(t *testing.T) {
	db, _ := newTestDB(t)
	ctx := context.Background()
	tables := []string{"industry", "industry_related", "town", "parcel", "protected_area", "quota", "enterprise"}
	exists := func(table string) bool {
		var ok bool
		if err := db.SQL().QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, "public."+table).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	up, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(up) < 7 || up[0].Version != 1 {
		t.Fatalf("applied %d migrations starting at %v; want 00001 and on", len(up), up)
	}
	for _, tb := range tables {
		if !exists(tb) {
			t.Errorf("after up: table %s missing", tb)
		}
	}
	again, err := db.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second up applied %d (err %v); want none", len(again), err)
	}
	down, err := db.MigrateDown(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(down) != len(up) {
		t.Errorf("rolled back %d of %d", len(down), len(up))
	}
	for _, tb := range tables {
		if exists(tb) {
			t.Errorf("after down: table %s still there", tb)
		}
	}
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if s.Applied {
			t.Errorf("after down: %s still applied", s.Source)
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("up after down: %v", err)
	}
	for _, tb := range tables {
		if !exists(tb) {
			t.Errorf("after up again: table %s missing", tb)
		}
	}
}
