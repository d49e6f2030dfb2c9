package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// TestRevisionsCLI: `parkplan import` makes a new dataset revision each
// time; `parkplan check` of a saved plan says plainly when the plan was
// built on an older revision; `parkplan solve` on one revision gives the
// same bytes every time, and a re-import of the same content gives the
// same scenario hash (only dataset_revision differs). The time limit is
// generous: a solve the clock stops is not reproducible (under load CBC
// stops at another node), one that proves its optimum is.
func TestRevisionsCLI(t *testing.T) {
	ds := solveDataset()
	dbURL := importedTestDB(t, "revisions", ds) // r1
	dir := t.TempDir()
	scPath := writeFile(t, dir, "rev.yaml", "name: rev-four\ntarget_parks: 4\nmax_new_land_parks: 3\ntime_limit: 120s\n")
	solve := func(out string, save bool) planner.Plan {
		t.Helper()
		args := []string{"solve", "--scenario", scPath, "--out", out, "--db", dbURL, "--solver", "cbc", "--no-timing"}
		if !save {
			args = append(args, "--no-save")
		}
		if code, stdout, stderr := runCLI(args...); code != 0 {
			t.Fatalf("solve: exit %d\n%s%s", code, stdout, stderr)
		}
		var p planner.Plan
		b, err := os.ReadFile(filepath.Join(out, "plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1 := solve(filepath.Join(dir, "r1"), true)
	if p1.DatasetRevision != 1 {
		t.Fatalf("plan on r1 says dataset_revision %d", p1.DatasetRevision)
	}
	check := func() string {
		t.Helper()
		code, stdout, stderr := runCLI("check", "--scenario", "rev-four", "--db", dbURL)
		if code != 0 && code != 1 {
			t.Fatalf("check: exit %d\n%s%s", code, stdout, stderr)
		}
		return stdout
	}
	if out := check(); strings.Contains(out, "stale") {
		t.Errorf("check of a plan on the current data says stale:\n%s", out)
	}

	// Import the same content again: r2.
	data := t.TempDir()
	if err := dataset.WriteDir(ds, data); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("import", data, "--db", dbURL, "--by", "planner-a")
	if code != 0 || !strings.Contains(stdout, "dataset revision r2") || !strings.Contains(stdout, "by planner-a") {
		t.Fatalf("second import: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, out, _ := runCLI("summary", "--db", dbURL); code != 0 || !strings.Contains(out, `dataset revision: r2, imported `) || !strings.Contains(out, `by "planner-a"`) {
		t.Errorf("summary after the second import: exit %d\n%s", code, out)
	}
	if out := check(); !strings.Contains(out, "plan is stale: built on r1, the data is r2; re-run") {
		t.Errorf("check of the r1 plan on r2 does not say it is stale:\n%s", out)
	}
	// The API's status document says the same.
	srv := svcServe(t, dbURL, nil)
	doc := srv.do(t, "GET", "/scenarios/rev-four", svcToken(t, dbURL, "reviewer"), "", nil)
	if doc.status != 200 {
		t.Fatalf("GET /scenarios/rev-four: %d %s", doc.status, doc.body)
	}
	m := doc.json(t)
	plan, _ := m["plan"].(map[string]any)
	if m["stale"] != "stale: built on r1, the data is r2; re-run" || m["data_revision"] != 2.0 || plan == nil || plan["dataset_revision"] != 1.0 {
		t.Errorf("status document: stale %v, data_revision %v, plan.dataset_revision %v", m["stale"], m["data_revision"], plan["dataset_revision"])
	}
	srv.stop()

	// Two solves on r2 give the same bytes; the same content gives the same scenario hash.
	a, b := filepath.Join(dir, "r2a"), filepath.Join(dir, "r2b")
	p2 := solve(a, false)
	solve(b, false)
	for _, f := range []string{"parks.geojson", "assignments.geojson", "unplaced.geojson", "towns.geojson", "plan.json"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if len(x) == 0 || !bytes.Equal(x, y) {
			i := 0
			for i < len(x) && i < len(y) && x[i] == y[i] {
				i++
			}
			t.Errorf("%s differs between two solves on r2 at byte %d: %q vs %q", f, i,
				x[max(0, i-80):min(len(x), i+80)], y[max(0, i-80):min(len(y), i+80)])
		}
	}
	if p2.Solve.Status != planner.StatusOptimal {
		t.Errorf("solve on r2 ended %s; the bytes are only promised for a proven optimum", p2.Solve.Status)
	}
	if p2.DatasetRevision != 2 || p2.ScenarioHash != p1.ScenarioHash {
		t.Errorf("plan on r2: revision %d, hash %s; want 2 and r1's hash %s (same content)", p2.DatasetRevision, p2.ScenarioHash, p1.ScenarioHash)
	}
	// r3 drops a park's parcel: the check of the r1 plan cannot measure
	// it, and says first that the plan is stale.
	gone := p1.Parks[0].ParcelID
	ds3 := *ds
	ds3.Parcels = nil
	for _, p := range ds.Parcels {
		if p.ID != gone {
			ds3.Parcels = append(ds3.Parcels, p)
		}
	}
	data3 := t.TempDir()
	if err := dataset.WriteDir(&ds3, data3); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI("import", data3, "--db", dbURL); code != 0 {
		t.Fatalf("third import: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI("check", "--scenario", "rev-four", "--db", dbURL)
	if code != 2 || !strings.Contains(stderr, "the plan is stale: built on r1, the data is r3; re-run") || !strings.Contains(stderr, gone) {
		t.Errorf("check of the r1 plan after its park %s was dropped: exit %d\n%s%s", gone, code, stdout, stderr)
	}
	// `import --check` prints the content hash an import records.
	code, stdout, _ = runCLI("import", data, "--check")
	if code != 0 || !strings.Contains(stdout, "content sha256 ") {
		t.Errorf("import --check: exit %d: %s", code, stdout)
	}
}
