package main

import (
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tileParcels is the county of the tile test: the 100,000-parcel
// benchmark table (scripts/bench-api.sql).
const tileParcels = 100000

// tileAt returns the WebMercatorQuad column and row of the tile holding
// lon/lat (degrees) at zoom z.
func tileAt(lon, lat float64, z int) (x, y int) {
	n := math.Ldexp(1, z)
	x = int(math.Floor((lon + 180) / 360 * n))
	r := lat * math.Pi / 180
	y = int(math.Floor((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n))
	return x, y
}

// ogrFeature is one feature as ogrinfo prints it: its fields as text.
type ogrFeature map[string]string

// readMVT decodes an MVT file with GDAL's MVT driver (a real client),
// georeferenced as tile z/x/y, and returns its features by id.
func readMVT(t *testing.T, file string, z, x, y int) (layer string, feats map[string]ogrFeature) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Fatalf("ogrinfo not found (Debian gdal-bin; scripts/deps.sh installs it): %v", err)
	}
	// CLIP=NO: keep the features in the tile's buffer, which GDAL would
	// otherwise clip away at the tile's edge.
	out, err := exec.Command("ogrinfo", "-ro", "-al", "-q", "-oo", "CLIP=NO", "-oo", "Z="+strconv.Itoa(z), "-oo", "X="+strconv.Itoa(x),
		"-oo", "Y="+strconv.Itoa(y), file).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", file, err, out)
	}
	field := regexp.MustCompile(`^  (\w+) \((\w+)\) = (.*)$`)
	feats = map[string]ogrFeature{}
	var cur ogrFeature
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "Layer name: "):
			layer = strings.TrimPrefix(line, "Layer name: ")
		case strings.HasPrefix(line, "OGRFeature("):
			cur = ogrFeature{}
		case cur != nil && field.MatchString(line):
			m := field.FindStringSubmatch(line)
			cur[m[1]] = m[3]
			if m[1] == "id" {
				if _, dup := feats[m[3]]; dup {
					t.Errorf("feature %s twice in the tile", m[3])
				}
				feats[m[3]] = cur
			}
		}
	}
	return layer, feats
}

func TestServeTiles(t *testing.T) {
	env := newOGCEnvSized(t, tileParcels)
	dir := t.TempDir()

	// Tiles over the county's middle at z12 (thousands of parcels) to z16
	// (a few), and one on its south-west corner (partly empty).
	for _, tc := range []struct {
		name     string
		lon, lat float64
		z        int
		min      int // at least this many features
	}{
		{"z12-centre", 121.2, 30.2, 12, 2000},
		{"z14-centre", 121.2, 30.2, 14, 100},
		{"z16-centre", 121.2, 30.2, 16, 4},
		{"z15-corner", 121.0001, 30.0001, 15, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := tileAt(tc.lon, tc.lat, tc.z)
			path := "/collections/parcels/tiles/WebMercatorQuad/" + strconv.Itoa(tc.z) + "/" + strconv.Itoa(y) + "/" + strconv.Itoa(x)
			r := env.get(t, path)
			if r.status != 200 || r.header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
				t.Fatalf("GET %s: %d %s\n%.300s", path, r.status, r.header.Get("Content-Type"), r.body)
			}
			if r.header.Get("Content-Length") != strconv.Itoa(len(r.body)) {
				t.Errorf("Content-Length %q, body %d bytes", r.header.Get("Content-Length"), len(r.body))
			}
			etag := r.header.Get("ETag")
			if !strings.HasPrefix(etag, `"`) || r.header.Get("Cache-Control") != "public, max-age=60" {
				t.Errorf("ETag %q, Cache-Control %q", etag, r.header.Get("Cache-Control"))
			}
			file := filepath.Join(dir, tc.name+".mvt")
			if err := os.WriteFile(file, r.body, 0o644); err != nil {
				t.Fatal(err)
			}
			layer, feats := readMVT(t, file, tc.z, x, y)
			if layer != "parcels" {
				t.Errorf("MVT layer %q, want parcels", layer)
			}
			// The oracle: every parcel whose polygon intersects the tile
			// grown by its 64/4096 buffer, by ST_Intersects in EPSG:3857.
			rows, err := env.db.Query(`select id from parcel where ST_Intersects(ST_Transform(ST_SetSRID(geom, 4326), 3857),
				ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)) order by id`, tc.z, x, y)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				want = append(want, id)
			}
			rows.Close()
			got := make([]string, 0, len(feats))
			for id := range feats {
				got = append(got, id)
			}
			slices.Sort(got)
			if len(want) < tc.min || !slices.Equal(got, want) {
				t.Fatalf("tile %d/%d/%d: %d features, want the %d parcels that intersect it (at least %d); first got %v, want %v",
					tc.z, y, x, len(got), len(want), tc.min, got[:min(3, len(got))], want[:min(3, len(want))])
			}
			// Properties come from the layer's one definition: the same
			// values as the feature's GeoJSON.
			id := want[len(want)/2]
			props := env.get(t, "/collections/parcels/items/"+id).json(t)["properties"].(map[string]any)
			f := feats[id]
			nonNull := 0
			for name, v := range props {
				got, ok := f[name]
				if v != nil {
					nonNull++
				}
				switch v := v.(type) {
				case nil:
					if ok && got != "(null)" {
						t.Errorf("%s.%s = %q in the tile, null in GeoJSON", id, name, got)
					}
				case float64:
					g, err := strconv.ParseFloat(got, 64)
					if err != nil || math.Abs(g-v) > 1e-9*math.Max(1, math.Abs(v)) {
						t.Errorf("%s.%s = %q in the tile, %v in GeoJSON", id, name, got, v)
					}
				case string:
					if got != v {
						t.Errorf("%s.%s = %q in the tile, %q in GeoJSON", id, name, got, v)
					}
				default:
					t.Errorf("%s.%s: unexpected GeoJSON value %v", id, name, v)
				}
			}
			if len(f) != nonNull {
				t.Errorf("%s: tile fields %v, GeoJSON properties %v", id, f, props)
			}
			// Unchanged: revalidates with 304 and no body.
			if r2 := env.get(t, path, "If-None-Match", etag); r2.status != 304 || len(r2.body) != 0 || r2.header.Get("ETag") != etag {
				t.Errorf("If-None-Match %s: %d, ETag %q, %d bytes", etag, r2.status, r2.header.Get("ETag"), len(r2.body))
			}
		})
	}

	t.Run("points and lines", func(t *testing.T) {
		// Enterprises (points) at z13 over the county's middle: exactly the
		// firms inside the tile and its buffer, each a point.
		x, y := tileAt(121.2, 30.2, 13)
		r := env.get(t, "/collections/enterprises/tiles/WebMercatorQuad/13/"+strconv.Itoa(y)+"/"+strconv.Itoa(x))
		file := filepath.Join(dir, "enterprises.mvt")
		if err := os.WriteFile(file, r.body, 0o644); err != nil {
			t.Fatal(err)
		}
		if r.status != 200 {
			t.Fatalf("enterprises tile: %d", r.status)
		}
		_, feats := readMVT(t, file, 13, x, y)
		var want []string
		rows, err := env.db.Query(`select id from enterprise where ST_Intersects(ST_Transform(ST_SetSRID(geom, 4326), 3857),
			ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)) order by id`, 13, x, y)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			want = append(want, id)
		}
		rows.Close()
		got := slices.Sorted(maps.Keys(feats))
		if len(want) < 50 || !slices.Equal(got, want) {
			t.Errorf("enterprises tile: %d firms, want the %d inside it", len(got), len(want))
		}
		out, _ := exec.Command("ogrinfo", "-ro", "-al", "-q", "-oo", "CLIP=NO", file).CombinedOutput()
		if n := strings.Count(string(out), "  POINT ("); n != len(want) {
			t.Errorf("enterprises tile: %d points, want %d", n, len(want))
		}
		// The base plan's one assignment, E000001 → park P000004, as a line.
		var lon, lat float64
		if err := env.db.QueryRow(`select ST_X(c), ST_Y(c) from (select ST_Centroid(geom) c from plan_assignment
			where scenario_id = 'base' and enterprise_id = 'E000001') a`).Scan(&lon, &lat); err != nil {
			t.Fatal(err)
		}
		x, y = tileAt(lon, lat, 14)
		r = env.get(t, "/collections/base.assignments/tiles/WebMercatorQuad/14/"+strconv.Itoa(y)+"/"+strconv.Itoa(x))
		if err := os.WriteFile(file, r.body, 0o644); err != nil {
			t.Fatal(err)
		}
		out, _ = exec.Command("ogrinfo", "-ro", "-al", "-q", "-oo", "CLIP=NO", file).CombinedOutput()
		if r.status != 200 || !strings.Contains(string(out), "enterprise_id (String) = E000001") || !strings.Contains(string(out), "  LINESTRING (") {
			t.Errorf("base.assignments tile: %d\n%s", r.status, out)
		}
	})

	t.Run("empty", func(t *testing.T) {
		// The open sea east of the county: no feature, 204 No Content.
		x, y := tileAt(122.5, 30.2, 14)
		r := env.get(t, "/collections/parcels/tiles/WebMercatorQuad/14/"+strconv.Itoa(y)+"/"+strconv.Itoa(x))
		if r.status != 204 || len(r.body) != 0 || r.header.Get("ETag") == "" {
			t.Errorf("empty tile: %d, %d bytes, ETag %q", r.status, len(r.body), r.header.Get("ETag"))
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		for path, want := range map[string]struct {
			status int
			field  string
		}{
			"/collections/parcels/tiles/WebMercatorQuad/25/0/0":                   {400, "path.tileMatrix"},
			"/collections/parcels/tiles/WebMercatorQuad/-1/0/0":                   {400, "path.tileMatrix"},
			"/collections/parcels/tiles/WebMercatorQuad/3/8/0":                    {400, "path.tileRow"},
			"/collections/parcels/tiles/WebMercatorQuad/3/0/8":                    {400, "path.tileCol"},
			"/collections/parcels/tiles/WebMercatorQuad/3/0/-1":                   {400, "path.tileCol"},
			"/collections/parcels/tiles/WebMercatorQuad/3/a/0":                    {400, "path.tileRow"},
			"/collections/parcels/tiles/WebMercatorQuad/3/0/1.5":                  {400, "path.tileCol"},
			"/collections/parcels/tiles/WebMercatorQuad/99999999999999999999/0/0": {400, "path.tileMatrix"},
			"/collections/parcels/tiles/WebMercatorQuad/3/0/0?f=png":              {400, "query.f"},
			"/collections/parcels/tiles/WebMercatorQuad/3/0/0?bbox=1":             {400, "query.bbox"},
			"/collections/parcels/tiles/WorldCRS84Quad/3/0/0":                     {404, "path.tileMatrixSetId"},
			"/collections/nope/tiles/WebMercatorQuad/3/0/0":                       {404, "collectionId"},
			"/collections/draft.parks/tiles/WebMercatorQuad/3/0/0":                {404, "collectionId"},
		} {
			r := env.get(t, path)
			if r.status != want.status || r.json(t)["field"] != want.field {
				t.Errorf("GET %s: %d %.300s, want %d naming %s", path, r.status, r.body, want.status, want.field)
			}
		}
	})

	t.Run("scenario layers", func(t *testing.T) {
		// P000003 is a park of both plans (in the county's south-west corner).
		x, y := tileAt(121.0009, 30.0003, 16)
		path := "/tiles/WebMercatorQuad/16/" + strconv.Itoa(y) + "/" + strconv.Itoa(x)
		r := env.get(t, "/collections/base.parks"+path)
		if r.status != 200 || r.header.Get("Cache-Control") != "public, no-cache" {
			t.Fatalf("base.parks tile: %d, Cache-Control %q\n%.300s", r.status, r.header.Get("Cache-Control"), r.body)
		}
		file := filepath.Join(dir, "parks.mvt")
		if err := os.WriteFile(file, r.body, 0o644); err != nil {
			t.Fatal(err)
		}
		layer, feats := readMVT(t, file, 16, x, y)
		if layer != "parks" || feats == nil {
			t.Fatalf("base.parks tile: layer %q, features %v", layer, feats)
		}
		// parks are keyed by parcel_id, not id: readMVT indexes by "id" only.
		out, _ := exec.Command("ogrinfo", "-ro", "-al", "-q", file).CombinedOutput()
		if !strings.Contains(string(out), "parcel_id (String) = P000003") || !strings.Contains(string(out), "specialty (String) = textile") {
			t.Errorf("base.parks tile lacks park P000003 (textile):\n%s", out)
		}
		draft := env.get(t, "/collections/draft.parks"+path, "Authorization", "Bearer "+env.reviewer)
		if draft.status != 200 || draft.header.Get("Cache-Control") != "private, no-cache" {
			t.Errorf("draft.parks tile for a reviewer: %d, Cache-Control %q", draft.status, draft.header.Get("Cache-Control"))
		}
		if draft.header.Get("ETag") == r.header.Get("ETag") {
			t.Errorf("the draft's tile (P000003 hardware) has the base's ETag %s", r.header.Get("ETag"))
		}
	})

	t.Run("metadata", func(t *testing.T) {
		col := env.get(t, "/collections/parcels").json(t)
		tiles := links(col)["http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"]
		if tiles != env.url+"/collections/parcels/tiles" {
			t.Fatalf("collection's tilesets link %q", tiles)
		}
		ts := env.get(t, "/collections/parcels/tiles/WebMercatorQuad").json(t)
		var tmpl string
		for _, l := range ts["links"].([]any) {
			if m := l.(map[string]any); m["rel"] == "item" && m["templated"] == true {
				tmpl = m["href"].(string)
			}
		}
		if tmpl != env.url+"/collections/parcels/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}" {
			t.Errorf("tile template %q", tmpl)
		}
		layers := ts["layers"].([]any)
		props := layers[0].(map[string]any)["propertiesSchema"].(map[string]any)["properties"].(map[string]any)
		if len(layers) != 1 || len(props) != 11 || props["area_mu"].(map[string]any)["type"] != "number" {
			t.Errorf("tileset layers %v", layers)
		}
		tms := env.get(t, "/tileMatrixSets/WebMercatorQuad").json(t)
		ms := tms["tileMatrices"].([]any)
		if len(ms) != 25 || ms[14].(map[string]any)["matrixWidth"].(float64) != 16384 {
			t.Errorf("tile matrix set: %d levels", len(ms))
		}
		if l := links(env.get(t, "/ogc?f=json").json(t))["http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"]; l != env.url+"/tileMatrixSets" {
			t.Errorf("landing page's tiling-schemes link %q", l)
		}
		conf := string(env.get(t, "/conformance").body)
		if !strings.Contains(conf, "ogcapi-tiles-1/1.0/conf/mvt") {
			t.Errorf("conformance lacks MVT tiles: %s", conf)
		}
	})
}
