package data_test

import (
	"context"
	"encoding/json"
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
	raw, n, err := data.NewScenarioLayerStore(st).ScenarioDiff(ctx, "diff-a", "diff-b")
	if err != nil {
		t.Fatal(err)
	}
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
	if raw, n, err := data.NewScenarioLayerStore(st).ScenarioDiff(ctx, "diff-a", "diff-a"); err != nil || n != 0 || string(raw) != "[]" {
		t.Errorf("self-diff: %s, %d, %v", raw, n, err)
	}
}
