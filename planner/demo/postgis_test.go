package demo

import (
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"

	_ "github.com/lib/pq"
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb/encoding/wkt"
)

// overlapTolMu is how closely the demo's overlaps (convex clipping in geo)
// must match PostGIS (ST_Intersection / ST_Difference, areas on the
// spheroid): the rule's sliver tolerance.
const overlapTolMu = 0.01

// testDB opens a fresh database of its own with PostGIS on the server in
// DATABASE_URL and drops it at the end; it fails when DATABASE_URL is unset.
func testDB(t *testing.T) *sql.DB {
	t.Helper()
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		t.Fatal("DATABASE_URL is not set: run `make test`, or export DATABASE_URL=$(scripts/db.sh)")
	}
	admin, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("parkplan_test_demo_%d", rand.Uint32())
	if _, err := admin.Exec("create database " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec("drop database if exists " + name + " with (force)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	if _, err := db.Exec("create extension if not exists postgis"); err != nil {
		t.Fatalf("create extension postgis: %v", err)
	}
	return db
}

// TestOverlapsAgreeWithPostGIS recomputes every parcel's conflict with
// protected land in PostGIS — with the development boundary taken as the
// union of its pieces, so the test does not lean on their disjointness —
// and compares it with Dataset.Overlaps. It also checks parcel areas and
// that PostGIS finds every generated geometry valid.
func TestOverlapsAgreeWithPostGIS(t *testing.T) {
	db := testDB(t)
	ds := generate(t, seedDemo, 1)
	for _, q := range []string{
		"create table parcel (id text primary key, area_mu double precision, geom geometry(MultiPolygon, 4490))",
		"create table prot (id text primary key, kind text, geom geometry(MultiPolygon, 4490))",
		"create table town (code text primary key, geom geometry(MultiPolygon, 4490))",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range ds.Parcels {
		if _, err := db.Exec("insert into parcel values ($1, $2, ST_GeomFromText($3, 4490))", p.ID, p.AreaMu, wkt.MarshalString(p.Geometry)); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range ds.Protected {
		if _, err := db.Exec("insert into prot values ($1, $2, ST_GeomFromText($3, 4490))", a.ID, string(a.Kind), wkt.MarshalString(a.Geometry)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tw := range ds.Towns {
		if _, err := db.Exec("insert into town values ($1, ST_GeomFromText($2, 4490))", tw.Code, wkt.MarshalString(tw.Boundary)); err != nil {
			t.Fatal(err)
		}
	}
	var invalid int
	err := db.QueryRow(`select (select count(*) from parcel where not ST_IsValid(geom)) +
		(select count(*) from prot where not ST_IsValid(geom)) + (select count(*) from town where not ST_IsValid(geom))`).Scan(&invalid)
	if err != nil {
		t.Fatal(err)
	}
	if invalid != 0 {
		t.Errorf("PostGIS finds %d generated geometries invalid", invalid)
	}
	var overlappingParcels, overlappingTowns int
	db.QueryRow(`select count(*) from parcel a join parcel b on a.id < b.id and ST_Intersects(a.geom, b.geom)`).Scan(&overlappingParcels)
	db.QueryRow(`select count(*) from town a join town b on a.code < b.code and ST_Overlaps(a.geom, b.geom)`).Scan(&overlappingTowns)
	if overlappingParcels != 0 || overlappingTowns != 0 {
		t.Errorf("PostGIS finds %d pairs of parcels touching and %d pairs of towns overlapping", overlappingParcels, overlappingTowns)
	}

	const mu = "/ (10000.0 / 15.0)"
	rows, err := db.Query(`select p.id, ST_Area(p.geom::geography)` + mu + `,
		coalesce((select sum(ST_Area(ST_Intersection(p.geom, a.geom)::geography)) from prot a
			where a.kind = 'basic_farmland' and ST_Intersects(p.geom, a.geom)), 0)` + mu + `,
		coalesce((select sum(ST_Area(ST_Intersection(p.geom, a.geom)::geography)) from prot a
			where a.kind = 'eco_redline' and ST_Intersects(p.geom, a.geom)), 0)` + mu + `,
		coalesce(ST_Area(ST_Difference(p.geom, (select ST_Union(a.geom) from prot a
			where a.kind = 'dev_boundary' and ST_Intersects(p.geom, a.geom)))::geography),
			ST_Area(p.geom::geography))` + mu + `
		from parcel p order by p.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n, conflicts int
	var worst float64
	for rows.Next() {
		var id string
		var area, farm, red, out float64
		if err := rows.Scan(&id, &area, &farm, &red, &out); err != nil {
			t.Fatal(err)
		}
		n++
		o := ds.Overlaps[id]
		if o != (planner.Overlap{}) {
			conflicts++
		}
		var p planner.Parcel
		for _, q := range ds.Parcels {
			if q.ID == id {
				p = q
			}
		}
		for _, c := range []struct {
			what      string
			got, want float64
			tol       float64
		}{
			{"area_mu", p.AreaMu, area, 1e-5 * area},
			{"farmland mu", o.FarmlandMu, farm, overlapTolMu},
			{"red line mu", o.RedlineMu, red, overlapTolMu},
			{"outside boundary mu", o.OutsideBoundaryMu, out, overlapTolMu},
		} {
			d := math.Abs(c.got - c.want)
			worst = math.Max(worst, d)
			if d > c.tol {
				t.Errorf("parcel %s %s: demo %.4f, PostGIS %.4f", id, c.what, c.got, c.want)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(ds.Parcels) || conflicts == 0 {
		t.Errorf("compared %d parcels (%d with conflicts)", n, conflicts)
	}
	t.Logf("overlaps of %d parcels (%d with conflicts) agree with PostGIS; worst difference %.2e mu", n, conflicts, worst)
}
