package api

import (
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// FuzzItemsQuery feeds the items query parser arbitrary query strings
// (seeds below and in testdata/fuzz/FuzzItemsQuery, run by plain `go
// test`). Whatever the input: no panic, never a 500 from the server; a
// refusal is EINVALID naming a query parameter; an accepted query keeps
// the store's contract — limit and offset in range, served CRSs, a finite
// ordered bbox inside its CRS's domain, so PostGIS can transform it
// (issue 10, finding 5).
func FuzzItemsQuery(f *testing.F) {
	for _, q := range []string{
		"", "limit=10&offset=20", "bbox=121,30,121.2,30.2", "f=html&limit=3",
		"bbox-crs=EPSG:4549&bbox=-1e9,-1e9,1e9,1e9",
		"bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4549&bbox=3300000,500000,3400000,700000&crs=EPSG:4549",
		"bbox=30,121,30.2,121.2&bbox-crs=[EPSG:4490]", "bbox=NaN,0,1,1", "bbox=1,2,3,4,5,6", "limit=1&limit=2",
		"offset=99999999999999999999", "crs=urn:ogc:def:crs:EPSG::4326", "datetime=2020-01-01",
	} {
		f.Add(q)
	}
	s, err := New(DefaultConfig(), Deps{Features: noFeatures{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, query string) {
		req, err := http.NewRequest(http.MethodGet, "/collections/parcels/items?"+query, nil)
		if err != nil {
			return // not a request target a client could send
		}
		c := s.echo.NewContext(req, httptest.NewRecorder())
		q, err := parseItemsQuery(c)
		if err != nil {
			var pe *planner.Error
			if !errors.As(err, &pe) || pe.Code != planner.EINVALID || !strings.HasPrefix(pe.Field, "query.") {
				t.Fatalf("refusal %v is not EINVALID naming a query parameter", err)
			}
		} else {
			switch {
			case q.Limit < 1 || q.Limit > planner.ItemsMaxLimit || q.Offset < 0:
				t.Fatalf("accepted limit %d, offset %d", q.Limit, q.Offset)
			case !q.CRS.Valid() || !q.BboxCRS.Valid():
				t.Fatalf("accepted CRS %d, bbox CRS %d", q.CRS, q.BboxCRS)
			case q.Bbox != nil:
				b := *q.Bbox
				for _, v := range b {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("accepted bbox %v", b)
					}
				}
				if b[0] > b[2] || b[1] > b[3] || !q.BboxCRS.InDomain(b) {
					t.Fatalf("accepted bbox %v outside %v", b, q.BboxCRS.Domain())
				}
			}
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%d for ?%s: %s", rec.Code, query, rec.Body)
		}
	})
}
