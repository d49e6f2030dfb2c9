package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner/layers"
)

// Tolerances of the cross-format comparison.
const (
	// formatCoordTol: the API writes 7 decimals of a degree (~1 cm);
	// the CLI's files and GDAL's read-backs of full doubles differ from
	// them by half a unit of the 7th decimal at most.
	formatCoordTol = 0.6e-7
	// formatRelTol: a DBF keeps 15 significant digits of a number.
	formatRelTol = 1e-12
	// formatAreaRelTol: polygon areas (planar, degrees²) after the
	// 7-decimal rounding of the API's coordinates.
	formatAreaRelTol = 1e-4
)

// layerFeature is one feature as every format can say it: the id, the
// properties by name, the geometry.
type layerFeature struct {
	props map[string]any
	geom  orb.Geometry
}

// TestLayersSameInEveryFormat (issue 11, item 5): every plan layer of
// planner/layers carries the same features with the same properties in
// `parkplan solve`'s GeoJSON files, in the OGC API's items, and in the
// GeoPackage and zipped Shapefiles that `parkplan export` and
// GET /scenarios/{id}/export write (read back by ogr2ogr); candidates the
// same in the API and the exports; and the CLI's and the API's exports
// hold the same data.
func TestLayersSameInEveryFormat(t *testing.T) {
	dbURL := postgisTestDB(t, "layers")
	_, dir := demoDataset(t)
	if code, o, e := runCLI("import", dir, "--db", dbURL); code != 0 {
		t.Fatalf("import: %d\n%s%s", code, o, e)
	}
	base, _ := os.ReadFile("../../scenarios/baseline.yaml")
	sc := strings.Replace(strings.Replace(string(base), "node_limit: 5000", registerPlanNodes, 1), "time_limit: 60s", "time_limit: 900s", 1)
	scFile := filepath.Join(t.TempDir(), "baseline.yaml")
	os.WriteFile(scFile, []byte(sc), 0o644)
	planDir := t.TempDir()
	code, out, errOut := runCLI("solve", "--scenario", scFile, "--out", planDir, "--no-timing", "--publish", "--db", dbURL)
	m := regexp.MustCompile(`saved scenario "[^"]*" as (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("solve: %d\n%s%s", code, out, errOut)
	}
	id := m[1]
	env := startOGCServe(t, dbURL)
	defer env.stop()

	tmp := t.TempDir()
	files := map[string]string{} // export name → file
	for _, f := range []string{"gpkg", "shp"} {
		cli := filepath.Join(tmp, "cli."+f)
		if code, o, e := runCLI("export", "--scenario", id, "--format", f, "--out", cli, "--db", dbURL); code != 0 {
			t.Fatalf("export --format %s: %d\n%s%s", f, code, o, e)
		}
		api := filepath.Join(tmp, "api."+f)
		download(t, env.url+"/scenarios/"+id+"/export?f="+f, api)
		if f == "shp" {
			cli, api = unzip(t, cli), unzip(t, api)
		}
		files["cli "+f], files["api "+f] = cli, api
	}

	for _, l := range layers.PlanLayers() {
		t.Run(l.Name, func(t *testing.T) {
			want := readGeoJSONFeatures(t, filepath.Join(planDir, l.Name+".geojson"), "")
			if len(want) == 0 && l.Name != layers.Unplaced {
				t.Fatalf("the plan's %s file is empty: the comparison would test nothing", l.Name)
			}
			checkLayerProps(t, "CLI file", l, want, "")
			api := apiFeatures(t, env.url, id+"."+l.Name)
			checkLayerProps(t, "API", l, api, "")
			sameFeatures(t, "API items vs the CLI file", want, api, false)
			for _, src := range []string{"cli gpkg", "api gpkg", "cli shp", "api shp"} {
				got := readBack(t, files[src], l.Name)
				shp := strings.HasSuffix(src, "shp")
				checkLayerProps(t, src, l, got, map[bool]string{true: "dbf", false: ""}[shp])
				sameFeatures(t, src+" vs the CLI file", want, fromDBF(l, got, shp), shp)
			}
		})
	}
	t.Run("candidates", func(t *testing.T) {
		api := apiFeatures(t, env.url, id+".candidates")
		if len(api) == 0 {
			t.Fatal("no candidates")
		}
		for id, f := range api { // its "id" property is the feature id, which readBack takes out
			if f.props["id"] != id {
				t.Errorf("candidate %s has id property %v", id, f.props["id"])
			}
			delete(f.props, "id")
		}
		for _, src := range []string{"cli gpkg", "api gpkg", "cli shp", "api shp"} {
			sameFeatures(t, src+" vs API items", api, readBack(t, files[src], "candidates"), strings.HasSuffix(src, "shp"))
		}
	})
	t.Run("CLI and API exports alike", func(t *testing.T) {
		for _, f := range []string{"gpkg", "shp"} {
			for _, name := range append(ogr.ExportLayerNames(), "scenario", "kpi", "quota_ledger") {
				a, b := readBack(t, files["cli "+f], name), readBack(t, files["api "+f], name)
				if !reflect.DeepEqual(a, b) {
					t.Errorf("%s layer %s differs between the CLI's and the API's export", f, name)
				}
			}
		}
	})
	t.Run("API export refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			status     int
		}{
			{"unknown scenario", "/scenarios/nope/export?f=gpkg", http.StatusNotFound},
			{"unknown format", "/scenarios/" + id + "/export?f=pdf", http.StatusBadRequest},
			{"unknown encoding", "/scenarios/" + id + "/export?f=shp&encoding=latin1", http.StatusBadRequest},
			{"unknown parameter", "/scenarios/" + id + "/export?format=gpkg", http.StatusBadRequest},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp, err := http.Get(env.url + tc.path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.status || !strings.Contains(resp.Header.Get("Content-Type"), "problem+json") {
					t.Errorf("GET %s: %d %s %s, want %d problem", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), b, tc.status)
				}
			})
		}
	})
	t.Run("QGIS project", func(t *testing.T) {
		zipFile := filepath.Join(tmp, "qgis.zip")
		download(t, env.url+"/scenarios/"+id+"/export?f=qgz", zipFile)
		checkQGISProject(t, env.url, id, zipFile)
		cli := filepath.Join(tmp, "cli-qgis.zip")
		if code, o, e := runCLI("export", "--scenario", id, "--format", "qgz", "--out", cli, "--db", dbURL); code != 0 {
			t.Fatalf("export --format qgz: %d\n%s%s", code, o, e)
		}
		checkQGISProject(t, env.url, id, cli)
	})
	t.Run("API export GBK", func(t *testing.T) {
		zipFile := filepath.Join(tmp, "gbk.zip")
		download(t, env.url+"/scenarios/"+id+"/export?f=shp&encoding=GBK", zipFile)
		shp := unzip(t, zipFile)
		if b, _ := os.ReadFile(filepath.Join(shp, "towns.cpg")); strings.TrimSpace(string(b)) != "CP936" {
			t.Errorf("towns.cpg says %q, want CP936", b)
		}
		got := readBack(t, shp, "towns")
		if !reflect.DeepEqual(got, readBack(t, files["api shp"], "towns")) {
			t.Errorf("the GBK towns.dbf reads back unlike the UTF-8 one")
		}
	})
}

// download GETs url into path, failing the test unless it is a 200.
func download(t *testing.T, url, path string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// apiFeatures reads a whole collection from the OGC API (one page).
func apiFeatures(t *testing.T, base, collection string) map[string]layerFeature {
	t.Helper()
	resp, err := http.Get(base + "/collections/" + collection + "/items?limit=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("items of %s: %d %s", collection, resp.StatusCode, b)
	}
	return decodeFeatures(t, collection, b, "")
}

// readBack reads layer of an export (a GeoPackage, or a directory of
// Shapefiles) through ogr2ogr; ids come from the "id" field.
func readBack(t *testing.T, src, layer string) map[string]layerFeature {
	t.Helper()
	path := src
	if fi, err := os.Stat(src); err == nil && fi.IsDir() {
		path = filepath.Join(src, layer+".shp")
		if _, err := os.Stat(path); err != nil {
			path = filepath.Join(src, layer+".dbf")
		}
	}
	rc, err := ogr.Stream(context.Background(), path, layer)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %s of %s: %v", layer, src, err)
	}
	return decodeFeatures(t, src+" "+layer, b, "id")
}

// readGeoJSONFeatures reads a GeoJSON file's features.
func readGeoJSONFeatures(t *testing.T, path, idField string) map[string]layerFeature {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decodeFeatures(t, path, b, idField)
}

// decodeFeatures decodes a FeatureCollection into features by id: the
// feature's id, or (idField set) that property's value, taken out of the
// properties; tables without an id field are keyed by row number.
func decodeFeatures(t *testing.T, what string, b []byte, idField string) map[string]layerFeature {
	t.Helper()
	var fc struct {
		Features []struct {
			ID         any             `json:"id"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	out := map[string]layerFeature{}
	for i, f := range fc.Features {
		id := fmt.Sprint(f.ID)
		if idField != "" {
			v, ok := f.Properties[idField]
			if ok {
				id = fmt.Sprint(v)
				delete(f.Properties, idField)
			} else {
				id = fmt.Sprint(i)
			}
		}
		lf := layerFeature{props: f.Properties}
		if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
			g, err := geojson.UnmarshalGeometry(f.Geometry)
			if err != nil {
				t.Fatalf("%s feature %s: %v", what, id, err)
			}
			lf.geom = g.Geometry()
		}
		if _, dup := out[id]; dup {
			t.Fatalf("%s: feature id %s twice", what, id)
		}
		out[id] = lf
	}
	return out
}

// checkLayerProps checks that every feature carries exactly the layer's
// properties (by their DBF names when names is "dbf").
func checkLayerProps(t *testing.T, src string, l layers.Layer, fs map[string]layerFeature, names string) {
	t.Helper()
	var want []string
	for _, p := range l.Props {
		if names == "dbf" {
			want = append(want, p.DBFName())
		} else {
			want = append(want, p.Name)
		}
	}
	sort.Strings(want)
	for id, f := range fs {
		var got []string
		for k := range f.props {
			got = append(got, k)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s feature %s has properties %v, want %v", src, l.Name, id, got, want)
			return
		}
	}
}

// fromDBF renames a Shapefile's DBF columns back to the property names.
func fromDBF(l layers.Layer, fs map[string]layerFeature, shp bool) map[string]layerFeature {
	if !shp {
		return fs
	}
	out := map[string]layerFeature{}
	for id, f := range fs {
		props := map[string]any{}
		for _, p := range l.Props {
			if v, ok := f.props[p.DBFName()]; ok {
				props[p.Name] = v
			}
		}
		out[id] = layerFeature{props: props, geom: f.geom}
	}
	return out
}

// sameFeatures compares two formats' features: the same ids, property
// values (numbers to a DBF's precision; in a Shapefile a boolean may read
// back as 0/1 and an empty string as null) and geometries (to the API's
// 7 decimals).
func sameFeatures(t *testing.T, what string, want, got map[string]layerFeature, shp bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d features, want %d", what, len(got), len(want))
	}
	bad := 0
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("%s: no feature %s", what, id)
			bad++
		}
		for k, wv := range w.props {
			if gv := g.props[k]; ok && !sameValue(wv, gv, shp) {
				t.Errorf("%s: feature %s property %s is %#v, want %#v", what, id, k, gv, wv)
				bad++
			}
		}
		if ok && !sameGeometry(w.geom, g.geom) {
			t.Errorf("%s: feature %s geometry differs", what, id)
			bad++
		}
		if bad > 10 {
			t.Fatalf("%s: more than 10 differences", what)
		}
	}
}

func sameValue(w, g any, shp bool) bool {
	switch w := w.(type) {
	case float64:
		gf, ok := g.(float64)
		return ok && math.Abs(w-gf) <= formatRelTol*math.Max(1, math.Abs(w))
	case bool:
		if shp {
			if gf, ok := g.(float64); ok {
				return (gf == 1) == w
			}
		}
		return g == w
	case string:
		if shp && w == "" {
			return g == nil || g == ""
		}
	case nil:
		if shp {
			return g == nil || g == ""
		}
	}
	return reflect.DeepEqual(w, g)
}

// sameGeometry compares two geometries to the API's precision: the same
// kind, vertex count and bounds, and for polygons the same area (a
// Shapefile may turn rings round and a one-part MultiPolygon into a
// Polygon).
func sameGeometry(w, g orb.Geometry) bool {
	if w == nil || g == nil {
		return w == nil && g == nil
	}
	if w.Dimensions() != g.Dimensions() || vertices(w) != vertices(g) {
		return false
	}
	wb, gb := w.Bound(), g.Bound()
	for i := range 2 {
		if math.Abs(wb.Min[i]-gb.Min[i]) > formatCoordTol || math.Abs(wb.Max[i]-gb.Max[i]) > formatCoordTol {
			return false
		}
	}
	if w.Dimensions() == 2 {
		wa, ga := planar.Area(w), planar.Area(g)
		return math.Abs(wa-ga) <= formatAreaRelTol*math.Abs(wa)
	}
	return true
}

func vertices(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.LineString:
		return len(g)
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += vertices(p)
		}
		return n
	}
	return -1
}
