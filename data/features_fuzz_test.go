package data_test

import (
	"context"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// FuzzFeatureItems sends arbitrary page queries to the real feature store
// on PostGIS (seeds below, run by plain `go test`): whatever the numbers,
// the store answers a page or a planner error the API maps to 4xx — never
// a raw PostGIS error (a 500), as PROJ's "Point outside of projection
// domain" was for an EPSG:4549 bbox of ±1e9 (issue 10, finding 5).
func FuzzFeatureItems(f *testing.F) {
	f.Add("parcels", 10, 0, 84, 84, false, 121.0, 30.0, 121.2, 30.2)
	f.Add("parcels", 10, 0, 4549, 4549, true, -1e9, -1e9, 1e9, 1e9)
	f.Add("enterprises", 100, 5, 4326, 4549, true, 3.3e6, 5e5, 3.4e6, 7e5)
	f.Add("base.parks", 1, 1, 4490, 4490, true, 30.0, 121.0, 30.4, 121.4)
	f.Add("towns", 10000, 1<<40, 84, 84, true, 0.0, 0.0, 0.0, 0.0)
	f.Add("parcels", 0, -1, 3857, 9999, true, 1e308, -1e308, 1e308, 1e308)
	_, fs := featureDB(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, collection string, limit, offset, crs, bboxCRS int, bbox bool, x0, y0, x1, y1 float64) {
		q := planner.ItemsQuery{Collection: collection, Limit: limit, Offset: offset, CRS: planner.CRS(crs), BboxCRS: planner.CRS(bboxCRS), Unpublished: true}
		if bbox {
			q.Bbox = &[4]float64{x0, y0, x1, y1}
		}
		page, err := fs.Items(ctx, q)
		switch code := planner.ErrorCode(err); {
		case err == nil:
			if page.Returned < 0 || page.Returned > limit {
				t.Fatalf("%+v: returned %d", q, page.Returned)
			}
		case code != planner.EINVALID && code != planner.ENOTFOUND:
			t.Fatalf("%+v: %v (code %s: a 500)", q, err, code)
		}
	})
}

// FuzzFeatureItem asks the real feature store for single features by
// arbitrary collection and feature ids: a feature, ENOTFOUND or EINVALID —
// never a raw PostgreSQL error (an id with a NUL or invalid UTF-8 was a
// 500: "invalid byte sequence for encoding UTF8").
func FuzzFeatureItem(f *testing.F) {
	f.Add("parcels", "P000001", 84)
	f.Add("parcels", "P\x00", 84)
	f.Add("\xf8.parks", "P000003", 4549)
	f.Add("base.parks", "P000003", 4490)
	f.Add("draft.towns", "t0-2020", 4326)
	f.Add("check-1.violations", "1-1", 84)
	_, fs := featureDB(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, collection, id string, crs int) {
		_, err := fs.Item(ctx, collection, id, planner.CRS(crs), true)
		if code := planner.ErrorCode(err); err != nil && code != planner.EINVALID && code != planner.ENOTFOUND {
			t.Fatalf("%q %q %d: %v (code %s: a 500)", collection, id, crs, err, code)
		}
	})
}
