package data_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/demo"
)

// testCountiesImportExport: a demo province of three counties is
// imported (counties and the towns' counties in PostGIS), loaded back as
// generated, and exported to the same bytes, counties.geojson included;
// importing one-county data afterwards leaves only its implied county.
func testCountiesImportExport(t *testing.T, db *data.DB) {
	ctx := context.Background()
	ds, err := demo.Province(demo.Options{Seed: demo.DefaultSeed}, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	n, err := db.Import(ctx, dir, data.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n.Counties != 3 || n.Towns != 57 {
		t.Errorf("counts %+v", n)
	}
	var perCounty int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM town WHERE county = $1`, "c02").Scan(&perCounty); err != nil || perCounty != 19 {
		t.Errorf("county c02 has %d towns in PostGIS (%v)", perCounty, err)
	}
	got, err := db.LoadDataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Counties) != len(ds.Counties) {
		t.Fatalf("loaded counties %v, imported %v", got.CountyCodes(), ds.CountyCodes())
	}
	for i, a := range got.Counties {
		b := ds.Counties[i]
		if a.Code != b.Code || a.NameZh != b.NameZh || a.NameEn != b.NameEn || a.Prefecture != b.Prefecture || a.Implied ||
			planar.Distance(a.Seat, b.Seat) > coordTolDeg || !sameRings(a.Boundary, b.Boundary) {
			t.Errorf("county %s loaded as %s %s %s %s implied %v seat %v, imported as %s %s %s %s seat %v, or its boundary differs",
				a.Code, a.Code, a.NameZh, a.NameEn, a.Prefecture, a.Implied, a.Seat, b.Code, b.NameZh, b.NameEn, b.Prefecture, b.Seat)
		}
	}
	for i := range got.Towns {
		if got.Towns[i].County != ds.Towns[i].County {
			t.Errorf("town %s loaded in county %q, imported in %q", got.Towns[i].Code, got.Towns[i].County, ds.Towns[i].County)
		}
	}
	sub, err := got.CountyDataset("c03")
	if err != nil || len(sub.Towns) != 19 || len(sub.Parcels) != len(ds.Parcels)/3 {
		t.Errorf("county c03 of the loaded dataset: %v", err)
	}
	out := t.TempDir()
	if _, err := db.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	assertSameFiles(t, dir, out)
	assertSameFile(t, dir, out, dataset.FileCounties)
	t.Run("ProvinceStore", func(t *testing.T) { testProvinceStore(t, db) })

	// one-county data replaces the province: its implied county alone
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, err = db.LoadDataset(ctx); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Counties, []planner.County{planner.DefaultCounty()}) {
		t.Errorf("after a one-county import: counties %+v", got.Counties)
	}
	if _, err := db.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, dataset.FileCounties)); !os.IsNotExist(err) {
		t.Errorf("export of one-county data left %s (%v)", dataset.FileCounties, err)
	}
	assertSameFiles(t, smallDir, out)
}

// coordTolDeg is how far a coordinate may move through the files and
// PostGIS: the writer keeps 1e-8°.
const coordTolDeg = 1e-8

// sameRings reports whether a and b have the same rings, each position
// within coordTolDeg.
func sameRings(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if len(a[i][j]) != len(b[i][j]) {
				return false
			}
			for k := range a[i][j] {
				if planar.Distance(a[i][j][k], b[i][j][k]) > coordTolDeg {
					return false
				}
			}
		}
	}
	return true
}

// TestMigrationDefaultCounty: data imported before counties were kept
// (migration 00070 and those after it rolled back) gets the implied default county when
// 00070 is applied: every town in it, and the export is unchanged.
func TestMigrationDefaultCounty(t *testing.T) {
	db := migrated(t)
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// roll back to just before 00070 (the migrations after it first)
	for rolled := 0; ; rolled++ {
		down, err := db.MigrateDown(ctx, false)
		if err != nil || len(down) != 1 || down[0].Version < 70 || rolled > 10 {
			t.Fatalf("rolled back %v (%v); want one migration ≥ 00070 at a time, down to 00070", down, err)
		}
		if down[0].Version == 70 {
			break
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var code string
	var implied bool
	var towns int
	err := db.SQL().QueryRowContext(ctx, `SELECT c.code, c.implied, count(t.code) FROM county c JOIN town t ON t.county = c.code GROUP BY c.code`).
		Scan(&code, &implied, &towns)
	if err != nil || code != planner.DefaultCountyCode || !implied || towns != 2 {
		t.Errorf("after 00070: county %q implied %v with %d towns (%v)", code, implied, towns, err)
	}
	out := t.TempDir()
	if _, err := db.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	assertSameFiles(t, smallDir, out)
}

// testFeatureCounties: the counties collection of data written without
// counties (scripts/bench-api.sql inserts towns only) is the implied
// default county, its geometry the union of its four towns (the
// fixture's 0.4° square); each town carries its county.
func testFeatureCounties(t *testing.T, fs *data.FeatureStore) {
	ctx := context.Background()
	raw, err := fs.Item(ctx, "counties", planner.DefaultCountyCode, planner.CRS84, false)
	if err != nil {
		t.Fatal(err)
	}
	f, err := geojson.UnmarshalFeature(raw)
	if err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if f.Properties["implied"] != true || f.Properties["towns"] != 4.0 || f.Properties["name_zh"] != "慈溪市" ||
		f.Properties["prefecture"] != "宁波市" || f.Properties["seat_lon"] != nil {
		t.Errorf("county properties %v", f.Properties)
	}
	mp, ok := f.Geometry.(orb.MultiPolygon)
	if want := (orb.Bound{Min: orb.Point{121, 30}, Max: orb.Point{121.4, 30.4}}); !ok || len(mp) != 1 || !mp.Bound().Equal(want) {
		t.Errorf("county geometry %T with bound %v, want the towns' union, one polygon bounded by %v", f.Geometry, f.Geometry.Bound(), want)
	}
	page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "towns", Limit: 10, CRS: planner.CRS84})
	if err != nil {
		t.Fatal(err)
	}
	for _, tw := range featureCollection(t, page.Features) {
		if tw.Properties["county"] != planner.DefaultCountyCode {
			t.Errorf("town %v in county %v", tw.ID, tw.Properties["county"])
		}
	}
}
