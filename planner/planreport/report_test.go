package planreport_test

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/planreport"
	"github.com/parkplan/parkplan/planner/rules"
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
	CheckReportPage(t, page, rec.Plan, compliance.BuildLedger(rec.Plan, ds, &rec.Scenario))
}

// CheckReportPage is checkPage's body, shared with the PostGIS and
// Chromium tests of cmd/parkplan through a copy (test files are not
// importable); keep them alike.
func CheckReportPage(t *testing.T, page string, plan *planner.Plan, led *compliance.Ledger) {
	t.Helper()
	if len(plan.Parks) == 0 {
		t.Fatal("the plan has no parks: nothing to check")
	}
	for _, p := range plan.Parks {
		if !strings.Contains(page, `<tr class="park" data-parcel="`+p.ParcelID+`">`) {
			t.Errorf("park %s not listed", p.ParcelID)
		}
	}
	if n := strings.Count(page, `<tr class="park" `); n != len(plan.Parks) {
		t.Errorf("%d park rows for %d parks", n, len(plan.Parks))
	}
	for field, want := range map[string]float64{
		"official_quota_mu": led.Totals.OfficialQuotaMu, "quota_mu": led.Totals.QuotaMu,
		"new_land_used_mu": led.Totals.NewLandUsedMu, "old_factory_mu": led.Totals.OldFactoryMu,
	} {
		m := regexp.MustCompile(`data-field="` + field + `">([0-9,.\-]+)<`).FindStringSubmatch(page)
		if m == nil {
			t.Errorf("ledger total %s missing", field)
			continue
		}
		got, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
		if err != nil || math.Abs(got-want) > 0.005 {
			t.Errorf("ledger total %s is %s, compliance gives %.3f", field, m[1], want)
		}
	}
	if n := strings.Count(page, `<tr class="ledger-row`); n != len(led.Rows) {
		t.Errorf("%d ledger rows, compliance has %d", n, len(led.Rows))
	}
	for _, rule := range rules.Order {
		if !strings.Contains(page, `<tr class="check" data-rule="`+rule+`">`) {
			t.Errorf("no checklist line for %s", rule)
		}
	}
	for _, want := range []string{"@page", "size: A4", `id="proof"`, "目标值", "上界", "差距", "节点", "停止原因", "<svg", "小微企业园规划报告"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
