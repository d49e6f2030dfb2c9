package main

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/api"
	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/planreport/reporttest"
)

// reportScenario opens parks in both towns of checkDataset by 2020.
const reportScenario = "name: 报告测试\ndescription: report test\nfirst_year: 2019\nlast_year: 2021\ntarget_parks: 3\ntarget_year: 2020\nevery_town: true\nquota_extra: {zhouxiang/2020: 100}\n"

// TestReport serves GET /scenarios/{id}/report and runs `parkplan report`
// on a real PostGIS database holding a solved, saved plan: the page
// against the plan and planner/compliance's ledger, the PDF printed by
// real headless Chromium (A4 MediaBoxes, the Chinese text extractable by
// pdftotext), the errors, and the stale notice after a re-import.
func TestReport(t *testing.T) {
	ctx := context.Background()
	ds := checkDataset()
	dbURL := checkTestDB(t, ds)
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sc, err := planner.LoadScenario(strings.NewReader(reportScenario))
	if err != nil {
		t.Fatal(err)
	}
	stored := mustLoad(t, db)
	plan, err := newChecker(db, nil).Solve(ctx, stored, sc)
	if err != nil {
		t.Fatal(err)
	}
	id, err := data.NewScenarioStore(db.SQL()).SavePlan(ctx, sc, plan)
	if err != nil {
		t.Fatal(err)
	}
	ledger := compliance.BuildLedger(plan, stored, sc)

	tokens := data.NewTokenStore(db.SQL())
	reviewer, _, err := tokens.CreateToken(ctx, planner.RoleReviewer, "bureau")
	if err != nil {
		t.Fatal(err)
	}
	store := data.NewScenarioStore(db.SQL())
	cfg := api.DefaultConfig()
	cfg.AccessLog = false
	srv, err := api.New(cfg, api.Deps{Features: data.NewFeatureStore(db.SQL()), Scenarios: store,
		Scenario: api.ScenarioDeps{Store: store}, Auth: api.NewTokenAuth(tokens, time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	srv.RegisterReports(newReportBuilder(db))
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	env := &ogcEnv{url: ts.URL}
	get := func(t *testing.T, path, token string) (*ogcResp, string) {
		t.Helper()
		if token == "" {
			r := env.get(t, path)
			return r, string(r.body)
		}
		r := env.get(t, path, "Authorization", "Bearer "+token)
		return r, string(r.body)
	}

	// A scenario queued and never run has no plan, hence no report.
	queued, err := store.CreateScenario(ctx, &planner.Scenario{Name: "not run yet", FirstYear: 2019, LastYear: 2020, TargetParks: 1, TargetYear: 2020}, "test", true)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("API", func(t *testing.T) {
		tests := []struct {
			name, path, token string
			status            int
			want              string // in the error
		}{
			{"reviewer", "/scenarios/" + id + "/report", reviewer, http.StatusOK, ""},
			{"unpublished to the public", "/scenarios/" + id + "/report", "", http.StatusNotFound, id},
			{"unknown scenario", "/scenarios/no-such-plan/report", reviewer, http.StatusNotFound, "no-such-plan"},
			{"no plan yet", "/scenarios/" + queued.ID + "/report", "", http.StatusNotFound, "has no plan yet"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				resp, body := get(t, tc.path, tc.token)
				if resp.status != tc.status {
					t.Fatalf("status %d, want %d: %s", resp.status, tc.status, body)
				}
				if tc.status != http.StatusOK {
					if !strings.Contains(body, tc.want) {
						t.Errorf("error lacks %q: %s", tc.want, body)
					}
					return
				}
				if ct := resp.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
				reporttest.CheckPage(t, body, plan, ledger)
				for _, p := range plan.Parks {
					if !strings.Contains(body, `data-parcel="`+p.ParcelID+`"`) {
						t.Errorf("park %s not on the map", p.ParcelID)
					}
				}
				for _, want := range []string{"周巷镇", "观海卫镇", "报告测试"} {
					if !strings.Contains(body, want) {
						t.Errorf("page lacks %q", want)
					}
				}
				if strings.Contains(body, `id="stale"`) {
					t.Error("a current plan carries the stale notice")
				}
			})
		}
	})

	t.Run("PDF", func(t *testing.T) {
		if _, err := os.Stat(webChromium); err != nil {
			t.Fatalf("chromium is needed at %s (Debian package chromium; scripts/deps.sh installs it): %v", webChromium, err)
		}
		dir := t.TempDir()
		pdf, page := filepath.Join(dir, "plan.pdf"), filepath.Join(dir, "plan.html")
		code, _, stderr := runCLI("report", "--db", dbURL, "--scenario", id, "--pdf", pdf, "--html", page, "--chromium", webChromium)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		html, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		reporttest.CheckPage(t, string(html), plan, ledger)
		b, err := os.ReadFile(pdf)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
		}
		boxes := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindAllSubmatch(b, -1)
		pages := len(regexp.MustCompile(`/Type /Page\b`).FindAll(b, -1))
		if len(boxes) == 0 || len(boxes) != pages {
			t.Fatalf("%d MediaBoxes for %d pages", len(boxes), pages)
		}
		for i, m := range boxes {
			w, _ := strconv.ParseFloat(string(m[1]), 64)
			h, _ := strconv.ParseFloat(string(m[2]), 64)
			if math.Round(w) != 595 || math.Round(h) != 842 {
				t.Errorf("page %d is %g × %g pt, want A4 595 × 842", i+1, w, h)
			}
		}
		out, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext (Debian poppler-utils; scripts/deps.sh installs it): %v", err)
		}
		// Lines break where the page wraps them: compare without white space.
		text := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{"小微企业园规划报告", "用地指标台账", "规则核查", "求解证明", "周巷镇", "观海卫镇", "停止原因"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF's text lacks %q", want)
			}
		}
		for _, p := range plan.Parks {
			if !strings.Contains(text, p.ParcelID) {
				t.Errorf("the PDF's text lacks park %s", p.ParcelID)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		tests := []struct {
			name string
			args []string
			code int
			want string
		}{
			{"no Chromium", []string{"--scenario", id, "--pdf", filepath.Join(t.TempDir(), "x.pdf"), "--chromium", "/nonexistent/chromium"}, 2, "apt-get install chromium"},
			{"no scenario", []string{"--pdf", "x.pdf"}, 2, "--scenario"},
			{"unknown scenario", []string{"--scenario", "no-such-plan"}, 1, `no scenario with id "no-such-plan"`},
			{"no plan yet", []string{"--scenario", queued.ID}, 2, "has no plan yet (status queued): run it first"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				code, _, stderr := runCLI(append([]string{"report", "--db", dbURL}, tc.args...)...)
				if code != tc.code || !strings.Contains(stderr, tc.want) {
					t.Errorf("exit %d, stderr %q; want exit %d naming %q", code, stderr, tc.code, tc.want)
				}
			})
		}
	})

	// Last: a re-import makes the plan stale.
	t.Run("stale", func(t *testing.T) {
		dir := t.TempDir()
		if err := dataset.WriteDir(ds, dir); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(ctx, dir, data.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		resp, body := get(t, "/scenarios/"+id+"/report", reviewer)
		if resp.status != http.StatusOK {
			t.Fatalf("status %d: %s", resp.status, body)
		}
		if !strings.Contains(body, `id="stale"`) || !strings.Contains(body, "方案已过期") {
			t.Error("a plan on an older dataset revision has no stale notice")
		}
		code, _, stderr := runCLI("report", "--db", dbURL, "--scenario", id, "--html", filepath.Join(dir, "r.html"))
		if code != 0 || !strings.Contains(stderr, "stale") {
			t.Errorf("exit %d, stderr %q; want the stale notice", code, stderr)
		}
	})
}
