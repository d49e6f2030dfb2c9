package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/plantest"
)

// TestImportDuringRun is finding 1 of issue 10 through the real server:
// a scenario is solved and published, re-run, and the dataset imported
// again while the re-run solves. The re-run must not save a plan of the
// old data: it ends failed with "the data changed during the run"; the
// previous plan stays, served byte for byte, and its status says it is
// stale.
func TestImportDuringRun(t *testing.T) {
	ds := plantest.Dataset(svcDatasetSeed, plantest.Small())
	dbURL := importedTestDB(t, "impdrun", ds) // r1
	srv := svcServe(t, dbURL, nil)
	tok := svcToken(t, dbURL, "planner")
	// A solve the clock ends: gap target 0 on a dataset it cannot close in 8 s.
	doc := fmt.Sprintf(`{"name": "import-during-run", "target_parks": 1, "every_town": false,
"max_new_land_parks": -1, "time_limit": %q, "gap_target": 0}`, "8s")
	id := srv.create(t, tok, "application/json", doc)
	srv.waitStatus(t, tok, id, 90*time.Second, "done")
	if r := srv.do(t, "POST", "/scenarios/"+id+"/publish", tok, "", nil); r.status >= 300 {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}
	parks := func() []byte {
		t.Helper()
		r := srv.do(t, "GET", "/collections/"+id+".parks/items?limit=1000", "", "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("parks layer: %d %s", r.status, r.body)
		}
		var fc struct{ Features json.RawMessage }
		if err := json.Unmarshal(r.body, &fc); err != nil {
			t.Fatal(err)
		}
		return fc.Features
	}
	before := parks()

	if r := srv.do(t, "POST", "/scenarios/"+id+"/run", tok, "", nil); r.status != http.StatusAccepted {
		t.Fatalf("re-run: %d %s", r.status, r.body)
	}
	srv.waitStatus(t, tok, id, 60*time.Second, "running")
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI("import", dir, "--db", dbURL); code != 0 || !strings.Contains(stdout, "revision r2") {
		t.Fatalf("import during the run: exit %d\n%s%s", code, stdout, stderr)
	}
	end := srv.waitStatus(t, tok, id, 90*time.Second, "done", "failed", "cancelled")
	if end["status"] != "failed" || !strings.Contains(fmt.Sprint(end["error"]), "the data changed during the run: the plan was built on r1, the data is now r2") {
		t.Errorf("the re-run ended %v (%v); want failed, the data changed during the run", end["status"], end["error"])
	}
	if !bytes.Equal(parks(), before) {
		t.Errorf("the published parks layer changed")
	}
	if end["stale"] != "stale: built on r1, the data is r2; re-run" {
		t.Errorf("stale %v", end["stale"])
	}
}
