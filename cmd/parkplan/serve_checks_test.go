package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"

	"github.com/parkplan/parkplan/api"
	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
)

// testChecksAPI serves POST /checks on a real database (TestCheck's) and
// checks roles, body kinds, formats and errors.
func testChecksAPI(t *testing.T, dbURL string) {
	ctx := context.Background()
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tokens := data.NewTokenStore(db.SQL())
	reviewer, _, err := tokens.CreateToken(ctx, planner.RoleReviewer, "bureau")
	if err != nil {
		t.Fatal(err)
	}
	public, _, err := tokens.CreateToken(ctx, planner.RolePublic, "anyone")
	if err != nil {
		t.Fatal(err)
	}
	cfg := api.DefaultConfig()
	cfg.AccessLog = false
	srv, err := api.New(cfg, api.Deps{Features: data.NewFeatureStore(db.SQL()), Auth: api.NewTokenAuth(tokens, time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	// Checks that solve run as jobs: one worker in this process.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	checker, chart := newCheckDeps(db, log)
	jcfg := jobs.DefaultConfig()
	jcfg.PollInterval = 50 * time.Millisecond
	jcfg.Queue, jcfg.RetryAfter = 2, 9*time.Second // for "checks that solve are jobs" below
	runner, stopJobs, err := startRunner(ctx, db, jcfg, checkFunc(checker, chart), log)
	if err != nil {
		t.Fatal(err)
	}
	defer stopJobs()
	srv.RegisterChecks(checker, chart, runner)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	farmland := fcOf(parcelFeature(`"id":"N-2","town":"zhouxiang","kind":"old_factory"`, ringFarmland))
	post := func(t *testing.T, token, query, contentType, body string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/checks"+query, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	const geoJSON, jsonType = "application/geo+json", "application/json"

	tests := []struct {
		name, token, query, ctype, body string
		status                          int
		check                           func(t *testing.T, resp *http.Response, body []byte)
	}{
		{name: "anonymous", query: "", ctype: geoJSON, body: farmland, status: http.StatusUnauthorized},
		{name: "public role", token: public, ctype: geoJSON, body: farmland, status: http.StatusForbidden},
		{name: "parcels on farmland: JSON report", token: reviewer, ctype: geoJSON, body: farmland, status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if resp.Header.Get("Parkplan-Check") != "violations" {
					t.Errorf("Parkplan-Check %q", resp.Header.Get("Parkplan-Check"))
				}
				var r compliance.Report
				if err := json.Unmarshal(body, &r); err != nil {
					t.Fatal(err)
				}
				if n := r.CountByKind(); n[compliance.ViolationFarmland] != 1 || math.Abs(r.Parcels[0].FarmlandMu-r.Parcels[0].AreaMu) > 1e-3 {
					t.Errorf("violations %v, parcel %+v", n, r.Parcels[0])
				}
			}},
		{name: "geojson", token: reviewer, query: "?format=geojson", ctype: geoJSON, body: farmland, status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				fc, err := geojson.UnmarshalFeatureCollection(body)
				if err != nil {
					t.Fatal(err)
				}
				if len(fc.Features) != 2 || fc.Features[0].Geometry == nil {
					t.Errorf("features %d", len(fc.Features))
				}
			}},
		{name: "xlsx", token: reviewer, query: "?format=xlsx", ctype: geoJSON, body: farmland, status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				f, err := excelize.OpenReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				rows, err := f.GetRows("violations")
				if err != nil || len(rows) != 3 || rows[1][2] != "N-2" || rows[1][5] != "周巷镇" {
					t.Errorf("violations sheet %q (%v)", rows, err)
				}
			}},
		{name: "csv violations", token: reviewer, query: "?format=csv&table=violations", ctype: geoJSON, body: farmland, status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
				if err != nil || len(recs) != 3 || recs[0][0] != "kind" {
					t.Errorf("csv %q (%v)", recs, err)
				}
			}},
		{name: "png", token: reviewer, query: "?format=png", ctype: geoJSON, body: farmland, status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if _, err := png.Decode(bytes.NewReader(body)); err != nil || resp.Header.Get("Content-Type") != "image/png" {
					t.Errorf("png: %v, %s", err, resp.Header.Get("Content-Type"))
				}
			}},
		{name: "tolerance makes the overlap a sliver", token: reviewer, query: "?tolerance_mu=1000", ctype: geoJSON, body: farmland, status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if resp.Header.Get("Parkplan-Check") != "clean" {
					t.Errorf("Parkplan-Check %q: %s", resp.Header.Get("Parkplan-Check"), body)
				}
			}},
		{name: "scenario document", token: reviewer, ctype: jsonType,
			body:   `{"name":"api-doc","first_year":2019,"last_year":2020,"target_parks":2,"target_year":2020,"every_town":false}`,
			status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				var r compliance.Report
				if err := json.Unmarshal(body, &r); err != nil {
					t.Fatal(err)
				}
				if r.Scenario != "api-doc" || (r.PlanStatus != "optimal" && r.PlanStatus != "feasible") || !r.Clean {
					t.Errorf("report: scenario %q status %q clean %v violations %+v", r.Scenario, r.PlanStatus, r.Clean, r.Violations)
				}
			}},
		{name: "kept when asked", token: reviewer, query: "?save=true&format=geojson", ctype: geoJSON, body: farmland, status: http.StatusOK,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				id := resp.Header.Get("Parkplan-Check-Id")
				var n int
				if err := db.SQL().QueryRow(`select count(*) from quota_check_violation where check_id = $1::bigint`, id).Scan(&n); err != nil || n != 2 {
					t.Errorf("check %q: %d violations stored (%v), want 2", id, n, err)
				}
			}},
		{name: "unknown saved scenario", token: reviewer, ctype: jsonType, body: `{"scenario":"nope"}`, status: http.StatusNotFound},
		{name: "proposals on an unknown saved plan", token: reviewer, query: "?scenario=nope", ctype: geoJSON, body: farmland, status: http.StatusNotFound},
		{name: "scenario query without parcels", token: reviewer, query: "?scenario=nope", ctype: jsonType, body: `{"scenario":"nope"}`, status: http.StatusBadRequest},
		{name: "unknown town", token: reviewer, ctype: geoJSON, status: http.StatusUnprocessableEntity,
			body: fcOf(parcelFeature(`"id":"N-8","town":"atlantis","kind":"new_land"`, ringClean)),
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !strings.Contains(string(body), `unknown town \"atlantis\"`) || resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("problem %s", body)
				}
			}},
		{name: "bad format", token: reviewer, query: "?format=pdf", ctype: geoJSON, body: farmland, status: http.StatusBadRequest},
		{name: "empty body", token: reviewer, ctype: jsonType, body: "", status: http.StatusBadRequest},
	}
	t.Run("GET /api lists POST /checks", func(t *testing.T) {
		resp, err := http.Get(ts.URL + "/api")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var doc struct {
			Paths map[string]map[string]any `json:"paths"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if _, ok := doc.Paths["/checks"]["post"]; !ok {
			t.Errorf("/api has no POST /checks")
		}
	})
	t.Run("checks that solve are jobs (issue 10, finding 6)", func(t *testing.T) {
		// Six reviewers ask for marginal values at once: one worker, two
		// waiting places. Some are refused with 429 and Retry-After, the
		// others answer 200 in turn, and never more than one solves at once.
		const n = 6
		doc := `{"name":"marginal-load","first_year":2019,"last_year":2020,"target_parks":2,"target_year":2020,"every_town":false}`
		type answer struct {
			status     int
			retryAfter string
		}
		answers := make(chan answer, n)
		stop := make(chan struct{})
		maxRunning := make(chan int, 1)
		go func() {
			most := 0
			for {
				select {
				case <-stop:
					maxRunning <- most
					return
				case <-time.After(20 * time.Millisecond):
				}
				var r int
				// A job's worker holds its liveness lock exactly while it works
				// it (jobs/liveness.go: class 0x70706a62); River's own "running"
				// state outlives the work by its batched completion.
				if err := db.SQL().QueryRow(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
AND classid = 1886415458 AND objsubid = 2 AND objid::bigint BETWEEN 1 AND 2147483647`).Scan(&r); err == nil {
					most = max(most, r)
				}
			}
		}()
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, _ := post(t, reviewer, "?marginal=true&max_solves=10", jsonType, doc)
				answers <- answer{resp.StatusCode, resp.Header.Get("Retry-After")}
			}()
		}
		wg.Wait()
		close(stop)
		close(answers)
		ok, refused := 0, 0
		for a := range answers {
			switch {
			case a.status == http.StatusOK:
				ok++
			case a.status == http.StatusTooManyRequests && a.retryAfter == "9":
				refused++
			default:
				t.Errorf("answer %d (Retry-After %q); want 200, or 429 with Retry-After 9", a.status, a.retryAfter)
			}
		}
		if refused == 0 || ok == 0 {
			t.Errorf("%d answered, %d refused; want both", ok, refused)
		}
		if most := <-maxRunning; most > 1 {
			t.Errorf("%d checks solved at once on one worker", most)
		}
		var jobsDone int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'parkplan_check' AND state = 'completed'`).Scan(&jobsDone); err != nil || jobsDone < ok {
			t.Errorf("%d check jobs completed (%v) for %d answers", jobsDone, err, ok)
		}
	})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := post(t, tc.token, tc.query, tc.ctype, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if tc.check != nil {
				tc.check(t, resp, body)
			}
		})
	}
}
