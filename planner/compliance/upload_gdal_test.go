package compliance

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadProposedFromOGR2OGR reprojects an upload to EPSG:4549 with GDAL,
// as a surveyor's tool would send it (with GDAL's "crs" member), and reads
// it back: the same parcels, positions within 1e-7° (1 cm) and areas within
// 0.001 mu of the lon/lat original.
func TestReadProposedFromOGR2OGR(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatal("ogr2ogr not found: install gdal-bin (scripts/deps.sh)")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "lonlat.geojson")
	body := collection(
		feature(`"id":"N1","town":"zhouxiang","kind":"new_land","open_year":2020`, "Polygon", square),
		feature(`"id":"N2","town":"zhangqi","kind":"old_factory"`, "Polygon",
			`[[[121.45,30.14],[121.453,30.14],[121.453,30.1415],[121.45,30.1415],[121.45,30.14]]]`))
	if err := os.WriteFile(src, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "gk.geojson")
	if out, err := exec.Command("ogr2ogr", "-f", "GeoJSON", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4549",
		"-lco", "COORDINATE_PRECISION=4", dst, src).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "EPSG::4549") {
		t.Fatalf("ogr2ogr wrote no crs member:\n%s", raw)
	}
	want, err := ReadProposed(strings.NewReader(body), "lonlat.geojson", uploadTowns)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadProposed(f, "gk.geojson", uploadTowns)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d parcels, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Town != want[i].Town || got[i].OpenYear != want[i].OpenYear {
			t.Errorf("parcel %d: %+v, want %+v", i, got[i], want[i])
		}
		if math.Abs(got[i].AreaMu-want[i].AreaMu) > 1e-3 {
			t.Errorf("%s: %.5f mu after the round trip, %.5f before", want[i].ID, got[i].AreaMu, want[i].AreaMu)
		}
		for j, p := range want[i].Geometry[0][0] {
			q := got[i].Geometry[0][0][j]
			if math.Abs(p[0]-q[0]) > 1e-7 || math.Abs(p[1]-q[1]) > 1e-7 {
				t.Errorf("%s vertex %d: %v, want %v", want[i].ID, j, q, p)
			}
		}
	}
}
