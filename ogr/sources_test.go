package ogr_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/demo"
)

// run runs a GDAL tool as a user would, failing the test on error.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// demoDir writes the Cixi demo (default seed) as a dataset directory.
func demoDir(t *testing.T) string {
	t.Helper()
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// contentHash is the SHA-256 of a dataset as dataset.WriteDir writes it
// (deterministic bytes: sorted, rounded), file by file.
func contentHash(t *testing.T, ds *planner.Dataset) string {
	t.Helper()
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(filepath.Base(n)))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadMapped reads what a mapping file names, as parkplan import --mapping does.
func loadMapped(t *testing.T, mappingFile string) (*planner.Dataset, error) {
	t.Helper()
	m, err := dataset.LoadMapping(mappingFile)
	if err != nil {
		t.Fatalf("mapping: %v", err)
	}
	src, err := ogr.Sources(context.Background(), m)
	if err != nil {
		return nil, err
	}
	return dataset.LoadSources(src, dataset.Options{})
}

// suggest writes the suggested mapping for src into dir/mapping.yaml.
func suggest(t testing.TB, src, dir string) string {
	t.Helper()
	layers, err := ogr.Describe(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	for i := range layers {
		layers[i].Source, _ = filepath.Abs(layers[i].Source)
	}
	abs, _ := filepath.Abs(dir)
	p := filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(p, dataset.SuggestMapping(layers, abs), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func copyCSVs(t testing.TB, from, to string) {
	t.Helper()
	for _, f := range []string{dataset.FileIndustries, dataset.FileQuotas} {
		b, err := os.ReadFile(filepath.Join(from, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Chinese Shapefile columns (GBK in the DBF), as a county's 三调 export
// names them; ogr2ogr's SQLite dialect renames and recodes the demo's.
const (
	sqlParcels = `SELECT id AS 地块编号, CASE town WHEN 'hushan' THEN '浒山街道' WHEN 'zhouxiang' THEN '周巷镇' ELSE town END AS 所属镇,
		CASE kind WHEN 'new_land' THEN '新增建设用地' WHEN 'old_factory' THEN '存量用地' WHEN 'existing' THEN '已建' ELSE '在建' END AS 用地性质,
		name AS 地块名称, area_mu AS 面积, far AS 容积率, cost_wan AS 成本, floor_m2 AS 建筑面积, firms AS 企业数,
		specialty AS 特色产业, open_year AS 开园年份, geometry FROM parcels`
	sqlTowns = `SELECT code AS 镇街代码, name_zh AS 镇街名称, name_en AS 英文名称,
		CASE type WHEN 'town' THEN '镇' WHEN 'subdistrict' THEN '街道' ELSE '开发区' END AS 类型,
		industries AS 块状产业, seat_lon AS 驻地经度, seat_lat AS 驻地纬度, synthetic, geometry FROM towns`
	sqlFirms = `SELECT id AS 企业编号, town AS 镇街, industry AS 行业,
		CASE size WHEN 'micro' THEN '微型' WHEN 'small' THEN '小型' WHEN 'medium' THEN '中型' ELSE '大型' END AS 企业规模,
		floor_m2 AS 需求面积, output_per_mu AS 亩均产值, tax_per_mu AS 亩均税收,
		CASE pollution WHEN 'light' THEN '轻度' WHEN 'moderate' THEN '中度' ELSE '重度' END AS 污染类别,
		CASE low_scattered WHEN 1 THEN '是' ELSE '否' END AS 低散乱, CASE safety_ok WHEN 1 THEN '是' ELSE '否' END AS 安全生产,
		mu_class AS 亩均等级, geometry FROM enterprises`
)

// protectedLayers are the three protected-land Shapefiles a bureau hands
// over, one per kind, named in Chinese.
var protectedLayers = []struct{ file, kind string }{
	{"永久基本农田", "basic_farmland"}, {"生态保护红线", "eco_redline"}, {"城镇开发边界", "dev_boundary"},
}

// writeShapefiles writes the demo as GBK Shapefiles with Chinese columns
// in epsg, some parcels' towns by Chinese name; parcels get no .cpg (the encoding is then found from the
// DBF's text).
func writeShapefiles(t *testing.T, demo, epsg string) string {
	return writeShapefilesSQL(t, demo, epsg, sqlParcels)
}

// writeShapefilesSQL is writeShapefiles with the parcels made by parcelsSQL.
func writeShapefilesSQL(t *testing.T, demo, epsg, parcelsSQL string) string {
	dir := t.TempDir()
	shp := func(out, in, sql string) { writeShp(t, dir, out, filepath.Join(demo, in), epsg, sql) }
	shp("镇街.shp", dataset.FileTowns, sqlTowns)
	shp("地块.shp", dataset.FileParcels, parcelsSQL)
	shp("企业.shp", dataset.FileEnterprises, sqlFirms)
	for _, p := range protectedLayers {
		shp(p.file+".shp", dataset.FileProtected, "SELECT id AS 编号, name AS 名称, geometry FROM protected WHERE kind = '"+p.kind+"'")
	}
	if err := os.Remove(filepath.Join(dir, "地块.cpg")); err != nil {
		t.Fatal(err)
	}
	copyCSVs(t, demo, dir)
	return dir
}

// writeShp writes one GBK Shapefile dir/out in epsg from the GeoJSON
// file in, through ogr2ogr's SQLite dialect.
func writeShp(t *testing.T, dir, out, in, epsg, sql string) {
	t.Helper()
	run(t, "ogr2ogr", "-f", "ESRI Shapefile", "-s_srs", "EPSG:4490", "-t_srs", epsg, "-lco", "ENCODING=CP936",
		"-mapFieldType", "StringList=String", "-dialect", "SQLite", "-sql", sql, filepath.Join(dir, out), in)
}

// TestCountyFormatsGiveTheSameDataset: the demo written by ogr2ogr as a
// GeoPackage, as GBK Shapefiles with Chinese columns in EPSG:4549 and
// EPSG:4528, and as a File Geodatabase, each read through the mapping
// parkplan suggests for it, is the same dataset as the GeoJSON directory.
func TestCountyFormatsGiveTheSameDataset(t *testing.T) {
	dir := demoDir(t)
	want, err := dataset.LoadDir(dir, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantHash := contentHash(t, want)
	layers := []string{dataset.FileTowns, dataset.FileParcels, dataset.FileProtected, dataset.FileEnterprises}
	tests := []struct {
		name  string
		write func(t *testing.T) (src, mappingDir string)
	}{
		{"GeoPackage", func(t *testing.T) (string, string) {
			out := t.TempDir()
			gpkg := filepath.Join(out, "county.gpkg")
			for _, l := range layers {
				run(t, "ogr2ogr", "-f", "GPKG", "-a_srs", "EPSG:4490", "-append", "-nln", strings.TrimSuffix(l, ".geojson"), gpkg, filepath.Join(dir, l))
			}
			copyCSVs(t, dir, out)
			return gpkg, out
		}},
		{"Shapefile EPSG:4549 GBK", func(t *testing.T) (string, string) {
			out := writeShapefiles(t, dir, "EPSG:4549")
			return out, out
		}},
		{"Shapefile EPSG:4528 GBK", func(t *testing.T) (string, string) {
			out := writeShapefiles(t, dir, "EPSG:4528")
			return out, out
		}},
		{"FileGDB EPSG:4549", func(t *testing.T) (string, string) {
			out := t.TempDir()
			gdb := filepath.Join(out, "county.gdb")
			for i, l := range layers {
				args := []string{"-f", "OpenFileGDB", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4549", "-mapFieldType", "StringList=String",
					"-nln", strings.TrimSuffix(l, ".geojson"), gdb, filepath.Join(dir, l)}
				if i > 0 {
					args = append([]string{"-update"}, args...)
				}
				run(t, "ogr2ogr", args...)
			}
			copyCSVs(t, dir, out)
			return gdb, out
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, mdir := tt.write(t)
			mapping := suggest(t, src, mdir)
			got, err := loadMapped(t, mapping)
			if err != nil {
				b, _ := os.ReadFile(mapping)
				t.Fatalf("read: %v\nmapping:\n%s", err, b)
			}
			if b, _ := os.ReadFile(mapping); testing.Verbose() {
				t.Logf("mapping:\n%s", b)
			}
			if h := contentHash(t, got); h != wantHash {
				t.Errorf("content hash %s, want %s (the GeoJSON import's)", h, wantHash)
			}
			// Every GIS layer of these sources takes the binary stream;
			// the GeoJSON text stream (lists, dates …) gives the same.
			m, err := dataset.LoadMapping(mapping)
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range []bool{false, true} {
				sources := ogr.Sources
				if text {
					sources = ogr.SourcesText
				}
				s, err := sources(context.Background(), m)
				if err != nil {
					t.Fatal(err)
				}
				for name, ls := range s.Layers {
					if binary := ls[0].OpenFeatures != nil; binary == text {
						t.Errorf("text stream %v: layer %s binary %v", text, name, binary)
					}
				}
				if !text {
					s.Close()
					continue
				}
				got, err := dataset.LoadSources(s, dataset.Options{})
				if err != nil {
					t.Fatalf("GeoJSON text stream: %v", err)
				}
				if h := contentHash(t, got); h != wantHash {
					t.Errorf("GeoJSON text stream: content hash %s, want %s", h, wantHash)
				}
			}
		})
	}
}
func itoa(n int) string { return strconv.Itoa(n) }
