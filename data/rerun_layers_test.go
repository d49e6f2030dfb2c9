package data_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// scenarioLayers are the layers of a solved scenario that the re-run test
// reads; each must be served, unchanged, while a new run is queued,
// running, failed or cancelled.
var scenarioLayers = []string{"parks", "assignments", "unplaced", "towns", "candidates"}

// layerBytes reads every scenario layer of id as the public role would.
func layerBytes(t *testing.T, fs *data.FeatureStore, id string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, l := range scenarioLayers {
		page, err := fs.Items(context.Background(), planner.ItemsQuery{Collection: id + "." + l, Limit: 1000, CRS: planner.CRS84})
		if err != nil {
			t.Fatalf("%s.%s: %v", id, l, err)
		}
		out[l] = page.Features
	}
	if _, err := fs.Collection(context.Background(), id+".parks", false); err != nil {
		t.Fatalf("collection %s.parks: %v", id, err)
	}
	return out
}

func sameLayers(t *testing.T, when string, got, want map[string][]byte) {
	t.Helper()
	for l, w := range want {
		if !bytes.Equal(got[l], w) {
			t.Errorf("%s: layer %s changed:\n got %s\nwant %s", when, l, got[l], w)
		}
	}
}

// TestPublishedLayersSurviveRerun is finding 2 of issue 10: a published
// scenario's layers stay served, byte for byte, while a re-run is queued
// and running, and after it fails or is cancelled; only a saved plan
// replaces them.
func TestPublishedLayersSurviveRerun(t *testing.T) {
	db, fs := featureDB(t)
	ctx := context.Background()
	scs := data.NewScenarioStore(db.SQL())
	before := layerBytes(t, fs, "base")

	for _, end := range []planner.JobStatus{planner.JobFailed, planner.JobCancelled} {
		run, err := scs.QueueRun(ctx, "base")
		if err != nil {
			t.Fatal(err)
		}
		sameLayers(t, "queued", layerBytes(t, fs, "base"), before)
		if err := scs.StartRun(ctx, "base", run); err != nil {
			t.Fatal(err)
		}
		sameLayers(t, "running", layerBytes(t, fs, "base"), before)
		if err := scs.EndRun(ctx, "base", run, end, "test: the run "+string(end)); err != nil {
			t.Fatal(err)
		}
		sameLayers(t, "after the run "+string(end), layerBytes(t, fs, "base"), before)
		rec, err := scs.FindScenario(ctx, "base")
		if err != nil {
			t.Fatal(err)
		}
		if rec.Plan == nil || len(rec.Plan.Parks) != 2 {
			t.Fatalf("after the run %s: plan %+v, want the old plan's 2 parks", end, rec.Plan)
		}
	}

	// A run that saves replaces the layers in one go.
	run, err := scs.QueueRun(ctx, "base")
	if err != nil {
		t.Fatal(err)
	}
	if err := scs.StartRun(ctx, "base", run); err != nil {
		t.Fatal(err)
	}
	plan := &planner.Plan{Scenario: "base", Parks: []planner.Park{{ParcelID: "P000007", Town: "t0", Kind: planner.KindNewLand,
		Specialty: "textile", OpenYear: 2021, Tier: planner.TierBasic, AreaMu: 30, FAR: 2}}}
	if err := scs.FinishRun(ctx, "base", run, plan); err != nil {
		t.Fatal(err)
	}
	page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "base.parks", Limit: 10, CRS: planner.CRS84})
	if err != nil {
		t.Fatal(err)
	}
	if page.Returned != 1 || !bytes.Contains(page.Features, []byte(`"P000007"`)) {
		t.Errorf("after the new plan was saved: %d parks %s, want P000007 only", page.Returned, page.Features)
	}
}
