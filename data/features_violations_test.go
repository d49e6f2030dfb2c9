package data_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
)

// violationsUpload is a FeatureCollection of proposed parcels on the
// synthetic county of scripts/bench-api.sql (farmland F1 to 121.06°E
// 30.06°N, red line R1 from 121.30°E 30.30°N, the development boundary to
// 121.4°E): N1 (new land in t0, 2020, ~66 mu against a 50 mu quota)
// overlaps F1, N2 overlaps R1, N3 crosses the boundary, X is a bow-tie
// (invalid, never repaired).
const violationsUpload = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"N1","town":"t0","kind":"new_land","open_year":2020},
 "geometry":{"type":"Polygon","coordinates":[[[121.059,30.059],[121.061,30.059],[121.061,30.061],[121.059,30.061],[121.059,30.059]]]}},
{"type":"Feature","properties":{"id":"N2","town":"t3","kind":"old_factory","open_year":2020},
 "geometry":{"type":"Polygon","coordinates":[[[121.349,30.349],[121.351,30.349],[121.351,30.351],[121.349,30.351],[121.349,30.349]]]}},
{"type":"Feature","properties":{"id":"N3","town":"t1","kind":"old_factory","open_year":2021},
 "geometry":{"type":"Polygon","coordinates":[[[121.399,30.1],[121.401,30.1],[121.401,30.102],[121.399,30.102],[121.399,30.1]]]}},
{"type":"Feature","properties":{"id":"X","town":"t2","kind":"old_factory","open_year":2021},
 "geometry":{"type":"Polygon","coordinates":[[[121.1,30.3],[121.102,30.302],[121.102,30.3],[121.1,30.302],[121.1,30.3]]]}}]}`

// n2Upload is N2 of violationsUpload alone: one red-line violation.
const n2Upload = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"N2","town":"t3","kind":"old_factory","open_year":2020},
 "geometry":{"type":"Polygon","coordinates":[[[121.349,30.349],[121.351,30.349],[121.351,30.351],[121.349,30.351],[121.349,30.349]]]}}]}`

// cleanUpload is one proposed old-factory parcel that breaks nothing.
const cleanUpload = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"C1","town":"t0","kind":"old_factory","open_year":2020},
 "geometry":{"type":"Polygon","coordinates":[[[121.15,30.15],[121.151,30.15],[121.151,30.151],[121.15,30.151],[121.15,30.15]]]}}]}`

// saveCheck runs the bureau's check on an upload and keeps it, as
// `parkplan check --parcels name --save` does.
func saveCheck(t *testing.T, db *data.DB, name, upload string) *compliance.Report {
	t.Helper()
	store := data.NewComplianceStore(db.SQL())
	c := &compliance.Checker{Datasets: db, Spatial: store, Saver: store}
	r, err := c.Check(context.Background(), compliance.Request{Parcels: strings.NewReader(upload), ParcelsName: name, Save: true})
	if err != nil {
		t.Fatalf("check %s: %v", name, err)
	}
	if r.SavedID == 0 {
		t.Fatalf("check %s was not kept", name)
	}
	return r
}

// violationCollections returns the ids of the collections that serve
// saved checks.
func violationCollections(t *testing.T, fs *data.FeatureStore, unpublished bool) []string {
	t.Helper()
	cols, err := fs.Collections(context.Background(), unpublished)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cols {
		if c.Layer == "violations" {
			out = append(out, c.ID)
		}
	}
	return out
}

// TestFeatureViolations serves saved checks' violations on the synthetic
// county: three checks (one with every kind of violation, one with one
// violation, one clean), read through the violations and
// check-{id}.violations collections; the reports are the oracle.
func TestFeatureViolations(t *testing.T) {
	db, fs := featureDB(t)
	if got := violationCollections(t, fs, true); !slices.Equal(got, []string{"violations"}) {
		t.Fatalf("before any check: %v, want violations only", got)
	}
	full := saveCheck(t, db, "up.geojson", violationsUpload)
	n := full.CountByKind()
	for _, k := range []compliance.ViolationKind{compliance.ViolationFarmland, compliance.ViolationRedline,
		compliance.ViolationOutsideBoundary, compliance.ViolationInvalidGeometry, compliance.ViolationOverQuota} {
		if n[k] == 0 {
			t.Fatalf("the upload gives no %s violation (%v): the fixture changed", k, n)
		}
	}
	// The second check: N2 alone, one red-line violation.
	one := saveCheck(t, db, "n2.geojson", n2Upload)
	clean := saveCheck(t, db, "clean.geojson", cleanUpload)
	if len(one.Violations) != 1 || one.Violations[0].Kind != compliance.ViolationRedline || !clean.Clean {
		t.Fatalf("second check %+v, third clean %v", one.Violations, clean.Clean)
	}
	byCheck := map[int64]*compliance.Report{full.SavedID: full, one.SavedID: one, clean.SavedID: clean}
	total := len(full.Violations) + len(one.Violations)

	t.Run("role", func(t *testing.T) { testViolationsRole(t, fs, full.SavedID) })
	t.Run("collections", func(t *testing.T) { testViolationsCollections(t, fs, byCheck) })
	t.Run("paging", func(t *testing.T) { testViolationsPaging(t, fs, byCheck, total) })
	t.Run("features match the reports", func(t *testing.T) { testViolationsMatchReports(t, fs, byCheck) })
	t.Run("item", func(t *testing.T) { testViolationsItem(t, fs, full.SavedID, one.SavedID) })
	t.Run("bbox", func(t *testing.T) { testViolationsBbox(t, fs, byCheck) })
}

// violationID is the feature id of a check's violation i (0-based).
func violationID(check int64, i int) string { return fmt.Sprintf("%d-%d", check, i+1) }

func testViolationsRole(t *testing.T, fs *data.FeatureStore, check int64) {
	ctx := context.Background()
	if got := violationCollections(t, fs, false); len(got) != 0 {
		t.Errorf("the public role sees %v", got)
	}
	per := "check-" + strconv.FormatInt(check, 10) + ".violations"
	for _, col := range []string{"violations", per} {
		if _, err := fs.Collection(ctx, col, false); planner.ErrorCode(err) != planner.ENOTFOUND {
			t.Errorf("public Collection(%s): %v, want %s", col, err, planner.ENOTFOUND)
		}
		if _, err := fs.Items(ctx, planner.ItemsQuery{Collection: col, Limit: 10, CRS: planner.CRS84}); planner.ErrorCode(err) != planner.ENOTFOUND {
			t.Errorf("public Items(%s): %v, want %s", col, err, planner.ENOTFOUND)
		}
		if _, err := fs.Item(ctx, col, violationID(check, 0), planner.CRS84, false); planner.ErrorCode(err) != planner.ENOTFOUND {
			t.Errorf("public Item(%s): %v, want %s", col, err, planner.ENOTFOUND)
		}
		if _, err := fs.Items(ctx, planner.ItemsQuery{Collection: col, Limit: 10, CRS: planner.CRS84, Unpublished: true}); err != nil {
			t.Errorf("reviewer Items(%s): %v", col, err)
		}
	}
}

func testViolationsCollections(t *testing.T, fs *data.FeatureStore, byCheck map[int64]*compliance.Report) {
	ctx := context.Background()
	ids := slices.Sorted(func(yield func(int64) bool) {
		for id := range byCheck {
			if !yield(id) {
				return
			}
		}
	})
	want := []string{"violations"}
	for _, id := range ids {
		want = append(want, "check-"+strconv.FormatInt(id, 10)+".violations")
	}
	if got := violationCollections(t, fs, true); !slices.Equal(got, want) {
		t.Errorf("reviewer's check collections %v, want %v", got, want)
	}
	// The listing ends with them: base layers and scenarios come first.
	cols, err := fs.Collections(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if last := cols[len(cols)-len(want):]; last[0].ID != "violations" {
		t.Errorf("the check collections are not last: %v …", last[0].ID)
	}
	listed := map[string]planner.Collection{}
	for _, c := range cols {
		listed[c.ID] = c
	}
	props := []string{"check_id", "created_at", "source", "scenario", "kind", "parcel_id", "parks", "town", "year", "area_mu", "detail"}
	for _, id := range want {
		c, err := fs.Collection(ctx, id, true)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		// The listing (all checks' extents in one query) agrees with the
		// collection's own document.
		if l := listed[id]; l.Title != c.Title || (l.Extent == nil) != (c.Extent == nil) || l.Extent != nil && *l.Extent != *c.Extent {
			t.Errorf("%s listed as %q extent %v, described as %q extent %v", id, l.Title, l.Extent, c.Title, c.Extent)
		}
		var names []string
		for _, p := range c.Properties {
			names = append(names, p.Name)
		}
		if c.Published || c.Scenario != "" || c.GeometryType != "MultiPolygon" || !slices.Equal(names, props) {
			t.Errorf("%s: published %v scenario %q geometry %s properties %v", id, c.Published, c.Scenario, c.GeometryType, names)
		}
		// The extent bounds the check's overlap geometries; a clean check has none.
		var b orb.Bound
		some := false
		for cid, r := range byCheck {
			if id != "violations" && id != "check-"+strconv.FormatInt(cid, 10)+".violations" {
				continue
			}
			for _, v := range r.Violations {
				if v.Geometry != nil {
					if !some {
						b = v.Geometry.Bound()
					}
					b, some = b.Union(v.Geometry.Bound()), true
				}
			}
		}
		switch {
		case !some && c.Extent != nil:
			t.Errorf("%s: extent %v without geometries", id, *c.Extent)
		case some && c.Extent == nil:
			t.Errorf("%s: no extent", id)
		case some:
			e := *c.Extent
			if math.Abs(e[0]-b.Min[0]) > 1e-6 || math.Abs(e[1]-b.Min[1]) > 1e-6 || math.Abs(e[2]-b.Max[0]) > 1e-6 || math.Abs(e[3]-b.Max[1]) > 1e-6 {
				t.Errorf("%s: extent %v, want %v", id, e, b)
			}
		}
	}
	if c, err := fs.Collection(ctx, "check-1.violations", true); err == nil && !strings.Contains(c.Title, "up.geojson") {
		t.Errorf("check-1 title %q does not say what was checked", c.Title)
	}
}

// walk pages through a collection and returns its features in order.
func walk(t *testing.T, fs *data.FeatureStore, col string, limit int) []*geojson.Feature {
	t.Helper()
	var out []*geojson.Feature
	for offset := 0; ; offset += limit {
		page, err := fs.Items(context.Background(), planner.ItemsQuery{Collection: col, Limit: limit, Offset: offset, CRS: planner.CRS84, Unpublished: true})
		if err != nil {
			t.Fatal(err)
		}
		fsx := featureCollection(t, page.Features)
		if len(fsx) != page.Returned {
			t.Fatalf("%s offset %d: %d features, Returned %d", col, offset, len(fsx), page.Returned)
		}
		out = append(out, fsx...)
		if page.Returned < limit {
			return out
		}
	}
}

// parseViolationID splits a feature id "check-seq".
func parseViolationID(t *testing.T, id any) (check int64, seq int) {
	t.Helper()
	s, _ := id.(string)
	a, b, ok := strings.Cut(s, "-")
	c, err1 := strconv.ParseInt(a, 10, 64)
	q, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("feature id %v is not check-seq", id)
	}
	return c, q
}

func testViolationsPaging(t *testing.T, fs *data.FeatureStore, byCheck map[int64]*compliance.Report, total int) {
	for _, tc := range []struct {
		col   string
		limit int
		want  int
	}{
		{"violations", 1, total},
		{"violations", 2, total},
		{"violations", 3, total},
		{"violations", planner.ItemsMaxLimit, total},
	} {
		t.Run(tc.col+"/limit="+strconv.Itoa(tc.limit), func(t *testing.T) {
			fsx := walk(t, fs, tc.col, tc.limit)
			if len(fsx) != tc.want {
				t.Errorf("%d features, want %d", len(fsx), tc.want)
			}
			var prevC int64
			prevS := 0
			for _, f := range fsx {
				c, s := parseViolationID(t, f.ID)
				if c < prevC || c == prevC && s <= prevS {
					t.Errorf("feature %v after %d-%d: not in (check, seq) order", f.ID, prevC, prevS)
				}
				prevC, prevS = c, s
			}
		})
	}
	for id, r := range byCheck {
		col := "check-" + strconv.FormatInt(id, 10) + ".violations"
		t.Run(col, func(t *testing.T) {
			fsx := walk(t, fs, col, 2)
			if len(fsx) != len(r.Violations) {
				t.Errorf("%d features, want %d", len(fsx), len(r.Violations))
			}
			page, err := fs.Items(context.Background(), planner.ItemsQuery{Collection: col, Limit: 1, CRS: planner.CRS84, Unpublished: true})
			if err != nil || page.Matched != len(r.Violations) {
				t.Errorf("numberMatched %v (%v), want %d", page, err, len(r.Violations))
			}
			for i, f := range fsx {
				if f.ID != violationID(id, i) {
					t.Errorf("feature %d is %v, want %s", i, f.ID, violationID(id, i))
				}
			}
		})
	}
}

func testViolationsMatchReports(t *testing.T, fs *data.FeatureStore, byCheck map[int64]*compliance.Report) {
	fsx := walk(t, fs, "violations", 100)
	nulls := 0
	for _, f := range fsx {
		check, seq := parseViolationID(t, f.ID)
		r := byCheck[check]
		if r == nil || seq > len(r.Violations) {
			t.Fatalf("feature %v: no such violation", f.ID)
		}
		v := r.Violations[seq-1]
		p := f.Properties
		orNil := func(s string) any {
			if s == "" {
				return nil
			}
			return s
		}
		var year any
		if v.Year != 0 {
			year = float64(v.Year)
		}
		for _, c := range []struct {
			name      string
			got, want any
		}{
			{"check_id", p["check_id"], float64(check)}, {"source", p["source"], r.Source}, {"scenario", p["scenario"], orNil(r.Scenario)},
			{"kind", p["kind"], string(v.Kind)}, {"parcel_id", p["parcel_id"], orNil(v.ParcelID)}, {"town", p["town"], orNil(v.Town)},
			{"year", p["year"], year}, {"detail", p["detail"], v.Detail},
		} {
			if c.got != c.want {
				t.Errorf("%v %s = %#v, want %#v", f.ID, c.name, c.got, c.want)
			}
		}
		if a, ok := p["area_mu"].(float64); !ok || math.Abs(a-v.AreaMu) > 1e-9*math.Max(1, v.AreaMu) {
			t.Errorf("%v area_mu %v, want %v", f.ID, p["area_mu"], v.AreaMu)
		}
		at, err := time.Parse(time.RFC3339, fmt.Sprint(p["created_at"]))
		if err != nil || time.Since(at) > 10*time.Minute || time.Until(at) > time.Minute {
			t.Errorf("%v created_at %v (%v): not the time the check was saved", f.ID, p["created_at"], err)
		}
		// Geometry: the overlap (7 decimals, ~1 cm), or null.
		switch {
		case v.Geometry == nil:
			nulls++
			if f.Geometry != nil {
				t.Errorf("%v (%s): geometry %v, want null", f.ID, v.Kind, f.Geometry)
			}
		case f.Geometry == nil:
			t.Errorf("%v (%s): null geometry, want the overlap", f.ID, v.Kind)
		default:
			gb, wb := f.Geometry.Bound(), v.Geometry.Bound()
			if _, ok := f.Geometry.(orb.MultiPolygon); !ok || math.Abs(gb.Min[0]-wb.Min[0]) > 1e-7 || math.Abs(gb.Max[1]-wb.Max[1]) > 1e-7 {
				t.Errorf("%v (%s): geometry %s %v, want MultiPolygon %v", f.ID, v.Kind, f.Geometry.GeoJSONType(), gb, wb)
			}
		}
	}
	if nulls == 0 {
		t.Errorf("no violation without geometry was served (quota and invalid-input ones are)")
	}
}

func testViolationsItem(t *testing.T, fs *data.FeatureStore, full, one int64) {
	ctx := context.Background()
	page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "violations", Limit: planner.ItemsMaxLimit, CRS: planner.CRS84, Unpublished: true})
	if err != nil {
		t.Fatal(err)
	}
	var fromPage []json.RawMessage
	if err := json.Unmarshal(page.Features, &fromPage); err != nil {
		t.Fatal(err)
	}
	// Every feature reads back by id, byte for byte as on its page, from
	// both collections.
	for _, raw := range fromPage {
		var f struct{ ID string }
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		check, _ := parseViolationID(t, f.ID)
		for _, col := range []string{"violations", "check-" + strconv.FormatInt(check, 10) + ".violations"} {
			got, err := fs.Item(ctx, col, f.ID, planner.CRS84, true)
			if err != nil || string(got) != string(raw) {
				t.Errorf("Item(%s, %s) = %s (%v), want %s", col, f.ID, got, err, raw)
			}
		}
	}
	fullCol, oneCol := "check-"+strconv.FormatInt(full, 10)+".violations", "check-"+strconv.FormatInt(one, 10)+".violations"
	for _, tc := range []struct{ name, col, id string }{
		{"another check's violation", oneCol, violationID(full, 0)},
		{"seq 0", "violations", strconv.FormatInt(full, 10) + "-0"},
		{"leading zero", "violations", "0" + violationID(full, 0)},
		{"seq past the end", "violations", violationID(full, 999)},
		{"no dash", "violations", strconv.FormatInt(full, 10)},
		{"not a number", "violations", "x-1"},
		{"check id overflow", "violations", "99999999999999999999-1"},
		{"seq overflow", fullCol, strconv.FormatInt(full, 10) + "-99999999999"},
		{"SQL in the id", "violations", "1-1' or '1'='1"},
		{"unknown check", "check-999999.violations", "999999-1"},
		{"check id spelt with a zero", "check-0" + strconv.FormatInt(full, 10) + ".violations", violationID(full, 0)},
		{"check id not a number", "check-x.violations", violationID(full, 0)},
		{"scenario prefix", "base.violations", violationID(full, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := fs.Item(ctx, tc.col, tc.id, planner.CRS84, true); planner.ErrorCode(err) != planner.ENOTFOUND {
				t.Errorf("Item(%s, %s): %v, want %s", tc.col, tc.id, err, planner.ENOTFOUND)
			}
		})
	}
	// EPSG:4326 swaps the axes of the same feature.
	id := ""
	for _, raw := range fromPage {
		f, err := geojson.UnmarshalFeature(raw)
		if err == nil && f.Geometry != nil {
			id = f.ID.(string)
			break
		}
	}
	a, errA := fs.Item(ctx, "violations", id, planner.CRS84, true)
	b, errB := fs.Item(ctx, "violations", id, planner.EPSG4326, true)
	fa, _ := geojson.UnmarshalFeature(a)
	fb, _ := geojson.UnmarshalFeature(b)
	if errA != nil || errB != nil || fa == nil || fb == nil || fa.Geometry == nil || fb.Geometry == nil {
		t.Fatalf("item %s: %v %v", id, errA, errB)
	}
	if ba, bb := fa.Geometry.Bound(), fb.Geometry.Bound(); ba.Min[0] != bb.Min[1] || ba.Min[1] != bb.Min[0] {
		t.Errorf("EPSG:4326 bound %v is not CRS84 %v with axes swapped", bb, ba)
	}
}

func testViolationsBbox(t *testing.T, fs *data.FeatureStore, byCheck map[int64]*compliance.Report) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		box  orb.Bound
	}{
		{"farmland F1's corner", orb.Bound{Min: orb.Point{121.05, 30.05}, Max: orb.Point{121.065, 30.065}}},
		{"red line R1", orb.Bound{Min: orb.Point{121.3, 30.3}, Max: orb.Point{121.35, 30.35}}},
		{"east edge", orb.Bound{Min: orb.Point{121.395, 30.0}, Max: orb.Point{121.5, 30.2}}},
		{"the county", orb.Bound{Min: orb.Point{120, 29}, Max: orb.Point{122, 31}}},
		{"no violation", orb.Bound{Min: orb.Point{121.2, 30.0}, Max: orb.Point{121.3, 30.1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The oracle: the reports' overlap geometries (orb bounds) that
			// meet the box; a violation without geometry meets no box.
			want := map[string]bool{}
			for check, r := range byCheck {
				for i, v := range r.Violations {
					if v.Geometry != nil && v.Geometry.Bound().Intersects(tc.box) {
						want[violationID(check, i)] = true
					}
				}
			}
			for _, crs := range []planner.CRS{planner.CRS84, planner.EPSG4490} {
				b := [4]float64{tc.box.Min[0], tc.box.Min[1], tc.box.Max[0], tc.box.Max[1]}
				if crs.LatFirst() {
					b = [4]float64{b[1], b[0], b[3], b[2]}
				}
				page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "violations", Limit: 100, Bbox: &b, BboxCRS: crs, CRS: planner.CRS84, Unpublished: true})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, f := range featureCollection(t, page.Features) {
					got[f.ID.(string)] = true
				}
				if len(got) != len(want) || page.Matched != len(want) {
					t.Errorf("bbox-crs %d: %d features (numberMatched %d), want %d", crs, len(got), page.Matched, len(want))
				}
				for id := range want {
					if !got[id] {
						t.Errorf("bbox-crs %d: missing %s", crs, id)
					}
				}
			}
		})
	}
}

// TestFeatureCacheFollowsSavedChecks checks that saving a check drops the
// cached violations pages (migration 00031's triggers).
func TestFeatureCacheFollowsSavedChecks(t *testing.T) {
	db, dbURL, fs := featureDBURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := fs.StartCache(ctx, dbURL, 1<<20, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	q := planner.ItemsQuery{Collection: "violations", Limit: 100, CRS: planner.CRS84, Unpublished: true}
	read := func() *planner.FeaturePage {
		t.Helper()
		p, err := fs.Items(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if a, b := read(), read(); a.Returned != 0 || &a.Features[0] != &b.Features[0] {
		t.Fatalf("empty layer: %d features; a repeated page was read again: %v", a.Returned, &a.Features[0] != &b.Features[0])
	}
	r := saveCheck(t, db, "up.geojson", violationsUpload)
	deadline := time.Now().Add(5 * time.Second)
	for read().Returned != len(r.Violations) {
		if time.Now().After(deadline) {
			t.Fatalf("the violations page still has %d features 5 s after a check with %d was saved", read().Returned, len(r.Violations))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := db.SQL().ExecContext(ctx, `delete from quota_check where id = $1`, r.SavedID); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for read().Returned != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the violations page still has %d features 5 s after the check was deleted", read().Returned)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
