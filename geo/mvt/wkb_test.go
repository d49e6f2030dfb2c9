package mvt_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/parkplan/parkplan/geo/mvt"
)

// randomGeometries returns geometries of every kind around and across
// the test tile, seeded: polygons with holes crossing its edges, lines,
// points inside and out.
func randomGeometries(seed uint64, n int) []orb.Geometry {
	rng := rand.New(rand.NewPCG(seed, 1))
	pt := func() orb.Point { // a grid point up to a third of a tile outside it
		return lonLatOf(testTile, rng.Float64()*6000-950, rng.Float64()*6000-950)
	}
	ring := func() orb.Ring {
		r := orb.Ring{}
		for i := 3 + rng.IntN(8); i > 0; i-- {
			r = append(r, pt())
		}
		return append(r, r[0])
	}
	line := func() orb.LineString {
		ls := orb.LineString{}
		for i := 2 + rng.IntN(6); i > 0; i-- {
			ls = append(ls, pt())
		}
		return ls
	}
	poly := func() orb.Polygon {
		p := orb.Polygon{ring()}
		for i := rng.IntN(3); i > 0; i-- {
			p = append(p, ring())
		}
		return p
	}
	var out []orb.Geometry
	for i := 0; i < n; i++ {
		switch i % 6 {
		case 0:
			out = append(out, pt())
		case 1:
			out = append(out, orb.MultiPoint{pt(), pt(), pt()})
		case 2:
			out = append(out, line())
		case 3:
			out = append(out, orb.MultiLineString{line(), line()})
		case 4:
			out = append(out, poly())
		case 5:
			out = append(out, orb.MultiPolygon{poly(), poly(), poly()})
		}
	}
	return out
}

// TestFeatureWKBAsFeature writes the same geometries through FeatureWKB
// (from WKB in both byte orders) and through Feature (orb's geometry
// decoded by orb's wkb): the tiles must be the same bytes.
func TestFeatureWKBAsFeature(t *testing.T) {
	for _, order := range []struct {
		name string
		bo   binary.ByteOrder
	}{{"little-endian", binary.LittleEndian}, {"big-endian", binary.BigEndian}} {
		t.Run(order.name, func(t *testing.T) {
			gs := randomGeometries(7, 600)
			viaWKB, viaOrb := mvt.NewLayer("l", testTile), mvt.NewLayer("l", testTile)
			kw, ko := viaWKB.Key("i"), viaOrb.Key("i")
			written := 0
			for i, g := range gs {
				b, err := wkb.Marshal(g, order.bo)
				if err != nil {
					t.Fatal(err)
				}
				viaWKB.Int(kw, int64(i))
				viaOrb.Int(ko, int64(i))
				okW, err := viaWKB.FeatureWKB(b)
				if err != nil {
					t.Fatalf("geometry %d (%T): %v", i, g, err)
				}
				okO := viaOrb.Feature(orb.Clone(g))
				if okW != okO {
					t.Fatalf("geometry %d (%T): FeatureWKB wrote it %v, Feature %v", i, g, okW, okO)
				}
				if okW {
					written++
				}
			}
			if written < 100 || written == len(gs) {
				t.Fatalf("%d of %d geometries written: the test must have both kinds", written, len(gs))
			}
			if !bytes.Equal(viaWKB.Bytes(), viaOrb.Bytes()) {
				t.Errorf("FeatureWKB's tile (%d bytes) differs from Feature's (%d bytes)", len(viaWKB.Bytes()), len(viaOrb.Bytes()))
			}
		})
	}
}

func TestFeatureWKBErrors(t *testing.T) {
	good, err := wkb.Marshal(orb.MultiPolygon{{box(testTile, 10, 10, 20, 20, true)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "header cut short"},
		{"byte order", append([]byte{2}, good[1:]...), "byte order 2"},
		{"cut short", good[:len(good)-3], "exceeds"},
		{"trailing bytes", append(append([]byte{}, good...), 0), "1 bytes after the geometry"},
		{"huge count", append(append([]byte{}, good[:5]...), 0xff, 0xff, 0xff, 0x7f), "count 2147483647 exceeds"},
		{"unknown type", []byte{1, 99, 0, 0, 0}, "unknown geometry type 99"},
		{"line in multipolygon", mustWKB(t, orb.MultiPolygon{}, 1, orb.LineString{{1, 1}, {2, 2}}), "part 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := mvt.NewLayer("l", testTile)
			k := l.Key("id")
			l.String(k, []byte("x"))
			ok, err := l.FeatureWKB(tc.b)
			if ok || !errors.Is(err, mvt.ErrWKB) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("FeatureWKB = %v, %v; want ErrWKB naming %q", ok, err, tc.want)
			}
			// The failed feature's properties are dropped with it.
			if !l.Feature(orb.Polygon{box(testTile, 10, 10, 20, 20, true)}) {
				t.Fatal("next feature left out")
			}
			if ly := decodeTile(t, l.Bytes()); len(ly[0].features) != 1 || len(ly[0].features[0].tags) != 0 {
				t.Errorf("after the error: %+v, want one feature without properties", ly[0].features)
			}
		})
	}
}

// mustWKB writes a multi geometry header of type m with n parts, then the parts' WKB.
func mustWKB(t *testing.T, m orb.Geometry, n uint32, parts ...orb.Geometry) []byte {
	t.Helper()
	b, err := wkb.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	b = binary.LittleEndian.AppendUint32(b[:5], n)
	for _, p := range parts {
		pb, err := wkb.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, pb...)
	}
	return b
}
