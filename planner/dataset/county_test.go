package dataset_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// twoCounties writes the small dataset as a province of two counties,
// west (zhouxiang) and east (guanhaiwei), each bounded by its town, and
// returns the directory and the dataset written.
func twoCounties(t *testing.T) (string, *planner.Dataset) {
	t.Helper()
	return twoCountiesMoved(t, 0)
}

// twoCountiesMoved is twoCounties with county east's boundary moved
// dLon degrees east (its town stays where it is).
func twoCountiesMoved(t *testing.T, dLon float64) (string, *planner.Dataset) {
	t.Helper()
	ds, err := dataset.LoadDir(smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds.Counties = nil
	for i := range ds.Towns {
		tw := &ds.Towns[i]
		code := map[string]string{"zhouxiang": "west", "guanhaiwei": "east"}[tw.Code]
		tw.County = code
		c := planner.County{Code: code, NameZh: code + "县", NameEn: code, Prefecture: "宁波市", Seat: tw.Seat, Boundary: tw.Boundary}
		if code == "east" && dLon != 0 {
			c.Boundary = orb.MultiPolygon{}
			for _, poly := range tw.Boundary {
				var moved orb.Polygon
				for _, ring := range poly {
					var r orb.Ring
					for _, pt := range ring {
						r = append(r, orb.Point{pt[0] + dLon, pt[1]})
					}
					moved = append(moved, r)
				}
				c.Boundary = append(c.Boundary, moved)
			}
			c.Seat[0] += dLon
		}
		ds.Counties = append(ds.Counties, c)
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	return dir, ds
}

// TestCountiesRoundTrip: counties.geojson and the towns' county property
// are read back as written, and written again to the same bytes; they
// are content (the hash differs from the same data without counties).
func TestCountiesRoundTrip(t *testing.T) {
	dir, want := twoCounties(t)
	got, err := dataset.LoadDir(dir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Counties) != 2 || got.Counties[0].Code != "east" || got.Counties[1].Code != "west" || got.Counties[0].Implied {
		t.Fatalf("counties read: %+v", got.Counties)
	}
	for _, tw := range got.Towns {
		if want := map[string]string{"zhouxiang": "west", "guanhaiwei": "east"}[tw.Code]; tw.County != want {
			t.Errorf("town %s in county %q, want %q", tw.Code, tw.County, want)
		}
	}
	if !reflect.DeepEqual(got.Counties[1].Boundary, want.Towns[1].Boundary) || got.Counties[1].Prefecture != "宁波市" {
		t.Errorf("county west read as %+v", got.Counties[1])
	}
	again := t.TempDir()
	if err := dataset.WriteDir(got, again); err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{dataset.FileCounties}, allFiles...) {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, err := os.ReadFile(filepath.Join(again, f))
		if err != nil || len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s: written again differs (%v)", f, err)
		}
	}
	withCounties, err := hashOf(t, dir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	without, _ := hashOf(t, smallDir, dataset.Options{})
	if withCounties == without {
		t.Error("the content hash ignores the counties")
	}
	// written without counties again, the directory loses counties.geojson
	got.Counties = []planner.County{planner.DefaultCounty()}
	if err := dataset.WriteDir(got, again); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(again, dataset.FileCounties)); !os.IsNotExist(err) {
		t.Errorf("a dataset without counties left %s behind (%v)", dataset.FileCounties, err)
	}
}

// TestCountiesAbsent: without counties.geojson the data is one county,
// the implied default, every town in it; the content hash is the one
// the same files had before counties existed (golden, computed by the
// reader of c6f43be).
func TestCountiesAbsent(t *testing.T) {
	ds, err := dataset.LoadDir(smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds.Counties, []planner.County{planner.DefaultCounty()}) {
		t.Errorf("counties %+v, want the implied default county alone", ds.Counties)
	}
	for _, tw := range ds.Towns {
		if tw.County != planner.DefaultCountyCode {
			t.Errorf("town %s in county %q, want %q", tw.Code, tw.County, planner.DefaultCountyCode)
		}
	}
	got, err := hashOf(t, smallDir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "small_content_hash.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.TrimSpace(string(want)) {
		t.Errorf("content hash of %s is %s, was %s before counties", smallDir, got, strings.TrimSpace(string(want)))
	}
}

// TestTownOutsideItsCounty: a town far outside its county's box is
// refused, naming the town, the county and the distance.
func TestTownOutsideItsCounty(t *testing.T) {
	dir, _ := twoCountiesMoved(t, 1)
	_, err := dataset.ReadDir(dir, dataset.Options{}, dataset.Handler{})
	want := "towns.geojson: feature 0 (id guanhaiwei): geometry: lies 81.9 km outside county east's bounding box"
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want EINVALID with %q", err, want)
	}
	if _, err := dataset.LoadDir(func() string { d, _ := twoCountiesMoved(t, 0.01); return d }(), dataset.Options{}); err != nil {
		t.Errorf("a county boundary 1 km off its town (within the tolerance): %v", err)
	}
}

// TestCountyBadInputs: broken counties and town county properties are
// refused, naming file, feature, id, field and value.
func TestCountyBadInputs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   string
		old    string
		new    string
		remove string // a file to remove first
		want   []string
	}{
		{"town names an unknown county", dataset.FileTowns, `"county":"west"`, `"county":"north"`, "",
			[]string{`towns.geojson: feature 1 (id zhouxiang): properties.county: unknown county "north" (not in counties.geojson)`}},
		{"town without its county", dataset.FileTowns, `"county":"east",`, ``, "",
			[]string{"towns.geojson: feature 0 (id guanhaiwei): properties.county: missing"}},
		{"county without a prefecture", dataset.FileCounties, `"prefecture":"宁波市",`, ``, "",
			[]string{"counties.geojson: feature 0 (id east): properties.prefecture: missing"}},
		{"duplicate county code", dataset.FileCounties, `"id":"west","properties":{"code":"west"`, `"id":"east","properties":{"code":"east"`, "",
			[]string{`counties.geojson: feature 1 (id east): properties.code: duplicate id "east": feature 0 has it too`}},
		{"county seat out of range", dataset.FileCounties, `"seat_lon":121.`, `"seat_lon":221.`, "",
			[]string{"counties.geojson: feature 0 (id east): properties.seat_lon: seat:"}},
		{"county without a boundary", dataset.FileCounties, `"geometry":{"type":"MultiPolygon"`, `"geometry":null,"x":{"type":"MultiPolygon"`, "",
			[]string{"counties.geojson: feature 0 (id east): geometry"}},
		{"a county named without counties.geojson", dataset.FileTowns, `"county":"west"`, `"county":"west"`, dataset.FileCounties,
			[]string{`towns.geojson: feature 1 (id zhouxiang): properties.county: unknown county "west": counties.geojson is absent, so every town is in the default county "cixi"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := twoCounties(t)
			if tc.remove != "" {
				if err := os.Remove(filepath.Join(dir, tc.remove)); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, tc.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.old) {
				t.Fatalf("%q not in %s", tc.old, tc.file)
			}
			if err := os.WriteFile(path, []byte(strings.Replace(string(b), tc.old, tc.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			var towns int
			_, err = dataset.ReadDir(dir, dataset.Options{}, dataset.Handler{Town: func(planner.Town) error { towns++; return nil }})
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}
