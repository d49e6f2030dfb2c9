package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
)

// complianceDB creates a fresh database for this test
// (parkplan_test_compliance_<random>), applies every migration, adds the
// town zhouxiang, and drops the database at the end. It fails when
// DATABASE_URL is unset.
func complianceDB(t testing.TB) *sql.DB {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		t.Fatal("DATABASE_URL is not set: the compliance tests need PostGIS (make test provides it)")
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("parkplan_test_compliance_%d", rand.Uint64()%1e12)
	if _, err := admin.Exec("create database " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("drop database if exists " + name + " with (force)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SQL().ExecContext(ctx, "create extension if not exists postgis"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `insert into town (code, name_zh, name_en, type, industries, seat, geom)
		values ('zhouxiang', '周巷镇', 'Zhouxiang Zhen', 'town', '{textile}', ST_SetSRID(ST_MakePoint(121.2, 30.2), 4490),
		ST_Multi(ST_MakeEnvelope(121.1, 30.1, 121.3, 30.3, 4490)))`); err != nil {
		t.Fatal(err)
	}
	return db.SQL()
}

// CGCS2000 ellipsoid (EPSG:1024): semi-major axis, metres, and flattening.
const (
	cgcsA = 6378137.0
	cgcsF = 1 / 298.257222101
)

// rectMu is the exact area, in mu, of the lon/lat rectangle [lon1,lon2] ×
// [lat1,lat2] on the CGCS2000 ellipsoid (the authalic-latitude formula):
// the oracle the PostGIS areas are checked against. Its edges are
// parallels where PostGIS's are geodesics; for rectangles under 1 km the
// two differ by under 0.01 m² (1.5e-5 mu).
func rectMu(lon1, lat1, lon2, lat2 float64) float64 {
	e2 := cgcsF * (2 - cgcsF)
	e := math.Sqrt(e2)
	b2 := cgcsA * cgcsA * (1 - e2)
	zone := func(latDeg float64) float64 {
		s := math.Sin(latDeg * math.Pi / 180)
		return b2 / 2 * (s/(1-e2*s*s) + 1/(2*e)*math.Log((1+e*s)/(1-e*s)))
	}
	return (lon2 - lon1) * math.Pi / 180 * (zone(lat2) - zone(lat1)) / planner.MuM2
}

// overlapTolMu is how close PostGIS areas must come to the oracle: 0.001 mu (0.67 m²).
const overlapTolMu = 1e-3

// Test layout, in units of d = 0.002° from (121.2°E, 30.2°N); y up:
//
//	3d ┌──────┬──────┐
//	   │ F2   │      │             F1 = [d,3d]×[0,2d]   basic farmland
//	2d ├──┬───┼──────┤             F2 = [d,3d]×[d,3d]   basic farmland (overlaps F1)
//	   │A │▒▒▒│F1    │             R  = [-d,.5d]²       red line
//	 d │  │▒▒▒│      │             D  = [-d,1.5d]×[-d,3d] dev boundary
//	   │R │▒▒▒│      │             A  = [0,2d]×[0,2d]   park
//	 0 └──┴───┴──────┘
//	   0  d  1.5d 2d  3d
const (
	lon0, lat0 = 121.2, 30.2
	d          = 0.002
)

func rect(x1, y1, x2, y2 float64) orb.MultiPolygon {
	a, b, c, e := lon0+x1*d, lat0+y1*d, lon0+x2*d, lat0+y2*d
	return orb.MultiPolygon{{{{a, b}, {c, b}, {c, e}, {a, e}, {a, b}}}}
}

func rectAreaMu(x1, y1, x2, y2 float64) float64 {
	return rectMu(lon0+x1*d, lat0+y1*d, lon0+x2*d, lat0+y2*d)
}

func insertProtected(t *testing.T, db *sql.DB, id string, kind planner.ProtectedKind, g orb.MultiPolygon) {
	t.Helper()
	gj := geoJSONText(t, g)
	if _, err := db.Exec(`insert into protected_area values ($1, $2, $1, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4490)))`, id, string(kind), gj); err != nil {
		t.Fatal(err)
	}
}

func geoJSONText(t testing.TB, g orb.Geometry) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"type":"MultiPolygon","coordinates":[`)
	for i, p := range g.(orb.MultiPolygon) {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("[")
		for j, r := range p {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("[")
			for k, pt := range r {
				if k > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "[%.12f,%.12f]", pt[0], pt[1])
			}
			b.WriteString("]")
		}
		b.WriteString("]")
	}
	b.WriteString("]}")
	return b.String()
}

func TestCheckProposedOverlaps(t *testing.T) {
	db := complianceDB(t)
	insertProtected(t, db, "F1", planner.ProtectedFarmland, rect(1, 0, 3, 2))
	insertProtected(t, db, "F2", planner.ProtectedFarmland, rect(1, 1, 3, 3))
	insertProtected(t, db, "R", planner.ProtectedRedline, rect(-1, -1, 0.5, 0.5))
	insertProtected(t, db, "D", planner.ProtectedDevBoundary, rect(-1, -1, 1.5, 3))

	// The sliver parcel overlaps F1 by a strip w wide (in units of d) and 2d
	// high: about 0.005 mu.
	const w = 0.0000386
	bowtie := orb.MultiPolygon{{{{lon0, lat0}, {lon0 + d, lat0 + d}, {lon0 + d, lat0}, {lon0, lat0 + d}, {lon0, lat0}}}}
	in := []compliance.Proposed{
		{ID: "A", Town: "zhouxiang", Kind: planner.KindNewLand, OpenYear: 2020, Geometry: rect(0, 0, 2, 2)},
		{ID: "B", Town: "zhouxiang", Kind: planner.KindOldFactory, Geometry: rect(-3, 0, -2, 1)},
		{ID: "C", Town: "zhouxiang", Kind: planner.KindNewLand, Geometry: rect(3-w, 0, 4, 2)},
		{ID: "E", Town: "zhouxiang", Kind: planner.KindNewLand, Geometry: rect(-1, 0.5, 0, 1)},
		{ID: "X", Town: "zhouxiang", Kind: planner.KindNewLand, Geometry: bowtie},
	}
	checks, err := NewComplianceStore(db).CheckProposed(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != len(in) {
		t.Fatalf("%d checks for %d parcels", len(checks), len(in))
	}
	tests := []struct {
		name                     string
		area, farm, red, outside float64
	}{
		// A: farmland F1∪F2 ∩ A = [d,2d]×[0,2d] (F2's part inside A lies in F1: counted once).
		{"A", rectAreaMu(0, 0, 2, 2), rectAreaMu(1, 0, 2, 2), rectAreaMu(0, 0, 0.5, 0.5), rectAreaMu(1.5, 0, 2, 2)},
		// B: wholly outside the boundary, nothing else.
		{"B", rectAreaMu(-3, 0, -2, 1), 0, 0, rectAreaMu(-3, 0, -2, 1)},
		// C: a sliver of farmland; outside the boundary entirely.
		{"C", rectAreaMu(3-w, 0, 4, 2), rectAreaMu(3-w, 0, 3, 2), 0, rectAreaMu(3-w, 0, 4, 2)},
		// E: shares its bottom edge with the red line and its left edge with the boundary: no area.
		{"E", rectAreaMu(-1, 0.5, 0, 1), 0, 0, 0},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := checks[i]
			if c.ParcelID != tc.name || !c.Valid {
				t.Fatalf("check %d: %+v", i, c)
			}
			for _, f := range []struct {
				what      string
				got, want float64
			}{{"area", c.AreaMu, tc.area}, {"farmland", c.FarmlandMu, tc.farm}, {"redline", c.RedlineMu, tc.red}, {"outside", c.OutsideBoundaryMu, tc.outside}} {
				if math.Abs(f.got-f.want) > overlapTolMu {
					t.Errorf("%s: %.6f mu, want %.6f (±%g)", f.what, f.got, f.want, overlapTolMu)
				}
			}
			if (tc.farm > 0) != (c.Farmland != nil) || (tc.outside > 0) != (c.OutsideBoundary != nil) {
				t.Errorf("overlap geometries: farmland %v outside %v", c.Farmland, c.OutsideBoundary)
			}
		})
	}
	t.Run("sliver size", func(t *testing.T) {
		if f := checks[2].FarmlandMu; f < 0.004 || f > 0.006 {
			t.Errorf("C's farmland overlap %.5f mu: the fixture meant ~0.005", f)
		}
	})
	t.Run("A's farmland overlap geometry", func(t *testing.T) {
		b := checks[0].Farmland.Bound()
		want := rect(1, 0, 2, 2).Bound()
		if math.Abs(b.Min[0]-want.Min[0]) > 1e-9 || math.Abs(b.Max[1]-want.Max[1]) > 1e-9 {
			t.Errorf("bound %v, want %v", b, want)
		}
	})
	t.Run("invalid geometry reported, not repaired", func(t *testing.T) {
		c := checks[4]
		if c.Valid || !strings.Contains(c.InvalidReason, "Self-intersection") || c.FarmlandMu != 0 || c.AreaMu != 0 {
			t.Errorf("bowtie: %+v", c)
		}
	})
	t.Run("report: violations and slivers", func(t *testing.T) {
		r := compliance.Assemble("test", nil, checks, compliance.DefaultToleranceMu)
		n := r.CountByKind()
		// A: farmland, red line, outside; B: outside; C: outside (farmland is a sliver); X: invalid.
		if n[compliance.ViolationFarmland] != 1 || n[compliance.ViolationRedline] != 1 ||
			n[compliance.ViolationOutsideBoundary] != 3 || n[compliance.ViolationInvalidGeometry] != 1 {
			t.Errorf("violations %v", n)
		}
		if len(r.Slivers) != 1 || r.Slivers[0].ParcelID != "C" || r.Slivers[0].Kind != compliance.ViolationFarmland {
			t.Errorf("slivers %+v", r.Slivers)
		}
	})
	t.Run("nothing stored", func(t *testing.T) {
		var n int
		if err := db.QueryRow(`select count(*) from pg_tables where tablename = 'check_parcel'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("check_parcel left behind: %d, %v", n, err)
		}
		if err := db.QueryRow(`select count(*) from quota_check`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d checks stored unasked (%v)", n, err)
		}
	})
	t.Run("kept when asked", func(t *testing.T) {
		r := compliance.Assemble("test", nil, checks, compliance.DefaultToleranceMu)
		id, err := NewComplianceStore(db).SaveReport(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		var farm float64
		if err := db.QueryRow(`select count(*), coalesce(sum(ST_Area(geom::geography)) filter (where kind = 'basic_farmland'), 0) / $2
			from quota_check_violation where check_id = $1`, id, planner.MuM2).Scan(&n, &farm); err != nil {
			t.Fatal(err)
		}
		if n != len(r.Violations) || math.Abs(farm-rectAreaMu(1, 0, 2, 2)) > overlapTolMu {
			t.Errorf("%d rows (want %d), stored farmland overlap %.6f mu (want %.6f)", n, len(r.Violations), farm, rectAreaMu(1, 0, 2, 2))
		}
		var clean bool
		var src string
		if err := db.QueryRow(`select clean, report->>'source' from quota_check where id = $1`, id).Scan(&clean, &src); err != nil || clean || src != "test" {
			t.Errorf("quota_check row: clean %v source %q (%v)", clean, src, err)
		}
	})
}

func TestCheckStored(t *testing.T) {
	db := complianceDB(t)
	insertProtected(t, db, "F1", planner.ProtectedFarmland, rect(1, 0, 3, 2))
	for _, p := range []struct {
		id string
		g  orb.MultiPolygon
	}{{"P1", rect(0, 0, 2, 2)}, {"P2", rect(5, 5, 6, 6)}} {
		if _, err := db.Exec(`insert into parcel (id, town, kind, area_mu, far, cost_wan, floor_m2, firms, geom)
			values ($1, 'zhouxiang', 'new_land', 1, 1, 0, 0, 0, ST_SetSRID(ST_GeomFromGeoJSON($2), 4490))`, p.id, geoJSONText(t, p.g)); err != nil {
			t.Fatal(err)
		}
	}
	s := NewComplianceStore(db)
	checks, err := s.CheckStored(context.Background(), []string{"P2", "P1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || checks[0].ParcelID != "P2" || checks[1].ParcelID != "P1" {
		t.Fatalf("order: %+v", checks)
	}
	if got, want := checks[1].FarmlandMu, rectAreaMu(1, 0, 2, 2); math.Abs(got-want) > overlapTolMu {
		t.Errorf("P1 farmland %.6f, want %.6f", got, want)
	}
	// No dev_boundary layer at all: outside is not computed (0), not "everything".
	if checks[0].OutsideBoundaryMu != 0 {
		t.Errorf("P2 outside %.3f with no boundary layer", checks[0].OutsideBoundaryMu)
	}
	if _, err := s.CheckStored(context.Background(), []string{"P1", "nope"}); planner.ErrorCode(err) != planner.ENOTFOUND || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown id: %v", err)
	}
}

// benchSeed fixes the random layout of BenchmarkCheckProposed.
const benchSeed = 20190042

// BenchmarkCheckProposed checks n random proposed parcels (squares of
// 20–120 m a side, ~1–20 mu) against a protected layer of 200 farmland and
// 50 red-line rectangles and one development boundary, all within a 20 km
// square near Cixi; seeded by benchSeed.
func BenchmarkCheckProposed(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("parcels=%d", n), func(b *testing.B) {
			db := complianceDB(b)
			r := rand.New(rand.NewPCG(benchSeed, 1))
			box := func(lon, lat, w, h float64) orb.MultiPolygon {
				return orb.MultiPolygon{{{{lon, lat}, {lon + w, lat}, {lon + w, lat + h}, {lon, lat + h}, {lon, lat}}}}
			}
			const span = 0.2 // degrees, ~20 km
			ins := func(id string, kind planner.ProtectedKind, g orb.MultiPolygon) {
				if _, err := db.Exec(`insert into protected_area (id, kind, geom) values ($1, $2, ST_SetSRID(ST_GeomFromGeoJSON($3), 4490))`,
					id, string(kind), geoJSONText(b, g)); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < 200; i++ {
				ins(fmt.Sprintf("F%d", i), planner.ProtectedFarmland, box(121.1+r.Float64()*span, 30.1+r.Float64()*span, 0.002+r.Float64()*0.01, 0.002+r.Float64()*0.01))
			}
			for i := 0; i < 50; i++ {
				ins(fmt.Sprintf("R%d", i), planner.ProtectedRedline, box(121.1+r.Float64()*span, 30.1+r.Float64()*span, 0.002+r.Float64()*0.01, 0.002+r.Float64()*0.01))
			}
			ins("D", planner.ProtectedDevBoundary, box(121.1, 30.1, span*0.8, span*0.8))
			parcels := make([]compliance.Proposed, n)
			for i := range parcels {
				side := (0.0002 + r.Float64()*0.001)
				parcels[i] = compliance.Proposed{ID: fmt.Sprintf("N%d", i), Town: "zhouxiang", Kind: planner.KindNewLand,
					Geometry: box(121.1+r.Float64()*span, 30.1+r.Float64()*span, side, side)}
			}
			s := NewComplianceStore(db)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				checks, err := s.CheckProposed(ctx, parcels)
				if err != nil || len(checks) != n {
					b.Fatalf("%d checks, %v", len(checks), err)
				}
			}
		})
	}
}
