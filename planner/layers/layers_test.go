package layers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/parkplan/parkplan/planner"
)

// uParcel is a U-shaped park whose centroid lies outside it:
//
//	┌┐  ┌┐
//	│└──┘│
//	└────┘
var uParcel = orb.MultiPolygon{{{{121, 30}, {121.03, 30}, {121.03, 30.03}, {121.02, 30.03}, {121.02, 30.005},
	{121.01, 30.005}, {121.01, 30.03}, {121, 30.03}, {121, 30}}}}

func handPlan() (*planner.Dataset, *planner.Plan) {
	ds := &planner.Dataset{
		Towns: []planner.Town{{Code: "t1", NameZh: "甲镇", Boundary: orb.MultiPolygon{{{{120.9, 29.9}, {121.1, 29.9}, {121.1, 30.1}, {120.9, 30.1}, {120.9, 29.9}}}}}},
		Parcels: []planner.Parcel{{ID: "P1", Town: "t1", Name: "U 园", Geometry: uParcel},
			{ID: "P0", Town: "t1", Geometry: orb.MultiPolygon{{{{121.05, 30}, {121.06, 30}, {121.06, 30.01}, {121.05, 30}}}}}},
		Enterprises: []planner.Enterprise{{ID: "E2", Town: "t1", Industry: "hw", Size: planner.SizeMicro, FloorM2: 500, Location: orb.Point{120.95, 29.95}},
			{ID: "E1", Town: "t1", Industry: "tx", MuClass: "D", Location: orb.Point{120.96, 29.96}}},
	}
	plan := &planner.Plan{
		Parks: []planner.Park{{ParcelID: "P1", Town: "t1", OpenYear: 2020, Tier: planner.TierStandard},
			{ParcelID: "P0", Town: "t1", OpenYear: 2019, Tier: planner.TierBasic}},
		Assignments: []planner.Assignment{{EnterpriseID: "E2", ParcelID: "P1", DistanceM: 1000}},
		Unplaced:    []planner.Unplaced{{EnterpriseID: "E1", Reason: planner.ReasonMuClass}},
		Towns: []planner.TownSummary{{Town: "t1", QuotaMu: map[int]float64{2019: 50, 2020: 40},
			NewLandUsedMu: map[int]float64{2020: 30}}},
	}
	return ds, plan
}

func TestPlanLayers(t *testing.T) {
	ds, plan := handPlan()
	got := map[string]Collection{}
	for _, c := range Plan(ds, plan) {
		got[c.Name] = c
		for _, f := range c.Features {
			if len(f.Values) != len(c.Props) {
				t.Errorf("%s %s: %d values for %d properties", c.Name, f.ID, len(f.Values), len(c.Props))
			}
		}
	}
	value := func(layer, id, prop string) any {
		c := got[layer]
		for _, f := range c.Features {
			if f.ID == id {
				for i, p := range c.Props {
					if p.Name == prop {
						return f.Values[i]
					}
				}
			}
		}
		t.Fatalf("no %s.%s of %s", layer, prop, id)
		return nil
	}
	t.Run("parks in id order", func(t *testing.T) {
		if ps := got[Parks].Features; len(ps) != 2 || ps[0].ID != "P0" || ps[1].ID != "P1" {
			t.Errorf("parks %+v", ps)
		}
		if v := value(Parks, "P1", "name"); v != "U 园" {
			t.Errorf("P1 name %v", v)
		}
	})
	t.Run("assignment line ends inside the U", func(t *testing.T) {
		f := got[Assignments].Features[0]
		line := f.Geometry.(orb.LineString)
		if line[0] != (orb.Point{120.95, 29.95}) || !planar.MultiPolygonContains(uParcel, line[1]) {
			t.Errorf("line %v: not from the firm to a point in its park", line)
		}
		if d := value(Assignments, "E2", "firm_distance_m").(float64); d < 5000 || d > 15000 {
			t.Errorf("firm_distance_m %v, want the line's length (~8 km)", d)
		}
		if v := value(Assignments, "E2", "floor_m2"); v != 500.0 {
			t.Errorf("floor_m2 %v", v)
		}
	})
	t.Run("unplaced", func(t *testing.T) {
		if v := value(Unplaced, "E1", "mu_class"); v != "D" {
			t.Errorf("mu_class %v", v)
		}
	})
	t.Run("towns per year", func(t *testing.T) {
		fs := got[Towns].Features
		if len(fs) != 2 || fs[0].ID != "t1-2019" || fs[1].ID != "t1-2020" {
			t.Fatalf("towns %+v", fs)
		}
		for _, tc := range []struct {
			id, prop string
			want     any
		}{
			{"t1-2019", "parks_open", 1}, {"t1-2019", "parks_opening", 1},
			{"t1-2020", "parks_open", 2}, {"t1-2020", "parks_opening", 1},
			{"t1-2020", "quota_left_mu", 10.0}, {"t1-2020", "name_zh", "甲镇"},
		} {
			if v := value(Towns, tc.id, tc.prop); v != tc.want {
				t.Errorf("%s %s = %v, want %v", tc.id, tc.prop, v, tc.want)
			}
		}
	})
	t.Run("missing parcel: no geometry", func(t *testing.T) {
		plan.Parks = append(plan.Parks, planner.Park{ParcelID: "gone", Town: "t1"})
		for _, c := range Plan(ds, plan) {
			for _, f := range c.Features {
				if f.ID == "gone" && f.Geometry != nil {
					t.Errorf("park without a parcel has geometry %v", f.Geometry)
				}
			}
		}
	})
}

// TestDBFNames: every property has a DBF name of at most 10 bytes,
// unique within its layer.
func TestDBFNames(t *testing.T) {
	for _, l := range PlanLayers() {
		seen := map[string]string{"id": "the feature id"}
		for _, p := range l.Props {
			n := p.DBFName()
			if len(n) > 10 {
				t.Errorf("%s.%s: DBF name %q is longer than 10 bytes", l.Name, p.Name, n)
			}
			if other, dup := seen[n]; dup {
				t.Errorf("%s.%s: DBF name %q is also %s's", l.Name, p.Name, n, other)
			}
			seen[n] = p.Name
		}
	}
}

func TestWriteGeoJSON(t *testing.T) {
	ds, plan := handPlan()
	for _, c := range Plan(ds, plan) {
		var buf bytes.Buffer
		if err := WriteGeoJSON(&buf, c); err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []struct {
				ID         string         `json:"id"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
			t.Fatalf("%s: %v\n%s", c.Name, err, buf.Bytes())
		}
		if len(fc.Features) != len(c.Features) {
			t.Errorf("%s: %d features written, want %d", c.Name, len(fc.Features), len(c.Features))
		}
		for i, f := range fc.Features {
			if f.ID != c.Features[i].ID || len(f.Properties) != len(c.Props) {
				t.Errorf("%s feature %d: id %s with %d properties", c.Name, i, f.ID, len(f.Properties))
			}
		}
	}
}

// TestAppendValue: numbers, booleans, nulls and geometries appended by
// hand read back as encoding/json reads its own output.
func TestAppendValue(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"integer-valued float", 1e6}, {"fraction", 0.1}, {"tiny", 1.5e-9}, {"huge", 3e22}, {"negative", -121.0000001},
		{"zero", 0.0}, {"int", 42}, {"bool", true}, {"null", nil}, {"string", `a "quoted" 镇\n`}, {"list", []string{"P1", "P2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := appendValue(nil, tc.v)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(tc.v)
			var got, exp any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			json.Unmarshal(want, &exp)
			if fmt.Sprint(got) != fmt.Sprint(exp) {
				t.Errorf("appendValue(%v) = %s, encoding/json %s", tc.v, b, want)
			}
		})
	}
	if _, err := appendValue(nil, math.NaN()); err == nil {
		t.Error("NaN encoded without an error")
	}
	ls := orb.LineString{{121.1, 30.2}, {121.3000001, 30.4}}
	b, err := appendGeometry(nil, ls)
	if err != nil {
		t.Fatal(err)
	}
	g, err := geojson.UnmarshalGeometry(b)
	if err != nil || !orb.Equal(g.Geometry(), ls) {
		t.Errorf("line %s read back as %v (%v)", b, g, err)
	}
}
