package data

import (
	"encoding/binary"
	"encoding/hex"
	"testing"

	"github.com/paulmach/orb"
	geom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"

	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// TestEWKBHexAsGoGeom: the EWKB an import writes (orb's encoder) has the
// bytes go-geom writes for the same geometry, and decodes back to it.
func TestEWKBHexAsGoGeom(t *testing.T) {
	ring := func(x0, y0, d float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x0 + d, y0}, {x0 + d, y0 + d}, {x0, y0 + d}, {x0, y0}}
	}
	withHole := orb.Polygon{ring(121.2, 30.1, 0.01), ring(121.202, 30.102, 0.002)}
	for _, tc := range []struct {
		name string
		got  func() (string, error)
		want geom.T
	}{
		{"multipolygon", func() (string, error) { return multiPolygonEWKBHex(orb.MultiPolygon{withHole}) }, goGeomMultiPolygon(orb.MultiPolygon{withHole})},
		{"two polygons", func() (string, error) {
			return multiPolygonEWKBHex(orb.MultiPolygon{withHole, {ring(121.3, 30.2, 0.005)}})
		}, goGeomMultiPolygon(orb.MultiPolygon{withHole, {ring(121.3, 30.2, 0.005)}})},
		{"empty multipolygon", func() (string, error) { return multiPolygonEWKBHex(nil) }, geom.NewMultiPolygon(geom.XY).SetSRID(srid)},
		{"point", func() (string, error) { return pointEWKBHex(orb.Point{121.25, 30.2}) }, geom.NewPointFlat(geom.XY, []float64{121.25, 30.2}).SetSRID(srid)},
		{"line", func() (string, error) { return lineStringEWKBHex(orb.LineString{{121.2, 30.1}, {121.3, 30.2}}) },
			geom.NewLineStringFlat(geom.XY, []float64{121.2, 30.1, 121.3, 30.2}).SetSRID(srid)},
		{"empty line", func() (string, error) { return lineStringEWKBHex(nil) }, geom.NewLineString(geom.XY).SetSRID(srid)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.got()
			if err != nil {
				t.Fatal(err)
			}
			b, err := ewkb.Marshal(tc.want, binary.LittleEndian)
			if err != nil {
				t.Fatal(err)
			}
			if want := hex.EncodeToString(b); got != want {
				t.Errorf("EWKB\n got %s\nwant %s", got, want)
			}
		})
	}
}

func goGeomMultiPolygon(mp orb.MultiPolygon) geom.T {
	var flat []float64
	var endss [][]int
	for _, p := range mp {
		var ends []int
		for _, r := range p {
			for _, pt := range r {
				flat = append(flat, pt[0], pt[1])
			}
			ends = append(ends, len(flat))
		}
		endss = append(endss, ends)
	}
	return geom.NewMultiPolygonFlat(geom.XY, flat, endss).SetSRID(srid)
}

// BenchmarkEWKBHex: a generated parcel's geometry as hex EWKB, by the
// import's encoder (orb) and by go-geom through its flat coordinates (the
// encoder before; the same bytes, TestEWKBHexAsGoGeom).
func BenchmarkEWKBHex(b *testing.B) {
	mp := datasettest.GenerateParcels(1, 42)[0].Geometry
	b.Run("orb", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := multiPolygonEWKBHex(mp); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-geom", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, err := ewkb.Marshal(goGeomMultiPolygon(mp), binary.LittleEndian)
			if err != nil {
				b.Fatal(err)
			}
			_ = hex.EncodeToString(buf)
		}
	})
}
