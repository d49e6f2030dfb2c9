package data_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// testDatabaseRejectsWhatTheReaderMisses gives P-01 a hole that touches
// its shell at two points — it cuts the interior in two, which
// geo.ValidateGeometry does not detect but PostGIS ST_IsValid does:
//
//	(0,4) ┌──────────┐ (4,4)
//	      │    ╱╲    │
//	(0,2) ◆   ╱  ╲   ◆ (4,2)   hole (0,2)(2,1)(4,2)(2,3)
//	      │   ╲  ╱   │
//	      │    ╲╱    │
//	(0,0) └──────────┘ (4,0)
//
// The import fails naming the file, record and id, and nothing changes.
func testDatabaseRejectsWhatTheReaderMisses(t *testing.T, db *data.DB) {
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before := rowCounts(t, db)
	dir := t.TempDir()
	if err := datasettest.CopyDir(dir, smallDir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, dataset.FileParcels)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const u = 0.001 // one unit of the drawing, degrees
	pt := func(x, y float64) string { return "[" + num(121.12+x*u) + "," + num(30.12+y*u) + "]" }
	shape := "[[[" + pt(0, 0) + "," + pt(4, 0) + "," + pt(4, 4) + "," + pt(0, 4) + "," + pt(0, 0) + "],[" +
		pt(0, 2) + "," + pt(2, 1) + "," + pt(4, 2) + "," + pt(2, 3) + "," + pt(0, 2) + "]]]"
	p01 := regexp.MustCompile(`("id":"P-01".*?)"area_mu":[0-9.]+,(.*?"coordinates":)\[\[\[\[[^\n]*?\]\]\]\]`)
	if !p01.Match(b) {
		t.Fatal("fixture changed: P-01 not found")
	}
	b = p01.ReplaceAll(b, []byte("${1}${2}"+shape))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := dataset.LoadDir(dir, dataset.Options{}); err != nil {
		t.Fatalf("the reader rejects the shape itself (%v); pick one it misses", err)
	}
	_, err = db.Import(ctx, dir, data.ImportOptions{})
	if err == nil {
		t.Fatal("import succeeded")
	}
	want := `parcels.geojson: record 0 (id P-01): the database rejected it: new row for relation "parcel" violates check constraint "parcel_geom_check"`
	if !strings.Contains(err.Error(), want) || planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("error %q (code %s); want %q", err, planner.ErrorCode(err), want)
	}
	after := rowCounts(t, db)
	for tb, n := range before {
		if after[tb] != n {
			t.Errorf("table %s: %d rows after the failed import, %d before", tb, after[tb], n)
		}
	}
}
