package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
)

// checkTestDB creates a throwaway database (parkplan_test_check_<random>),
// migrates it, imports ds, and drops it when the test ends. It returns the URL.
func checkTestDB(t *testing.T, ds *planner.Dataset) string {
	t.Helper()
	dbURL := postgisTestDB(t, "check")
	storeTestDataset(t, dbURL, ds)
	return dbURL
}

// checkDataset is datasettest.Small plus P-06, a clean new-land parcel in
// zhouxiang of about 64 mu (more than its 2019 quota of 50 mu).
func checkDataset() *planner.Dataset {
	ds := datasettest.Small()
	g := orb.MultiPolygon{{{{121.15, 30.2}, {121.152, 30.2}, {121.152, 30.202}, {121.15, 30.202}, {121.15, 30.2}}}}
	ds.Parcels = append(ds.Parcels, planner.Parcel{ID: "P-06", Town: "zhouxiang", Kind: planner.KindNewLand, AreaMu: geo.AreaMu(g),
		FAR: 2, CostWan: 500, Geometry: g})
	return ds
}

// runCheckCLI runs `parkplan check args…` and returns the exit code and output.
func runCheckCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"check"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func parcelFeature(props, ring string) string {
	return `{"type":"Feature","properties":{` + props + `},"geometry":{"type":"Polygon","coordinates":[` + ring + `]}}`
}

func fcOf(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func readReport(t *testing.T, path string) compliance.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r compliance.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Rings of the parcel tests (lon/lat): inside zhouxiang's development
// boundary DB-1 (x ≤ 121.203) and clear of farmland; one on farmland FL-1.
const (
	ringClean    = `[[121.16,30.16],[121.161,30.16],[121.161,30.161],[121.16,30.161],[121.16,30.16]]`
	ringFarmland = `[[121.208,30.195],[121.21,30.195],[121.21,30.197],[121.208,30.197],[121.208,30.195]]`
	ringBowtie   = `[[121.16,30.16],[121.161,30.161],[121.161,30.16],[121.16,30.161],[121.16,30.16]]`
	ringUnclosed = `[[121.16,30.16],[121.161,30.16],[121.161,30.161],[121.16,30.161]]`
	ringMetres   = `[[619000,3342000],[619100,3342000],[619100,3342100],[619000,3342100],[619000,3342000]]`
)

// TestCheck runs the check's CLI and API tests on one imported copy of
// checkDataset (a database costs seconds to create); none of them changes
// what another reads.
func TestCheck(t *testing.T) {
	dbURL := checkTestDB(t, checkDataset())
	t.Run("parcels", func(t *testing.T) { testCheckParcelsCLI(t, dbURL) })
	t.Run("scenario files", func(t *testing.T) { testCheckScenarioCLI(t, dbURL) })
	t.Run("quota increase and marginal value", func(t *testing.T) { testCheckQuotaIncreaseCLI(t, dbURL) })
	t.Run("saved scenario", func(t *testing.T) { testCheckSavedScenarioCLI(t, dbURL) })
	t.Run("API", func(t *testing.T) { testChecksAPI(t, dbURL) })
}

func testCheckParcelsCLI(t *testing.T, dbURL string) {
	dir := t.TempDir()
	cleanArea := geo.AreaMu(orb.MultiPolygon{{{{121.16, 30.16}, {121.161, 30.16}, {121.161, 30.161}, {121.16, 30.161}, {121.16, 30.16}}}})
	tests := []struct {
		name     string
		body     string
		code     int
		stderr   string // for exit 2
		kinds    map[compliance.ViolationKind]int
		checkOut func(t *testing.T, r compliance.Report)
	}{
		{name: "clean proposal", code: 0,
			body:  fcOf(parcelFeature(`"id":"N-1","town":"zhouxiang","kind":"new_land","open_year":2019`, ringClean)),
			kinds: map[compliance.ViolationKind]int{},
			checkOut: func(t *testing.T, r compliance.Report) {
				var row *compliance.LedgerRow
				for i := range r.Ledger.Rows {
					if x := &r.Ledger.Rows[i]; x.Town == "zhouxiang" && x.Year == 2019 {
						row = x
					}
				}
				if row == nil || math.Abs(row.NewLandUsedMu-cleanArea) > 1e-9 || math.Abs(row.RemainingMu-(50-cleanArea)) > 1e-9 {
					t.Errorf("zhouxiang 2019: %+v, want %.3f mu used of 50", row, cleanArea)
				}
			}},
		{name: "on farmland, outside the boundary", code: 1,
			body:  fcOf(parcelFeature(`"id":"N-2","town":"zhouxiang","kind":"old_factory"`, ringFarmland)),
			kinds: map[compliance.ViolationKind]int{compliance.ViolationFarmland: 1, compliance.ViolationOutsideBoundary: 1},
			checkOut: func(t *testing.T, r compliance.Report) {
				// The parcel lies wholly in FL-1 and wholly outside DB-1: both overlaps are its area.
				c := r.Parcels[0]
				if math.Abs(c.FarmlandMu-c.AreaMu) > 1e-3 || math.Abs(c.OutsideBoundaryMu-c.AreaMu) > 1e-3 || c.AreaMu < 1 {
					t.Errorf("check %+v", c)
				}
			}},
		{name: "over the 2020 quota", code: 1,
			body: fcOf(parcelFeature(`"id":"N-3","town":"zhouxiang","kind":"new_land","open_year":2020`, ringClean),
				parcelFeature(`"id":"N-4","town":"zhouxiang","kind":"new_land","open_year":2020`,
					`[[121.17,30.16],[121.172,30.16],[121.172,30.162],[121.17,30.162],[121.17,30.16]]`)),
			kinds: map[compliance.ViolationKind]int{compliance.ViolationOverQuota: 1},
			checkOut: func(t *testing.T, r compliance.Report) {
				v := r.Violations[0]
				if v.Kind != compliance.ViolationOverQuota || v.Town != "zhouxiang" || v.Year != 2020 || len(v.Parks) != 2 {
					t.Errorf("violation %+v", v)
				}
				used := r.Parcels[0].AreaMu + r.Parcels[1].AreaMu
				if math.Abs(v.AreaMu-(used-45.5)) > 1e-3 {
					t.Errorf("over by %.4f mu, want %.4f", v.AreaMu, used-45.5)
				}
			}},
		{name: "invalid ring (bowtie): PostGIS says why", code: 2,
			body:   fcOf(parcelFeature(`"id":"N-5","town":"zhouxiang","kind":"new_land"`, ringBowtie)),
			stderr: "invalid geometry",
			checkOut: func(t *testing.T, r compliance.Report) {
				if r.Parcels[0].Valid || !strings.Contains(r.Parcels[0].InvalidReason, "Self-intersection") {
					t.Errorf("check %+v", r.Parcels[0])
				}
			}},
		{name: "unclosed ring", code: 2, body: fcOf(parcelFeature(`"id":"N-6","town":"zhouxiang","kind":"new_land"`, ringUnclosed)),
			stderr: "feature 0 (id N-6): geometry: polygon 0 ring 0 is not closed"},
		{name: "projected coordinates, no CRS", code: 2, body: fcOf(parcelFeature(`"id":"N-7","town":"zhouxiang","kind":"new_land"`, ringMetres)),
			stderr: "projected coordinates need a declared CRS"},
		{name: "unknown town", code: 2, body: fcOf(parcelFeature(`"id":"N-8","town":"atlantis","kind":"new_land"`, ringClean)),
			stderr: `properties.town: unknown town "atlantis"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			file := writeFile(t, dir, "up.geojson", tc.body)
			code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--parcels", file, "--out", out)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if tc.stderr != "" && !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.stderr)
			}
			if _, err := os.Stat(filepath.Join(out, "report.json")); err != nil {
				if tc.checkOut != nil {
					t.Fatalf("no report: %v", err)
				}
				return
			}
			r := readReport(t, filepath.Join(out, "report.json"))
			if tc.kinds != nil {
				got := r.CountByKind()
				if len(got) != len(tc.kinds) {
					t.Errorf("violations %v, want %v", got, tc.kinds)
				}
				for k, n := range tc.kinds {
					if got[k] != n {
						t.Errorf("%s: %d, want %d", k, got[k], n)
					}
				}
			}
			if tc.checkOut != nil {
				tc.checkOut(t, r)
			}
		})
	}
	t.Run("nothing stored", func(t *testing.T) {
		db, err := sql.Open("postgres", dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`select count(*) from parcel where id like 'N-%'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d proposed parcels stored (%v)", n, err)
		}
	})
}

func testCheckScenarioCLI(t *testing.T, dbURL string) {
	dir := t.TempDir()
	ds := checkDataset()
	area := map[string]float64{}
	for _, p := range ds.Parcels {
		area[p.ID] = p.AreaMu
	}
	base := `name: %s
first_year: 2019
last_year: 2020
target_parks: 2
target_year: 2020
every_town: false
time_limit: 20s
`
	tests := []struct {
		name, extra string
		code        int
		check       func(t *testing.T, r compliance.Report)
	}{
		{"clean", "", 0, func(t *testing.T, r compliance.Report) {
			if r.PlanStatus != "optimal" && r.PlanStatus != "feasible" {
				t.Errorf("plan status %q", r.PlanStatus)
			}
			if len(r.Ledger.Notes) != 0 {
				t.Errorf("ledger disagrees with the plan: %q", r.Ledger.Notes)
			}
		}},
		{"quota broken: P-06 forced in with extra quota", "lock_in: [P-06]\nquota_extra: {zhouxiang/2019: 20}\n", 1, func(t *testing.T, r compliance.Report) {
			n := r.CountByKind()
			if n[compliance.ViolationBeyondOfficial] != 1 || len(r.Violations) != 1 {
				t.Fatalf("violations %+v", r.Violations)
			}
			v := r.Violations[0]
			if v.Town != "zhouxiang" || v.Year != 2019 || math.Abs(v.AreaMu-(area["P-06"]-50)) > 1e-3 || len(v.Parks) != 1 || v.Parks[0] != "P-06" {
				t.Errorf("violation %+v, want zhouxiang 2019 beyond official by %.3f mu (P-06)", v, area["P-06"]-50)
			}
		}},
		{"park on farmland: P-05 locked in", "lock_in: [P-05]\nquota_extra: {zhouxiang/2019: 600}\n", 1, func(t *testing.T, r compliance.Report) {
			// P-05 = [121.2,121.206]×[30.2,30.206]; FL-1 = [121.204,121.22]×[30.19,30.203]; DB-1 ends at 121.203.
			farm := rectMu(121.204, 30.2, 121.206, 30.203)
			outside := rectMu(121.203, 30.2, 121.206, 30.206)
			var gotFarm, gotOut float64
			for _, v := range r.Violations {
				switch {
				case v.Kind == compliance.ViolationFarmland && v.ParcelID == "P-05":
					gotFarm = v.AreaMu
				case v.Kind == compliance.ViolationOutsideBoundary && v.ParcelID == "P-05":
					gotOut = v.AreaMu
				}
			}
			if math.Abs(gotFarm-farm) > 1e-3 || math.Abs(gotOut-outside) > 1e-3 {
				t.Errorf("farmland %.4f (want %.4f), outside %.4f (want %.4f)", gotFarm, farm, gotOut, outside)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.ReplaceAll(tc.name, " ", "-")
			name = strings.NewReplacer(":", "", ",", "").Replace(name)
			file := writeFile(t, dir, name+".yaml", strings.Replace(base, "%s", name, 1)+tc.extra)
			out := filepath.Join(dir, name)
			code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", file, "--out", out)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			r := readReport(t, filepath.Join(out, "report.json"))
			tc.check(t, r)
			checkXLSXMatches(t, filepath.Join(out, "check.xlsx"), r)
		})
	}
}

// checkXLSXMatches opens the workbook and compares its ledger sheet with the report.
func checkXLSXMatches(t *testing.T, path string, r compliance.Report) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("ledger")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(r.Ledger.Rows) {
		t.Fatalf("ledger sheet %d rows, report %d", len(rows), len(r.Ledger.Rows))
	}
	for i, l := range r.Ledger.Rows {
		if rows[i+1][1] != l.NameZh {
			t.Errorf("row %d name %q, want %q", i, rows[i+1][1], l.NameZh)
		}
		got, err := parseCell(rows[i+1][8])
		if err != nil || math.Abs(got-l.NewLandUsedMu) > 1e-9 {
			t.Errorf("row %d new land %q, want %v", i, rows[i+1][8], l.NewLandUsedMu)
		}
	}
}

func parseCell(s string) (float64, error) {
	var v float64
	err := json.Unmarshal([]byte(s), &v)
	return v, err
}

// rectMu is the area in mu of a lon/lat rectangle on the CGCS2000
// ellipsoid (authalic-latitude formula): the oracle for PostGIS areas.
func rectMu(lon1, lat1, lon2, lat2 float64) float64 {
	const a, f = 6378137.0, 1 / 298.257222101
	e2 := f * (2 - f)
	e := math.Sqrt(e2)
	b2 := a * a * (1 - e2)
	zone := func(lat float64) float64 {
		s := math.Sin(lat * math.Pi / 180)
		return b2 / 2 * (s/(1-e2*s*s) + 1/(2*e)*math.Log((1+e*s)/(1-e*s)))
	}
	return (lon2 - lon1) * math.Pi / 180 * (zone(lat2) - zone(lat1)) / planner.MuM2
}

// testCheckQuotaIncreaseCLI: 5 parks by 2020 need P-06 (≈ 64 mu of new
// land in zhouxiang, quota 50 mu in 2019 and 45.5 mu in 2020): infeasible,
// and the smallest increase is P-06's area − 50 mu in 2019.
func testCheckQuotaIncreaseCLI(t *testing.T, dbURL string) {
	dir := t.TempDir()
	var p06 float64
	for _, p := range checkDataset().Parcels {
		if p.ID == "P-06" {
			p06 = p.AreaMu
		}
	}
	file := writeFile(t, dir, "five.yaml", "name: five\nfirst_year: 2019\nlast_year: 2020\ntarget_parks: 5\ntarget_year: 2020\nevery_town: false\ntime_limit: 20s\n")
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", file, "--quota-increase", "--out", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	r := readReport(t, filepath.Join(out, "report.json"))
	q := r.QuotaIncrease
	if r.PlanStatus != "infeasible" || q == nil || !q.Feasible || len(q.Extras) != 1 {
		t.Fatalf("status %q, quota increase %+v\nstdout: %s", r.PlanStatus, q, stdout)
	}
	e := q.Extras[0]
	if e.Town != "zhouxiang" || e.Year != 2019 || e.ExtraMu < p06-50 || e.ExtraMu > p06-50+0.011 {
		t.Errorf("extra %+v, want zhouxiang 2019 +%.3f mu (to 0.01)", e, p06-50)
	}
	t.Logf("%s", stdout)

	t.Run("marginal value on the feasible target of 4", func(t *testing.T) {
		file := writeFile(t, dir, "four.yaml", "name: four\nfirst_year: 2019\nlast_year: 2020\ntarget_parks: 4\ntarget_year: 2020\nevery_town: false\ntime_limit: 20s\n")
		out := filepath.Join(dir, "four")
		code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", file, "--marginal", "--out", out)
		if code != 0 {
			t.Fatalf("exit %d, want 0\nstdout: %s\nstderr: %s", code, stdout, stderr)
		}
		r := readReport(t, filepath.Join(out, "report.json"))
		st := map[string]compliance.MarginalValue{}
		for _, m := range r.Marginal {
			st[compliance.QuotaKey(m.Town, m.Year)] = m
		}
		// guanhaiwei has no new-land candidate; zhouxiang's P-06 needs
		// P-06 − 50 mu more in 2019 and P-06 − 45.5 mu in 2020.
		for key, want := range map[string]struct {
			status string
			step   float64
		}{
			"guanhaiwei/2019": {"no_candidate", 0}, "guanhaiwei/2020": {"no_candidate", 0},
			"zhouxiang/2019": {"solved", p06 - 50}, "zhouxiang/2020": {"solved", p06 - 45.5},
		} {
			m := st[key]
			if m.Status != want.status || math.Abs(m.StepMu-want.step) > 0.0011 {
				t.Errorf("%s: %+v, want %s step %.3f", key, m, want.status, want.step)
			}
			if m.Status == "solved" && m.ObjectiveGain < -1e-6 && !m.WithinGap {
				t.Errorf("%s: extra quota lowered the optimum by %g", key, -m.ObjectiveGain)
			}
		}
		t.Logf("%s", stdout)
	})
}

// testCheckSavedScenarioCLI saves a solved plan with the scenario store and
// checks it by id: the park locked onto farmland is flagged the same as when
// the scenario file is checked, and an unknown id is bad input.
func testCheckSavedScenarioCLI(t *testing.T, dbURL string) {
	ctx := context.Background()
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sc, err := planner.LoadScenario(strings.NewReader("name: saved farmland\nfirst_year: 2019\nlast_year: 2020\ntarget_parks: 2\ntarget_year: 2020\nevery_town: false\nlock_in: [P-05]\nquota_extra: {zhouxiang/2019: 600}\n"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := newChecker(db, nil).Solve(ctx, mustLoad(t, db), sc)
	if err != nil {
		t.Fatal(err)
	}
	id, err := data.NewScenarioStore(db.SQL()).SavePlan(ctx, sc, plan)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "saved")
	code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", id, "--out", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	r := readReport(t, filepath.Join(out, "report.json"))
	want := rectMu(121.204, 30.2, 121.206, 30.203)
	found := false
	for _, v := range r.Violations {
		if v.Kind == compliance.ViolationFarmland && v.ParcelID == "P-05" {
			found = math.Abs(v.AreaMu-want) <= 1e-3
		}
	}
	if !found || r.Source != "scenario "+id || len(r.Ledger.Notes) != 0 {
		t.Errorf("source %q, violations %+v, notes %q; want P-05 on %.4f mu of farmland", r.Source, r.Violations, r.Ledger.Notes, want)
	}
	if code, _, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", "no-such-scenario"); code != 2 || !strings.Contains(stderr, "no-such-scenario") {
		t.Errorf("unknown id: exit %d, stderr %q", code, stderr)
	}

	t.Run("saved infeasible plan", func(t *testing.T) {
		sc, err := planner.LoadScenario(strings.NewReader("name: saved five\nfirst_year: 2019\nlast_year: 2020\ntarget_parks: 5\ntarget_year: 2020\nevery_town: false\n"))
		if err != nil {
			t.Fatal(err)
		}
		plan, err := newChecker(db, nil).Solve(ctx, mustLoad(t, db), sc)
		if !errors.Is(err, planner.ErrInfeasible) || plan == nil {
			t.Fatalf("want an infeasible plan, got %v (%v)", plan, err)
		}
		id, err := data.NewScenarioStore(db.SQL()).SavePlan(ctx, sc, plan)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "five")
		code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", id, "--quota-increase", "--out", out)
		if code != 1 {
			t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
		}
		r := readReport(t, filepath.Join(out, "report.json"))
		if r.PlanStatus != "infeasible" || r.Explanation == nil || r.QuotaIncrease == nil || !r.QuotaIncrease.Feasible || r.Clean {
			t.Errorf("report: status %q clean %v explanation %v quota increase %+v", r.PlanStatus, r.Clean, r.Explanation, r.QuotaIncrease)
		}
	})

	t.Run("proposals on the saved plan", func(t *testing.T) {
		dir := t.TempDir()
		file := writeFile(t, dir, "up.geojson", fcOf(parcelFeature(`"id":"N-1","town":"zhouxiang","kind":"new_land","open_year":2019`, ringClean)))
		out := filepath.Join(dir, "on-plan")
		code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", id, "--parcels", file, "--out", out)
		if code != 1 {
			t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
		}
		r := readReport(t, filepath.Join(out, "report.json"))
		var p05 float64
		for _, p := range plan.Parks {
			if p.ParcelID == "P-05" {
				p05 = p.AreaMu
			}
		}
		for _, row := range r.Ledger.Rows {
			if row.Town != "zhouxiang" || row.Year != 2019 {
				continue
			}
			// The plan's P-05 and the proposal N-1 share zhouxiang's official 2019 quota of 50 mu.
			want := p05 + r.Parcels[0].AreaMu
			if !slices.Equal(row.NewLandParks, []string{"N-1", "P-05"}) || math.Abs(row.NewLandUsedMu-want) > 1e-3 || math.Abs(row.OverMu-(want-50)) > 1e-3 {
				t.Errorf("zhouxiang 2019: %+v, want N-1 and P-05 using %.3f mu, over by %.3f", row, want, want-50)
			}
		}
		if len(r.Parcels) != 1 || !strings.Contains(r.Source, "on scenario "+id) {
			t.Errorf("spatial checks %d (want the proposal only), source %q", len(r.Parcels), r.Source)
		}
		dup := writeFile(t, dir, "dup.geojson", fcOf(parcelFeature(`"id":"P-05","town":"zhouxiang","kind":"new_land","open_year":2019`, ringClean)))
		if code, _, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", id, "--parcels", dup); code != 2 || !strings.Contains(stderr, "already a park of scenario") {
			t.Errorf("proposal reusing a park's id: exit %d, stderr %q", code, stderr)
		}
	})
}

func mustLoad(t *testing.T, db *data.DB) *planner.Dataset {
	t.Helper()
	ds, err := db.LoadDataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
