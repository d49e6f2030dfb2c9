package data_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// featureFixtureParcels is the size of the synthetic county the feature
// tests load (scripts/bench-api.sql: a 10 × 10 grid of parcels).
const featureFixtureParcels = 100

// featureDB returns a migrated throwaway database with the synthetic
// county of scripts/bench-api.sql and two solved scenarios: "base"
// (published) and "draft" (not published).
func featureDB(t testing.TB) (*data.DB, *data.FeatureStore) {
	db, _, fs := featureDBURL(t)
	return db, fs
}

// featureDBURL is featureDB that also returns the database URL.
func featureDBURL(t testing.TB) (*data.DB, string, *data.FeatureStore) {
	t.Helper()
	db, dbURL := newTestDB(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../scripts/bench-api.sql")
	if err != nil {
		t.Fatal(err)
	}
	fixture := strings.ReplaceAll(string(b), "{{parcels}}", strconv.Itoa(featureFixtureParcels))
	if _, err := db.SQL().ExecContext(ctx, fixture); err != nil {
		t.Fatalf("loading the synthetic county: %v", err)
	}
	scs := data.NewScenarioStore(db.SQL())
	for _, name := range []string{"base", "draft"} {
		sc := &planner.Scenario{Name: name}
		plan := &planner.Plan{Scenario: name,
			Parks: []planner.Park{
				{ParcelID: "P000003", Town: "t0", Kind: planner.KindNewLand, Specialty: "textile", OpenYear: 2020, Tier: planner.TierBasic, AreaMu: 36.5, FAR: 2.7},
				{ParcelID: "P000004", Town: "t0", Kind: planner.KindOldFactory, Specialty: "hardware", OpenYear: 2019, Tier: planner.TierStandard, AreaMu: 42, FAR: 1.5, Firms: 1},
			},
			Assignments: []planner.Assignment{{EnterpriseID: "E000001", ParcelID: "P000004", DistanceM: 1234.5}},
			Unplaced:    []planner.Unplaced{{EnterpriseID: "E000002", Reason: planner.ReasonNoCapacity}},
			Towns: []planner.TownSummary{{Town: "t0", Parks: 2, QuotaMu: map[int]float64{2019: 50, 2020: 50},
				NewLandUsedMu: map[int]float64{2019: 0, 2020: 36.5}, OldFactoryMu: map[int]float64{2019: 42, 2020: 0}}},
		}
		if _, err := scs.SavePlan(ctx, sc, plan); err != nil {
			t.Fatalf("saving scenario %s: %v", name, err)
		}
	}
	if err := scs.SetPublished(ctx, "base", true); err != nil {
		t.Fatal(err)
	}
	fs := data.NewFeatureStore(db.SQL())
	t.Cleanup(func() { fs.Close() })
	return db, dbURL, fs
}

// featureCollection decodes a FeaturePage's features.
func featureCollection(t *testing.T, raw json.RawMessage) []*geojson.Feature {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection([]byte(`{"type":"FeatureCollection","features":` + string(raw) + `}`))
	if err != nil {
		t.Fatalf("features are not GeoJSON: %v\n%.300s", err, raw)
	}
	return fc.Features
}

// TestFeatureStore runs the read-only feature store tests on one database
// (one migration and fixture load instead of one per test).
func TestFeatureStore(t *testing.T) {
	_, fs := featureDB(t)
	t.Run("Collections", func(t *testing.T) { testFeatureCollections(t, fs) })
	t.Run("Counties", func(t *testing.T) { testFeatureCounties(t, fs) })
	t.Run("ItemsPagingWalksEveryFeatureOnce", func(t *testing.T) { testFeatureItemsPagingWalksEveryFeatureOnce(t, fs) })
	t.Run("ItemsBbox", func(t *testing.T) { testFeatureItemsBbox(t, fs) })
	t.Run("CRS", func(t *testing.T) { testFeatureCRS(t, fs) })
	t.Run("ScenarioLayers", func(t *testing.T) { testFeatureScenarioLayers(t, fs) })
	t.Run("ItemsRejectsBadQueries", func(t *testing.T) { testFeatureItemsRejectsBadQueries(t, fs) })
}

func testFeatureCollections(t *testing.T, fs *data.FeatureStore) {
	ctx := context.Background()
	ids := func(unpublished bool) []string {
		cols, err := fs.Collections(ctx, unpublished)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cols {
			out = append(out, c.ID)
			if c.Extent == nil {
				if c.ID != "violations" { // no check saved: an empty layer has no extent
					t.Errorf("%s: no extent", c.ID)
				}
			} else if e := *c.Extent; e[0] < 120.99 || e[2] > 121.41 || e[1] < 29.99 || e[3] > 30.41 || e[0] > e[2] {
				t.Errorf("%s: extent %v outside the fixture", c.ID, e)
			}
		}
		return out
	}
	base := "towns parcels protected enterprises counties base.parks base.assignments base.unplaced base.towns base.candidates"
	if got := strings.Join(ids(false), " "); got != base {
		t.Errorf("public collections:\n got %s\nwant %s", got, base)
	}
	// Saved checks' violations (none here) come last, for reviewers only.
	all := base + " draft.parks draft.assignments draft.unplaced draft.towns draft.candidates violations"
	if got := strings.Join(ids(true), " "); got != all {
		t.Errorf("reviewer collections:\n got %s\nwant %s", got, all)
	}
	if _, err := fs.Collection(ctx, "draft.parks", false); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("public sees unpublished draft.parks: %v", err)
	}
	if c, err := fs.Collection(ctx, "draft.parks", true); err != nil || c.Published || c.Scenario != "draft" {
		t.Errorf("reviewer draft.parks = %+v, %v", c, err)
	}
}

func testFeatureItemsPagingWalksEveryFeatureOnce(t *testing.T, fs *data.FeatureStore) {
	ctx := context.Background()
	for _, tc := range []struct {
		collection string
		limit      int
		want       int
	}{
		{"parcels", 7, featureFixtureParcels},
		{"parcels", featureFixtureParcels, featureFixtureParcels},
		{"enterprises", 3, featureFixtureParcels / 10},
		{"towns", 1, 4},
		{"counties", 1, 1},
		{"base.candidates", 9, featureFixtureParcels / 2},
		{"base.towns", 1, 2},
	} {
		t.Run(tc.collection+"/limit="+strconv.Itoa(tc.limit), func(t *testing.T) {
			seen := map[string]bool{}
			prev := ""
			for offset := 0; ; offset += tc.limit {
				page, err := fs.Items(ctx, planner.ItemsQuery{Collection: tc.collection, Limit: tc.limit, Offset: offset, CRS: planner.CRS84})
				if err != nil {
					t.Fatal(err)
				}
				if page.Matched != tc.want {
					t.Errorf("offset %d: numberMatched %d, want %d", offset, page.Matched, tc.want)
				}
				fsx := featureCollection(t, page.Features)
				if len(fsx) != page.Returned {
					t.Fatalf("offset %d: %d features, Returned %d", offset, len(fsx), page.Returned)
				}
				for _, f := range fsx {
					id := f.ID.(string)
					if seen[id] {
						t.Errorf("feature %s twice", id)
					}
					if tc.collection != "base.towns" && id <= prev {
						t.Errorf("feature %s after %s: pages are not in id order", id, prev)
					}
					seen[id], prev = true, id
				}
				if page.Returned < tc.limit {
					break
				}
			}
			if len(seen) != tc.want {
				t.Errorf("walked %d features, want %d", len(seen), tc.want)
			}
		})
	}
}

func testFeatureItemsBbox(t *testing.T, fs *data.FeatureStore) {
	ctx := context.Background()
	all, err := fs.Items(ctx, planner.ItemsQuery{Collection: "parcels", Limit: planner.ItemsMaxLimit, CRS: planner.CRS84})
	if err != nil {
		t.Fatal(err)
	}
	parcels := featureCollection(t, all.Features)
	// The oracle: orb's bounds of every parcel against the box.
	want := func(b orb.Bound) map[string]bool {
		out := map[string]bool{}
		for _, f := range parcels {
			if f.Geometry.Bound().Intersects(b) {
				out[f.ID.(string)] = true
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		box  orb.Bound // lon/lat
	}{
		{"one corner parcel", orb.Bound{Min: orb.Point{121.0, 30.0}, Max: orb.Point{121.02, 30.02}}},
		{"a 5 % strip", orb.Bound{Min: orb.Point{121.1, 30.1}, Max: orb.Point{121.1894, 30.1894}}},
		{"between parcels", orb.Bound{Min: orb.Point{121.0330, 30.0330}, Max: orb.Point{121.0340, 30.0340}}},
		{"everything", orb.Bound{Min: orb.Point{120, 29}, Max: orb.Point{122, 31}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp := want(tc.box)
			for _, crs := range []planner.CRS{planner.CRS84, planner.EPSG4326, planner.EPSG4490} {
				b := [4]float64{tc.box.Min[0], tc.box.Min[1], tc.box.Max[0], tc.box.Max[1]}
				if crs.LatFirst() {
					b = [4]float64{b[1], b[0], b[3], b[2]}
				}
				page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "parcels", Limit: planner.ItemsMaxLimit, Bbox: &b, BboxCRS: crs, CRS: planner.CRS84})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, f := range featureCollection(t, page.Features) {
					got[f.ID.(string)] = true
				}
				if len(got) != len(exp) || page.Matched != len(exp) {
					t.Errorf("bbox-crs %d: %d features (numberMatched %d), want %d", crs, len(got), page.Matched, len(exp))
				}
				for id := range exp {
					if !got[id] {
						t.Errorf("bbox-crs %d: missing %s", crs, id)
					}
				}
			}
		})
	}
}

func testFeatureCRS(t *testing.T, fs *data.FeatureStore) {
	ctx := context.Background()
	first := func(crs planner.CRS) orb.Point {
		raw, err := fs.Item(ctx, "enterprises", "E000001", crs, false)
		if err != nil {
			t.Fatal(err)
		}
		f, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		return f.Geometry.(orb.Point)
	}
	lonlat := first(planner.CRS84)
	if lonlat[0] < 121 || lonlat[0] > 121.4 || lonlat[1] < 30 || lonlat[1] > 30.4 {
		t.Fatalf("CRS84 point %v is not lon/lat in the fixture", lonlat)
	}
	for _, crs := range []planner.CRS{planner.EPSG4326, planner.EPSG4490} {
		if p := first(crs); p != (orb.Point{lonlat[1], lonlat[0]}) {
			t.Errorf("EPSG:%d point %v, want lat/lon %v", crs, p, orb.Point{lonlat[1], lonlat[0]})
		}
	}
	// EPSG:4549 (Gauss-Krüger CM 120°E): northing first. Near 121.0°E 30.0°N
	// the easting is 500 km + ~96.5 km and the northing ~3,320 km.
	gk := first(planner.EPSG4549)
	if gk[0] < 3.31e6 || gk[0] > 3.37e6 || gk[1] < 590e3 || gk[1] > 640e3 {
		t.Errorf("EPSG:4549 point %v is not northing, easting near (3,320 km, 597 km)", gk)
	}
	// A 4549 bbox around the point finds that enterprise and no other.
	const halfM = 50.0
	b := [4]float64{gk[0] - halfM, gk[1] - halfM, gk[0] + halfM, gk[1] + halfM}
	page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "enterprises", Limit: 10, Bbox: &b, BboxCRS: planner.EPSG4549, CRS: planner.EPSG4549})
	if err != nil {
		t.Fatal(err)
	}
	got := featureCollection(t, page.Features)
	if len(got) != 1 || got[0].ID != "E000001" {
		t.Fatalf("4549 bbox found %d features, want E000001 only", len(got))
	}
	if p := got[0].Geometry.(orb.Point); math.Abs(p[0]-gk[0]) > 1e-3 || math.Abs(p[1]-gk[1]) > 1e-3 {
		t.Errorf("items in 4549 %v ≠ item in 4549 %v", p, gk)
	}
}

func testFeatureScenarioLayers(t *testing.T, fs *data.FeatureStore) {
	ctx := context.Background()
	item := func(col, id string) *geojson.Feature {
		t.Helper()
		raw, err := fs.Item(ctx, col, id, planner.CRS84, false)
		if err != nil {
			t.Fatalf("%s/%s: %v", col, id, err)
		}
		f, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			t.Fatalf("%s/%s: %v: %s", col, id, err, raw)
		}
		return f
	}
	park := item("base.parks", "P000004")
	if park.Properties["specialty"] != "hardware" || park.Properties["open_year"] != 2019.0 || park.Properties["tier"] != "standard" ||
		!strings.Contains(park.Properties["tier_requirements"].(string), "canteen") {
		t.Errorf("park properties %v", park.Properties)
	}
	line := item("base.assignments", "E000001")
	ls, ok := line.Geometry.(orb.LineString)
	ent := item("enterprises", "E000001").Geometry.(orb.Point)
	if !ok || len(ls) != 2 || ls[0] != ent {
		t.Errorf("assignment geometry %v, want a line from the firm at %v", line.Geometry, ent)
	} else if parcel := item("parcels", "P000004").Geometry.Bound(); !parcel.Contains(ls[1]) {
		t.Errorf("assignment ends at %v, outside its park %v", ls[1], parcel)
	}
	if line.Properties["distance_m"] != 1234.5 || line.Properties["parcel_id"] != "P000004" {
		t.Errorf("assignment properties %v", line.Properties)
	}
	if u := item("base.unplaced", "E000002"); u.Properties["reason"] != "no_capacity" {
		t.Errorf("unplaced properties %v", u.Properties)
	}
	tw := item("base.towns", "t0-2020")
	if tw.Properties["quota_left_mu"] != 13.5 || tw.Properties["parks_open"] != 2.0 || tw.Properties["parks_opening"] != 1.0 {
		t.Errorf("town summary properties %v", tw.Properties)
	}
	if c := item("base.candidates", "P000003"); c.Properties["chosen"] != true || c.Properties["open_year"] != 2020.0 {
		t.Errorf("chosen candidate %v", c.Properties)
	}
	if c := item("base.candidates", "P000007"); c.Properties["chosen"] != false || c.Properties["open_year"] != nil {
		t.Errorf("candidate not chosen %v", c.Properties)
	}

	for _, tc := range []struct {
		name, col, id string
		unpublished   bool
		code          string
	}{
		{"unknown collection", "roads", "x", true, planner.ENOTFOUND},
		{"unknown scenario", "nope.parks", "P000004", true, planner.ENOTFOUND},
		{"unknown layer of a scenario", "base.roads", "P000004", true, planner.ENOTFOUND},
		{"unpublished scenario, public", "draft.parks", "P000004", false, planner.ENOTFOUND},
		{"unpublished scenario, reviewer", "draft.parks", "P000004", true, ""},
		{"parcel that is no park", "base.parks", "P000001", true, planner.ENOTFOUND},
		{"existing park is no candidate", "base.candidates", "P000004", true, planner.ENOTFOUND},
		{"unknown parcel", "parcels", "P999999", false, planner.ENOTFOUND},
		{"SQL in the id", "parcels", "x' or '1'='1", false, planner.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fs.Item(ctx, tc.col, tc.id, planner.CRS84, tc.unpublished)
			if got := planner.ErrorCode(err); got != tc.code {
				t.Errorf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
}

func testFeatureItemsRejectsBadQueries(t *testing.T, fs *data.FeatureStore) {
	for _, tc := range []struct {
		name  string
		q     planner.ItemsQuery
		field string
	}{
		{"zero limit", planner.ItemsQuery{Collection: "parcels", Limit: 0, CRS: planner.CRS84}, "query.limit"},
		{"limit above the maximum", planner.ItemsQuery{Collection: "parcels", Limit: planner.ItemsMaxLimit + 1, CRS: planner.CRS84}, "query.limit"},
		{"negative offset", planner.ItemsQuery{Collection: "parcels", Limit: 1, Offset: -1, CRS: planner.CRS84}, "query.offset"},
		{"unknown CRS", planner.ItemsQuery{Collection: "parcels", Limit: 1, CRS: 3857}, "query.crs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fs.Items(context.Background(), tc.q)
			var pe *planner.Error
			if planner.ErrorCode(err) != planner.EINVALID || !asError(err, &pe) || pe.Field != tc.field {
				t.Errorf("err %v, want EINVALID at %s", err, tc.field)
			}
		})
	}
}

// asError is errors.As for *planner.Error.
func asError(err error, pe **planner.Error) bool {
	e, ok := err.(*planner.Error)
	if ok {
		*pe = e
	}
	return ok
}

// TestFeatureCacheFollowsCommittedChanges checks that the cache serves
// repeated reads from memory and never serves a page older than the last
// committed change, also after its notification connection was cut.
func TestFeatureCacheFollowsCommittedChanges(t *testing.T) {
	db, dbURL, fs := featureDBURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := fs.StartCache(ctx, dbURL, 1<<20, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	q := planner.ItemsQuery{Collection: "parcels", Limit: 5, CRS: planner.CRS84}
	read := func() *planner.FeaturePage {
		t.Helper()
		p, err := fs.Items(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := read(), read()
	if &a.Features[0] != &b.Features[0] {
		t.Errorf("a repeated page was read again, not served from the cache")
	}
	// waitFor polls until the page shows name (notifications are asynchronous).
	waitFor := func(name string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(string(read().Features), name) {
			if time.Now().After(deadline) {
				t.Fatalf("the page does not show the committed name %q after 5 s", name)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// An open transaction's change is not seen; its commit is.
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `update parcel set name = 'renamed-1' where id = 'P000001'`); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(read().Features), "renamed-1") {
		t.Errorf("an uncommitted change was served")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	waitFor("renamed-1")
	// Cut the notification connection: the cache must not serve stale pages
	// while it reconnects, nor after.
	if _, err := db.SQL().ExecContext(ctx, `select pg_terminate_backend(pid) from pg_stat_activity
		where datname = current_database() and query like 'LISTEN%'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `update parcel set name = 'renamed-2' where id = 'P000001'`); err != nil {
		t.Fatal(err)
	}
	waitFor("renamed-2")
	if _, err := db.SQL().ExecContext(ctx, `update parcel set name = 'renamed-3' where id = 'P000001'`); err != nil {
		t.Fatal(err)
	}
	waitFor("renamed-3")
	// A re-run of a scenario (its rows replaced) shows at once, too.
	if _, err := db.SQL().ExecContext(ctx, `update plan_park set specialty = 'appliance' where scenario_id = 'base' and parcel_id = 'P000004'`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		f, err := fs.Item(ctx, "base.parks", "P000004", planner.CRS84, false)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(f), "appliance") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("park P000004 still %s", f)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
