package dataset_test

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
	"github.com/paulmach/orb"
)

// mmTolM is the agreement asked of a CRS round trip: 1 mm.
const mmTolM = 1e-3

// geojsonFiles are the layers with geometry.
var geojsonFiles = []string{dataset.FileTowns, dataset.FileParcels, dataset.FileProtected, dataset.FileEnterprises}

// reprojectWithGDAL writes a copy of src with every GeoJSON layer
// reprojected by ogr2ogr (GDAL, as a user would) to EPSG:epsg; GDAL
// declares it with a "crs" member. The CSV files are copied.
func reprojectWithGDAL(t *testing.T, src, epsg string) string {
	t.Helper()
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatal("ogr2ogr (gdal-bin) is needed: scripts/deps.sh installs it")
	}
	dst := t.TempDir()
	if err := datasettest.CopyDir(dst, src); err != nil {
		t.Fatal(err)
	}
	for _, f := range geojsonFiles {
		out := filepath.Join(dst, f)
		os.Remove(out)
		cmd := exec.Command("ogr2ogr", "-f", "GeoJSON", "-s_srs", "EPSG:4490", "-t_srs", epsg, out, filepath.Join(src, f))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %s: %v\n%s", f, err, b)
		}
	}
	return dst
}

// TestGaussKrugerInputFromGDAL reads the fixture reprojected by ogr2ogr to
// EPSG:4549 and EPSG:4528: the same dataset within 1 mm.
func TestGaussKrugerInputFromGDAL(t *testing.T) {
	want, err := dataset.LoadDir(smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, epsg := range []string{"EPSG:4549", "EPSG:4528", "EPSG:4510", "EPSG:4499"} { // 3° and 6° zones, with and without prefix
		t.Run(epsg, func(t *testing.T) {
			dir := reprojectWithGDAL(t, smallDir, epsg)
			b, _ := os.ReadFile(filepath.Join(dir, dataset.FileParcels))
			if !strings.Contains(string(b), "EPSG::"+strings.TrimPrefix(epsg, "EPSG:")) {
				t.Fatalf("GDAL did not declare %s", epsg)
			}
			got, err := dataset.LoadDir(dir, dataset.Options{})
			if err != nil {
				t.Fatal(err)
			}
			assertSameWithin(t, want, got, mmTolM)
			// the same files with the CRS given by flag, not by the file, must agree too
			if _, err := dataset.LoadDir(dir, dataset.Options{CRS: epsg}); err != nil {
				t.Errorf("with --crs %s as well: %v", epsg, err)
			}
		})
	}
}

// TestCRSContradiction: a file declaring EPSG:4549 read with --crs EPSG:4528 is refused.
func TestCRSContradiction(t *testing.T) {
	dir := reprojectWithGDAL(t, smallDir, "EPSG:4549")
	_, err := dataset.LoadDir(dir, dataset.Options{CRS: "EPSG:4528"})
	if err == nil || !strings.Contains(err.Error(), "declares EPSG:4549 but --crs says EPSG:4528") {
		t.Fatalf("err %v; want the contradiction named", err)
	}
	// a file that declares lon/lat but holds metres
	path := filepath.Join(dir, dataset.FileEnterprises)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), "EPSG::4549", "EPSG::4490", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = dataset.LoadDir(dir, dataset.Options{})
	if err == nil || !strings.Contains(err.Error(), "enterprises.geojson: feature 0 (id E-0001): geometry.coordinates") ||
		!strings.Contains(err.Error(), "but the declared CRS EPSG:4490 is lon/lat") {
		t.Fatalf("err %v; want the wrong declaration named", err)
	}
	_, err = dataset.LoadDir(smallDir, dataset.Options{CRS: "EPSG:3857"})
	if err == nil || !strings.Contains(err.Error(), "unsupported CRS") || planner.ErrorCode(err) != planner.EINVALID {
		t.Fatalf("err %v; want unsupported CRS (invalid)", err)
	}
}

// TestGCJ02Input shifts the fixture into GCJ-02 (geo.WGS84ToGCJ02) and
// reads it back with FromGCJ02: the original within 1 mm (+ the writer's
// 1e-8° rounding, ≤ 0.8 mm).
func TestGCJ02Input(t *testing.T) {
	ds := datasettest.Small()
	shift := func(mp orb.MultiPolygon) orb.MultiPolygon {
		return geo.GeometryWGS84ToGCJ02(mp.Clone()).(orb.MultiPolygon)
	}
	for i := range ds.Towns {
		ds.Towns[i].Boundary = shift(ds.Towns[i].Boundary)
		ds.Towns[i].Seat = geo.WGS84ToGCJ02(ds.Towns[i].Seat)
	}
	for i := range ds.Parcels {
		ds.Parcels[i].Geometry = shift(ds.Parcels[i].Geometry)
	}
	for i := range ds.Protected {
		ds.Protected[i].Geometry = shift(ds.Protected[i].Geometry)
	}
	for i := range ds.Enterprises {
		ds.Enterprises[i].Location = geo.WGS84ToGCJ02(ds.Enterprises[i].Location)
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	got, err := dataset.LoadDir(dir, dataset.Options{FromGCJ02: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := dataset.LoadDir(smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertSameWithin(t, want, got, 2*mmTolM)
	// read as plain lon/lat, the same files are ~500 m off
	raw, err := dataset.LoadDir(dir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := geo.DistanceM(raw.Enterprises[0].Location, want.Enterprises[0].Location); d < 100 {
		t.Errorf("GCJ-02 offset only %.1f m; the shift did not happen", d)
	}
}

// assertSameWithin checks that got has want's records with every
// coordinate within tolM metres and the same attributes.
func assertSameWithin(t *testing.T, want, got *planner.Dataset, tolM float64) {
	t.Helper()
	if len(got.Towns) != len(want.Towns) || len(got.Parcels) != len(want.Parcels) ||
		len(got.Protected) != len(want.Protected) || len(got.Enterprises) != len(want.Enterprises) {
		t.Fatalf("layer sizes differ")
	}
	worst := 0.0
	cmpPt := func(what string, a, b orb.Point) {
		d := geo.DistanceM(a, b)
		worst = math.Max(worst, d)
		if d > tolM {
			t.Errorf("%s: %v vs %v: %.4f m apart", what, a, b, d)
		}
	}
	cmpMP := func(what string, a, b orb.MultiPolygon) {
		if len(a) != len(b) {
			t.Fatalf("%s: %d vs %d polygons", what, len(a), len(b))
		}
		for i := range a {
			if len(a[i]) != len(b[i]) {
				t.Fatalf("%s: ring counts differ", what)
			}
			for j := range a[i] {
				if len(a[i][j]) != len(b[i][j]) {
					t.Fatalf("%s: ring lengths differ", what)
				}
				for k := range a[i][j] {
					cmpPt(what, a[i][j][k], b[i][j][k])
				}
			}
		}
	}
	for i, w := range want.Towns {
		g := got.Towns[i]
		cmpMP("town "+w.Code, w.Boundary, g.Boundary)
		cmpPt("seat of "+w.Code, w.Seat, g.Seat)
	}
	for i, w := range want.Parcels {
		g := got.Parcels[i]
		if g.ID != w.ID || g.FAR != w.FAR || g.Firms != w.Firms || g.Specialty != w.Specialty || g.Name != w.Name {
			t.Errorf("parcel %s: attributes differ: %+v vs %+v", w.ID, g, w)
		}
		cmpMP("parcel "+w.ID, w.Geometry, g.Geometry)
	}
	for i, w := range want.Protected {
		cmpMP("protected "+w.ID, w.Geometry, got.Protected[i].Geometry)
	}
	for i, w := range want.Enterprises {
		if got.Enterprises[i].ID != w.ID {
			t.Errorf("enterprise %d: id %s vs %s", i, got.Enterprises[i].ID, w.ID)
		}
		cmpPt("enterprise "+w.ID, w.Location, got.Enterprises[i].Location)
	}
	t.Logf("largest coordinate difference %.3g m", worst)
}
