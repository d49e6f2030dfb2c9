package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScenarioServiceEndpoints covers every scenario route with each role
// and error path: create (JSON and YAML), validation with field paths,
// body limits, SSE, status, layers, publish, compare and diff, re-run,
// delete.
func TestScenarioServiceEndpoints(t *testing.T) {
	dbURL := svcDB(t)
	planner, reviewer, public := svcToken(t, dbURL, "planner"), svcToken(t, dbURL, "reviewer"), svcToken(t, dbURL, "public")
	s := svcServe(t, dbURL, map[string]string{"PARKPLAN_JOB_WORKERS": "2", "PARKPLAN_JOB_QUEUE": "8"})

	t.Run("access", func(t *testing.T) {
		doc := []byte(fmtScenario(quickScenario, "denied"))
		for _, tc := range []struct {
			name, method, path, token, header string
			want                              int
		}{
			{"create without token", "POST", "/scenarios", "", "", http.StatusUnauthorized},
			{"create as reviewer", "POST", "/scenarios", reviewer, "", http.StatusForbidden},
			{"create as public", "POST", "/scenarios", public, "", http.StatusForbidden},
			{"create with unknown token", "POST", "/scenarios", "pp_0123456789abcdef_nope", "", http.StatusUnauthorized},
			{"list with unknown token", "GET", "/scenarios", "pp_0123456789abcdef_nope", "", http.StatusUnauthorized},
			{"list with a malformed header", "GET", "/scenarios", "", "Basic abc", http.StatusUnauthorized},
			{"run as reviewer", "POST", "/scenarios/x/run", reviewer, "", http.StatusForbidden},
			{"cancel as public", "POST", "/scenarios/x/cancel", public, "", http.StatusForbidden},
			{"delete without token", "DELETE", "/scenarios/x", "", "", http.StatusUnauthorized},
			{"publish as reviewer", "POST", "/scenarios/x/publish", reviewer, "", http.StatusForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(tc.method, s.url+tc.path, strings.NewReader(string(doc)))
				if tc.token != "" {
					req.Header.Set("Authorization", "Bearer "+tc.token)
				}
				if tc.header != "" {
					req.Header.Set("Authorization", tc.header)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != tc.want {
					t.Fatalf("%s %s: %d; want %d", tc.method, tc.path, res.StatusCode, tc.want)
				}
				if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
					t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
				}
			})
		}
		if r := s.do(t, "GET", "/scenarios/denied", reviewer, "", nil); r.status != http.StatusNotFound {
			t.Errorf("a refused create left scenario behind: %d", r.status)
		}
	})

	t.Run("token command", func(t *testing.T) {
		tok := svcToken(t, dbURL, "planner")
		id := strings.SplitN(strings.TrimPrefix(tok, "pp_"), "_", 2)[0]
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"token", "list", "--db", dbURL}, &out, &errb); code != 0 || !strings.Contains(out.String(), id) {
			t.Fatalf("token list: exit %d, %q %s", code, out.String(), errb.String())
		}
		if strings.Contains(out.String(), tok) {
			t.Errorf("token list shows a secret")
		}
		if code := run(context.Background(), []string{"token", "revoke", id, "--db", dbURL}, &out, &errb); code != 0 {
			t.Fatalf("token revoke: exit %d %s", code, errb.String())
		}
		if r := s.do(t, "GET", "/scenarios", tok, "", nil); r.status != http.StatusUnauthorized {
			t.Errorf("revoked token: %d", r.status)
		}
		for _, args := range [][]string{{"token"}, {"token", "create"}, {"token", "create", "--role", "admin"}, {"token", "mint"}, {"token", "revoke"}} {
			errb.Reset()
			if code := run(context.Background(), append(args, "--db", dbURL), &out, &errb); code != 2 {
				t.Errorf("%v: exit %d; want 2 (%s)", args, code, errb.String())
			}
		}
	})

	t.Run("OpenAPI", func(t *testing.T) {
		r := s.do(t, "GET", "/api", "", "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("/api: %d", r.status)
		}
		paths, _ := r.json(t)["paths"].(map[string]any)
		for _, p := range []string{"/scenarios", "/scenarios/{id}", "/scenarios/{id}/events", "/scenarios/compare/diff.geojson"} {
			if paths[p] == nil {
				t.Errorf("/api lacks %s", p)
			}
		}
	})

	t.Run("bad scenarios", func(t *testing.T) {
		for _, tc := range []struct {
			name, ctype, body string
			status            int
			field             string
		}{
			{"YAML syntax", "application/yaml", "name: [unclosed", http.StatusBadRequest, "body"},
			{"JSON syntax", "application/json", `{"name": "x",`, http.StatusBadRequest, "body"},
			{"empty", "application/json", "", http.StatusBadRequest, "body"},
			{"unknown field", "application/yaml", "name: x\nweightz: {}\n", http.StatusUnprocessableEntity, "body.weightz"},
			{"nested unknown field", "application/json", `{"name": "x", "weights": {"floor": 1}}`, http.StatusUnprocessableEntity, "body.weights.floor"},
			{"bad value", "application/yaml", "name: x\nweights:\n  land_mu: -1\n", http.StatusUnprocessableEntity, "body.weights.land_mu"},
			{"wrong type", "application/json", `{"name": "x", "target_parks": "twenty"}`, http.StatusUnprocessableEntity, "body.target_parks"},
			{"NUL in the name", "application/json", `{"name": "a\u0000b"}`, http.StatusUnprocessableEntity, "body.name"},
			{"NUL in lock_in", "application/yaml", "name: x\nlock_in: [P1, \"P\\0\"]\n", http.StatusUnprocessableEntity, "body.lock_in[1]"},
			// Issue 10, finding 8: accepted before, failing 8 s later or answering 409.
			{"quota scale 1e308", "application/json", `{"name": "huge", "quota_scale": 1e308}`, http.StatusUnprocessableEntity, "body.quota_scale"},
			{"time limit 1e300", "application/json", `{"name": "long", "time_limit": 1e300}`, http.StatusUnprocessableEntity, "body.time_limit"},
			{"time limit 1000h", "application/json", `{"name": "long", "time_limit": "1000h"}`, http.StatusUnprocessableEntity, "body.time_limit"},
			{"null name", "application/json", `{"name": null}`, http.StatusUnprocessableEntity, "body.name"},
			{"media type", "text/html", "<p>scenario</p>", http.StatusUnsupportedMediaType, "header.Content-Type"},
			{"too big", "application/yaml", "name: big\ndescription: " + strings.Repeat("x", 2<<20) + "\n", http.StatusRequestEntityTooLarge, "body"},
			{"beyond the server's body limit", "application/yaml", strings.Repeat("#", 9<<20), http.StatusRequestEntityTooLarge, "body"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.do(t, "POST", "/scenarios", planner, tc.ctype, []byte(tc.body))
				st, field := problemOf(t, r)
				if st != tc.status || field != tc.field {
					t.Fatalf("%d field %q; want %d field %q: %s", st, field, tc.status, tc.field, r.body)
				}
			})
		}
	})

	t.Run("too big without Content-Length", func(t *testing.T) {
		body := struct{ io.Reader }{strings.NewReader("name: chunked\ndescription: " + strings.Repeat("x", 2<<20) + "\n")}
		req, _ := http.NewRequest("POST", s.url+"/scenarios", body)
		req.Header.Set("Authorization", "Bearer "+planner)
		req.Header.Set("Content-Type", "application/yaml")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || req.ContentLength != 0 {
			t.Errorf("chunked 2 MiB scenario: %d (Content-Length %d); want 413", res.StatusCode, req.ContentLength)
		}
	})

	var quick string
	t.Run("create YAML, follow events, done", func(t *testing.T) {
		quick = s.create(t, planner, "application/yaml", fmtScenario(quickScenario, "Quick plan"))
		if quick != "quick-plan" {
			t.Fatalf("id %q; want quick-plan", quick)
		}
		evs := s.readEvents(t, reviewer, "/scenarios/"+quick+"/events", 60*time.Second)
		last := evs[len(evs)-1]
		if last.name != "end" || last.data["status"] != "done" {
			t.Fatalf("last event %+v; want end with status done (events %v)", last, evs)
		}
		if countEvents(evs, "status") == 0 {
			t.Errorf("no status event: %v", evs)
		}
		m := s.waitStatus(t, reviewer, quick, 5*time.Second, "done")
		plan, _ := m["plan"].(map[string]any)
		if plan == nil || plan["kpi"] == nil || plan["solve"] == nil {
			t.Fatalf("done without a plan summary: %v", m)
		}
		if m["created_by"] != "test planner" || m["run"].(float64) != 1 {
			t.Errorf("created_by %v run %v", m["created_by"], m["run"])
		}
		// A finished scenario's stream is its status and the end.
		evs = s.readEvents(t, reviewer, "/scenarios/"+quick+"/events", 10*time.Second)
		if len(evs) != 2 || evs[0].data["status"] != "done" {
			t.Errorf("events of a done scenario: %v", evs)
		}
		if r := s.do(t, "POST", "/scenarios", planner, "application/yaml", []byte(fmtScenario(quickScenario, "Quick plan"))); r.status != http.StatusConflict {
			t.Errorf("same name again: %d %s", r.status, r.body)
		}
	})
	if quick == "" {
		t.FailNow()
	}

	t.Run("status and layers", func(t *testing.T) {
		r := s.do(t, "GET", "/scenarios/"+quick+"?plan=full", reviewer, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		plan := r.json(t)["plan"].(map[string]any)
		want := map[string]int{
			"parks":       len(anySlice(plan["parks"])),
			"assignments": len(anySlice(plan["assignments"])),
			"unplaced":    len(anySlice(plan["unplaced"])),
		}
		if want["parks"] == 0 {
			t.Fatalf("the quick plan opens no park: %s", r.body)
		}
		for _, layer := range []string{"parks", "assignments", "unplaced", "towns", "candidates"} {
			r := s.do(t, "GET", "/scenarios/"+quick+"/layers/"+layer+".geojson", reviewer, "", nil)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("%s: %d %s %.200s", layer, r.status, r.header.Get("Content-Type"), r.body)
			}
			var fc struct {
				Type     string            `json:"type"`
				Features []json.RawMessage `json:"features"`
			}
			if err := json.Unmarshal(r.body, &fc); err != nil || fc.Type != "FeatureCollection" {
				t.Fatalf("%s: not a FeatureCollection: %v %.200s", layer, err, r.body)
			}
			if n, ok := want[layer]; ok && len(fc.Features) != n {
				t.Errorf("%s: %d features; the plan has %d", layer, len(fc.Features), n)
			}
			if got := ogrFeatureCount(t, r.body); got != len(fc.Features) {
				t.Errorf("%s: GDAL's GeoJSON driver reads %d features; the document has %d", layer, got, len(fc.Features))
			}
		}
		for _, tc := range []struct{ path, token string }{
			{"/scenarios/" + quick + "/layers/roads.geojson", reviewer},
			{"/scenarios/" + quick + "/layers/parks.json", reviewer},
			{"/scenarios/nope", reviewer},
			{"/scenarios/nope/layers/parks.geojson", reviewer},
			{"/scenarios/nope/events", reviewer},
			{"/scenarios/a%00b", reviewer}, // a NUL byte: no such id, and no database error
			{"/scenarios/A%20B/layers/parks.geojson", reviewer},
			{"/scenarios/" + strings.Repeat("x", 81), reviewer},
			{"/scenarios/compare?ids=" + quick + ",a%00b", reviewer},
			{"/scenarios/compare/diff.geojson?a=" + quick + "&b=a%00b", reviewer},
			{"/scenarios/" + quick, ""},     // unpublished: the public sees nothing
			{"/scenarios/" + quick, public}, // nor does a public token
			{"/scenarios/" + quick + "/layers/parks.geojson", ""},
		} {
			if r := s.do(t, "GET", tc.path, tc.token, "", nil); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d; want 404", tc.path, r.status)
			}
		}
		if r := s.do(t, "GET", "/scenarios/"+quick+"?plan=everything", reviewer, "", nil); r.status != http.StatusBadRequest {
			t.Errorf("bad plan parameter: %d", r.status)
		}
		if r := s.do(t, "GET", "/scenarios?status=sleeping", reviewer, "", nil); r.status != http.StatusBadRequest {
			t.Errorf("bad status filter: %d", r.status)
		}
	})

	t.Run("publish", func(t *testing.T) {
		listIDs := func(token string) []string {
			r := s.do(t, "GET", "/scenarios", token, "", nil)
			if r.status != http.StatusOK {
				t.Fatalf("list: %d %s", r.status, r.body)
			}
			var ids []string
			for _, sc := range anySlice(r.json(t)["scenarios"]) {
				ids = append(ids, sc.(map[string]any)["id"].(string))
			}
			return ids
		}
		if ids := listIDs(""); len(ids) != 0 {
			t.Errorf("public list before publishing: %v", ids)
		}
		if ids := listIDs(reviewer); len(ids) != 1 || ids[0] != quick {
			t.Errorf("reviewer list: %v", ids)
		}
		if r := s.do(t, "POST", "/scenarios/"+quick+"/publish", planner, "", nil); r.status != http.StatusOK || r.json(t)["published"] != true {
			t.Fatalf("publish: %d %s", r.status, r.body)
		}
		if ids := listIDs(""); len(ids) != 1 {
			t.Errorf("public list after publishing: %v", ids)
		}
		if r := s.do(t, "GET", "/scenarios/"+quick+"/layers/parks.geojson", public, "", nil); r.status != http.StatusOK {
			t.Errorf("public reads a published layer: %d", r.status)
		}
		if r := s.do(t, "POST", "/scenarios/nope/publish", planner, "", nil); r.status != http.StatusNotFound {
			t.Errorf("publish unknown: %d", r.status)
		}
	})

	var second string
	t.Run("re-run and compare", func(t *testing.T) {
		second = s.create(t, planner, "application/json", strings.Replace(fmtScenario(longScenario, "Second plan"), `"120s"`, `"1s"`, 1))
		s.waitStatus(t, reviewer, second, 60*time.Second, "done")
		r := s.do(t, "POST", "/scenarios/"+second+"/run", planner, "", nil)
		if r.status != http.StatusAccepted {
			t.Fatalf("re-run: %d %s", r.status, r.body)
		}
		if again := s.do(t, "POST", "/scenarios/"+second+"/run", planner, "", nil); again.status != http.StatusConflict {
			t.Errorf("re-run while active: %d %s", again.status, again.body)
		}
		m := s.waitStatus(t, reviewer, second, 60*time.Second, "done")
		if m["run"].(float64) != 2 {
			t.Errorf("run %v after re-run; want 2", m["run"])
		}
		if r := s.do(t, "POST", "/scenarios/nope/run", planner, "", nil); r.status != http.StatusNotFound {
			t.Errorf("run unknown: %d", r.status)
		}
		if r := s.do(t, "POST", "/scenarios/"+second+"/cancel", planner, "", nil); r.status != http.StatusConflict {
			t.Errorf("cancel a done scenario: %d", r.status)
		}

		r = s.do(t, "GET", "/scenarios/compare?ids="+quick+","+second, reviewer, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("compare: %d %s", r.status, r.body)
		}
		cmp := r.json(t)
		if len(anySlice(cmp["scenarios"])) != 2 {
			t.Fatalf("compare columns: %v", cmp["scenarios"])
		}
		keys := map[string]bool{}
		for _, row := range anySlice(cmp["kpis"]) {
			rm := row.(map[string]any)
			keys[rm["key"].(string)] = true
			if len(anySlice(rm["values"])) != 2 {
				t.Errorf("row %v has %d values", rm["key"], len(anySlice(rm["values"])))
			}
		}
		for _, k := range []string{"parks_by_target_year", "towns_covered", "new_land_parks", "new_land_mu", "old_factory_mu",
			"floor_placed_m2", "firms_placed", "output_per_mu", "mean_relocation_km", "max_relocation_km", "cost_wan", "objective", "gap"} {
			if !keys[k] {
				t.Errorf("compare lacks KPI %s", k)
			}
		}
		diffs := anySlice(cmp["diffs"])
		if len(diffs) != 1 {
			t.Fatalf("diffs: %v", diffs)
		}
		href := diffs[0].(map[string]any)["href"].(string)
		r = s.do(t, "GET", strings.TrimPrefix(href, s.url), reviewer, "", nil)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/geo+json" {
			t.Fatalf("diff: %d %.300s", r.status, r.body)
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				ID         string         `json:"id"`
				Geometry   map[string]any `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(r.body, &fc); err != nil || fc.Type != "FeatureCollection" {
			t.Fatalf("diff is not a FeatureCollection: %v", err)
		}
		if got := ogrFeatureCount(t, r.body); got != len(fc.Features) {
			t.Errorf("diff: GDAL's GeoJSON driver reads %d features; the document has %d", got, len(fc.Features))
		}
		for _, f := range fc.Features {
			change := f.Properties["change"]
			switch f.Properties["layer"] {
			case "parks":
				if change != "added" && change != "removed" && change != "changed" || f.Geometry["type"] != "MultiPolygon" {
					t.Errorf("park feature %s: change %v geometry %v", f.ID, change, f.Geometry["type"])
				}
			case "firms":
				if change != "moved" && change != "entered" && change != "left" || f.Geometry["type"] != "LineString" {
					t.Errorf("firm feature %s: change %v geometry %v", f.ID, change, f.Geometry["type"])
				}
			default:
				t.Errorf("feature %s of layer %v", f.ID, f.Properties["layer"])
			}
		}
		// The same scenario against itself differs nowhere.
		r = s.do(t, "GET", "/scenarios/compare/diff.geojson?a="+quick+"&b="+quick, reviewer, "", nil)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"features":[]`) {
			t.Errorf("self-diff: %d %.200s", r.status, r.body)
		}
		for _, tc := range []struct {
			path, token string
			want        int
		}{
			{"/scenarios/compare?ids=" + quick, reviewer, http.StatusBadRequest},
			{"/scenarios/compare", reviewer, http.StatusBadRequest},
			{"/scenarios/compare?ids=" + quick + "," + quick, reviewer, http.StatusBadRequest},
			{"/scenarios/compare?ids=" + quick + ",nope", reviewer, http.StatusNotFound},
			{"/scenarios/compare?ids=" + quick + "," + second, public, http.StatusNotFound}, // second is unpublished
			{"/scenarios/compare/diff.geojson?a=" + quick, reviewer, http.StatusBadRequest},
			{"/scenarios/compare/diff.geojson?a=" + quick + "&b=nope", reviewer, http.StatusNotFound},
		} {
			if r := s.do(t, "GET", tc.path, tc.token, "", nil); r.status != tc.want {
				t.Errorf("GET %s: %d; want %d: %s", tc.path, r.status, tc.want, r.body)
			}
		}
	})

	t.Run("infeasible is a result", func(t *testing.T) {
		doc := strings.Replace(fmtScenario(quickScenario, "Too many parks"), "target_parks: 1", "target_parks: 500", 1)
		id := s.create(t, planner, "application/yaml", doc)
		m := s.waitStatus(t, reviewer, id, 90*time.Second, "done", "failed")
		plan, _ := m["plan"].(map[string]any)
		if m["status"] != "done" || plan == nil {
			t.Fatalf("infeasible scenario: status %v error %v", m["status"], m["error"])
		}
		solve, _ := plan["solve"].(map[string]any)
		expl, _ := plan["explanation"].(map[string]any)
		if solve["status"] != "infeasible" || expl == nil || len(anySlice(expl["conflicts"])) == 0 {
			t.Errorf("infeasible plan: solve %v explanation %v", solve, expl)
		}
	})

	t.Run("delete", func(t *testing.T) {
		if r := s.do(t, "DELETE", "/scenarios/"+second, planner, "", nil); r.status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		if r := s.do(t, "GET", "/scenarios/"+second, reviewer, "", nil); r.status != http.StatusNotFound {
			t.Errorf("after delete: %d", r.status)
		}
		if n := planRows(t, dbURL, second); n != 0 {
			t.Errorf("%d plan rows left after delete", n)
		}
		if r := s.do(t, "DELETE", "/scenarios/"+second, planner, "", nil); r.status != http.StatusNotFound {
			t.Errorf("delete twice: %d", r.status)
		}
	})
}

// ogrFeatureCount opens a GeoJSON document with GDAL's GeoJSON driver
// (Debian gdal-bin's ogrinfo) and returns the feature count it reports.
func ogrFeatureCount(t *testing.T, doc []byte) int {
	t.Helper()
	f := filepath.Join(t.TempDir(), "layer.geojson")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", f).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "using driver `GeoJSON'") {
		t.Fatalf("ogrinfo did not use the GeoJSON driver:\n%s", out)
	}
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("ogrinfo printed no feature count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func anySlice(v any) []any {
	s, _ := v.([]any)
	return s
}
