package main

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/engine"
)

// provinceTestNodes bounds each county solve of the province test (and
// each marginal re-solve): the view needs real plans, not optimal ones.
const provinceTestNodes = 200

// provinceTestMarginalSolves caps the re-solves that measure one county's
// marginal value of quota (compliance.MarginalValues).
const provinceTestMarginalSolves = 3

// saveTestProvince makes a provincial plan from real county plans on the
// dataset stored at dbURL: each county's plan is solved on its
// sub-dataset (Dataset.CountyDataset) with a node limit, saved as an
// ordinary published scenario; its marginal value of a mu in each year
// is the best gain per mu of a town's extra quota that year, measured by
// re-solving (compliance.MarginalValues). No coordinator moves the pool
// here (that is the province solver's work): each county is allocated
// its own quota, so the release value is 0 where its plan leaves quota
// unused and the marginal value where it uses it all. The record is saved
// through data.ProvinceStore as id.
func saveTestProvince(t *testing.T, ctx context.Context, dbURL, id string) *planner.ProvinceRecord {
	t.Helper()
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	solve, err := engine.SolverByName("parkplan-only")
	if err != nil {
		t.Fatal(err)
	}
	eng := &engine.Engine{Solver: solve, SolverName: "parkplan-only"}
	scs := data.NewScenarioStore(db.SQL())
	county := planner.Defaults()
	county.NodeLimit = provinceTestNodes
	// quotas halved, as in scenarios/tight-quota.yaml: quota binds, so a
	// mu has a value to colour the counties by
	county.QuotaScale, county.QuotaCarryOver = 0.5, false
	county.TimeLimit = planner.Duration{Duration: time.Minute}
	rec := &planner.ProvinceRecord{ID: id, DatasetRevision: ds.Revision, CreatedBy: "province-view-test",
		Scenario: planner.ProvinceScenario{Name: "demo province " + id, County: county}}
	res := &planner.ProvinceResult{Scenario: rec.Scenario.Name}
	pool := map[int]float64{}
	for _, code := range ds.CountyCodes() {
		cds, err := ds.CountyDataset(code)
		if err != nil {
			t.Fatal(err)
		}
		sc := county
		sc.Name = id + " " + code
		plan, err := eng.SolveDataset(ctx, cds, &sc, nil)
		if err != nil {
			t.Fatalf("county %s: %v", code, err)
		}
		sid, err := scs.SavePlan(ctx, &sc, plan)
		if err != nil {
			t.Fatal(err)
		}
		if err := scs.SetPublished(ctx, sid, true); err != nil {
			t.Fatal(err)
		}
		mv, err := compliance.MarginalValues(ctx, func(ctx context.Context, s *planner.Scenario) (*planner.Plan, error) {
			return eng.SolveDataset(ctx, cds, s, nil)
		}, cds, &sc, plan, compliance.MarginalOptions{MaxSolves: provinceTestMarginalSolves})
		if err != nil {
			t.Fatalf("county %s: marginal values: %v", code, err)
		}
		best := map[int]float64{}
		for _, m := range mv {
			best[m.Year] = math.Max(best[m.Year], m.GainPerMu)
		}
		request, used := map[int]float64{}, map[int]float64{}
		for _, ts := range plan.Towns {
			for y, q := range ts.QuotaMu {
				request[y] += q
				used[y] += ts.NewLandUsedMu[y]
			}
		}
		years := make([]int, 0, len(request))
		for y := range request {
			years = append(years, y)
		}
		sort.Ints(years)
		for _, y := range years {
			release := 0.0
			if request[y]-used[y] < 1 {
				release = best[y]
			}
			res.Allocation = append(res.Allocation, planner.CountyAllocation{County: code, Year: y, RequestMu: request[y],
				AllocatedMu: request[y], UsedMu: used[y], MarginalValue: best[y], ReleaseValue: release})
			pool[y] += request[y]
		}
		res.Counties = append(res.Counties, planner.CountyOutcome{County: code, ScenarioID: sid, Objective: plan.Solve.Objective,
			Bound: plan.Solve.Bound, Parks: plan.KPI.ParksTotal, FirmsHoused: plan.KPI.FirmsPlaced})
		res.Objective += plan.Solve.Objective
		res.Bound += plan.Solve.Bound
	}
	res.Gap = (res.Bound - res.Objective) / math.Max(1, math.Abs(res.Bound))
	for y, mu := range pool {
		rec.Scenario.Pool = append(rec.Scenario.Pool, planner.PoolYear{Year: y, NewLandMu: mu})
	}
	sort.Slice(rec.Scenario.Pool, func(i, j int) bool { return rec.Scenario.Pool[i].Year < rec.Scenario.Pool[j].Year })
	rec.Result = res
	if err := data.NewProvinceStore(db.SQL()).SaveProvince(ctx, rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestProvinceView: a demo province of three counties, each county's plan
// solved and saved, the provincial plan saved through the store; the API
// lists it and serves its allocation per county; the map page's province
// view colours the counties by marginal value, and a click on a county
// opens its plan.
func TestProvinceView(t *testing.T) {
	if _, err := os.Stat(webChromium); err != nil {
		t.Fatalf("chromium is needed at %s (Debian package chromium; scripts/deps.sh installs it): %v", webChromium, err)
	}
	const id = "zj-test"
	dbURL := postgisTestDB(t, "province")
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	webRunCLI(t, ctx, "demo", "--out", dir, "--counties", "3")
	// token create applies the migrations to the fresh database first.
	tok := strings.TrimSpace(webRunCLI(t, ctx, "token", "create", "--db", dbURL, "--role", "reviewer", "--name", "province-view-test"))
	webRunCLI(t, ctx, "import", "--db", dbURL, dir)
	rec := saveTestProvince(t, ctx, dbURL, id)
	env := &webEnv{token: tok, dbURL: dbURL, data: dir}
	env.url = startWebServe(t, ctx, cancel, dbURL)

	marginal := map[string]float64{} // county → mean marginal value over the years
	plans := map[string]string{}
	for _, c := range rec.Result.Counties {
		plans[c.County] = c.ScenarioID
		var sum float64
		var n int
		for _, a := range rec.Result.Allocation {
			if a.County == c.County {
				sum += a.MarginalValue
				n++
			}
		}
		marginal[c.County] = sum / float64(n)
	}
	t.Logf("marginal value of a mu, mean over the years: %v", marginal)

	t.Run("API", func(t *testing.T) {
		var list struct {
			Provinces []struct {
				ID        string
				Solved    bool
				Counties  int
				Objective float64
			}
		}
		env.getJSON(t, "/provinces", &list)
		if len(list.Provinces) != 1 || list.Provinces[0].ID != id || !list.Provinces[0].Solved || list.Provinces[0].Counties != 3 ||
			list.Provinces[0].Objective != rec.Result.Objective {
			t.Errorf("GET /provinces: %+v", list)
		}
		var doc struct {
			ID     string
			Result planner.ProvinceResult
			Links  []struct{ Href, Rel string }
		}
		env.getJSON(t, "/provinces/"+id, &doc)
		if doc.ID != id || len(doc.Result.Allocation) != len(rec.Result.Allocation) {
			t.Errorf("GET /provinces/%s: %+v", id, doc)
		}
		items := 0
		for _, l := range doc.Links {
			if l.Rel == "item" && strings.Contains(l.Href, "/scenarios/") {
				items++
			}
		}
		if items != 3 {
			t.Errorf("links to the county plans: %d, want 3 (%+v)", items, doc.Links)
		}
		var fc struct {
			Features []struct {
				ID         string
				Properties map[string]any
			}
		}
		env.getJSON(t, "/collections/"+url.PathEscape("province-"+id+".allocation")+"/items", &fc)
		if len(fc.Features) != 3 {
			t.Fatalf("allocation collection: %d features, want 3", len(fc.Features))
		}
		for _, f := range fc.Features {
			if f.Properties["scenario_id"] != plans[f.ID] || math.Abs(f.Properties["marginal_value"].(float64)-marginal[f.ID]) > 1e-9 {
				t.Errorf("county %s: %v", f.ID, f.Properties)
			}
			for _, a := range rec.Result.Allocation {
				if a.County == f.ID && f.Properties[fmt.Sprintf("allocated_mu_%d", a.Year)] != a.AllocatedMu {
					t.Errorf("county %s allocated_mu_%d = %v, want %v", f.ID, a.Year, f.Properties[fmt.Sprintf("allocated_mu_%d", a.Year)], a.AllocatedMu)
				}
			}
		}
		var counties struct {
			Features []struct {
				ID         string
				Properties map[string]any
			}
		}
		env.getJSON(t, "/collections/counties/items", &counties)
		if len(counties.Features) != 3 || counties.Features[1].ID != "c02" || counties.Features[1].Properties["prefecture"] != "示范市1" ||
			counties.Features[1].Properties["towns"] != 19.0 || counties.Features[1].Properties["implied"] != false {
			t.Errorf("counties collection: %+v", counties.Features)
		}
		res, err := http.Get(env.url + "/provinces/nowhere")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /provinces/nowhere: %d, want 404", res.StatusCode)
		}
	})

	t.Run("a county plan exports with its county", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "c02.gpkg")
		if code, o, e := runCLI("export", "--scenario", plans["c02"], "--format", "gpkg", "--out", out, "--db", dbURL); code != 0 {
			t.Fatalf("export: %d\n%s%s", code, o, e)
		}
		layers, err := ogr.Inspect(ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, l := range layers {
			if l.Name == "counties" {
				found = true
				if l.Count != 1 || !strings.Contains(strings.Join(l.Columns(), " "), "prefecture") {
					t.Errorf("counties layer: %d features, columns %v; want county c02 with its prefecture", l.Count, l.Columns())
				}
			}
		}
		if !found {
			t.Errorf("the GeoPackage of county c02's plan has no counties layer: %+v", layers)
		}
	})

	br := newWebBrowser(t)
	page := env.url + "/?province=" + url.QueryEscape(id)
	if err := chromedp.Do(br.ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(page)); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	br.waitJS(t, `window.parkplan && window.parkplan.ready()`, 60*time.Second)

	var view struct {
		ID       string
		Lo, Hi   float64
		Counties map[string]struct {
			Colour   string
			Marginal float64
			Scenario string
		}
	}
	t.Run("counties coloured by marginal value", func(t *testing.T) {
		br.eval(t, `window.parkplan.province()`, &view)
		if view.ID != id || len(view.Counties) != 3 {
			t.Fatalf("province view %+v", view)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for code, c := range view.Counties {
			if math.Abs(c.Marginal-marginal[code]) > 1e-9 || c.Scenario != plans[code] || !strings.HasPrefix(c.Colour, "rgb(") {
				t.Errorf("county %s drawn as %+v; the plan's marginal value %g, plan %s", code, c, marginal[code], plans[code])
			}
			lo, hi = math.Min(lo, marginal[code]), math.Max(hi, marginal[code])
		}
		// the ramp: the county where a mu is worth most is drawn in the
		// darkest colour, the one where it is worth least in the palest
		for code, c := range view.Counties {
			switch {
			case hi > lo && marginal[code] == hi && c.Colour != "rgb(128, 0, 38)":
				t.Errorf("county %s has the highest marginal value but colour %s", code, c.Colour)
			case hi > lo && marginal[code] == lo && c.Colour != "rgb(255, 255, 204)":
				t.Errorf("county %s has the lowest marginal value but colour %s", code, c.Colour)
			}
		}
		if hi == lo {
			t.Logf("the three counties' marginal values are equal (%g): the ramp shows one colour", lo)
		}
		var legend string
		br.eval(t, `document.getElementById('legend').textContent`, &legend)
		if !strings.Contains(legend, "marginal value of a mu") {
			t.Errorf("legend %q lacks the province ramp", legend)
		}
		br.screenshot(t, "province-view.png")
	})

	t.Run("a click on a county opens its plan", func(t *testing.T) {
		code := "c02"
		var px []float64
		br.eval(t, `window.parkplan.fit()`, nil)
		br.eval(t, `window.parkplan.rendered()`, nil)
		br.eval(t, fmt.Sprintf(`window.parkplan.pixelOf('province', %q)`, code), &px)
		if len(px) != 2 {
			t.Fatalf("no pixel for county %s", code)
		}
		if err := chromedp.Do(br.ctx, chromedp.MouseClickXY(px[0], px[1])); err != nil {
			t.Fatal(err)
		}
		// openCounty ends by showing the county's details, once its plan is drawn
		br.waitJS(t, fmt.Sprintf(`window.parkplan.selected().a === %q && document.getElementById('details').textContent.includes('示范县02')`, plans[code]), 30*time.Second)
		parks := env.layerIDs(t, plans[code], "parks", "parcel_id")
		var drawn []string
		br.eval(t, `window.parkplan.parkIds()`, &drawn)
		sort.Strings(parks)
		sort.Strings(drawn)
		if strings.Join(parks, " ") != strings.Join(drawn, " ") {
			t.Errorf("the map draws parks %v; county %s's plan %s has %v", drawn, code, plans[code], parks)
		}
		for _, p := range drawn {
			if !strings.HasPrefix(p, code+"-") {
				t.Errorf("park %s drawn is not in county %s", p, code)
			}
		}
		var details string
		br.eval(t, `document.getElementById('details').textContent`, &details)
		if !strings.Contains(details, "示范县02") || !strings.Contains(details, plans[code]) {
			t.Errorf("details after the click: %q", details)
		}
		if errs := br.errors(); len(errs) > 0 {
			t.Errorf("browser errors: %v", errs)
		}
	})
}
