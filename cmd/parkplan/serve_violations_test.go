package main

import (
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
)

// ogcCheckUpload is a FeatureCollection of proposed parcels on the
// synthetic county of scripts/bench-api.sql: N1 (new land in t0, 2020,
// ~66 mu against a 50 mu quota) overlaps farmland F1 (to 121.06°E
// 30.06°N), N2 overlaps red line R1 (from 121.30°E 30.30°N), X is a
// bow-tie. Violations: farmland and red-line overlaps (with geometry),
// over quota and invalid geometry (without).
const ogcCheckUpload = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"N1","town":"t0","kind":"new_land","open_year":2020},
 "geometry":{"type":"Polygon","coordinates":[[[121.059,30.059],[121.061,30.059],[121.061,30.061],[121.059,30.061],[121.059,30.059]]]}},
{"type":"Feature","properties":{"id":"N2","town":"t3","kind":"old_factory","open_year":2020},
 "geometry":{"type":"Polygon","coordinates":[[[121.349,30.349],[121.351,30.349],[121.351,30.351],[121.349,30.351],[121.349,30.349]]]}},
{"type":"Feature","properties":{"id":"X","town":"t2","kind":"old_factory","open_year":2021},
 "geometry":{"type":"Polygon","coordinates":[[[121.1,30.3],[121.102,30.302],[121.102,30.3],[121.1,30.302],[121.1,30.3]]]}}]}`

// TestServeViolations saves a check over HTTP (POST /checks?save=true)
// and reads its violations back as OGC collections: hidden from the
// public role, paged by a reviewer, and copied by GDAL's OAPIF driver
// (with the reviewer's token) to GeoPackage, whole and by bbox.
func TestServeViolations(t *testing.T) {
	env := newOGCEnv(t)
	req, err := http.NewRequest(http.MethodPost, env.url+"/checks?save=true", strings.NewReader(ogcCheckUpload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/geo+json")
	req.Header.Set("Authorization", "Bearer "+env.reviewer)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("POST /checks?save=true: %d %v\n%s", res.StatusCode, err, body)
	}
	checkID := res.Header.Get("Parkplan-Check-Id")
	var report struct {
		Violations []struct{ Kind string } `json:"violations"`
	}
	if err := json.Unmarshal(body, &report); err != nil || checkID == "" {
		t.Fatalf("report %v, Parkplan-Check-Id %q", err, checkID)
	}
	kinds := map[string]int{}
	for _, v := range report.Violations {
		kinds[v.Kind]++
	}
	for _, k := range []string{"basic_farmland", "eco_redline", "over_quota", "invalid_geometry"} {
		if kinds[k] != 1 {
			t.Fatalf("violations %v, want one %s (the fixture changed?)", kinds, k)
		}
	}
	n := len(report.Violations)
	perCheck := "check-" + checkID + ".violations"
	auth := []string{"Authorization", "Bearer " + env.reviewer}

	t.Run("public role", func(t *testing.T) {
		for _, path := range []string{"/collections/violations", "/collections/violations/items",
			"/collections/" + perCheck + "/items", "/collections/violations/items/" + checkID + "-1"} {
			if r := env.get(t, path); r.status != 404 {
				t.Errorf("public %s: %d, want 404", path, r.status)
			}
		}
		if r := env.get(t, "/collections"); strings.Contains(string(r.body), "violations") {
			t.Errorf("public /collections lists violations")
		}
	})

	t.Run("reviewer pages", func(t *testing.T) {
		for _, col := range []string{"violations", perCheck} {
			seen := map[string]bool{}
			for next := "/collections/" + col + "/items?limit=2"; next != ""; {
				r := env.get(t, next, auth...)
				if r.status != 200 || r.header.Get("Content-Type") != "application/geo+json" {
					t.Fatalf("%s: %d %s %s", next, r.status, r.header.Get("Content-Type"), r.body)
				}
				doc := r.json(t)
				if doc["numberMatched"] != float64(n) {
					t.Errorf("%s: numberMatched %v, want %d", next, doc["numberMatched"], n)
				}
				for _, f := range doc["features"].([]any) {
					id := f.(map[string]any)["id"].(string)
					if seen[id] || !strings.HasPrefix(id, checkID+"-") {
						t.Errorf("%s: feature %s twice or of another check", col, id)
					}
					seen[id] = true
				}
				next = links(doc)["next"]
			}
			if len(seen) != n {
				t.Errorf("%s: walked %d features, want %d", col, len(seen), n)
			}
		}
		// Every feature by id, as GeoJSON and as HTML, with and without geometry.
		nulls := 0
		for i := 1; i <= n; i++ {
			id := checkID + "-" + strconv.Itoa(i)
			r := env.get(t, "/collections/"+perCheck+"/items/"+id, auth...)
			if r.status != 200 || r.header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("item %s: %d %s", id, r.status, r.body)
			}
			f := r.json(t)
			if f["id"] != id || f["properties"].(map[string]any)["check_id"] != mustFloat(t, checkID) {
				t.Errorf("item %s: %s", id, r.body)
			}
			if g, ok := f["geometry"]; !ok {
				t.Errorf("item %s has no geometry member", id)
			} else if g == nil {
				nulls++
			}
			if r := env.get(t, "/collections/"+perCheck+"/items/"+id+"?f=html", auth...); r.status != 200 || !strings.Contains(string(r.body), id) {
				t.Errorf("item %s as HTML: %d", id, r.status)
			}
		}
		if nulls != kinds["over_quota"]+kinds["invalid_geometry"] {
			t.Errorf("%d features with a null geometry, want %d (over quota, invalid geometry)", nulls, kinds["over_quota"]+kinds["invalid_geometry"])
		}
		if r := env.get(t, "/collections/violations/items?f=html", auth...); r.status != 200 || !strings.Contains(string(r.body), checkID+"-1") {
			t.Errorf("violations as HTML: %d", r.status)
		}
	})

	t.Run("GDAL", func(t *testing.T) {
		for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
			if _, err := exec.LookPath(tool); err != nil {
				t.Fatalf("%s not found (Debian gdal-bin; scripts/deps.sh installs it): %v", tool, err)
			}
		}
		dir := t.TempDir()
		// gdal runs a GDAL tool, as the reviewer when token is set
		// (GDAL_HTTP_HEADERS, GDAL ≥ 3.6).
		gdal := func(token, name string, args ...string) string {
			t.Helper()
			cmd := exec.Command(name, args...)
			cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_DEBUG=OFF")
			if token != "" {
				cmd.Env = append(cmd.Env, "GDAL_HTTP_HEADERS=Authorization: Bearer "+token)
			}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
			}
			return string(out)
		}
		src := "OAPIF:" + env.url + "/"
		if list := gdal("", "ogrinfo", "-ro", "-q", src); strings.Contains(list, "violations") {
			t.Errorf("ogrinfo without a token lists violations:\n%s", list)
		}
		list := gdal(env.reviewer, "ogrinfo", "-ro", "-q", src)
		for _, id := range []string{"violations", perCheck} {
			if !regexp.MustCompile(`(?m)^\d+: ` + regexp.QuoteMeta(id) + ` `).MatchString(list) {
				t.Errorf("ogrinfo with a reviewer token does not list %s:\n%s", id, list)
			}
		}
		count := regexp.MustCompile(`Feature Count: (\d+)`)
		for _, layer := range []string{"violations", perCheck} {
			out := filepath.Join(dir, strings.ReplaceAll(layer, ".", "_")+".gpkg")
			gdal(env.reviewer, "ogr2ogr", "-f", "GPKG", out, src, layer)
			info := gdal("", "ogrinfo", "-ro", "-so", out, layer)
			if m := count.FindStringSubmatch(info); m == nil || m[1] != strconv.Itoa(n) {
				t.Errorf("GeoPackage layer %s: %v features, want %d (with and without geometry)\n%s", layer, m, n, info)
			}
			if !strings.Contains(info, "Geometry: Multi Polygon") {
				t.Errorf("GeoPackage layer %s is not MultiPolygon:\n%s", layer, info)
			}
		}
		// A bbox around farmland F1's corner: the farmland overlap alone
		// (violations without geometry meet no box).
		out := filepath.Join(dir, "farmland.gpkg")
		gdal(env.reviewer, "ogr2ogr", "-f", "GPKG", "-spat", "121.05", "30.05", "121.065", "30.065", out, src, "violations")
		all := gdal("", "ogrinfo", "-ro", "-al", out)
		if got := strings.Count(all, "kind (String) = "); got != 1 || !strings.Contains(all, "kind (String) = basic_farmland") {
			t.Errorf("bbox copy: %d features, want the farmland overlap only\n%s", got, all)
		}
	})
}

// mustFloat parses a decimal number (JSON numbers decode as float64).
func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
