package data_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// revisedSmall writes a copy of the small fixture as the next import would
// bring it: parcel P-03 moved about 1 km east, firm E-0002 gone.
func revisedSmall(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range datasetFiles {
		b, err := os.ReadFile(filepath.Join(smallDir, f))
		if err != nil {
			t.Fatal(err)
		}
		switch f {
		case "parcels.geojson":
			b = bytes.ReplaceAll(b, []byte("121.273,"), []byte("121.283,"))
			b = bytes.ReplaceAll(b, []byte("[121.27,"), []byte("[121.28,"))
		case "enterprises.geojson":
			var keep [][]byte
			for _, line := range bytes.SplitAfter(b, []byte("\n")) {
				if !bytes.Contains(line, []byte(`"E-0002"`)) {
					keep = append(keep, line)
				}
			}
			b = bytes.Join(keep, nil)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// smallPlan is a plan on the small fixture built on revision rev: a park
// on P-03 with firm E-0002 in it, E-0003 left out.
func smallPlan(name string, rev int) *planner.Plan {
	return &planner.Plan{Scenario: name, ScenarioHash: "h-" + name, DatasetRevision: rev,
		Parks: []planner.Park{{ParcelID: "P-03", Town: "guanhaiwei", Kind: planner.KindOldFactory, Specialty: "textile",
			OpenYear: 2020, Tier: planner.TierStandard, AreaMu: 144.204625, FAR: 1.8, Firms: 1}},
		Assignments: []planner.Assignment{{EnterpriseID: "E-0002", ParcelID: "P-03", DistanceM: 9000}},
		Unplaced:    []planner.Unplaced{{EnterpriseID: "E-0003", Reason: planner.ReasonBarredPollution}},
		Towns: []planner.TownSummary{{Town: "guanhaiwei", Parks: 1, QuotaMu: map[int]float64{2020: 30},
			NewLandUsedMu: map[int]float64{2020: 0}, OldFactoryMu: map[int]float64{2020: 144.204625}}},
		KPI: planner.KPIs{ParksTotal: 1, FirmsPlaced: 1}}
}

// TestPlanOutlivesItsData is finding 1 of issue 10: every import makes a
// revision; a plan records the revision it was built on and is served
// unchanged (its park where the plan put it, its firm still assigned)
// after the next import, marked stale; a plan built on the old revision
// is refused at save with "the data changed during the run", and a run
// whose save is refused ends failed, keeping the previous plan.
func TestPlanOutlivesItsData(t *testing.T) {
	db := migrated(t)
	ctx := context.Background()
	scs := data.NewScenarioStore(db.SQL())
	fs := data.NewFeatureStore(db.SQL())
	t.Cleanup(func() { fs.Close() })

	if r, err := db.DatasetRevision(ctx); err != nil || r.Revision != 0 {
		t.Fatalf("before any import: revision %+v, %v; want 0", r, err)
	}
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{By: "tester"}); err != nil {
		t.Fatal(err)
	}
	r1, err := db.DatasetRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Revision != 1 || len(r1.ContentHash) != 64 || r1.ImportedBy != "tester" || r1.Source != smallDir ||
		time.Since(r1.ImportedAt) > time.Minute {
		t.Fatalf("revision after the first import: %+v", r1)
	}
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Revision != 1 {
		t.Fatalf("LoadDataset revision %d, want 1", ds.Revision)
	}

	sc := testScenario("outlives")
	if _, err := scs.SavePlan(ctx, sc, smallPlan(sc.Name, 1)); err != nil {
		t.Fatal(err)
	}
	const id = "outlives"
	before := layerBytesUnpublished(t, fs, id)
	if !bytes.Contains(before["parks"], []byte("121.27,30.13")) || !bytes.Contains(before["assignments"], []byte(`"E-0002"`)) {
		t.Fatalf("layers before the import: %s %s", before["parks"], before["assignments"])
	}
	rec, err := scs.FindScenario(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Plan.DatasetRevision != 1 || rec.DataRevision != 1 || rec.Stale() != "" {
		t.Fatalf("fresh plan: built on r%d, data r%d, stale %q", rec.Plan.DatasetRevision, rec.DataRevision, rec.Stale())
	}

	// The next import: P-03 moves, E-0002 is gone.
	if _, err := db.Import(ctx, revisedSmall(t), data.ImportOptions{By: "tester"}); err != nil {
		t.Fatal(err)
	}
	r2, err := db.DatasetRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Revision != 2 || r2.ContentHash == r1.ContentHash {
		t.Fatalf("second import: %+v (first %+v); want r2 with another content hash", r2, r1)
	}
	sameLayers(t, "after the next import", layerBytesUnpublished(t, fs, id), before)
	run, err := scs.FindScenarioRun(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := run.Stale(), "stale: built on r1, the data is r2; re-run"; got != want {
		t.Errorf("stale notice %q, want %q", got, want)
	}

	// A plan built on r1 cannot be saved on r2 (the CLI's solve) …
	_, err = scs.SavePlan(ctx, sc, smallPlan(sc.Name, 1))
	if !errors.Is(err, planner.ErrDataChanged) || planner.ErrorCode(err) != planner.ECONFLICT ||
		!strings.Contains(err.Error(), "built on r1, the data is now r2") {
		t.Fatalf("SavePlan of an r1 plan on r2: %v; want ErrDataChanged naming both revisions", err)
	}
	// … nor by a run, which then ends failed with the reason and keeps the old plan.
	n, err := scs.QueueRun(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := scs.StartRun(ctx, id, n); err != nil {
		t.Fatal(err)
	}
	err = scs.FinishRun(ctx, id, n, smallPlan(sc.Name, 1))
	if !errors.Is(err, planner.ErrDataChanged) {
		t.Fatalf("FinishRun of an r1 plan on r2: %v; want ErrDataChanged", err)
	}
	run, err = scs.FindScenarioRun(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != string(planner.JobFailed) || !strings.Contains(run.Error, "the data changed during the run") {
		t.Errorf("after the refused save: status %s, error %q; want failed, naming the change", run.Status, run.Error)
	}
	sameLayers(t, "after the refused save", layerBytesUnpublished(t, fs, id), before)

	// A plan built on r2 saves, with r2's geometry.
	if _, err := scs.SavePlan(ctx, sc, smallPlan(sc.Name, 2)); err != nil {
		t.Fatal(err)
	}
	after := layerBytesUnpublished(t, fs, id)
	if !bytes.Contains(after["parks"], []byte("121.28,30.13")) {
		t.Errorf("parks of the r2 plan: %s; want P-03 where r2 puts it", after["parks"])
	}
	if run, _ := scs.FindScenarioRun(ctx, id); run == nil || run.Stale() != "" {
		t.Errorf("r2 plan on r2: stale %q", run.Stale())
	}
}

// layerBytesUnpublished is layerBytes as the reviewer role reads them.
func layerBytesUnpublished(t *testing.T, fs *data.FeatureStore, id string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, l := range []string{"parks", "assignments", "unplaced", "towns"} {
		page, err := fs.Items(context.Background(), planner.ItemsQuery{Collection: id + "." + l, Limit: 1000,
			CRS: planner.CRS84, Unpublished: true})
		if err != nil {
			t.Fatalf("%s.%s: %v", id, l, err)
		}
		out[l] = page.Features
	}
	return out
}

// TestSaveWaitsForImport: a save that starts while an import is open
// waits for it, then sees the new revision and refuses the plan; it never
// copies the geometry of a half-imported dataset.
func TestSaveWaitsForImport(t *testing.T) {
	db := migrated(t)
	ctx := context.Background()
	if _, err := db.Import(ctx, smallDir, data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	scs := data.NewScenarioStore(db.SQL())
	// An import in progress: it holds the import lock and has written its revision, uncommitted.
	imp, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	if _, err := imp.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, data.ImportLockKey); err != nil {
		t.Fatal(err)
	}
	if _, err := imp.ExecContext(ctx, `INSERT INTO dataset_revision (revision, content_hash) VALUES (2, '')`); err != nil {
		t.Fatal(err)
	}
	saved := make(chan error, 1)
	go func() {
		_, err := scs.SavePlan(ctx, testScenario("waits"), smallPlan("waits", 1))
		saved <- err
	}()
	select {
	case err := <-saved:
		t.Fatalf("the save did not wait for the open import: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-saved; !errors.Is(err, planner.ErrDataChanged) {
		t.Fatalf("save after the import committed: %v; want ErrDataChanged", err)
	}
}
