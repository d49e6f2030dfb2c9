package geo

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/planar"
)

// surfaceShapes are polygons whose centroid is outside (U, L, a ring
// with a big hole) or that need the widest stretch over several parts.
func surfaceShapes() []struct {
	name string
	mp   orb.MultiPolygon
} {
	sq := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	return []struct {
		name string
		mp   orb.MultiPolygon
	}{
		// ┌┐  ┌┐
		// │└──┘│
		// └────┘
		{"U", orb.MultiPolygon{{{{121, 30}, {121.03, 30}, {121.03, 30.03}, {121.02, 30.03}, {121.02, 30.005},
			{121.01, 30.005}, {121.01, 30.03}, {121, 30.03}, {121, 30}}}}},
		// │
		// └──
		{"L", orb.MultiPolygon{{{{121.3, 30.1}, {121.34, 30.1}, {121.34, 30.104}, {121.304, 30.104}, {121.304, 30.14},
			{121.3, 30.14}, {121.3, 30.1}}}}},
		{"square with a hole", orb.MultiPolygon{{sq(121, 30, 121.01, 30.01), sq(121.002, 30.002, 121.008, 30.008)}}},
		{"two parts, the second wider", orb.MultiPolygon{{sq(121, 30, 121.001, 30.001)}, {sq(121.2, 30.2, 121.21, 30.201)}}},
		{"triangle", orb.MultiPolygon{{{{121.1, 30.2}, {121.12, 30.2}, {121.1, 30.23}, {121.1, 30.2}}}}},
	}
}

func TestPointOnSurfaceInside(t *testing.T) {
	for _, tc := range surfaceShapes() {
		t.Run(tc.name, func(t *testing.T) {
			p := PointOnSurface(tc.mp)
			if !planar.MultiPolygonContains(tc.mp, p) {
				t.Errorf("PointOnSurface = %v, outside %s", p, wkt.MarshalString(tc.mp))
			}
		})
	}
	t.Run("U's centroid is outside (why not the centroid)", func(t *testing.T) {
		u := surfaceShapes()[0].mp
		if c := Centroid(u); planar.MultiPolygonContains(u, c) {
			t.Errorf("centroid %v of the U lies inside; the case tests nothing", c)
		}
	})
	t.Run("empty", func(t *testing.T) {
		if p := PointOnSurface(nil); p != (orb.Point{}) {
			t.Errorf("PointOnSurface(nil) = %v, want the zero point", p)
		}
	})
}

// TestPointOnSurfaceAgreesWithPostGIS: the same point as ST_PointOnSurface
// (GEOS) on the shapes above and on the seeded random shapes.
func TestPointOnSurfaceAgreesWithPostGIS(t *testing.T) {
	db := testDB(t)
	var cases []struct {
		name string
		mp   orb.MultiPolygon
	}
	cases = append(cases, surfaceShapes()...)
	shapes := testShapes(rand.New(rand.NewPCG(seedPostGIS, 0)))
	names := make([]string, 0, len(shapes))
	for n := range shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cases = append(cases, struct {
			name string
			mp   orb.MultiPolygon
		}{n, orb.MultiPolygon{shapes[n]}})
	}
	for _, tc := range cases {
		var x, y float64
		if err := db.QueryRow(`select ST_X(p), ST_Y(p) from ST_PointOnSurface(ST_GeomFromText($1)) p`,
			wkt.MarshalString(tc.mp)).Scan(&x, &y); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := PointOnSurface(tc.mp); math.Abs(got[0]-x) > 1e-12 || math.Abs(got[1]-y) > 1e-12 {
			t.Errorf("%s: PointOnSurface = %v, PostGIS %v", tc.name, got, orb.Point{x, y})
		}
	}
}
