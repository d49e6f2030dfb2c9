package ogr_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner/dataset"
)

// TestBadCountyFiles: broken county files are refused with the file,
// layer, feature and column named (nothing is handed on: LoadSources
// returns no dataset).
func TestBadCountyFiles(t *testing.T) {
	dir := demoDir(t)
	tests := []struct {
		name  string
		sql   string                         // the parcels' SQL (sqlParcels if "")
		spoil func(t *testing.T, shp string) // shp: the directory of GBK Shapefiles in EPSG:4528
		want  []string
	}{
		{"no .prj", "", func(t *testing.T, shp string) {
			rm(t, filepath.Join(shp, "地块.prj"))
		}, []string{"layers.parcels[0]", "地块.shp", "no .prj beside 地块.shp", "set crs:"}},
		{".prj of another zone", "", func(t *testing.T, shp string) {
			prj(t, filepath.Join(shp, "地块.prj"), 4527)
		}, []string{"地块.shp: feature 0 (id andong-N01): geometry.coordinates[0][0]", "carries zone prefix 40 (EPSG:4528", "declared CRS is EPSG:4527"}},
		{".prj of Xi'an 1980", "", func(t *testing.T, shp string) {
			prj(t, filepath.Join(shp, "地块.prj"), 2364)
		}, []string{"地块.shp: its .prj", "Xi'an 1980", "EPSG:4528", "does not guess datum shifts"}},
		{"unknown DBF encoding", "", func(t *testing.T, shp string) {
			// a Latin-1 DBF without .cpg or language driver id
			out := filepath.Join(shp, "latin")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			run(t, "ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=ISO-8859-1", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4528",
				"-dialect", "SQLite", "-sql", "SELECT id AS dkbh, 'Café à ' || town AS name, geometry FROM parcels", filepath.Join(out, "parcels.shp"), filepath.Join(dir, dataset.FileParcels))
			for _, ext := range []string{".shp", ".shx", ".dbf", ".prj"} {
				if err := os.Rename(filepath.Join(out, "parcels"+ext), filepath.Join(shp, "地块"+ext)); err != nil {
					t.Fatal(err)
				}
			}
			zeroLDID(t, filepath.Join(shp, "地块.dbf"))
		}, []string{"地块.dbf", "unknown DBF encoding", "neither UTF-8 nor GBK/GB18030", "record 0, column 2", "add a .cpg"}},
		{"a .cpg the mapping contradicts", "", func(t *testing.T, shp string) {
			write(t, filepath.Join(shp, "地块.cpg"), "UTF-8")
			m := filepath.Join(shp, "mapping.yaml")
			b, _ := os.ReadFile(m)
			write(t, m, strings.Replace(string(b), "layer: 地块", "encoding: GBK\n      layer: 地块", 1))
		}, []string{"地块.cpg says \"UTF-8\" but the mapping says encoding \"GBK\""}},
		{"a value of the wrong type", strings.Replace(sqlParcels, "far AS 容积率", "CASE id WHEN 'andong-N01' THEN 'abc' ELSE CAST(far AS TEXT) END AS 容积率", 1), nil,
			[]string{"地块.shp: feature 0 (id andong-N01): column 容积率 (far): must be a number, got string \"abc\""}},
		{"a required column missing", strings.Replace(sqlParcels, "far AS 容积率,", "", 1), nil,
			[]string{"地块.shp: feature 0 (id andong-N01): far (no column: the mapping names none and no usual name was found): missing (required number)"}},
		{"a town by a near-miss name", strings.Replace(sqlParcels, "WHEN 'hushan' THEN '浒山街道'", "WHEN 'hushan' THEN '浒山'", 1), nil,
			[]string{"地块.shp: feature", "(id hushan-N01): column 所属镇 (town): unknown town \"浒山\"", "near misses: 浒山街道 (hushan)"}},
		{"a duplicate id", "", func(t *testing.T, shp string) {
			write(t, filepath.Join(shp, "mapping.yaml"), strings.Replace(read(t, filepath.Join(shp, "mapping.yaml")), "id: 地块编号", "id: 所属镇", 1))
		}, []string{"地块.shp: feature 1 (id andong): column 所属镇 (id): duplicate id \"andong\": feature 0 has it too"}},
	}
	base := writeShapefiles(t, dir, "EPSG:4528")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shp := t.TempDir()
			copyFiles(t, base, shp)
			if tt.sql != "" {
				for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
					os.Remove(filepath.Join(shp, "地块"+ext))
				}
				writeShp(t, shp, "地块.shp", filepath.Join(dir, dataset.FileParcels), "EPSG:4528", tt.sql)
			}
			suggest(t, shp, shp)
			if tt.spoil != nil {
				tt.spoil(t, shp)
			}
			ds, err := loadMapped(t, filepath.Join(shp, "mapping.yaml"))
			if err == nil || ds != nil {
				t.Fatalf("read without error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// copyFiles copies the files of one directory into another.
func copyFiles(t *testing.T, from, to string) {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(from, "*"))
	for _, n := range names {
		if st, err := os.Stat(n); err != nil || st.IsDir() {
			continue
		}
		write(t, filepath.Join(to, filepath.Base(n)), read(t, n))
	}
}

func rm(t *testing.T, p string) {
	t.Helper()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// prj replaces a .prj with GDAL's ESRI WKT of another EPSG code.
func prj(t *testing.T, p string, epsg int) {
	t.Helper()
	write(t, p, run(t, "gdalsrsinfo", "--single-line", "-o", "wkt_esri", "EPSG:"+itoa(epsg)))
}

// zeroLDID clears a DBF's language driver id (byte 29), as many tools
// leave it.
func zeroLDID(t *testing.T, p string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte{0}, 29); err != nil {
		t.Fatal(err)
	}
}
