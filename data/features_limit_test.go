package data_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// vertices counts a geometry's vertices as ST_NPoints does (rings closed).
func vertices(g orb.Geometry) int {
	n := 0
	switch g := g.(type) {
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				n += len(r)
			}
		}
	case orb.Polygon:
		for _, r := range g {
			n += len(r)
		}
	case orb.Point:
		n = 1
	}
	return n
}

// TestFeatureVertexLimit checks the bound on what one answer carries
// (issue 10, finding 7): pages end before the feature that would take
// them over MaxVertices, following pages from there still visits every
// feature once, and a single feature above the limit is refused with
// ETOOLARGE naming it, as a page and as an item, instead of being
// encoded whole.
func TestFeatureVertexLimit(t *testing.T) {
	db, fs := featureDB(t)
	ctx := context.Background()

	t.Run("pages end at the limit and walk every feature once", func(t *testing.T) {
		small := data.NewFeatureStore(db.SQL())
		defer small.Close()
		small.MaxVertices = 52 // ten 5-vertex squares
		seen := map[string]bool{}
		for offset, pages := 0, 0; ; pages++ {
			if pages > featureFixtureParcels {
				t.Fatal("the page walk does not end")
			}
			page, err := small.Items(ctx, planner.ItemsQuery{Collection: "parcels", Limit: 100, Offset: offset, CRS: planner.CRS84})
			if err != nil {
				t.Fatal(err)
			}
			fs := featureCollection(t, page.Features)
			n := 0
			for _, f := range fs {
				n += vertices(f.Geometry)
				id := f.ID.(string)
				if seen[id] {
					t.Fatalf("feature %s served twice", id)
				}
				seen[id] = true
			}
			if n > small.MaxVertices || len(fs) != page.Returned || page.Returned == 0 {
				t.Fatalf("page at %d: %d features, %d vertices (limit %d), returned %d", offset, len(fs), n, small.MaxVertices, page.Returned)
			}
			offset += page.Returned
			if !page.Truncated {
				break
			}
			if page.Returned != 10 {
				t.Errorf("a cut page at %d holds %d features, want 10", offset, page.Returned)
			}
		}
		if len(seen) != featureFixtureParcels {
			t.Errorf("walked %d features, want %d", len(seen), featureFixtureParcels)
		}
	})

	// One parcel of ~4,000 vertices, above a limit of 1,000.
	if _, err := db.SQL().ExecContext(ctx, `update parcel set geom = ST_Multi(ST_Segmentize(geom, 0.00001)) where id = 'P000050'`); err != nil {
		t.Fatal(err)
	}
	big := data.NewFeatureStore(db.SQL())
	defer big.Close()
	big.MaxVertices = 1000
	tooLarge := func(t *testing.T, err error) {
		t.Helper()
		if planner.ErrorCode(err) != planner.ETOOLARGE || !strings.Contains(err.Error(), `"P000050"`) || !strings.Contains(err.Error(), "max_page_vertices") {
			t.Errorf("error %v, want too_large naming P000050 and the setting", err)
		}
	}
	t.Run("the page before a large feature ends before it", func(t *testing.T) {
		page, err := big.Items(ctx, planner.ItemsQuery{Collection: "parcels", Limit: 100, CRS: planner.CRS84})
		if err != nil {
			t.Fatal(err)
		}
		if !page.Truncated || page.Returned != 49 {
			t.Errorf("first page: %d features, truncated %v; want the 49 before P000050", page.Returned, page.Truncated)
		}
	})
	t.Run("a page starting at a large feature is refused", func(t *testing.T) {
		_, err := big.Items(ctx, planner.ItemsQuery{Collection: "parcels", Limit: 100, Offset: 49, CRS: planner.EPSG4549})
		tooLarge(t, err)
	})
	t.Run("the large feature alone is refused", func(t *testing.T) {
		_, err := big.Item(ctx, "parcels", "P000050", planner.CRS84, false)
		tooLarge(t, err)
		if _, err := big.Item(ctx, "parcels", "P000051", planner.CRS84, false); err != nil {
			t.Errorf("a small feature: %v", err)
		}
	})
	t.Run("no limit serves it", func(t *testing.T) {
		fs.MaxVertices = 0
		f, err := fs.Item(ctx, "parcels", "P000050", planner.CRS84, false)
		if err != nil || len(f) < 4000*15 {
			t.Errorf("unbounded store: %d bytes, %v", len(f), err)
		}
	})
}

// BenchmarkFeatureItemLargeGeometry reads one parcel of N vertices
// (N = 10,000, 50,000, 1,000,000: a square cut into equal steps) as a
// feature, with the default vertex limit and without one (0). B/op is
// the memory one answer costs: without a limit it grows with N (the
// driver's row and the encoded feature); with it, a feature above the
// limit costs a few kB, refused before PostGIS encodes it.
func BenchmarkFeatureItemLargeGeometry(b *testing.B) {
	db, _ := featureDB(b)
	ctx := context.Background()
	for _, n := range []int{10000, 50000, 1000000} {
		if _, err := db.SQL().ExecContext(ctx, `update parcel set geom = (select ST_Multi(ST_Segmentize(geom, ST_Perimeter(geom) / $1))
			from parcel where id = 'P000001') where id = 'P000050'`, n); err != nil {
			b.Fatal(err)
		}
		for _, limit := range []int{0, data.DefaultMaxVertices} {
			fs := data.NewFeatureStore(db.SQL())
			fs.MaxVertices = limit
			b.Run("vertices="+strconv.Itoa(n)+"/max_page_vertices="+strconv.Itoa(limit), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					_, err := fs.Item(ctx, "parcels", "P000050", planner.CRS84, false)
					if tooBig := n > limit && limit > 0; tooBig != (planner.ErrorCode(err) == planner.ETOOLARGE) || !tooBig && err != nil {
						b.Fatalf("%d vertices, limit %d: %v", n, limit, err)
					}
				}
			})
			fs.Close()
		}
	}
}
