package dataset_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/plantest"
)

// handRefs are plantest.Hand's parcels and industries, with 2021 as this year.
func handRefs() dataset.MonitoringRefs {
	ds := plantest.Hand()
	refs := dataset.MonitoringRefs{Parcels: map[string]planner.Parcel{}, Industries: map[string]bool{}, ThisYear: 2021}
	for _, p := range ds.Parcels {
		refs.Parcels[p.ID] = p
	}
	for _, i := range ds.Industries {
		refs.Industries[i.Code] = true
	}
	return refs
}

// Z-built: 60 mu, FAR 1.5 (at most 60,000 m²), 30,000 m² built, open since 2016.
const (
	goodParks = "year,park_id,floor_built_m2,floor_vacant_m2,facilities\n" +
		"2020,Z-built,30000,2000,fire;safety;environment\n" +
		"2021,Z-built,30000,5000,fire;safety\n"
	goodFirms = "year,park_id,firm_id,industry,size,floor_m2,output_wan,tax_wan,mu_class\n" +
		"2020,Z-built,913302820000000001,textile,micro,12000,5400,360,A\n" +
		"2020,Z-built,913302820000000002,garment,small,16000,4800,240,\n" +
		"2021,Z-built,913302820000000001,textile,micro,12000,5600,370,A\n"
)

func writeMonitoring(t *testing.T, parks, firms string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{dataset.FileMonitoringParks: parks, dataset.FileMonitoringFirms: firms} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadMonitoring(t *testing.T) {
	m, err := dataset.ReadMonitoringDir(writeMonitoring(t, goodParks, goodFirms), handRefs(), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Years(); !reflect.DeepEqual(got, []int{2020, 2021}) {
		t.Errorf("years %v", got)
	}
	if len(m.Parks) != 2 || len(m.Firms) != 3 || m.Parks[1].FloorVacantM2 != 5000 || m.Firms[1].MuClass != "" || m.Firms[0].OutputWan != 5400 {
		t.Errorf("read %+v", m)
	}
	out := t.TempDir()
	if err := dataset.WriteMonitoringDir(m, out); err != nil {
		t.Fatal(err)
	}
	back, err := dataset.ReadMonitoringDir(out, handRefs(), dataset.Options{})
	if err != nil || !reflect.DeepEqual(back, m) {
		t.Errorf("round trip: %v\n%+v\n%+v", err, back, m)
	}
}

func TestReadMonitoringErrors(t *testing.T) {
	cases := []struct {
		name         string
		parks, firms string
		where, msg   string // the error's field path and a piece of its message
	}{
		{"firm in two parks", goodParks + "2020,Z-old,30000,0,\n", goodFirms + "2020,Z-old,913302820000000002,textile,micro,500,100,5,B\n",
			"monitoring/firms.csv: line 5: firm_id", "firm 913302820000000002 is in two parks in 2020: monitoring/firms.csv: line 3 (park Z-built) places it too"},
		{"unknown park", goodParks + "2021,Z-nowhere,1000,0,fire\n", goodFirms,
			"monitoring/parks.csv: line 4: park_id", `no park "Z-nowhere"`},
		{"firm in an unknown park", goodParks, goodFirms + "2021,X-1,913302820000000009,textile,micro,500,100,5,B\n",
			"monitoring/firms.csv: line 5: park_id", `no park "X-1"`},
		{"firms above the floor built", goodParks, goodFirms + "2021,Z-built,913302820000000003,textile,micro,18500,100,5,B\n",
			"monitoring/firms.csv: line 5: floor_m2", "occupy 30500 m² in 2021 with this one, above the 30000 m² built (monitoring/parks.csv: line 3)"},
		{"floor built above the parcel's", "year,park_id,floor_built_m2,floor_vacant_m2,facilities\n2020,Z-built,70000,0,\n", "year,park_id,firm_id,industry,size,floor_m2,output_wan,tax_wan,mu_class\n",
			"monitoring/parks.csv: line 2: floor_built_m2", "above what park Z-built allows"},
		{"vacant above built", "year,park_id,floor_built_m2,floor_vacant_m2,facilities\n2020,Z-built,30000,31000,\n", "year,park_id,firm_id,industry,size,floor_m2,output_wan,tax_wan,mu_class\n",
			"monitoring/parks.csv: line 2: floor_vacant_m2", "above the 30000 m² built"},
		{"year in the future", goodParks + "2022,Z-built,30000,0,\n", goodFirms,
			"monitoring/parks.csv: line 4: year", "2022 is in the future (this year is 2021)"},
		{"firm year in the future", goodParks, goodFirms + "2030,Z-built,913302820000000003,textile,micro,500,100,5,B\n",
			"monitoring/firms.csv: line 5: year", "2030 is in the future"},
		{"park before it opened", goodParks + "2015,Z-built,30000,0,\n", goodFirms,
			"monitoring/parks.csv: line 4: park_id", "park Z-built opens in 2016; it has no record for 2015"},
		{"park year twice", goodParks + "2021,Z-built,30000,0,\n", goodFirms,
			"monitoring/parks.csv: line 4: park_id", "appears twice for 2021"},
		{"no park row that year", goodParks, goodFirms + "2021,Z-old,913302820000000003,textile,micro,500,100,5,B\n",
			"monitoring/firms.csv: line 5: park_id", "park Z-old has no row for 2021"},
		{"unknown facility", goodParks + "2021,Z-old,1000,0,fire;spa\n", goodFirms,
			"monitoring/parks.csv: line 4: facilities", `unknown facility "spa"`},
		{"unknown class", goodParks, goodFirms + "2021,Z-built,913302820000000003,textile,micro,500,100,5,E\n",
			"monitoring/firms.csv: line 5: mu_class", `"E"`},
		{"unknown industry", goodParks, goodFirms + "2021,Z-built,913302820000000003,shoes,micro,500,100,5,B\n",
			"monitoring/firms.csv: line 5: industry", `unknown industry "shoes"`},
		{"negative output", goodParks, goodFirms + "2021,Z-built,913302820000000003,textile,micro,500,-1,5,B\n",
			"monitoring/firms.csv: line 5: output_wan", `"-1" is not a number ≥ 0`},
		{"bad header", "year,park,floor_built_m2,floor_vacant_m2,facilities\n", goodFirms,
			"monitoring/parks.csv: line 1", "header is"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := dataset.ReadMonitoringDir(writeMonitoring(t, c.parks, c.firms), handRefs(), dataset.Options{})
			if m != nil {
				t.Errorf("bad data gave a record: %+v", m)
			}
			var es dataset.Errors
			if !errors.As(err, &es) {
				t.Fatalf("want dataset.Errors, got %v", err)
			}
			for _, e := range es {
				if e.Field == c.where && strings.Contains(e.Message, c.msg) && e.Code == planner.EINVALID {
					return
				}
			}
			t.Errorf("want %s: …%s…; got:\n%v", c.where, c.msg, err)
		})
	}
}

// TestReadMonitoringGeoJSON reads the firms as GeoJSON written by GDAL
// (ogr2ogr from firms.csv): the same record as from the CSV; a firm in two
// parks is named by feature and property; firms.csv and firms.geojson
// together are refused.
func TestReadMonitoringGeoJSON(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatalf("ogr2ogr not found (Debian gdal-bin; scripts/deps.sh installs it): %v", err)
	}
	toGeoJSON := func(t *testing.T, firms string) string {
		t.Helper()
		dir := writeMonitoring(t, goodParks, firms)
		out, err := exec.Command("ogr2ogr", "-f", "GeoJSON", filepath.Join(dir, dataset.FileMonitoringFirmsGeoJSON),
			filepath.Join(dir, dataset.FileMonitoringFirms), "-oo", "AUTODETECT_TYPE=YES").CombinedOutput()
		if err != nil {
			t.Fatalf("ogr2ogr: %v\n%s", err, out)
		}
		return dir
	}
	want, err := dataset.ReadMonitoringDir(writeMonitoring(t, goodParks, goodFirms), handRefs(), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := toGeoJSON(t, goodFirms)
	if _, err := dataset.ReadMonitoringDir(dir, handRefs(), dataset.Options{}); err == nil || !strings.Contains(err.Error(), "both hold the firms") {
		t.Errorf("firms.csv and firms.geojson together: %v", err)
	}
	os.Remove(filepath.Join(dir, dataset.FileMonitoringFirms))
	got, err := dataset.ReadMonitoringDir(dir, handRefs(), dataset.Options{})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("GeoJSON record differs: %v\n%+v\n%+v", err, got, want)
	}

	dir = toGeoJSON(t, goodFirms+"2020,Z-old,913302820000000002,textile,micro,500,100,5,B\n")
	os.Remove(filepath.Join(dir, dataset.FileMonitoringFirms))
	os.WriteFile(filepath.Join(dir, dataset.FileMonitoringParks), []byte(goodParks+"2020,Z-old,30000,0,\n"), 0o644)
	_, err = dataset.ReadMonitoringDir(dir, handRefs(), dataset.Options{})
	var es dataset.Errors
	if !errors.As(err, &es) || es[0].Field != "monitoring/firms.geojson: feature 3 (id 913302820000000002): properties.firm_id" ||
		!strings.Contains(es[0].Message, "in two parks in 2020: monitoring/firms.geojson: feature 1 (id 913302820000000002) (park Z-built) places it too") {
		t.Errorf("firm in two parks: %v", err)
	}
}
