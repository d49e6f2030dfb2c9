package datasettest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// BadCase is one broken variant of the Small dataset, as written by
// dataset.WriteDir: File is changed by Mutate, and reading the directory
// must fail with an error containing every string of Want (which name
// the file, feature index, id and field).
type BadCase struct {
	Name   string
	File   string
	Mutate func([]byte) []byte
	Want   []string
}

// replace returns a mutation replacing the first occurrence of old by
// new. It panics if old is absent: the fixture and the table have drifted.
func replace(old, new string) func([]byte) []byte {
	return func(b []byte) []byte {
		if !bytes.Contains(b, []byte(old)) {
			panic(fmt.Sprintf("datasettest: %q not in the fixture", old))
		}
		return bytes.Replace(b, []byte(old), []byte(new), 1)
	}
}

// replaceRE replaces the first match of re by new, panicking if none.
func replaceRE(re, new string) func([]byte) []byte {
	rx := regexp.MustCompile(re)
	return func(b []byte) []byte {
		loc := rx.FindIndex(b)
		if loc == nil {
			panic(fmt.Sprintf("datasettest: %s matches nothing in the fixture", re))
		}
		return append(append(append([]byte{}, b[:loc[0]]...), new...), b[loc[1]:]...)
	}
}

// P-01 is the first parcel: a 0.004° square with its south-west corner at 121.12, 30.12.
const p01Ring = `[[[[121.12,30.12],[121.124,30.12],[121.124,30.124],[121.12,30.124],[121.12,30.12]]]]`

// BadCases returns the table of bad inputs every importer must reject.
func BadCases() []BadCase {
	return []BadCase{
		{"self-intersecting ring", "parcels.geojson",
			// a bow tie:  (121.12,30.124) ── (121.124,30.124)
			//                         ╲  ╱
			//                          ╳
			//                         ╱  ╲
			//             (121.12,30.12) ── (121.124,30.12)
			replace(p01Ring, `[[[[121.12,30.12],[121.124,30.124],[121.124,30.12],[121.12,30.124],[121.12,30.12]]]]`),
			[]string{"parcels.geojson: feature 0 (id P-01): geometry", "rings intersect"}},
		{"unclosed ring", "parcels.geojson",
			replace(p01Ring, `[[[[121.12,30.12],[121.124,30.12],[121.124,30.124],[121.12,30.124],[121.12,30.1205]]]]`),
			[]string{"parcels.geojson: feature 0 (id P-01): geometry.coordinates[0][0]", "ring is not closed"}},
		{"NaN coordinate", "parcels.geojson",
			replace(`[121.124,30.12]`, `[NaN,30.12]`),
			[]string{"parcels.geojson", "feature 0", "NaN"}},
		{"lat/lon swapped", "enterprises.geojson",
			replace(`[121.16,30.15]`, `[30.15,121.16]`),
			[]string{"enterprises.geojson: feature 0 (id E-0001): geometry.coordinates", "swapped"}},
		{"projected coordinates without a declared CRS", "enterprises.geojson",
			replace(`[121.16,30.15]`, `[612345.25,3337000.5]`),
			[]string{"enterprises.geojson: feature 0 (id E-0001): geometry.coordinates", "looks projected", "EPSG:4549"}},
		{"unknown town", "parcels.geojson",
			replace(`"town":"zhouxiang"`, `"town":"atlantis"`),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.town", `unknown town "atlantis"`}},
		{"unknown industry", "enterprises.geojson",
			replace(`"industry":"hardware"`, `"industry":"chemicals"`),
			[]string{"enterprises.geojson: feature 1 (id E-0002): properties.industry", `unknown industry "chemicals"`}},
		{"duplicate id", "enterprises.geojson",
			replace(`"id":"E-0002","properties":{"id":"E-0002"`, `"id":"E-0001","properties":{"id":"E-0001"`),
			[]string{"enterprises.geojson: feature 1 (id E-0001): properties.id", "duplicate id", "feature 0"}},
		{"feature id differs from the id property", "enterprises.geojson",
			replace(`"properties":{"id":"E-0002"`, `"properties":{"id":"E-0009"`),
			[]string{"enterprises.geojson: feature 1 (id E-0009): id", `feature id "E-0002" differs from properties.id "E-0009"`}},
		{"wrong property type", "parcels.geojson",
			replace(`"far":1.2,`, `"far":"1.2",`),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.far", `must be a number, got string "1.2"`}},
		{"non-integer firms", "parcels.geojson",
			replace(`"firms":70,`, `"firms":70.5,`),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.firms", "must be an integer"}},
		{"missing property", "parcels.geojson",
			replace(`"kind":"existing",`, ``),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.kind", "missing"}},
		{"unknown kind", "parcels.geojson",
			replace(`"kind":"existing",`, `"kind":"park",`),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.kind", `"park"`}},
		{"area_mu disagrees with the geometry", "parcels.geojson",
			replaceRE(`"area_mu":[0-9.]+`, `"area_mu":300`),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.area_mu", "more than the 1 % allowed"}},
		{"negative floor space", "enterprises.geojson",
			replace(`"floor_m2":800,`, `"floor_m2":-800,`),
			[]string{"enterprises.geojson: feature 0 (id E-0001): properties.floor_m2", "> 0"}},
		{"non-UTF-8 attribute", "parcels.geojson",
			// 周巷小微园 in GBK
			replace(`"name":"周巷小微园"`, "\"name\":\"\xd6\xdc\xcf\xef\xd0\xa1\xce\xa2\xd4\xb0\""),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.name", "not UTF-8"}},
		{"empty file", "protected.geojson",
			func([]byte) []byte { return nil },
			[]string{"protected.geojson", "file is empty"}},
		{"truncated JSON", "enterprises.geojson",
			func(b []byte) []byte { return b[:len(b)/2] },
			[]string{"enterprises.geojson", "truncated JSON"}},
		{"not a FeatureCollection", "towns.geojson",
			replace(`"type":"FeatureCollection"`, `"type":"GeometryCollection"`),
			[]string{"towns.geojson: type", "FeatureCollection"}},
		{"quota for an unknown town", "quotas.csv",
			replace("zhouxiang,2019", "atlantis,2019"),
			[]string{"quotas.csv: line 4: town", `unknown town "atlantis"`}},
		{"negative quota", "quotas.csv",
			replace("zhouxiang,2020,45.5", "zhouxiang,2020,-45.5"),
			[]string{"quotas.csv: line 5: new_land_mu", "≥ 0"}},
		{"unknown related industry", "industries.csv",
			replace("appliance,家电,Household appliances,hardware", "appliance,家电,Household appliances,hardware;plastics"),
			[]string{"industries.csv: line 2: related", `unknown industry "plastics"`}},

		// Values PostgreSQL would refuse: the reader names them first, so
		// `import --check` agrees with the import (issue 10, finding 9).
		{"firms beyond the database's integer", "parcels.geojson",
			replace(`"firms":70,`, `"firms":3000000000,`),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.firms", "is 3000000000; outside the database's integers (-2147483648 to 2147483647)"}},
		{"NUL in an id", "enterprises.geojson",
			replace(`"id":"E-0002","properties":{"id":"E-0002"`, `"id":"E-\u00000002","properties":{"id":"E-\u00000002"`),
			[]string{`enterprises.geojson: feature 1 (id E-\x000002): properties.id`, "NUL character at byte 2"}},
		{"NUL in a name", "parcels.geojson",
			replace(`"name":"周巷小微园"`, `"name":"周巷\u0000小微园"`),
			[]string{"parcels.geojson: feature 0 (id P-01): properties.name", "NUL character"}},
		{"NUL in a CSV field", "industries.csv",
			replace("appliance,家电,", "appliance,家\x00电,"),
			[]string{"industries.csv: line 2: name_zh", "NUL character"}},
		{"id longer than the limit", "parcels.geojson",
			replace(`"id":"P-01","properties":{"id":"P-01"`, `"id":"P-`+strings.Repeat("1", 100_000)+`","properties":{"id":"P-`+strings.Repeat("1", 100_000)+`"`),
			[]string{"parcels.geojson: feature 0 (id P-" + strings.Repeat("1", 38) + "… (100002 bytes)): properties.id", "is 100002 bytes long", "at most 200"}},
		{"stray quote in a CSV record", "industries.csv",
			replace("textile,", "tex\"tile,"),
			[]string{"industries.csv: line 4", `bare " in non-quoted-field`}},
		{"line break in an industry code", "industries.csv",
			replace("textile,", "\"tex\ntile\","),
			[]string{"industries.csv: line 4: code", "holds a space, comma or ';'"}},
		{"long unknown related code", "industries.csv",
			replace("appliance,家电,Household appliances,hardware", "appliance,家电,Household appliances,hardware;"+strings.Repeat("x", 100_000)),
			[]string{"industries.csv: line 2: related", `unknown industry "xxxxxxxx`, "… (100000 bytes)"}},
		{"long geometry type", "parcels.geojson",
			replace(`"type":"MultiPolygon","coordinates":`+p01Ring, `"type":"`+strings.Repeat("M", 100_000)+`","coordinates":`+p01Ring),
			[]string{"parcels.geojson: feature 0 (id P-01): geometry.type", "… (100000 bytes)"}},
		// Implausible values.
		{"hex-float quota", "quotas.csv",
			replace("zhouxiang,2020,45.5", "zhouxiang,2020,0x1p8"),
			[]string{"quotas.csv: line 5: new_land_mu", `"0x1p8" is not a decimal number`}},
		{"absurd quota", "quotas.csv",
			replace("zhouxiang,2020,45.5", "zhouxiang,2020,1e308"),
			[]string{"quotas.csv: line 5: new_land_mu", "more than the whole of Zhejiang province"}},
		{"absurd floor space", "enterprises.geojson",
			replace(`"floor_m2":800,`, `"floor_m2":1e308,`),
			[]string{"enterprises.geojson: feature 0 (id E-0001): properties.floor_m2", "the largest figure accepted"}},
		{"firm far outside its town", "enterprises.geojson",
			replace(`[121.16,30.15]`, `[87.6,43.8]`),
			[]string{"enterprises.geojson: feature 0 (id E-0001): geometry", "outside town zhouxiang's bounding box", "5 km allowed"}},
		{"parcel far outside its town", "parcels.geojson",
			replace(p01Ring, `[[[[121.62,30.12],[121.624,30.12],[121.624,30.124],[121.62,30.124],[121.62,30.12]]]]`),
			[]string{"parcels.geojson: feature 0 (id P-01): geometry", "outside town zhouxiang's bounding box"}},
		// Clear messages for what other tools write.
		{"GeometryCollection", "parcels.geojson",
			replace(`"type":"MultiPolygon","coordinates":`+p01Ring, `"type":"GeometryCollection","geometries":[{"type":"MultiPolygon","coordinates":`+p01Ring+`}]`),
			[]string{"parcels.geojson: feature 0 (id P-01): geometry.type", "is a GeometryCollection", "-explodecollections"}},
	}
}

// CopyDir copies the regular files of src into a new directory dst.
func CopyDir(dst, src string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Apply copies src to dst and applies c's mutation to its file.
func (c BadCase) Apply(dst, src string) error {
	if err := CopyDir(dst, src); err != nil {
		return err
	}
	path := filepath.Join(dst, c.File)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, c.Mutate(b), 0o644)
}
