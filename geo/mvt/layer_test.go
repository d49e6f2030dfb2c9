package mvt_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo/mvt"
)

// testTile is the zoom-14 tile holding 121.2° E, 30.2° N (the synthetic
// county's middle).
var testTile = func() mvt.Tile {
	x, y := tileOf(121.2, 30.2, 14)
	return mvt.Tile{Z: 14, X: x, Y: y, Extent: 4096, Buffer: 64}
}()

// tileOf returns the WebMercatorQuad column and row holding lon/lat.
func tileOf(lon, lat float64, z int) (x, y int) {
	gx, gy := world(lon, lat)
	n := math.Ldexp(1, z)
	return int(gx * n), int(gy * n)
}

// world maps lon/lat to Web Mercator's unit square (y down), by the
// textbook formula (not the package's).
func world(lon, lat float64) (x, y float64) {
	r := lat * math.Pi / 180
	return (lon + 180) / 360, (1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2
}

// gridOf returns lon/lat on tile t's grid, unrounded.
func gridOf(t mvt.Tile, lon, lat float64) (x, y float64) {
	wx, wy := world(lon, lat)
	n := math.Ldexp(1, t.Z)
	e := float64(t.Extent)
	return (wx*n - float64(t.X)) * e, (wy*n - float64(t.Y)) * e
}

// lonLatOf returns the lon/lat of grid point gx, gy of tile t.
func lonLatOf(t mvt.Tile, gx, gy float64) orb.Point {
	n := math.Ldexp(1, t.Z)
	e := float64(t.Extent)
	wx, wy := (gx/e+float64(t.X))/n, (gy/e+float64(t.Y))/n
	return orb.Point{wx*360 - 180, math.Atan(math.Sinh(math.Pi*(1-2*wy))) * 180 / math.Pi}
}

// box is a lon/lat ring of the grid box x0..x1, y0..y1 of tile t, the
// vertices in the order given by ccw (counter-clockwise in lon/lat).
func box(t mvt.Tile, x0, y0, x1, y1 float64, ccw bool) orb.Ring {
	// Grid y runs down: lon/lat counter-clockwise is (x0,y1) (x1,y1) (x1,y0) (x0,y0).
	r := orb.Ring{lonLatOf(t, x0, y1), lonLatOf(t, x1, y1), lonLatOf(t, x1, y0), lonLatOf(t, x0, y0), lonLatOf(t, x0, y1)}
	if !ccw {
		r.Reverse()
	}
	return r
}

// one writes g as the only feature of a layer and decodes it.
func one(t *testing.T, g orb.Geometry) (bool, []decodedFeature) {
	t.Helper()
	l := mvt.NewLayer("parcels", testTile)
	ok := l.Feature(g)
	if !ok {
		if l.Bytes() != nil || l.Len() != 0 {
			t.Fatalf("a layer without features has %d features, %d bytes", l.Len(), len(l.Bytes()))
		}
		return false, nil
	}
	layers := decodeTile(t, l.Bytes())
	if len(layers) != 1 || layers[0].name != "parcels" || layers[0].version != 2 || layers[0].extent != 4096 {
		t.Fatalf("layers %+v", layers)
	}
	return true, layers[0].features
}

// TestLayerPolygons writes polygons given on the grid of the test tile:
// a ring clockwise in lon/lat is clockwise on the grid (y down), an
// exterior ring already, and is written from its first vertex; one
// counter-clockwise in lon/lat is reversed (holes the other way round).
func TestLayerPolygons(t *testing.T) {
	tt := testTile
	for _, tc := range []struct {
		name  string
		g     orb.Geometry
		ok    bool
		rings [][][2]int64 // the feature's rings on the grid, in order
	}{
		{"square, counter-clockwise in lon/lat", orb.MultiPolygon{{box(tt, 100, 200, 300, 400, true)}}, true,
			[][][2]int64{{{100, 200}, {300, 200}, {300, 400}, {100, 400}}}},
		{"square, clockwise in lon/lat", orb.Polygon{box(tt, 100, 200, 300, 400, false)}, true,
			[][][2]int64{{{100, 400}, {100, 200}, {300, 200}, {300, 400}}}},
		{"square with a hole, both counter-clockwise", orb.Polygon{box(tt, 100, 100, 500, 500, true), box(tt, 200, 200, 300, 300, true)}, true,
			[][][2]int64{{{100, 100}, {500, 100}, {500, 500}, {100, 500}}, {{200, 300}, {300, 300}, {300, 200}, {200, 200}}}},
		{"two squares", orb.MultiPolygon{{box(tt, 0, 0, 10, 10, true)}, {box(tt, 20, 0, 30, 10, true)}}, true,
			[][][2]int64{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{20, 0}, {30, 0}, {30, 10}, {20, 10}}}},
		{"crossing the east edge: clipped at the buffer", orb.Polygon{box(tt, 4000, 10, 5000, 20, false)}, true,
			[][][2]int64{{{4000, 20}, {4000, 10}, {4160, 10}, {4160, 20}}}},
		{"in the buffer only", orb.Polygon{box(tt, -60, 10, -10, 20, false)}, true,
			[][][2]int64{{{-60, 20}, {-60, 10}, {-10, 10}, {-10, 20}}}},
		{"beyond the buffer", orb.Polygon{box(tt, -100, 10, -70, 20, false)}, false, nil},
		{"in another tile", orb.Polygon{box(tt, 9000, 9000, 9100, 9100, false)}, false, nil},
		{"smaller than a grid cell", orb.Polygon{box(tt, 100.1, 100.1, 100.3, 100.3, false)}, false, nil},
		{"hole smaller than a grid cell: dropped, exterior kept", orb.Polygon{box(tt, 100, 100, 200, 200, false), box(tt, 150.1, 150.1, 150.3, 150.3, true)}, true,
			[][][2]int64{{{100, 200}, {100, 100}, {200, 100}, {200, 200}}}},
		{"bounding box meets the tile, the triangle does not", orb.Polygon{{lonLatOf(tt, -500, -500), lonLatOf(tt, 100, -500), lonLatOf(tt, -500, 100), lonLatOf(tt, -500, -500)}}, false, nil},
		{"empty", orb.MultiPolygon{}, false, nil},
		{"nil", nil, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, feats := one(t, tc.g)
			if ok != tc.ok {
				t.Fatalf("Feature = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			f := feats[0]
			if f.typ != 3 {
				t.Fatalf("type %d, want polygon (3)", f.typ)
			}
			if !reflect.DeepEqual(f.paths, tc.rings) {
				t.Errorf("rings %v, want %v", f.paths, tc.rings)
			}
			// Every polygon starts with an exterior ring (positive area),
			// holes follow with negative area.
			if a := area2(f.paths[0]); a <= 0 {
				t.Errorf("first ring's area %d, want positive (exterior)", a)
			}
		})
	}
}

func TestLayerPointsAndLines(t *testing.T) {
	tt := testTile
	p := func(x, y float64) orb.Point { return lonLatOf(tt, x, y) }
	for _, tc := range []struct {
		name  string
		g     orb.Geometry
		typ   uint64
		paths [][][2]int64
	}{
		{"point", p(1000.4, 2000.6), 1, [][][2]int64{{{1000, 2001}}}},
		{"point in the buffer", p(-63, 4159), 1, [][][2]int64{{{-63, 4159}}}},
		{"point beyond the buffer", p(-65, 10), 0, nil},
		{"points", orb.MultiPoint{p(1, 2), p(3, 4), p(9000, 4)}, 1, [][][2]int64{{{1, 2}, {3, 4}}}},
		{"line", orb.LineString{p(10, 10), p(10.2, 10.1), p(20, 30)}, 2, [][][2]int64{{{10, 10}, {20, 30}}}},
		{"line leaving the tile", orb.LineString{p(4000, 10), p(4300, 10)}, 2, [][][2]int64{{{4000, 10}, {4160, 10}}}},
		{"line of one grid point", orb.LineString{p(10, 10), p(10.2, 10.1)}, 0, nil},
		{"lines", orb.MultiLineString{{p(0, 0), p(5, 5)}, {p(7, 7), p(9, 9)}}, 2, [][][2]int64{{{0, 0}, {5, 5}}, {{7, 7}, {9, 9}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, feats := one(t, tc.g)
			if ok != (tc.typ != 0) {
				t.Fatalf("Feature = %v, want %v", ok, tc.typ != 0)
			}
			if !ok {
				return
			}
			if feats[0].typ != tc.typ || !reflect.DeepEqual(feats[0].paths, tc.paths) {
				t.Errorf("type %d %v, want %d %v", feats[0].typ, feats[0].paths, tc.typ, tc.paths)
			}
		})
	}
}

func TestLayerProperties(t *testing.T) {
	l := mvt.NewLayer("parcels", testTile)
	id, town, area, year, locked, unused := l.Key("id"), l.Key("town"), l.Key("area_mu"), l.Key("open_year"), l.Key("locked"), l.Key("unused")
	_ = unused
	sq := orb.Polygon{box(testTile, 10, 10, 20, 20, true)}
	// Three features: shared values once in the layer, a property left
	// out (null), a negative integer, one feature outside the tile whose
	// properties must not leak into the next.
	l.String(id, []byte("P1"))
	l.String(town, []byte("t0"))
	l.Double(area, 36.5)
	l.Int(year, 2020)
	l.Bool(locked, true)
	if !l.Feature(sq.Clone()) {
		t.Fatal("first feature left out")
	}
	l.String(id, []byte("P-out"))
	l.Int(year, 1999)
	if l.Feature(orb.Polygon{box(testTile, 9000, 9000, 9100, 9100, false)}) {
		t.Fatal("a feature outside the tile was written")
	}
	l.String(id, []byte("P2"))
	l.String(town, []byte("t0"))
	l.Double(area, 36.5)
	l.Int(year, -3)
	l.Bool(locked, false)
	if !l.Feature(sq.Clone()) {
		t.Fatal("second feature left out")
	}
	l.String(id, []byte("P3"))
	l.Double(area, math.NaN())
	if !l.Feature(sq.Clone()) {
		t.Fatal("third feature left out")
	}
	if l.Len() != 3 {
		t.Fatalf("Len %d, want 3", l.Len())
	}
	ly := decodeTile(t, l.Bytes())[0]
	if want := []string{"id", "town", "area_mu", "open_year", "locked"}; !reflect.DeepEqual(ly.keys, want) {
		t.Errorf("keys %v, want %v (first-use order, unused left out)", ly.keys, want)
	}
	// P1, t0, 36.5, 2020, true, P2, -3, false, P3, NaN: t0 and 36.5 once.
	if len(ly.values) != 10 {
		t.Errorf("%d values %v, want 10 (shared values once)", len(ly.values), ly.values)
	}
	wants := []map[string]any{
		{"id": "P1", "town": "t0", "area_mu": 36.5, "open_year": uint64(2020), "locked": true},
		{"id": "P2", "town": "t0", "area_mu": 36.5, "open_year": int64(-3), "locked": false},
		{"id": "P3"},
	}
	for i, want := range wants {
		got := ly.features[i].props
		if i == 2 {
			if a, ok := got["area_mu"].(float64); !ok || !math.IsNaN(a) {
				t.Errorf("feature 3 area_mu %v, want NaN", got["area_mu"])
			}
			delete(got, "area_mu")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("feature %d properties %v, want %v", i+1, got, want)
		}
	}
}

func TestTileLonLatBound(t *testing.T) {
	for _, tt := range []mvt.Tile{testTile, {Z: 0, Extent: 4096, Buffer: 64}, {Z: 3, X: 7, Y: 0, Extent: 512, Buffer: 0}} {
		b := tt.LonLatBound()
		x0, y1 := gridOf(tt, b.Min[0], b.Min[1])
		x1, y0 := gridOf(tt, b.Max[0], b.Max[1])
		lo, hi := -float64(tt.Buffer), float64(tt.Extent+tt.Buffer)
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"west", x0, lo}, {"east", x1, hi}, {"north", y0, lo}, {"south", y1, hi}} {
			if math.Abs(c.got-c.want) > 1e-6 {
				t.Errorf("tile %+v: %s edge at %.9f on the grid, want %v", tt, c.name, c.got, c.want)
			}
		}
	}
}

func TestLayerReset(t *testing.T) {
	l := mvt.NewLayer("parcels", testTile)
	k := l.Key("id")
	l.String(k, []byte("P1"))
	if !l.Feature(orb.Polygon{box(testTile, 10, 10, 20, 20, false)}) {
		t.Fatal("feature left out")
	}
	other := mvt.Tile{Z: testTile.Z, X: testTile.X + 1, Y: testTile.Y, Extent: 4096, Buffer: 64}
	l.Reset("parks", other)
	k = l.Key("parcel_id")
	l.String(k, []byte("P2"))
	if !l.Feature(orb.Polygon{box(other, 30, 30, 40, 40, false)}) {
		t.Fatal("feature after Reset left out")
	}
	ly := decodeTile(t, l.Bytes())
	if len(ly) != 1 || ly[0].name != "parks" || len(ly[0].features) != 1 || !reflect.DeepEqual(ly[0].keys, []string{"parcel_id"}) ||
		!reflect.DeepEqual(ly[0].values, []any{"P2"}) || !reflect.DeepEqual(ly[0].features[0].paths, [][][2]int64{{{30, 40}, {30, 30}, {40, 30}, {40, 40}}}) {
		t.Errorf("after Reset: %+v, want only the new tile's feature", ly)
	}
}
