package data_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// sqlSchemaOf lists what a table is made of in the catalog: columns,
// constraints, indexes, triggers, owner and grants — what an import's
// swap (data/import_stage.go) must give the new tables.
const sqlSchemaOf = `
SELECT 'column ' || attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass
UNION ALL SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = $1::regclass
UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal
UNION ALL SELECT 'owner ' || pg_get_userbyid(relowner) || ' acl ' || coalesce(relacl::text, '') FROM pg_class WHERE oid = $1::regclass
ORDER BY 1`

// schemaOf returns the catalog lines of the dataset tables.
func schemaOf(t *testing.T, db *data.DB) []string {
	t.Helper()
	var out []string
	for _, tb := range []string{"industry", "industry_related", "county", "town", "quota", "parcel", "protected_area", "enterprise"} {
		rows, err := db.SQL().QueryContext(context.Background(), sqlSchemaOf, tb)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, tb+": "+s)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// testImportKeepsSchema: the tables an import swaps in have every column,
// constraint, index, trigger and grant the migrations gave the ones they
// replace, under the same names; the staging schema is left empty, by a
// good import and by a failed one.
func testImportKeepsSchema(t *testing.T, db *data.DB) {
	ctx := context.Background()
	fresh := migrated(t) // a schema no import has touched
	want := schemaOf(t, fresh)
	if len(want) < 80 || !slices.Contains(want, "parcel: index CREATE INDEX parcel_geom_gix ON public.parcel USING gist (geom)") ||
		!slices.Contains(want, "parcel: constraint parcel_town_fkey FOREIGN KEY (town) REFERENCES town(code)") {
		t.Fatalf("the catalog query misses what it should list:\n%s", strings.Join(want, "\n"))
	}
	for i := 0; i < 2; i++ {
		if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	got := schemaOf(t, db)
	if !slices.Equal(got, want) {
		t.Errorf("after two imports the dataset tables are\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var staged int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM pg_class WHERE relnamespace = 'parkplan_import'::regnamespace`).Scan(&staged); err != nil {
		t.Fatal(err)
	}
	if staged != 0 {
		t.Errorf("%d relations left in the staging schema", staged)
	}
	// the reader role still reads the new tables
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM parcel WHERE has_table_privilege('parkplan_reader', 'parcel', 'SELECT')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("parkplan_reader cannot read the new parcel table (%d rows visible to the check)", n)
	}
}

// testImportLateBadFeature imports 2,000 generated parcels, then the same
// with parcel 1,500 broken — far past the first COPY buffers the server
// has received and the rows the pipe has queued. The error names the
// file, the feature, its id and the field; nothing is written (same rows,
// same revision, same content hash); the good import's recorded content
// hash is the reader's own, with no database.
func testImportLateBadFeature(t *testing.T, db *data.DB) {
	const n, seed, bad = 2000, 42, 1500
	ctx := context.Background()
	good := writeGenerated(t, n, seed, "")
	if _, err := db.Import(ctx, good, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	h, sum := dataset.ContentHash(dataset.Handler{})
	if _, err := dataset.ReadDir(good, dataset.Options{}, h); err != nil {
		t.Fatal(err)
	}
	rev, err := db.DatasetRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rev.ContentHash != sum() {
		t.Errorf("recorded content hash %s, the reader's %s", rev.ContentHash, sum())
	}
	before := rowCounts(t, db)

	ds := datasettest.Small()
	ds.Parcels = datasettest.GenerateParcels(n, seed)
	ds.Parcels[bad].FAR = -2
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	_, err = db.Import(ctx, dir, data.ImportOptions{})
	want := "parcels.geojson: feature 1500 (id " + ds.Parcels[bad].ID + "): properties.far"
	if err == nil || !strings.Contains(err.Error(), want) || planner.ErrorCode(err) != planner.EINVALID {
		t.Fatalf("error %v (code %s); want one containing %q", err, planner.ErrorCode(err), want)
	}
	after := rowCounts(t, db)
	for tb, n := range before {
		if after[tb] != n {
			t.Errorf("table %s: %d rows after the failed import, %d before", tb, after[tb], n)
		}
	}
	if again, err := db.DatasetRevision(ctx); err != nil || again != rev {
		t.Errorf("revision %+v (%v) after the failed import, %+v before", again, err, rev)
	}
}

// TestImportReadersSeePrevious: while an import loads, readers read the
// previous dataset; a reader inside a transaction that has read a dataset
// table keeps it until it ends (the import waits, letting go of its locks
// between attempts so other readers are not held up); then the new
// dataset is there, and the feature cache's channel was notified.
func TestImportReadersSeePrevious(t *testing.T) {
	db, url := newTestDB(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	const n = 2000
	dir := writeGenerated(t, n, 7, "")

	notes := make(chan string, 16)
	l := pq.NewListener(url, time.Second, time.Second, nil)
	defer l.Close()
	if err := l.Listen("parkplan_features"); err != nil {
		t.Fatal(err)
	}
	go func() {
		for note := range l.Notify {
			if note != nil {
				notes <- note.Extra
			}
		}
	}()

	reader, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback()
	var got int
	if err := reader.QueryRowContext(ctx, `SELECT count(*) FROM parcel`).Scan(&got); err != nil || got != 5 {
		t.Fatalf("reader: %d parcels (%v), want 5", got, err)
	}
	done := make(chan error, 1)
	go func() { _, err := db.Import(ctx, dir, data.ImportOptions{}); done <- err }()

	// wait until the import asks for the parcel table the reader holds
	deadline := time.Now().Add(2 * time.Minute)
	for waiting := false; !waiting; {
		if time.Now().After(deadline) {
			t.Fatal("the import never waited for the reader")
		}
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) while a reader held the parcel table", err)
		case <-time.After(20 * time.Millisecond):
		}
		if err := db.SQL().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks
			WHERE relation = 'public.parcel'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted)`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	// held past several of the import's lock attempts (100, 200, 400 ms …)
	time.Sleep(1500 * time.Millisecond)
	if err := reader.QueryRowContext(ctx, `SELECT count(*) FROM parcel`).Scan(&got); err != nil || got != 5 {
		t.Errorf("reader in its transaction: %d parcels (%v), want the previous 5", got, err)
	}
	// a reader outside any transaction is not held up for long, and sees
	// the previous dataset (the import cannot swap while the reader above
	// holds the table)
	start := time.Now()
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM parcel`).Scan(&got); err != nil || got != 5 {
		t.Errorf("another reader: %d parcels (%v), want the previous 5", got, err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("another reader waited %v for the import", waited)
	}
	if err := reader.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("import: %v", err)
	}
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM parcel`).Scan(&got); err != nil || got != n {
		t.Errorf("after the import: %d parcels (%v), want %d", got, err, n)
	}
	for {
		select {
		case table := <-notes:
			if table == "parcel" {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no parkplan_features notification for parcel after the import")
		}
	}
}
