package planner_test

import (
	"testing"

	"github.com/parkplan/parkplan/planner"
)

func TestTileQueryCheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		q     planner.TileQuery
		field string // "" when valid
	}{
		{"world", planner.TileQuery{Z: 0}, ""},
		{"last column and row", planner.TileQuery{Z: 14, X: 16383, Y: 16383}, ""},
		{"deepest level", planner.TileQuery{Z: planner.TileMaxZoom, X: 1<<24 - 1}, ""},
		{"zoom below 0", planner.TileQuery{Z: -1}, "path.tileMatrix"},
		{"zoom above the set", planner.TileQuery{Z: planner.TileMaxZoom + 1}, "path.tileMatrix"},
		{"row past the matrix", planner.TileQuery{Z: 3, Y: 8}, "path.tileRow"},
		{"negative column", planner.TileQuery{Z: 3, X: -1}, "path.tileCol"},
		{"column past the matrix", planner.TileQuery{Z: 1, X: 2}, "path.tileCol"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.q.Check()
			var got string
			if err != nil {
				if planner.ErrorCode(err) != planner.EINVALID {
					t.Fatalf("%v: code %q, want invalid", err, planner.ErrorCode(err))
				}
				got = err.(*planner.Error).Field
			}
			if got != tc.field {
				t.Errorf("Check() = %v, want field %q", err, tc.field)
			}
		})
	}
}

func TestParseLSN(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want planner.LSN
		ok   bool
	}{
		{"0/0", 0, true},
		{"16/B374D848", 0x16_B374D848, true},
		{"FFFFFFFF/FFFFFFFF", planner.MaxLSN, true},
		{"", 0, false},
		{"16", 0, false},
		{"16/XYZ", 0, false},
		{"16/B374D848 extra", 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := planner.ParseLSN(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("ParseLSN(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
			}
			if tc.ok && got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
}
