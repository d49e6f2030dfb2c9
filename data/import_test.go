package data_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// smallDir is the hand-made fixture written by dataset.WriteDir.
const smallDir = "../planner/dataset/testdata/small"

var datasetFiles = []string{dataset.FileIndustries, dataset.FileTowns, dataset.FileQuotas,
	dataset.FileParcels, dataset.FileProtected, dataset.FileEnterprises}

// rowCounts returns the row count of every dataset table.
func rowCounts(t *testing.T, db *data.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range []string{"industry", "industry_related", "town", "quota", "parcel", "protected_area", "enterprise", "dataset_revision"} {
		var n int
		if err := db.SQL().QueryRowContext(context.Background(), "SELECT count(*) FROM "+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

// testImportExportRoundTrip imports the fixture and exports it: the six
// files come back byte for byte.
func testImportExportRoundTrip(t *testing.T, db *data.DB) {
	ctx := context.Background()
	n, err := db.Import(ctx, smallDir, data.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := dataset.Counts{Industries: 3, Counties: 1, Towns: 2, Quotas: 4, Parcels: 5, Protected: 3, Enterprises: 4}
	if n != want {
		t.Errorf("counts %+v, want %+v", n, want)
	}
	got := rowCounts(t, db)
	if got["industry_related"] != 2 || got["parcel"] != 5 || got["enterprise"] != 4 {
		t.Errorf("rows %v", got)
	}
	out := t.TempDir()
	if _, err := db.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	assertSameFiles(t, smallDir, out)

	// importing again replaces, not appends
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if again := rowCounts(t, db); again["parcel"] != 5 || again["town"] != 2 {
		t.Errorf("after a second import: %v", again)
	}
}

// testImportBadInputs imports each broken variant of the fixture into a
// database holding the good fixture: each fails with its message and the
// database is unchanged.
func testImportBadInputs(t *testing.T, db *data.DB) {
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before := rowCounts(t, db)
	for _, c := range datasettest.BadCases() {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			if err := c.Apply(dir, smallDir); err != nil {
				t.Fatal(err)
			}
			_, err := db.Import(ctx, dir, data.ImportOptions{})
			if err == nil {
				t.Fatal("import succeeded; want an error")
			}
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("code %q, want invalid: %v", planner.ErrorCode(err), err)
			}
			for _, w := range c.Want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			after := rowCounts(t, db)
			for tb, n := range before {
				if after[tb] != n {
					t.Errorf("table %s: %d rows after the failed import, %d before", tb, after[tb], n)
				}
			}
		})
	}
	// and the data are still the fixture's
	out := t.TempDir()
	if _, err := db.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	assertSameFiles(t, smallDir, out)
}

// testLoadDatasetOverlaps checks the stored dataset and PostGIS's overlap
// figures for the fixture's parcel P-05 (new land at 121.200–121.206°E,
// 30.200–30.206°N): farmland FL-1 covers 121.204–121.22 × 30.19–30.203,
// the development boundary DB-1 ends at 121.203°E.
func testLoadDatasetOverlaps(t *testing.T, db *data.DB) {
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Parcels) != 5 || ds.Parcels[0].ID != "P-01" || ds.Parcels[0].Specialty != "appliance" || ds.Parcels[2].OpenYear != 0 {
		t.Fatalf("parcels %+v", ds.Parcels)
	}
	if len(ds.Overlaps) != 1 {
		t.Fatalf("overlaps %+v; want P-05 only", ds.Overlaps)
	}
	o := ds.Overlaps["P-05"]
	rect := func(w, s, e, n float64) float64 { return geo.AreaMu(rectMP(w, s, e, n)) }
	farm := rect(121.204, 30.2, 121.206, 30.203)
	outside := rect(121.203, 30.2, 121.206, 30.206)
	// PostGIS geography areas and geo.AreaMu agree to 0.1 % (docs/crs.md)
	const areaRelTol = 1e-3
	if math.Abs(o.FarmlandMu-farm) > areaRelTol*farm {
		t.Errorf("farmland overlap %.4f mu, want %.4f", o.FarmlandMu, farm)
	}
	if o.RedlineMu != 0 {
		t.Errorf("red line overlap %.4f, want 0", o.RedlineMu)
	}
	if math.Abs(o.OutsideBoundaryMu-outside) > areaRelTol*outside {
		t.Errorf("outside boundary %.4f mu, want %.4f", o.OutsideBoundaryMu, outside)
	}
}

// testAreaAgreesWithPostGIS compares each parcel's area_mu (geo.AreaMu)
// with PostGIS ST_Area(geography) / 666.67: within 0.1 %.
func testAreaAgreesWithPostGIS(t *testing.T, db *data.DB) {
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL().QueryContext(ctx, `SELECT id, area_mu, ST_Area(geom::geography) / $1 FROM parcel ORDER BY id`, planner.MuM2)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var mu, pg float64
		if err := rows.Scan(&id, &mu, &pg); err != nil {
			t.Fatal(err)
		}
		if rel := math.Abs(mu-pg) / pg; rel > 1e-3 {
			t.Errorf("%s: area_mu %.4f, PostGIS %.4f (%.3f %%)", id, mu, pg, 100*rel)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func assertSameFiles(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range datasetFiles {
		assertSameFile(t, want, got, f)
	}
}

// assertSameFile compares file f of the directories want and got.
func assertSameFile(t *testing.T, want, got, f string) {
	t.Helper()
	w, err := os.ReadFile(filepath.Join(want, f))
	if err != nil {
		t.Fatal(err)
	}
	g, err := os.ReadFile(filepath.Join(got, f))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w, g) {
		t.Errorf("%s differs from %s", filepath.Join(got, f), filepath.Join(want, f))
	}
}
