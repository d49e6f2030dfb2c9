package ogr_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
	"github.com/paulmach/orb"
)

// registerCounty writes the demo's land as a GeoPackage and its firms as
// an .xlsx register (no coordinates) in one directory, with the mapping
// parkplan suggests for it; edit may change register rows.
func registerCounty(t *testing.T, opt datasettest.RegisterOptions) (dir string, want *planner.Dataset) {
	t.Helper()
	demo := demoDir(t)
	want, err := dataset.LoadDir(demo, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	gpkg := filepath.Join(dir, "county.gpkg")
	for _, l := range []string{"towns", "parcels", "protected"} {
		run(t, "ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4490", "-append", "-nln", l, gpkg, filepath.Join(demo, l+".geojson"))
	}
	copyCSVs(t, demo, dir)
	if err := datasettest.WriteRegister(filepath.Join(dir, "企业名录.xlsx"), "企业", want.Enterprises, want.Towns, opt); err != nil {
		t.Fatal(err)
	}
	suggest(t, dir, dir)
	return dir, want
}

// TestRegisterWithoutCoordinates: the demo's firms read from an .xlsx
// register by Chinese town names and values, without coordinates, are
// the demo's firms, each placed at its town's seat.
func TestRegisterWithoutCoordinates(t *testing.T) {
	dir, want := registerCounty(t, datasettest.RegisterOptions{})
	got, err := loadMapped(t, filepath.Join(dir, "mapping.yaml"))
	if err != nil {
		t.Fatalf("%v\nmapping:\n%s", err, read(t, filepath.Join(dir, "mapping.yaml")))
	}
	seats := map[string]planner.Town{}
	for _, tw := range want.Towns {
		seats[tw.Code] = tw
	}
	if len(got.Enterprises) != len(want.Enterprises) {
		t.Fatalf("%d firms, want %d", len(got.Enterprises), len(want.Enterprises))
	}
	for i, w := range want.Enterprises {
		g := got.Enterprises[i]
		if g.Location != seats[w.Town].Seat {
			t.Errorf("firm %s at %v, want its town's seat %v", g.ID, g.Location, seats[w.Town].Seat)
		}
		g.Location = w.Location
		if g != w {
			t.Errorf("firm %d read as %+v, want %+v", i, g, w)
		}
	}
	got.Enterprises, want.Enterprises = nil, nil
	if contentHash(t, got) != contentHash(t, want) {
		t.Errorf("the land read with the register differs from the demo's")
	}
}

// TestRegisterWithWebMapCoordinates: the demo's firms with positions in
// GCJ-02 (Amap) or BD-09 (Baidu) columns, converted on import, are the
// demo's dataset (the same content hash: positions agree to the
// writer's 1e-8°).
func TestRegisterWithWebMapCoordinates(t *testing.T) {
	tests := []struct {
		frame string
		to    func(orb.Point) orb.Point
	}{
		{"gcj02", geo.WGS84ToGCJ02},
		{"bd09", func(p orb.Point) orb.Point { return geo.GCJ02ToBD09(geo.WGS84ToGCJ02(p)) }},
	}
	for _, tt := range tests {
		t.Run(tt.frame, func(t *testing.T) {
			dir, want := registerCounty(t, datasettest.RegisterOptions{Position: tt.to})
			m := filepath.Join(dir, "mapping.yaml")
			write(t, m, strings.Replace(read(t, m), "# coordinates: wgs84", "coordinates: "+tt.frame+" #", 1))
			got, err := loadMapped(t, m)
			if err != nil {
				t.Fatal(err)
			}
			if contentHash(t, got) != contentHash(t, want) {
				for i := range want.Enterprises {
					if got.Enterprises[i].Location != want.Enterprises[i].Location {
						t.Fatalf("firm %s at %v, want %v", want.Enterprises[i].ID, got.Enterprises[i].Location, want.Enterprises[i].Location)
					}
				}
				t.Errorf("the dataset read from the register differs from the demo's")
			}
		})
	}
}

// TestBadRegister: register rows with a town that matches nothing or a
// credit code with a wrong check character are refused, naming the
// workbook, sheet, row, id and column.
func TestBadRegister(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(i int, row []any)
		position func(orb.Point) orb.Point
		frame    string
		want     []string
	}{
		{name: "town matches nothing", edit: func(i int, row []any) {
			if i == 3 {
				row[2] = "浒山"
			}
		}, want: []string{"企业名录.xlsx, sheet 企业: row 5 (id ", "column 所在镇街 (town): unknown town \"浒山\"", "near misses: 浒山街道 (hushan)"}},
		{name: "town unlike any", edit: func(i int, row []any) {
			if i == 0 {
				row[2] = "火星镇"
			}
		}, want: []string{"row 2 (id ", "unknown town \"火星镇\"", "no town's name or code is near it"}},
		{name: "credit code with a wrong check character", edit: func(i int, row []any) {
			row[0] = creditCode(i, i == 6)
		}, want: []string{"企业名录.xlsx, sheet 企业: row 8 (id ", "column 企业编号 (id): credit code", "fails its GB 32100-2015 check"}},
		{name: "position outside its town", edit: func(i int, row []any) {
			if i == 9 {
				row[2] = "周巷镇" // F000010 is not in Zhouxiang
			}
		}, position: geo.WGS84ToGCJ02, frame: "gcj02",
			want: []string{"企业名录.xlsx, sheet 企业: row 11 (id F000010): geometry: position", "(columns 经度, 纬度, read as gcj02) lies outside town zhouxiang"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := registerCounty(t, datasettest.RegisterOptions{Edit: tt.edit, Position: tt.position})
			if tt.frame != "" {
				m := filepath.Join(dir, "mapping.yaml")
				write(t, m, strings.Replace(read(t, m), "# coordinates: wgs84", "coordinates: "+tt.frame+" #", 1))
			}
			ds, err := loadMapped(t, filepath.Join(dir, "mapping.yaml"))
			if err == nil || ds != nil {
				t.Fatal("read without error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			// one bad row: its fault, and for an unknown town also its
			// missing position (no seat to place it at)
			if n := strings.Count(err.Error(), "\n"); n > 2 {
				t.Errorf("%d errors for one bad row:\n%v", n, err)
			}
		})
	}
}

// creditCode makes the i-th valid credit code of a Cixi firm (a wrong
// check character if spoil).
func creditCode(i int, spoil bool) string {
	body := "91330282" + strings.Repeat("0", 9-len(itoa(i))) + itoa(i)
	c, err := dataset.CreditCodeCheck(body)
	if err != nil {
		panic(err)
	}
	if spoil {
		c = map[bool]byte{true: '1', false: '0'}[c == '0']
	}
	return body + string(c)
}
