package data_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// testScenarioDiff compares two hand-made plans on a three-parcel county
// and checks every kind of change: a park re-specialised, one removed, one
// added; a firm moved, one entered, one left (unplaced in b); an unchanged
// firm and nothing else.
func testScenarioDiff(t *testing.T, db *data.DB) {
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO industry (code) VALUES ('a'), ('b')`,
		`INSERT INTO town (code, name_zh, type, industries, seat, geom) VALUES ('t1', '镇', 'town', '{a,b}',
			ST_SetSRID(ST_MakePoint(121.25, 30.25), 4490),
			ST_Multi(ST_MakeEnvelope(121.2, 30.2, 121.3, 30.3, 4490)))`,
		`INSERT INTO parcel (id, town, kind, area_mu, far, cost_wan, floor_m2, firms, geom)
		SELECT 'P' || i, 't1', 'new_land', 10, 2, 100, 0, 0,
			ST_Multi(ST_MakeEnvelope(121.2 + i * 0.01, 30.2, 121.205 + i * 0.01, 30.205, 4490))
		FROM generate_series(1, 3) i`,
		`INSERT INTO enterprise (id, town, industry, size, floor_m2, output_per_mu, tax_per_mu, pollution, low_scattered, safety_ok, geom)
		SELECT 'E' || i, 't1', 'a', 'micro', 500, 10, 1, 'light', false, true, ST_SetSRID(ST_MakePoint(121.25, 30.21 + i * 0.01), 4490)
		FROM generate_series(1, 4) i`,
	} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	park := func(id, spec string, year int) planner.Park {
		return planner.Park{ParcelID: id, Town: "t1", Kind: planner.KindNewLand, Specialty: spec, OpenYear: year, Tier: planner.TierBasic, AreaMu: 10}
	}
	a := &planner.Plan{Parks: []planner.Park{park("P1", "a", 2019), park("P2", "a", 2020)},
		Assignments: []planner.Assignment{{EnterpriseID: "E1", ParcelID: "P1"}, {EnterpriseID: "E2", ParcelID: "P2"}, {EnterpriseID: "E4", ParcelID: "P2"}},
		Unplaced:    []planner.Unplaced{{EnterpriseID: "E3", Reason: planner.ReasonNoParkInReach}}}
	b := &planner.Plan{Parks: []planner.Park{park("P1", "b", 2019), park("P3", "a", 2021)},
		Assignments: []planner.Assignment{{EnterpriseID: "E1", ParcelID: "P1"}, {EnterpriseID: "E2", ParcelID: "P3"}, {EnterpriseID: "E3", ParcelID: "P3"}},
		Unplaced:    []planner.Unplaced{{EnterpriseID: "E4", Reason: planner.ReasonNoCapacity}}}
	st := data.NewScenarioStore(db.SQL())
	for name, p := range map[string]*planner.Plan{"diff-a": a, "diff-b": b} {
		if _, err := st.SavePlan(ctx, testScenario(name), p); err != nil {
			t.Fatal(err)
		}
	}
	ls := data.NewScenarioLayerStore(st)
	all := planner.ItemsQuery{Limit: 100, CRS: planner.CRS84}
	page, err := ls.DiffItems(ctx, "diff-a", "diff-b", all)
	if err != nil {
		t.Fatal(err)
	}
	raw, n := page.Features, page.Matched
	var feats []struct {
		ID       string `json:"id"`
		Geometry struct {
			Type string `json:"type"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(raw, &feats); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	want := []struct{ id, change, geom string }{
		{"firm:E2", "moved", "LineString"},
		{"firm:E3", "entered", "LineString"},
		{"firm:E4", "left", "LineString"},
		{"park:P1", "changed", "MultiPolygon"},
		{"park:P2", "removed", "MultiPolygon"},
		{"park:P3", "added", "MultiPolygon"},
	}
	if n != len(want) || len(feats) != len(want) {
		t.Fatalf("%d features (count %d); want %d: %s", len(feats), n, len(want), raw)
	}
	for i, w := range want {
		f := feats[i]
		if f.ID != w.id || f.Properties["change"] != w.change || f.Geometry.Type != w.geom {
			t.Errorf("feature %d: %s %v %s; want %s %s %s", i, f.ID, f.Properties["change"], f.Geometry.Type, w.id, w.change, w.geom)
		}
	}
	if p := feats[3].Properties; p["respecialised"] != true || p["retimed"] != false || p["specialty_a"] != "a" || p["specialty_b"] != "b" {
		t.Errorf("P1: %v", p)
	}
	if p := feats[2].Properties; p["park_a"] != "P2" || p["park_b"] != nil || p["unplaced_reason_b"] != "no_capacity" {
		t.Errorf("E4: %v", p)
	}
	if p := feats[1].Properties; p["unplaced_reason_a"] != "no_park_in_reach" || p["park_b"] != "P3" {
		t.Errorf("E3: %v", p)
	}
	// Nothing differs between a plan and itself.
	if p, err := ls.DiffItems(ctx, "diff-a", "diff-a", all); err != nil || p.Matched != 0 || p.Returned != 0 || string(p.Features) != "[]" {
		t.Errorf("self-diff: %+v, %v", p, err)
	}
	if e, err := ls.DiffExtent(ctx, "diff-a", "diff-a"); err != nil || e != nil {
		t.Errorf("self-diff extent %v, %v", e, err)
	}
	t.Run("pages", func(t *testing.T) { testScenarioDiffPages(t, ls, want) })
}

// diffIDs returns the ids of a page's features.
func diffIDs(t *testing.T, p *planner.FeaturePage) []string {
	t.Helper()
	var feats []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(p.Features, &feats); err != nil {
		t.Fatalf("%v: %s", err, p.Features)
	}
	ids := make([]string, len(feats))
	for i, f := range feats {
		ids[i] = f.ID
	}
	return ids
}

// testScenarioDiffPages pages the difference of testScenarioDiff (three
// firm lines of 2 vertices, then three park squares of 5) under vertex
// bounds, bbox filters and offsets: the difference collection is bounded
// by max_page_vertices like every collection.
func testScenarioDiffPages(t *testing.T, ls *data.ScenarioLayerStore, want []struct{ id, change, geom string }) {
	ctx := context.Background()
	q := func(offset int, bbox *[4]float64) planner.ItemsQuery {
		return planner.ItemsQuery{Limit: 100, Offset: offset, CRS: planner.CRS84, Bbox: bbox, BboxCRS: planner.CRS84}
	}
	for _, tc := range []struct {
		name      string
		max       int
		pages     [][]string // ids of each page read from offset 0 on
		truncated []bool
	}{
		{"no bound", 0, [][]string{{"firm:E2", "firm:E3", "firm:E4", "park:P1", "park:P2", "park:P3"}}, []bool{false}},
		{"10 vertices a page", 10, [][]string{{"firm:E2", "firm:E3", "firm:E4"}, {"park:P1", "park:P2"}, {"park:P3"}}, []bool{true, true, false}},
		{"5 vertices a page", 5, [][]string{{"firm:E2", "firm:E3"}, {"firm:E4"}, {"park:P1"}, {"park:P2"}, {"park:P3"}}, []bool{true, true, true, true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ls.MaxVertices = tc.max
			offset := 0
			for i, ids := range tc.pages {
				p, err := ls.DiffItems(ctx, "diff-a", "diff-b", q(offset, nil))
				if err != nil {
					t.Fatal(err)
				}
				if got := diffIDs(t, p); !slices.Equal(got, ids) || p.Truncated != tc.truncated[i] || p.Matched != len(want) || p.Returned != len(ids) {
					t.Errorf("page %d from %d: %v (truncated %v, matched %d, returned %d), want %v (truncated %v, matched %d)",
						i+1, offset, got, p.Truncated, p.Matched, p.Returned, ids, tc.truncated[i], len(want))
				}
				offset += p.Returned
			}
		})
	}
	t.Run("a feature above the bound", func(t *testing.T) {
		ls.MaxVertices = 4
		var pe *planner.Error
		_, err := ls.DiffItems(ctx, "diff-a", "diff-b", q(3, nil))
		if !errors.As(err, &pe) || pe.Code != planner.ETOOLARGE || !strings.Contains(pe.Message, "park:P1") {
			t.Errorf("page from park:P1 (5 vertices) under a bound of 4: %v, want ETOOLARGE naming it", err)
		}
		if _, err := ls.DiffItem(ctx, "diff-a", "diff-b", "park:P1"); planner.ErrorCode(err) != planner.ETOOLARGE {
			t.Errorf("park:P1 alone under a bound of 4: %v, want ETOOLARGE", err)
		}
		f, err := ls.DiffItem(ctx, "diff-a", "diff-b", "firm:E2")
		var feat struct {
			ID         string
			Geometry   map[string]any
			Properties map[string]any
		}
		if err != nil || json.Unmarshal(f, &feat) != nil || feat.ID != "firm:E2" || feat.Properties["change"] != "moved" ||
			feat.Geometry["type"] != "LineString" || feat.Geometry["crs"] != nil {
			t.Errorf("firm:E2 (2 vertices): %s, %v", f, err)
		}
		if _, err := ls.DiffItem(ctx, "diff-a", "diff-b", "park:P9"); planner.ErrorCode(err) != planner.ENOTFOUND {
			t.Errorf("park:P9: %v, want ENOTFOUND", err)
		}
	})
	ls.MaxVertices = data.DefaultMaxVertices
	for _, tc := range []struct {
		name   string
		offset int
		bbox   *[4]float64
		ids    []string
		match  int
	}{
		{"bbox of P1 only", 0, &[4]float64{121.21, 30.2, 121.215, 30.205}, []string{"park:P1"}, 1},
		{"bbox far away", 0, &[4]float64{100, 20, 101, 21}, []string{}, 0},
		{"past the end", 10, nil, []string{}, len(want)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ls.DiffItems(ctx, "diff-a", "diff-b", q(tc.offset, tc.bbox))
			if err != nil {
				t.Fatal(err)
			}
			if got := diffIDs(t, p); !slices.Equal(got, tc.ids) || p.Matched != tc.match {
				t.Errorf("%v (matched %d), want %v (matched %d)", got, p.Matched, tc.ids, tc.match)
			}
		})
	}
	e, err := ls.DiffExtent(ctx, "diff-a", "diff-b")
	if err != nil || e == nil || e[0] > 121.21 || e[2] < 121.25 || e[1] > 30.2 || e[3] < 30.24 {
		t.Errorf("extent %v, %v: want all six features inside", e, err)
	}
}
