package planreport_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/planreport"
	"github.com/parkplan/parkplan/planner/planreport/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// generated stamps the test reports.
var generated = time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)

// solvedRecord solves a two-park scenario on datasettest.Small (the
// solver ends on its own: the same plan on every machine) and returns it
// as a saved record; the elapsed time is fixed so the page is too.
func solvedRecord(t *testing.T, ds *planner.Dataset, doc string) *planner.ScenarioRecord {
	t.Helper()
	sc, err := planner.LoadScenario(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := (&engine.Engine{}).SolveDataset(context.Background(), ds, sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	plan.Solve.Elapsed = 1500 * time.Millisecond
	return &planner.ScenarioRecord{ID: "two-parks", Scenario: *sc, Status: "done", Plan: plan, DataRevision: ds.Revision}
}

const twoParks = "name: 两园方案\ndescription: two parks by 2020\nfirst_year: 2019\nlast_year: 2020\ntarget_parks: 2\ntarget_year: 2020\nevery_town: false\nquota_extra: {zhouxiang/2019: 600}\n"

func TestWriteHTML(t *testing.T) {
	cases := []struct {
		name   string
		golden string
		edit   func(ds *planner.Dataset, rec *planner.ScenarioRecord)
		stale  bool
	}{
		{name: "current plan", golden: "two-parks.html"},
		{name: "stale plan", golden: "two-parks-stale.html", stale: true,
			edit: func(ds *planner.Dataset, rec *planner.ScenarioRecord) { ds.Revision = rec.Plan.DatasetRevision + 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := datasettest.Small()
			ds.Revision = 4
			rec := solvedRecord(t, ds, twoParks)
			if c.edit != nil {
				c.edit(ds, rec)
			}
			r := planreport.Build(ds, rec, generated)
			var buf bytes.Buffer
			if err := planreport.WriteHTML(&buf, r); err != nil {
				t.Fatal(err)
			}
			page := buf.String()
			checkPage(t, page, ds, rec)
			if got := strings.Contains(page, `id="stale"`); got != c.stale {
				t.Errorf("stale notice shown %v, want %v", got, c.stale)
			}
			golden := filepath.Join("testdata", c.golden)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if page != string(want) {
				t.Errorf("page differs from %s (go test -update rewrites it)", golden)
			}
		})
	}
}

// checkPage checks what every report must carry: a row per park of the
// plan, the ledger totals of planner/compliance, a checklist line per rule,
// the proof line's figures, and an A4 page rule.
func checkPage(t *testing.T, page string, ds *planner.Dataset, rec *planner.ScenarioRecord) {
	t.Helper()
	reporttest.CheckPage(t, page, rec.Plan, compliance.BuildLedger(rec.Plan, ds, &rec.Scenario))
}
