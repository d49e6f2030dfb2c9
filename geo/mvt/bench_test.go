package mvt_test

import (
	"flag"
	"math"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/parkplan/parkplan/geo/mvt"
)

// benchParcels sizes the synthetic county of the layer benchmarks: the
// grid of square parcels of scripts/bench-api.sql (0.4° × 0.4° from
// 121° E, 30° N, each parcel the inner 60 % of its cell).
var benchParcels = flag.Int("mvt.parcels", 100000, "parcels in the layer benchmarks' county")

// benchFeature is one parcel as the tile query returns it.
type benchFeature struct {
	wkb   []byte
	id    []byte
	kind  []byte
	area  float64
	firms int64
}

// benchTile returns the parcels whose box meets tile t grown by its
// buffer, as WKB MultiPolygons (what ST_AsBinary writes).
func benchTile(b *testing.B, t mvt.Tile) []benchFeature {
	b.Helper()
	n := int(math.Ceil(math.Sqrt(float64(*benchParcels))))
	c := 0.4 / float64(n)
	bb := t.LonLatBound()
	kinds := []string{"existing", "under_construction", "new_land", "old_factory"}
	var out []benchFeature
	for i := 1; i <= *benchParcels; i++ {
		x, y := 121.0+float64((i-1)%n)*c, 30.0+float64((i-1)/n)*c
		p := orb.Bound{Min: orb.Point{x + 0.2*c, y + 0.2*c}, Max: orb.Point{x + 0.8*c, y + 0.8*c}}
		if !p.Intersects(bb) {
			continue
		}
		w, err := wkb.Marshal(orb.MultiPolygon{p.ToPolygon()})
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, benchFeature{wkb: w, id: []byte("P" + strconv.Itoa(i)), kind: []byte(kinds[i%4]),
			area: 20 + float64(i%50)*5.5, firms: int64(i % 30)})
	}
	if len(out) == 0 {
		b.Fatalf("tile %+v holds no parcel", t)
	}
	return out
}

// BenchmarkLayerWKB writes tiles of parcels from their WKB, as the tile
// server does (FeatureWKB), and as Feature after orb's WKB decoder, at
// zoom 12, 14 and 16 over the county's middle: the Go part of a tile
// without the database.
func BenchmarkLayerWKB(b *testing.B) {
	for _, z := range []int{12, 14, 16} {
		x, y := tileOf(121.2, 30.2, z)
		t := mvt.Tile{Z: z, X: x, Y: y, Extent: 4096, Buffer: 64}
		feats := benchTile(b, t)
		for _, way := range []string{"FeatureWKB", "Feature"} {
			b.Run("z"+strconv.Itoa(z)+"/"+way, func(b *testing.B) {
				l := mvt.NewLayer("parcels", t)
				b.ReportAllocs()
				var size int
				for b.Loop() {
					l.Reset("parcels", t)
					id, kind, area, firms := l.Key("id"), l.Key("kind"), l.Key("area_mu"), l.Key("firms")
					for _, f := range feats {
						l.String(id, f.id)
						l.String(kind, f.kind)
						l.Double(area, f.area)
						l.Int(firms, f.firms)
						if way == "Feature" {
							g, err := wkb.Unmarshal(f.wkb)
							if err != nil {
								b.Fatal(err)
							}
							l.Feature(g)
						} else if _, err := l.FeatureWKB(f.wkb); err != nil {
							b.Fatal(err)
						}
					}
					size = len(l.Bytes())
				}
				b.SetBytes(int64(size))
				b.ReportMetric(float64(len(feats)), "features/tile")
			})
		}
	}
}
