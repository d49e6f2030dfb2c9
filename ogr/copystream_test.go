package ogr

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCopyColumns(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string
		bad        bool
	}{
		{name: "plain", line: `COPY "public"."parcels" ("parkplan_geom", "id", "town") FROM STDIN;`, want: []string{"parkplan_geom", "id", "town"}},
		{name: "chinese names", line: `COPY "public"."地块" ("parkplan_geom", "地块编号", "所属镇") FROM STDIN;`, want: []string{"parkplan_geom", "地块编号", "所属镇"}},
		{name: "quote in a name", line: `COPY "t" ("a ""b""", "c, d") FROM STDIN;`, want: []string{`a "b"`, "c, d"}},
		{name: "no column list", line: `COPY "t" FROM STDIN;`, bad: true},
		{name: "unterminated", line: `COPY "t" ("a) FROM STDIN;`, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := copyColumns(tt.line)
			if (err != nil) != tt.bad {
				t.Fatalf("error %v, want error %v", err, tt.bad)
			}
			if !tt.bad && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("columns %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnescapeCOPY(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "周巷镇 A", "周巷镇 A"},
		{"tab and newline", `a\tb\nc\rd`, "a\tb\nc\rd"},
		{"backslash", `C:\\data`, `C:\data`},
		{"octal", `\101\102`, "AB"},
		{"hex", `\x41z`, "Az"},
		{"other escaped byte", `\"`, `"`},
		{"trailing backslash", `a\`, `a\`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unescapeCOPY([]byte(tt.in)); got != tt.want {
				t.Errorf("unescapeCOPY(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCopyRow(t *testing.T) {
	s := &copyStream{kinds: map[string]copyValueKind{"id": copyString, "far": copyNumber, "firms": copyNumber, "ok": copyBool, "name": copyString}}
	cols := []string{copyGeomColumn, copyFIDColumn, "id", "far", "firms", "ok", "name"}
	// POINT(121.5 30.25) as hex EWKB with SRID 4490
	const point = "0101000020AA1100000000000000605E400000000000403E40"
	tests := []struct {
		name  string
		line  string
		props map[string]string
		geom  bool
		bad   bool
	}{
		{name: "values", line: point + "\t7\tP-01\t2.500000000000000\t12\t1\t周巷\\t园",
			props: map[string]string{"id": `"P-01"`, "far": `2.5`, "firms": `12`, "ok": `true`, "name": `"周巷\t园"`}, geom: true},
		{name: "nulls are absent", line: `\N` + "\t7\tP-02\t\\N\t0\t0\t",
			props: map[string]string{"id": `"P-02"`, "firms": `0`, "ok": `false`, "name": `""`}},
		{name: "a number column holding text", line: point + "\t7\tP-03\tabc\t1\tf\tx",
			props: map[string]string{"id": `"P-03"`, "far": `"abc"`, "firms": `1`, "ok": `false`, "name": `"x"`}, geom: true},
		{name: "too few values", line: point + "\t7\tP-04", bad: true},
		{name: "bad geometry", line: "01ZZ\t7\tP-05\t1\t1\t1\tx", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := s.row(s.layout(cols), []byte(tt.line))
			if (err != nil) != tt.bad {
				t.Fatalf("error %v, want error %v", err, tt.bad)
			}
			if tt.bad {
				return
			}
			got := map[string]string{}
			for k, v := range f.Values {
				if v != nil {
					got[f.Columns[k]] = string(v)
				}
			}
			if !reflect.DeepEqual(got, tt.props) {
				t.Errorf("properties %v, want %v", got, tt.props)
			}
			for _, v := range f.Values {
				if v != nil && !json.Valid(v) {
					t.Errorf("%s is not JSON", v)
				}
			}
			if (f.Geometry != nil) != tt.geom {
				t.Errorf("geometry %v, want one: %v", f.Geometry, tt.geom)
			}
		})
	}
}
