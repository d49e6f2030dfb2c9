package dataset

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// encoderBytes is what ContentHash hashed for a parcel before
// appendParcelJSON: the layer line and json.Encoder's output.
func encoderBytes(t testing.TB, p planner.Parcel) ([]byte, error) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("parcel\n")
	err := json.NewEncoder(&b).Encode(p)
	return b.Bytes(), err
}

// TestParcelJSONAsEncoder checks that the content hash's parcel encoder
// writes json.Encoder's bytes, so every stored content hash stays valid.
func TestParcelJSONAsEncoder(t *testing.T) {
	square := orb.Polygon{{{121.25, 30.15}, {121.26, 30.15}, {121.26, 30.16}, {121.25, 30.15}}}
	for _, tc := range []struct {
		name string
		p    planner.Parcel
	}{
		{"plain", planner.Parcel{ID: "P-1", Town: "hushan", Kind: planner.ParcelKind("new_land"), AreaMu: 120.5, FAR: 1.2, CostWan: 3400, FloorM2: 0, Firms: 3, Geometry: orb.MultiPolygon{square}}},
		{"chinese and html", planner.Parcel{ID: "掌起<万洋>&众创城", Town: "a\"b\\c", Name: "line\u2028sep\u2029\t\x01", Specialty: "auto", OpenYear: 2018, Geometry: orb.MultiPolygon{square}}},
		{"invalid utf-8", planner.Parcel{ID: "bad\xff\xfeid", Name: "\xe6\x8e", Geometry: orb.MultiPolygon{square}}},
		{"nil geometry", planner.Parcel{ID: "x"}},
		{"nil and empty parts", planner.Parcel{ID: "x", Geometry: orb.MultiPolygon{nil, orb.Polygon{}, orb.Polygon{nil, orb.Ring{}}}}},
		{"float forms", planner.Parcel{ID: "f", AreaMu: 1e-7, FAR: 1e21, CostWan: 123456789012345678, FloorM2: math.Copysign(0, -1), Firms: -2,
			Geometry: orb.MultiPolygon{{{{1e-300, -1e300}, {5e-324, math.MaxFloat64}, {0.1 + 0.2, -1e-6}, {1e20, 999999999999999999999}}}}}},
		{"negative year", planner.Parcel{ID: "n", OpenYear: -1, Firms: math.MaxInt64}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := encoderBytes(t, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := appendParcelJSON([]byte("parcel\n"), tc.p)
			if !ok || !bytes.Equal(got, want) {
				t.Errorf("appendParcelJSON = %q (ok %v)\njson.Encoder   = %q", got, ok, want)
			}
		})
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		p := planner.Parcel{ID: "x", Geometry: orb.MultiPolygon{{{{f, 0}}}}}
		if _, err := encoderBytes(t, p); err == nil {
			t.Fatalf("json.Encoder takes %v", f)
		}
		if _, ok := appendParcelJSON(nil, p); ok {
			t.Errorf("appendParcelJSON takes %v, which json.Encoder refuses", f)
		}
	}
}

// FuzzParcelJSON compares appendParcelJSON with json.Encoder on
// arbitrary strings and numbers.
func FuzzParcelJSON(f *testing.F) {
	f.Add("P-1", "掌起<万洋>", 120.5, 1e-7, 30.15, 2018)
	f.Add("a\"\\\x00\u2028", "\xff", -0.0, 1e21, 5e-324, -1)
	f.Fuzz(func(t *testing.T, id, name string, a, x, y float64, year int) {
		p := planner.Parcel{ID: id, Town: name, Name: name + id, AreaMu: a, FAR: x, CostWan: y, OpenYear: year, Firms: year / 3,
			Geometry: orb.MultiPolygon{{{{x, y}, {a, x}, {y, a}, {x, y}}}}}
		want, err := encoderBytes(t, p)
		got, ok := appendParcelJSON([]byte("parcel\n"), p)
		if (err == nil) != ok {
			t.Fatalf("json.Encoder error %v, appendParcelJSON ok %v", err, ok)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("appendParcelJSON = %q\njson.Encoder   = %q", got, want)
		}
	})
}
