package data_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/layers"
)

// checkLayerCoordTol is the API's coordinate precision (7 decimals).
const checkLayerCoordTol = 0.6e-7

// TestCheckLayerSameAsFile (issue 11, item 5): a saved check's
// "check-{id}.violations" collection carries the features, ids and
// properties of the check layer of planner/layers — what `parkplan check
// --save --out` writes as violations.geojson — for every kind of
// violation, quota violations' parks included.
func TestCheckLayerSameAsFile(t *testing.T) {
	db, fs := featureDB(t)
	r := saveCheck(t, db, "up.geojson", violationsUpload)
	var file bytes.Buffer
	if err := layers.WriteGeoJSON(&file, layers.CheckViolations(r)); err != nil {
		t.Fatal(err)
	}
	page, err := fs.Items(context.Background(), planner.ItemsQuery{Collection: "check-" + strconv.FormatInt(r.SavedID, 10) + ".violations",
		Limit: 100, CRS: planner.CRS84, BboxCRS: planner.CRS84, Unpublished: true})
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Features []json.RawMessage }
	if err := json.Unmarshal(file.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	var got []json.RawMessage
	if err := json.Unmarshal(page.Features, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want.Features) || len(got) < 5 {
		t.Fatalf("API %d features, file %d (want the fixture's ≥ 5)", len(got), len(want.Features))
	}
	parks := false
	for i := range got {
		w, g := decodeCheckFeature(t, want.Features[i]), decodeCheckFeature(t, got[i])
		if w.ID != g.ID || !reflect.DeepEqual(w.Properties, g.Properties) {
			t.Errorf("feature %d: API id %s %v, file id %s %v", i, g.ID, g.Properties, w.ID, w.Properties)
		}
		if ps, _ := w.Properties["parks"].([]any); len(ps) > 0 {
			parks = true
		}
		if (w.Geometry == nil) != (g.Geometry == nil) {
			t.Errorf("feature %s: geometry %v in the API, %v in the file", w.ID, g.Geometry, w.Geometry)
			continue
		}
		if w.Geometry != nil {
			wb, gb := w.Geometry.Geometry().Bound(), g.Geometry.Geometry().Bound()
			for k := range 2 {
				if math.Abs(wb.Min[k]-gb.Min[k]) > checkLayerCoordTol || math.Abs(wb.Max[k]-gb.Max[k]) > checkLayerCoordTol {
					t.Errorf("feature %s: bounds %v in the API, %v in the file", w.ID, gb, wb)
				}
			}
		}
	}
	if !parks {
		t.Error("no violation lists parks: the quota violation's parks are not compared")
	}
}

type checkFeature struct {
	ID         string            `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties map[string]any    `json:"properties"`
}

func decodeCheckFeature(t *testing.T, b []byte) checkFeature {
	t.Helper()
	var f checkFeature
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return f
}
