package main

import (
	"encoding/json"
	"image"
	_ "image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// qgisMinInk is the least share of a rendered map's pixels that must not
// be the white background for the map to count as drawn.
const qgisMinInk = 0.05

// qgisMinTownLabels is the least number of towns (of the demo's 19) the
// 1000-pixel render must label in Chinese (镇, 街道); QGIS leaves out
// labels that would collide.
const qgisMinTownLabels = 10

// checkQGISProject (issue 11 item 4, TestLayersSameInEveryFormat): the
// QGIS project of `GET /scenarios/{id}/export?f=qgz` opened by QGIS itself
// (PyQGIS, headless): every layer valid, its feature count the API's
// numberMatched of the same collection, parks categorized (by specialty),
// Chinese town labels drawn, and a rendered PNG that is not blank.
func checkQGISProject(t *testing.T, base, id, zipFile string) {
	t.Helper()
	dir := unzip(t, zipFile)
	for _, f := range []string{id + ".qgz", id + ".gpkg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("the qgz export has no %s: %v", f, err)
		}
	}
	png := filepath.Join(dir, "map.png")
	cmd := exec.Command("/usr/bin/python3", "../../scripts/qgis-check.py", filepath.Join(dir, id+".qgz"), png)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("QGIS (python3-qgis) on the project: %v\n%s", err, out)
	}
	var res struct {
		CRS    string   `json:"crs"`
		Labels []string `json:"labels"`
		Layers []struct {
			ID, Name, Renderer string
			Valid              bool
			Count              int
		} `json:"layers"`
	}
	if err := json.Unmarshal(out[strings.LastIndexByte(strings.TrimSpace(string(out)), '\n')+1:], &res); err != nil {
		t.Fatalf("qgis-check.py said %s: %v", out, err)
	}
	if res.CRS != "EPSG:4490" || len(res.Layers) != 6 {
		t.Errorf("project CRS %q with %d layers, want EPSG:4490 and 6", res.CRS, len(res.Layers))
	}
	for _, l := range res.Layers {
		name := strings.TrimPrefix(l.ID, "parkplan_")
		collection := id + "." + name
		if name == "protected" {
			collection = name
		}
		if want := numberMatched(t, base, collection); !l.Valid || l.Count != want {
			t.Errorf("QGIS layer %s: valid %v, %d features; the API's %s has %d", l.Name, l.Valid, l.Count, collection, want)
		}
		if name == "parks" && l.Renderer != "categorizedSymbol" {
			t.Errorf("parks drawn by %s, want categorizedSymbol (by specialty)", l.Renderer)
		}
	}
	zh := 0
	for _, l := range res.Labels {
		if strings.HasSuffix(l, "镇") || strings.HasSuffix(l, "街道") {
			zh++
		}
	}
	if zh < qgisMinTownLabels {
		t.Errorf("QGIS drew %d Chinese town labels (%v), want at least %d", zh, res.Labels, qgisMinTownLabels)
	}
	f, err := os.Open(png)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("the rendered map: %v", err)
	}
	b := img.Bounds()
	ink, colours := 0, map[[3]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if r>>8 < 250 || g>>8 < 250 || bl>>8 < 250 {
				ink++
			}
		}
	}
	if share := float64(ink) / float64(b.Dx()*b.Dy()); share < qgisMinInk || len(colours) < 10 {
		t.Errorf("the rendered map is blank: %.1f %% ink, %d colours", 100*share, len(colours))
	}
}

// numberMatched returns the API's numberMatched of a collection.
func numberMatched(t *testing.T, base, collection string) int {
	t.Helper()
	resp, err := http.Get(base + "/collections/" + collection + "/items?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		NumberMatched int `json:"numberMatched"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("items of %s: %d %v", collection, resp.StatusCode, err)
	}
	return page.NumberMatched
}
