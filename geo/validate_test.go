package geo

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// sq returns a closed axis-aligned square ring near Cixi, side s degrees,
// lower-left corner (121+x, 30+y).
func sq(x, y, s float64) orb.Ring {
	x, y = 121+x, 30+y
	return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
}

func TestValidatePolygon(t *testing.T) {
	tests := []struct {
		name   string
		p      orb.Polygon
		want   error
		ring   int
		vertex int
	}{
		{"valid square", orb.Polygon{sq(0, 0, 1)}, nil, 0, 0},
		{"valid with hole", orb.Polygon{sq(0, 0, 1), sq(0.2, 0.2, 0.3)}, nil, 0, 0},
		{"hole touching shell at a point", orb.Polygon{sq(0, 0, 1), {{121, 30.5}, {121.3, 30.4}, {121.3, 30.6}, {121, 30.5}}}, nil, 0, 0},
		{"repeated vertex allowed", orb.Polygon{{{121, 30}, {121.1, 30}, {121.1, 30}, {121.1, 30.1}, {121, 30}}}, nil, 0, 0},
		{"empty polygon", orb.Polygon{}, ErrEmpty, -1, -1},
		{"empty ring", orb.Polygon{{}}, ErrEmpty, 0, -1},
		{"three points", orb.Polygon{{{121, 30}, {121.1, 30}, {121, 30}}}, ErrTooFewPoints, 0, -1},
		{"unclosed ring", orb.Polygon{{{121, 30}, {121.1, 30}, {121.1, 30.1}, {121, 30.1}}}, ErrUnclosedRing, 0, 3},
		{"NaN", orb.Polygon{{{121, 30}, {math.NaN(), 30}, {121.1, 30.1}, {121, 30}}}, ErrNotFinite, 0, 1},
		{"Inf", orb.Polygon{{{121, 30}, {121.1, math.Inf(1)}, {121.1, 30.1}, {121, 30}}}, ErrNotFinite, 0, 1},
		//  lat/lon swapped: "lat" 121 is out of range
		{"lat lon swapped", orb.Polygon{{{30, 121}, {30, 121.1}, {30.1, 121.1}, {30, 121}}}, ErrOutOfRange, 0, 0},
		{"projected metres", orb.Polygon{{{620000, 3342000}, {620100, 3342000}, {620100, 3342100}, {620000, 3342000}}}, ErrOutOfRange, 0, 0},
		//  bow-tie:  3---2
		//             \ /
		//              X
		//             / \
		//            0---1   edges 1→2 and 3→0 cross
		{"bow-tie", orb.Polygon{{{121, 30}, {121.1, 30}, {121, 30.1}, {121.1, 30.1}, {121, 30}}}, ErrSelfIntersection, 0, 1},
		//  spike: goes out along an edge and comes back
		{"spike", orb.Polygon{{{121, 30}, {121.2, 30}, {121.1, 30}, {121.1, 30.1}, {121, 30}}}, ErrSelfIntersection, 0, 0},
		//  ring touching itself at a vertex (figure-eight through one point)
		{"self-touch", orb.Polygon{{{121, 30}, {121.1, 30}, {121.05, 30.05}, {121.1, 30.1}, {121, 30.1}, {121.05, 30.05}, {121, 30}}}, ErrSelfIntersection, 0, 1},
		{"hole outside", orb.Polygon{sq(0, 0, 1), sq(2, 2, 0.5)}, ErrHoleOutside, 1, 0},
		{"hole crossing shell", orb.Polygon{sq(0, 0, 1), sq(0.8, 0.2, 0.5)}, ErrSelfIntersection, 0, 1},
		{"hole sharing an edge", orb.Polygon{sq(0, 0, 1), sq(0, 0.2, 0.3)}, ErrSelfIntersection, 0, 3},
		{"nested holes", orb.Polygon{sq(0, 0, 1), sq(0.1, 0.1, 0.8), sq(0.3, 0.3, 0.2)}, ErrNestedHole, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePolygon(tt.p)
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("ValidatePolygon = %v, want %v", err, tt.want)
			}
			if err == nil {
				return
			}
			var ie *InvalidError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not *InvalidError", err)
			}
			if ie.Ring != tt.ring || ie.Vertex != tt.vertex {
				t.Errorf("error at ring %d vertex %d, want ring %d vertex %d (%v)", ie.Ring, ie.Vertex, tt.ring, tt.vertex, err)
			}
			if tt.ring >= 0 && !strings.Contains(err.Error(), "ring ") {
				t.Errorf("message %q does not name the ring", err)
			}
		})
	}
}

func TestValidateGeometry(t *testing.T) {
	tests := []struct {
		name string
		g    orb.Geometry
		want error
		poly int
	}{
		{"point", orb.Point{121, 30}, nil, -1},
		{"point out of range", orb.Point{200, 30}, ErrOutOfRange, -1},
		{"nil", nil, ErrEmpty, -1},
		{"empty multipolygon", orb.MultiPolygon{}, ErrEmpty, -1},
		{"multipolygon disjoint", orb.MultiPolygon{{sq(0, 0, 1)}, {sq(2, 0, 1)}}, nil, -1},
		{"multipolygon touching at a corner", orb.MultiPolygon{{sq(0, 0, 1)}, {sq(1, 1, 1)}}, nil, -1},
		{"multipolygon part inside another's hole", orb.MultiPolygon{{sq(0, 0, 1), sq(0.2, 0.2, 0.6)}, {sq(0.3, 0.3, 0.2)}}, nil, -1},
		{"multipolygon overlapping parts", orb.MultiPolygon{{sq(0, 0, 1)}, {sq(0.5, 0.5, 1)}}, ErrSelfIntersection, 0},
		{"multipolygon nested parts", orb.MultiPolygon{{sq(0, 0, 1)}, {sq(0.2, 0.2, 0.2)}}, ErrOverlappingParts, 1},
		{"multipolygon second part bad", orb.MultiPolygon{{sq(0, 0, 1)}, {{{121, 30}}}}, ErrTooFewPoints, 1},
		{"degenerate line", orb.LineString{{121, 30}, {121, 30}}, ErrTooFewPoints, -1},
		{"unsupported bound", orb.Bound{}, ErrUnsupportedType, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateGeometry(tt.g)
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("ValidateGeometry = %v, want %v", err, tt.want)
			}
			var ie *InvalidError
			if err != nil && errors.As(err, &ie) && ie.Polygon != tt.poly {
				t.Errorf("error names polygon %d, want %d (%v)", ie.Polygon, tt.poly, err)
			}
		})
	}
}
