package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// ogcParcels is the size of the synthetic county the OGC API tests load
// (scripts/bench-api.sql: a 20 × 20 grid of parcels, 40 enterprises).
const ogcParcels = 400

// ogcEnv is a running `parkplan serve` on a throwaway database holding the
// synthetic county and two solved scenarios: "base" (published) and
// "draft" (not published).
type ogcEnv struct {
	url      string // http://127.0.0.1:PORT
	db       *sql.DB
	reviewer string // a reviewer's bearer token
	logs     *lockedBuffer
	stop     func()
}

// newOGCEnv starts the server (which applies the migrations), loads the
// county and the scenarios, and creates a reviewer token.
func newOGCEnv(t *testing.T, extraArgs ...string) *ogcEnv {
	t.Helper()
	return newOGCEnvSized(t, ogcParcels, extraArgs...)
}

// newOGCEnvSized is newOGCEnv with a county of the given number of parcels.
func newOGCEnvSized(t *testing.T, parcels int, extraArgs ...string) *ogcEnv {
	t.Helper()
	return newOGCEnvArgs(t, parcels, func(string) []string { return extraArgs })
}

// newOGCEnvArgs is newOGCEnvSized with serve's extra arguments made from
// the throwaway database's URL.
func newOGCEnvArgs(t *testing.T, parcels int, extraArgs func(dbURL string) []string) *ogcEnv {
	t.Helper()
	dbURL := newTestDatabase(t, "serve")
	env := startOGCServe(t, dbURL, extraArgs(dbURL)...)
	ctx := context.Background()
	b, err := os.ReadFile("../../scripts/bench-api.sql")
	if err != nil {
		t.Fatal(err)
	}
	db := env.db
	if _, err := db.Exec(strings.ReplaceAll(string(b), "{{parcels}}", strconv.Itoa(parcels))); err != nil {
		t.Fatalf("loading the synthetic county: %v", err)
	}
	scs := data.NewScenarioStore(db)
	for _, name := range []string{"base", "draft"} {
		// The draft gives P000003 another specialty: one park differs.
		specialty := map[string]string{"base": "textile", "draft": "hardware"}[name]
		plan := &planner.Plan{Scenario: name,
			Parks: []planner.Park{
				{ParcelID: "P000003", Town: "t0", Kind: planner.KindOldFactory, Specialty: specialty, OpenYear: 2020, Tier: planner.TierBasic, AreaMu: 36.5, FAR: 2.7},
				{ParcelID: "P000004", Town: "t0", Kind: planner.KindExisting, Specialty: "hardware", OpenYear: 2019, Tier: planner.TierStandard, AreaMu: 42, FAR: 1.5, Firms: 1},
			},
			Assignments: []planner.Assignment{{EnterpriseID: "E000001", ParcelID: "P000004", DistanceM: 1234.5}},
			Unplaced:    []planner.Unplaced{{EnterpriseID: "E000002", Reason: planner.ReasonNoCapacity}},
			Towns: []planner.TownSummary{{Town: "t0", Parks: 2, QuotaMu: map[int]float64{2019: 50, 2020: 50},
				NewLandUsedMu: map[int]float64{2019: 0, 2020: 0}, OldFactoryMu: map[int]float64{2019: 0, 2020: 36.5}}},
		}
		if _, err := scs.SavePlan(ctx, &planner.Scenario{Name: name}, plan); err != nil {
			t.Fatal(err)
		}
	}
	if err := scs.SetPublished(ctx, "base", true); err != nil {
		t.Fatal(err)
	}
	tok, _, err := data.NewTokenStore(db).CreateToken(ctx, planner.Role("reviewer"), "ogc-test")
	if err != nil {
		t.Fatal(err)
	}
	env.reviewer = tok
	return env
}

// startOGCServe runs `parkplan serve` on a random port over dbURL (which it
// migrates) until the test ends, with a *sql.DB on the same database.
func startOGCServe(t *testing.T, dbURL string, extraArgs ...string) *ogcEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	env := &ogcEnv{logs: &lockedBuffer{}}
	done := make(chan int, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbURL, "--log-level", "warn"}, extraArgs...)
	go func() {
		done <- run(ctx, args, pw, env.logs)
		pw.Close()
	}()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "parkplan: serving on "); ok {
				urlc <- u
			}
		}
	}()
	select {
	case env.url = <-urlc:
	case code := <-done:
		cancel()
		t.Fatalf("serve exited with %d: %s", code, env.logs.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("serve did not start: %s", env.logs.String())
	}
	var once sync.Once
	env.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("serve exited with %d after SIGINT-like cancel", code)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("serve did not shut down within 30 s")
			}
		})
	}
	t.Cleanup(func() {
		env.stop()
		if t.Failed() {
			t.Logf("server log:\n%s", env.logs.String())
		}
	})

	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	env.db = db
	return env
}

// ogcResp is an HTTP answer read whole.
type ogcResp struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r *ogcResp) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%.400s", err, r.body)
	}
	return v
}

// get fetches path (or an absolute URL) with optional headers.
func (e *ogcEnv) get(t *testing.T, path string, hdr ...string) *ogcResp {
	t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = e.url + path
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &ogcResp{status: res.StatusCode, header: res.Header, body: b}
}

// links returns a document's links by rel (the first of each).
func links(doc map[string]any) map[string]string {
	out := map[string]string{}
	ls, _ := doc["links"].([]any)
	for _, l := range ls {
		m := l.(map[string]any)
		rel := m["rel"].(string)
		if _, ok := out[rel]; !ok {
			out[rel] = m["href"].(string)
		}
	}
	return out
}

func TestServeOGCDocuments(t *testing.T) {
	env := newOGCEnv(t, "--body-limit", "1024")

	t.Run("body limit", func(t *testing.T) {
		// An oversized body is refused with 413 before any handler reads it.
		res, err := http.Post(env.url+"/scenarios", "application/json", strings.NewReader(`{"name":"`+strings.Repeat("x", 4096)+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var p map[string]any
		if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 413 || res.Header.Get("Content-Type") != "application/problem+json" || p["field"] != "body" {
			t.Errorf("oversized body: %d %v", res.StatusCode, p)
		}
	})

	t.Run("landing page", func(t *testing.T) {
		for _, path := range []string{"/", "/ogc", "/?f=json"} {
			r := env.get(t, path, "Accept", "application/json")
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Fatalf("%s: %d %s", path, r.status, r.header.Get("Content-Type"))
			}
			ls := links(r.json(t))
			for _, rel := range []string{"self", "service-desc", "conformance", "data"} {
				if !strings.HasPrefix(ls[rel], env.url) {
					t.Errorf("%s: link %s = %q", path, rel, ls[rel])
				}
			}
		}
		if r := env.get(t, "/ogc?f=html"); r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
			!bytes.Contains(r.body, []byte("/collections")) {
			t.Errorf("landing page as HTML: %d %s", r.status, r.header.Get("Content-Type"))
		}
	})

	t.Run("conformance", func(t *testing.T) {
		doc := env.get(t, "/conformance").json(t)
		got := fmt.Sprint(doc["conformsTo"])
		for _, c := range []string{"ogcapi-features-1/1.0/conf/core", "conf/geojson", "conf/oas30", "conf/html", "ogcapi-features-2/1.0/conf/crs"} {
			if !strings.Contains(got, c) {
				t.Errorf("conformsTo lacks %s: %s", c, got)
			}
		}
	})

	t.Run("OpenAPI document", func(t *testing.T) {
		r := env.get(t, "/api")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/vnd.oai.openapi+json") {
			t.Fatalf("/api: %d %s", r.status, r.header.Get("Content-Type"))
		}
		doc := r.json(t)
		if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.0.") {
			t.Errorf("openapi %q, want 3.0.x", v)
		}
		paths, _ := doc["paths"].(map[string]any)
		for _, p := range []string{"/", "/conformance", "/collections", "/collections/{collectionId}", "/collections/{collectionId}/items",
			"/collections/{collectionId}/items/{featureId}", "/api", "/scenarios"} {
			if paths[p] == nil {
				t.Errorf("paths lack %s", p)
			}
		}
		// Every $ref resolves inside the document.
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if ref, ok := v["$ref"].(string); ok {
					var cur any = doc
					for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
						m, _ := cur.(map[string]any)
						cur = m[part]
					}
					if !strings.HasPrefix(ref, "#/") || cur == nil {
						t.Errorf("$ref %s does not resolve", ref)
					}
				}
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		walk(doc)
		if s, _ := doc["servers"].([]any); len(s) != 1 || s[0].(map[string]any)["url"] != env.url {
			t.Errorf("servers %v, want %s", doc["servers"], env.url)
		}
	})

	collectionIDs := func(hdr ...string) []string {
		doc := env.get(t, "/collections", hdr...).json(t)
		var ids []string
		for _, c := range doc["collections"].([]any) {
			ids = append(ids, c.(map[string]any)["id"].(string))
		}
		return ids
	}
	t.Run("collections by role", func(t *testing.T) {
		pub := strings.Join(collectionIDs(), " ")
		want := "towns parcels protected enterprises counties base.parks base.assignments base.unplaced base.towns base.candidates"
		if pub != want {
			t.Errorf("public collections:\n got %s\nwant %s", pub, want)
		}
		rev := strings.Join(collectionIDs("Authorization", "Bearer "+env.reviewer), " ")
		if rev != want+" draft.parks draft.assignments draft.unplaced draft.towns draft.candidates violations" {
			t.Errorf("reviewer collections: %s", rev)
		}
		if r := env.get(t, "/collections/draft.parks"); r.status != 404 {
			t.Errorf("public reads unpublished draft.parks: %d", r.status)
		}
		if r := env.get(t, "/collections/draft.parks/items", "Authorization", "Bearer "+env.reviewer); r.status != 200 {
			t.Errorf("reviewer cannot read draft.parks: %d %s", r.status, r.body)
		}
		if r := env.get(t, "/collections", "Authorization", "Bearer not-a-token"); r.status != 401 {
			t.Errorf("bad token: %d", r.status)
		}
	})

	t.Run("collection", func(t *testing.T) {
		doc := env.get(t, "/collections/parcels").json(t)
		if doc["storageCrs"] != "http://www.opengis.net/def/crs/EPSG/0/4490" || doc["itemType"] != "feature" {
			t.Errorf("storageCrs %v itemType %v", doc["storageCrs"], doc["itemType"])
		}
		crs := fmt.Sprint(doc["crs"])
		for _, c := range []string{"OGC/1.3/CRS84", "EPSG/0/4326", "EPSG/0/4490", "EPSG/0/4549"} {
			if !strings.Contains(crs, c) {
				t.Errorf("crs list lacks %s: %s", c, crs)
			}
		}
		bbox := doc["extent"].(map[string]any)["spatial"].(map[string]any)["bbox"].([]any)[0].([]any)
		if bbox[0].(float64) < 120.99 || bbox[2].(float64) > 121.41 {
			t.Errorf("extent %v", bbox)
		}
		if r := env.get(t, "/collections/parcels?f=html"); r.status != 200 || !bytes.Contains(r.body, []byte("area_mu")) {
			t.Errorf("collection as HTML: %d", r.status)
		}
	})
}

func TestServeOGCItems(t *testing.T) {
	env := newOGCEnv(t)

	t.Run("GDAL", func(t *testing.T) { testGDAL(t, env) })

	t.Run("next links walk the whole collection once", func(t *testing.T) {
		for _, tc := range []struct {
			first string
			want  int
		}{
			{"/collections/parcels/items?limit=37", ogcParcels},
			{"/collections/parcels/items?limit=50&bbox=121.0,30.0,121.2,30.2", ogcParcels / 4},
			{"/collections/enterprises/items?limit=7&crs=http://www.opengis.net/def/crs/EPSG/0/4549", ogcParcels / 10},
			{"/collections/base.candidates/items?limit=33", ogcParcels / 2},
		} {
			seen := map[string]bool{}
			next, pages, returned := tc.first, 0, 0
			for next != "" {
				r := env.get(t, next)
				if r.status != 200 || r.header.Get("Content-Type") != "application/geo+json" {
					t.Fatalf("%s: %d %s %s", next, r.status, r.header.Get("Content-Type"), r.body)
				}
				doc := r.json(t)
				if doc["numberMatched"] != float64(tc.want) {
					t.Errorf("%s: numberMatched %v, want %d", next, doc["numberMatched"], tc.want)
				}
				if _, err := time.Parse(time.RFC3339, doc["timeStamp"].(string)); err != nil {
					t.Errorf("timeStamp: %v", err)
				}
				fs := doc["features"].([]any)
				if int(doc["numberReturned"].(float64)) != len(fs) {
					t.Errorf("numberReturned %v, %d features", doc["numberReturned"], len(fs))
				}
				for _, f := range fs {
					id := f.(map[string]any)["id"].(string)
					if seen[id] {
						t.Errorf("%s: feature %s again", tc.first, id)
					}
					seen[id] = true
				}
				returned += len(fs)
				ls := links(doc)
				if pages > 0 && ls["prev"] == "" {
					t.Errorf("%s: page %d has no prev link", tc.first, pages)
				}
				next = ls["next"]
				pages++
				if pages > 100 {
					t.Fatal("more than 100 pages")
				}
			}
			if len(seen) != tc.want || returned != tc.want {
				t.Errorf("%s: walked %d features (%d returned), want %d", tc.first, len(seen), returned, tc.want)
			}
		}
	})

	t.Run("crs and bbox-crs", func(t *testing.T) {
		r := env.get(t, "/collections/enterprises/items/E000001?crs=http://www.opengis.net/def/crs/EPSG/0/4326")
		if r.header.Get("Content-Crs") != "<http://www.opengis.net/def/crs/EPSG/0/4326>" {
			t.Errorf("Content-Crs %q", r.header.Get("Content-Crs"))
		}
		ll := env.get(t, "/collections/enterprises/items/E000001").json(t)["geometry"].(map[string]any)["coordinates"].([]any)
		latlon := r.json(t)["geometry"].(map[string]any)["coordinates"].([]any)
		if ll[0] != latlon[1] || ll[1] != latlon[0] {
			t.Errorf("EPSG:4326 %v is not CRS84 %v swapped", latlon, ll)
		}
		if r := env.get(t, "/collections/enterprises/items"); r.header.Get("Content-Crs") != "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>" {
			t.Errorf("default Content-Crs %q", r.header.Get("Content-Crs"))
		}
		// The same box as lon/lat (CRS84) and lat/lon (EPSG:4490) selects the same parcels.
		a := env.get(t, "/collections/parcels/items?bbox=121.05,30.05,121.15,30.12").json(t)
		b := env.get(t, "/collections/parcels/items?bbox=30.05,121.05,30.12,121.15&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4490").json(t)
		if a["numberMatched"] != b["numberMatched"] || a["numberMatched"].(float64) == 0 {
			t.Errorf("bbox CRS84 matched %v, EPSG:4490 %v", a["numberMatched"], b["numberMatched"])
		}
	})

	t.Run("html", func(t *testing.T) {
		r := env.get(t, "/collections/parcels/items?limit=5", "Accept", "text/html,application/xhtml+xml")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.Contains(r.body, []byte("P000005")) {
			t.Errorf("items as HTML: %d %s", r.status, r.header.Get("Content-Type"))
		}
		r = env.get(t, "/collections/base.parks/items/P000004?f=html")
		if r.status != 200 || !bytes.Contains(r.body, []byte("hardware")) {
			t.Errorf("feature as HTML: %d", r.status)
		}
	})

	t.Run("limit above the maximum is served as the maximum", func(t *testing.T) {
		doc := env.get(t, "/collections/parcels/items?limit=20000").json(t)
		if !strings.Contains(links(doc)["self"], "limit=10000") || doc["numberReturned"] != float64(ogcParcels) {
			t.Errorf("self %s, returned %v", links(doc)["self"], doc["numberReturned"])
		}
	})

	t.Run("errors are problem documents", func(t *testing.T) {
		for _, tc := range []struct {
			path   string
			status int
			field  string
		}{
			{"/collections/roads", 404, "collectionId"},
			{"/collections/roads/items", 404, "collectionId"},
			{"/collections/nope.parks/items", 404, "collectionId"},
			{"/collections/parcels/items/P999999", 404, "featureId"},
			{"/collections/parcels/items?bbox=1,2,3", 400, "query.bbox"},
			{"/collections/parcels/items?bbox=1,2,3,x", 400, "query.bbox"},
			{"/collections/parcels/items?bbox=3,2,1,4", 400, "query.bbox"},
			{"/collections/parcels/items?bbox=1,2,3,4,5,6", 400, "query.bbox"},
			{"/collections/parcels/items?bbox=0,100,1,101", 400, "query.bbox"},
			// Finding 5 of issue 10: PROJ failed on this box ("Point outside of projection domain"): 500.
			{"/collections/parcels/items?bbox-crs=EPSG:4549&bbox=-1e9,-1e9,1e9,1e9", 400, "query.bbox"},
			// Ids PostgreSQL cannot hold (found by FuzzFeatureItems): no such collection or feature, not 500.
			{"/collections/%F8.parks/items", 404, "collectionId"},
			{"/collections/%F8.parks", 404, "collectionId"},
			{"/collections/parcels/items/P%F8", 404, "featureId"},
			{"/collections/parcels/items/P%00", 404, "featureId"},
			{"/collections/base%00.parks/items/P000003", 404, "collectionId"},
			{"/collections/diff.%F8.base/items", 404, "collectionId"},
			{"/scenarios/%F8", 404, "path.id"},
			{"/scenarios/a%00b", 404, "path.id"},
			{"/collections/parcels/items?limit=0", 400, "query.limit"},
			{"/collections/parcels/items?limit=ten", 400, "query.limit"},
			{"/collections/parcels/items?offset=-1", 400, "query.offset"},
			{"/collections/parcels/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857", 400, "query.crs"},
			{"/collections/parcels/items?bbox-crs=EPSG:4326", 400, "query.bbox-crs"},
			{"/collections/parcels/items?colour=red", 400, "query.colour"},
			{"/collections/parcels/items?f=xml", 400, "query.f"},
			{"/collections/parcels/items?limit=1&limit=2", 400, "query.limit"},
			{"/collections/parcels/items/P000001?crs=EPSG:9999", 400, "query.crs"},
			{"/layers/roads.geojson", 404, "path.layer"},
			{"/no/such/route", 404, ""},
		} {
			r := env.get(t, tc.path)
			if r.status != tc.status || r.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d %s, want %d problem+json", tc.path, r.status, r.header.Get("Content-Type"), tc.status)
				continue
			}
			p := r.json(t)
			if p["status"] != float64(tc.status) || p["title"] == "" || p["field"] != nil && p["field"] != tc.field ||
				tc.field != "" && p["field"] != tc.field || p["request_id"] == "" {
				t.Errorf("%s: problem %s", tc.path, r.body)
			}
		}
	})

	// Issue 10, finding 11.
	t.Run("the bearer scheme in any case", func(t *testing.T) {
		for _, h := range []string{"Bearer ", "bearer ", "BEARER ", "Bearer   "} {
			if r := env.get(t, "/collections/draft.parks/items", "Authorization", h+env.reviewer); r.status != 200 {
				t.Errorf("Authorization %q…: %d %s", h, r.status, r.body)
			}
		}
		for _, h := range []string{"Basic " + env.reviewer, "Bearer", "Bearer ", "Bearerx " + env.reviewer} {
			if r := env.get(t, "/collections/draft.parks/items", "Authorization", h); r.status != 401 {
				t.Errorf("Authorization %q: %d, want 401", h, r.status)
			}
		}
	})

	t.Run("long ids are not echoed whole", func(t *testing.T) {
		long := strings.Repeat("x", 100<<10)
		for _, path := range []string{"/collections/parcels/items/" + long, "/collections/" + long, "/collections/" + long + "/items",
			"/collections/parcels/items?" + long + "=1"} {
			r := env.get(t, path)
			if r.status/100 != 4 || len(r.body) > 4<<10 {
				t.Errorf("%.60s…: %d with a %d-byte answer, want a 4xx under 4 KiB", path, r.status, len(r.body))
			}
		}
	})

	t.Run("difference collection", func(t *testing.T) {
		if r := env.get(t, "/collections/diff.base.draft/items"); r.status != 404 {
			t.Errorf("public reads the difference with an unpublished scenario: %d", r.status)
		}
		auth := []string{"Authorization", "Bearer " + env.reviewer}
		doc := env.get(t, "/collections/diff.base.draft/items", auth...).json(t)
		fs, _ := doc["features"].([]any)
		if doc["numberMatched"] != 1.0 || len(fs) != 1 {
			t.Fatalf("diff.base.draft: %v matched, %d features", doc["numberMatched"], len(fs))
		}
		f := fs[0].(map[string]any)
		p := f["properties"].(map[string]any)
		if p["change"] != "changed" || p["respecialised"] != true {
			t.Errorf("difference feature %v", f)
		}
		id := fmt.Sprint(f["id"])
		if r := env.get(t, "/collections/diff.base.draft/items/"+url.PathEscape(id), auth...); r.status != 200 {
			t.Errorf("difference feature %s by id: %d %s", id, r.status, r.body)
		}
		if r := env.get(t, "/collections/diff.base.draft", auth...); r.status != 200 || !bytes.Contains(r.body, []byte("compare/diff.geojson")) {
			t.Errorf("difference collection: %d %s", r.status, r.body)
		}
		if n := env.get(t, "/collections/diff.base.base/items").json(t)["numberMatched"]; n != 0.0 {
			t.Errorf("a scenario differs from itself in %v features", n)
		}
		if r := env.get(t, "/collections/diff.base.nope/items"); r.status != 404 {
			t.Errorf("difference with an unknown scenario: %d", r.status)
		}
		if r := env.get(t, "/collections/diff.base.base/items?crs=EPSG:4326"); r.status != 400 {
			t.Errorf("difference in EPSG:4326: %d", r.status)
		}
	})

	t.Run("GeoJSON downloads", func(t *testing.T) {
		for layer, want := range map[string]int{"parcels": ogcParcels, "enterprises": ogcParcels / 10, "towns": 4, "protected": 3} {
			r := env.get(t, "/layers/"+layer+".geojson")
			if r.status != 200 || r.header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("%s: %d", layer, r.status)
			}
			if n := len(r.json(t)["features"].([]any)); n != want {
				t.Errorf("%s.geojson: %d features, want %d", layer, n, want)
			}
		}
	})
}

// TestServeSurvivesCancelledRequests cancels many large requests in
// flight, then checks the server still answers every request promptly
// (no connection of the pool is left stuck).
func TestServeSurvivesCancelledRequests(t *testing.T) {
	// Uncached, so every request reaches the database.
	env := newOGCEnv(t, "--db-max-conns", "4", "--feature-cache-mb", "0")
	const requests = 200
	var wg sync.WaitGroup
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Cancel after 0–19 ms: before, during and after the query.
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%20)*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.url+"/collections/parcels/items?limit=10000&offset="+strconv.Itoa(i%3), nil)
			if res, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 20 {
		res, err := client.Get(env.url + "/collections/parcels/items?limit=1000&offset=" + strconv.Itoa(i))
		if err != nil {
			t.Fatalf("request %d after the cancellations: %v", i, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("request %d after the cancellations: %d", i, res.StatusCode)
		}
	}
	if strings.Contains(env.logs.String(), "level=ERROR") {
		t.Errorf("cancelled requests were logged as errors:\n%s", env.logs.String())
	}
}

// testGDAL reads the running server with GDAL's OAPIF driver (Debian
// gdal-bin): it lists the collections and copies layers to GeoPackage with
// the right feature counts; the GeoJSON downloads open with GDAL's GeoJSON
// driver.
func testGDAL(t *testing.T, env *ogcEnv) {
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found (Debian gdal-bin; scripts/deps.sh installs it): %v", tool, err)
		}
	}
	dir := t.TempDir()
	gdal := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_DEBUG=OFF")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	src := "OAPIF:" + env.url + "/"
	list := gdal("ogrinfo", "-ro", "-q", src)
	for _, id := range []string{"towns", "parcels", "protected", "enterprises", "base.parks", "base.assignments", "base.unplaced", "base.towns", "base.candidates"} {
		if !regexp.MustCompile(`(?m)^\d+: ` + regexp.QuoteMeta(id) + ` `).MatchString(list) {
			t.Errorf("ogrinfo does not list %s:\n%s", id, list)
		}
	}
	if strings.Contains(list, "draft.") {
		t.Errorf("ogrinfo lists an unpublished scenario:\n%s", list)
	}
	count := regexp.MustCompile(`Feature Count: (\d+)`)
	for layer, want := range map[string]int{
		"parcels": ogcParcels, "enterprises": ogcParcels / 10, "towns": 4, "protected": 3,
		"base.parks": 2, "base.assignments": 1, "base.unplaced": 1, "base.towns": 2, "base.candidates": ogcParcels / 2,
	} {
		t.Run(layer, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(layer, ".", "_")+".gpkg")
			gdal("ogr2ogr", "-f", "GPKG", out, src, layer)
			info := gdal("ogrinfo", "-ro", "-so", out, layer)
			m := count.FindStringSubmatch(info)
			if m == nil || m[1] != strconv.Itoa(want) {
				t.Errorf("GeoPackage layer %s: %v features, want %d\n%s", layer, m, want, info)
			}
		})
	}
	for layer, want := range map[string]int{"parcels": ogcParcels, "protected": 3} {
		file := filepath.Join(dir, layer+".geojson")
		r := env.get(t, "/layers/"+layer+".geojson")
		if err := os.WriteFile(file, r.body, 0o644); err != nil {
			t.Fatal(err)
		}
		info := gdal("ogrinfo", "-ro", "-so", file, layer)
		if !strings.Contains(info, "driver `GeoJSON'") {
			t.Errorf("%s.geojson was not opened by the GeoJSON driver:\n%s", layer, info)
		}
		if m := count.FindStringSubmatch(info); m == nil || m[1] != strconv.Itoa(want) {
			t.Errorf("%s.geojson through GDAL: %v features, want %d\n%s", layer, m, want, info)
		}
	}
}
