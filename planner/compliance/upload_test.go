package compliance

import (
	"math"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

var uploadTowns = map[string]bool{"zhouxiang": true, "zhangqi": true}

// square is a closed ring of about 0.001° a side at (121.2, 30.2) (≈ 16 mu).
const square = `[[[121.2,30.2],[121.201,30.2],[121.201,30.201],[121.2,30.201],[121.2,30.2]]]`

func feature(props, geomType, coords string) string {
	return `{"type":"Feature","properties":{` + props + `},"geometry":{"type":"` + geomType + `","coordinates":` + coords + `}}`
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func TestReadProposed(t *testing.T) {
	good := feature(`"id":"N1","town":"zhouxiang","kind":"new_land","open_year":2020`, "Polygon", square)
	ps, err := ReadProposed(strings.NewReader(collection(good)), "up.geojson", uploadTowns)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].ID != "N1" || ps[0].OpenYear != 2020 || ps[0].Kind != planner.KindNewLand {
		t.Fatalf("read %+v", ps)
	}
	if want := geo.AreaMu(ps[0].Geometry); ps[0].AreaMu != want || want < 15 || want > 17 {
		t.Errorf("area %v, want computed %v", ps[0].AreaMu, want)
	}

	t.Run("bowtie passes to PostGIS", func(t *testing.T) {
		bow := feature(`"id":"B","town":"zhouxiang","kind":"new_land"`, "Polygon", `[[[121.2,30.2],[121.201,30.201],[121.201,30.2],[121.2,30.201],[121.2,30.2]]]`)
		if _, err := ReadProposed(strings.NewReader(collection(bow)), "up.geojson", uploadTowns); err != nil {
			t.Errorf("bowtie refused here (PostGIS should report it): %v", err)
		}
	})
}

func TestReadProposedBad(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"unclosed ring", collection(feature(`"id":"U","town":"zhouxiang","kind":"new_land"`, "Polygon",
			`[[[121.2,30.2],[121.201,30.2],[121.201,30.201],[121.2,30.201]]]`)),
			"up.geojson: feature 0 (id U): geometry: polygon 0 ring 0 is not closed"},
		{"ring of three positions", collection(feature(`"id":"T","town":"zhouxiang","kind":"new_land"`, "Polygon",
			`[[[121.2,30.2],[121.201,30.2],[121.2,30.2]]]`)),
			"ring 0 has 3 positions"},
		{"projected without crs", collection(feature(`"id":"P","town":"zhouxiang","kind":"new_land"`, "Polygon",
			`[[[619000,3342000],[619100,3342000],[619100,3342100],[619000,3342100],[619000,3342000]]]`)),
			"is not lon/lat: projected coordinates need a declared CRS"},
		{"unsupported crs", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[` +
			feature(`"id":"M","town":"zhouxiang","kind":"new_land"`, "Polygon", square) + `]}`,
			`up.geojson: crs: unsupported CRS "urn:ogc:def:crs:EPSG::3857"`},
		{"swapped axes", collection(feature(`"id":"S","town":"zhouxiang","kind":"new_land"`, "Polygon",
			`[[[30.2,121.2],[30.2,121.201],[30.201,121.201],[30.201,121.2],[30.2,121.2]]]`)),
			"is not lon/lat"},
		{"unknown town", collection(feature(`"id":"X","town":"atlantis","kind":"new_land"`, "Polygon", square)),
			`up.geojson: feature 0 (id X): properties.town: unknown town "atlantis"`},
		{"bad kind", collection(feature(`"id":"K","town":"zhouxiang","kind":"farm"`, "Polygon", square)),
			`properties.kind: is "farm"`},
		{"duplicate id", collection(feature(`"id":"D","town":"zhouxiang","kind":"new_land"`, "Polygon", square),
			feature(`"id":"D","town":"zhouxiang","kind":"new_land"`, "Polygon", square)),
			`feature 1 (id D): properties.id: duplicate id "D": feature 0 has it too`},
		{"area mismatch", collection(feature(`"id":"A","town":"zhouxiang","kind":"new_land","area_mu":50`, "Polygon", square)),
			"properties.area_mu: is 50 but the geometry's area is"},
		{"point geometry", collection(feature(`"id":"G","town":"zhouxiang","kind":"new_land"`, "Point", `[121.2,30.2]`)),
			"is a Point; a parcel must be a Polygon or MultiPolygon"},
		{"not a collection", `{"type":"Feature"}`, `up.geojson: type: is "Feature"`},
		{"empty", collection(), "features: is empty"},
		{"not json", `{"type":`, "up.geojson: not a GeoJSON FeatureCollection"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadProposed(strings.NewReader(tc.body), "up.geojson", uploadTowns)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("code %q, want invalid", planner.ErrorCode(err))
			}
		})
	}
}

func TestReadProposedProjected(t *testing.T) {
	// A 100 m × 150 m rectangle in EPSG:4549 (Gauss–Krüger CM 120°E) near Cixi:
	// 15,000 m² grid area, 22.5 mu give or take the grid's scale (< 0.1 %).
	body := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},"features":[` +
		feature(`"id":"GK","town":"zhangqi","kind":"old_factory"`, "Polygon",
			`[[[619000,3342000],[619100,3342000],[619100,3342150],[619000,3342150],[619000,3342000]]]`) + `]}`
	ps, err := ReadProposed(strings.NewReader(body), "gk.geojson", uploadTowns)
	if err != nil {
		t.Fatal(err)
	}
	c := ps[0].Geometry[0][0][0]
	if c[0] < 121 || c[0] > 121.5 || c[1] < 30 || c[1] > 30.4 {
		t.Errorf("first vertex %v: not converted to lon/lat near Cixi", c)
	}
	if math.Abs(ps[0].AreaMu-22.5) > 0.03 {
		t.Errorf("area %.4f mu, want 22.5 ± 0.03", ps[0].AreaMu)
	}
}
