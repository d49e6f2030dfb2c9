package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

const (
	seedClip = 1700
	// clipRelTol: clipping then measuring should match the analytic
	// overlap of two axis-aligned rectangles to float rounding.
	clipRelTol = 1e-9
)

func TestClipConvex(t *testing.T) {
	tests := []struct {
		name      string
		subject   orb.Ring
		clip      orb.Ring
		wantShare float64 // overlap as a share of the subject's area
	}{
		{"inside", sq(0.2, 0.2, 0.1), sq(0, 0, 1), 1},
		{"disjoint", sq(2, 2, 0.1), sq(0, 0, 1), 0},
		{"half over the edge", sq(0.95, 0.5, 0.1), sq(0, 0, 1), 0.5},
		{"quarter over a corner", sq(0.95, 0.95, 0.1), sq(0, 0, 1), 0.25},
		{"clip inside subject", sq(0, 0, 1), sq(0.25, 0.25, 0.5), 0.25},
		{"touching edge only", sq(1, 0, 1), sq(0, 0, 1), 0},
		{"clockwise clip", sq(0.95, 0.5, 0.1), orb.Ring{{121, 30}, {121, 31}, {122, 31}, {122, 30}, {121, 30}}, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := IntersectionAreaMu(tt.subject, tt.clip) / AreaMu(tt.subject)
			if math.Abs(got-tt.wantShare) > 1e-3 { // lon/lat squares are not exactly equal-area halves
				t.Errorf("overlap share = %.6f, want %.6f", got, tt.wantShare)
			}
			if r := ClipConvex(tt.subject, tt.clip); r != nil && r[0] != r[len(r)-1] {
				t.Errorf("result ring not closed: %v", r)
			}
		})
	}
}

// TestClipConvexRectangles checks random axis-aligned rectangles against
// the exact rectangle intersection (the oracle).
func TestClipConvexRectangles(t *testing.T) {
	r := rand.New(rand.NewPCG(seedClip, 0))
	for i := range 500 {
		a := orb.Bound{Min: orb.Point{121 + r.Float64()/10, 30 + r.Float64()/10}}
		a.Max = orb.Point{a.Min[0] + r.Float64()/20, a.Min[1] + r.Float64()/20}
		b := orb.Bound{Min: orb.Point{121 + r.Float64()/10, 30 + r.Float64()/10}}
		b.Max = orb.Point{b.Min[0] + r.Float64()/20, b.Min[1] + r.Float64()/20}
		want := 0.0
		if a.Intersects(b) {
			ib := orb.Bound{
				Min: orb.Point{math.Max(a.Min[0], b.Min[0]), math.Max(a.Min[1], b.Min[1])},
				Max: orb.Point{math.Min(a.Max[0], b.Max[0]), math.Min(a.Max[1], b.Max[1])},
			}
			want = AreaMu(ib)
		}
		got := IntersectionAreaMu(a.ToRing(), b.ToRing())
		if math.Abs(got-want) > clipRelTol*math.Max(1, want) {
			t.Fatalf("case %d: overlap %.9f mu, want %.9f", i, got, want)
		}
	}
}

func TestIsConvex(t *testing.T) {
	tests := []struct {
		name string
		r    orb.Ring
		want bool
	}{
		{"square", sq(0, 0, 1), true},
		{"square open", sq(0, 0, 1)[:4], true},
		{"L shape", orb.Ring{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}, false},
		{"collinear points", orb.Ring{{0, 0}, {1, 0}, {2, 0}, {0, 0}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsConvex(tt.r); got != tt.want {
				t.Errorf("IsConvex = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClipToConvex(t *testing.T) {
	// comb: a U-shaped ring whose two prongs leave a clip box through its
	// top edge and so fall apart into two pieces.
	//
	//	 +--+  +--+
	//	 |  |  |  |    ← clip box top at y = 30.5
	//	 |  +--+  |
	//	 +--------+
	comb := orb.Ring{{121, 30}, {121.3, 30}, {121.3, 31}, {121.2, 31}, {121.2, 30.2}, {121.1, 30.2}, {121.1, 31}, {121, 31}, {121, 30}}
	box := orb.Ring{{120.9, 30.4}, {121.4, 30.4}, {121.4, 30.5}, {120.9, 30.5}, {120.9, 30.4}}
	tests := []struct {
		name    string
		subject orb.Ring
		clip    orb.Ring
		pieces  int
	}{
		{"comb prongs", comb, box, 2},
		{"comb base", comb, orb.Ring{{120.9, 29.9}, {121.4, 29.9}, {121.4, 30.1}, {120.9, 30.1}, {120.9, 29.9}}, 1},
		{"convex inside", sq(0.2, 0.2, 0.1), sq(0, 0, 1), 1},
		{"disjoint", sq(2, 2, 0.1), sq(0, 0, 1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp := ClipToConvex(tt.subject, tt.clip)
			if len(mp) != tt.pieces {
				t.Fatalf("%d pieces, want %d: %v", len(mp), tt.pieces, mp)
			}
			if len(mp) > 0 {
				if err := ValidateGeometry(mp); err != nil {
					t.Errorf("result invalid: %v", err)
				}
			}
			// same lon/lat-plane area as Sutherland–Hodgman, whose bridges
			// cancel in that plane (not in a projection: a long and a
			// short chord of the same parallel are different lines there)
			want := degArea(ClipConvex(tt.subject, tt.clip))
			if got := degAreaMulti(mp); math.Abs(got-want) > 1e-12 {
				t.Errorf("area %.9f deg², Sutherland–Hodgman gives %.9f", got, want)
			}
		})
	}
}

// TestClipToConvexRandomStars clips random star-shaped (concave) rings by
// random boxes: the pieces must be valid and their area must equal the
// Sutherland–Hodgman overlap (the oracle for area).
func TestClipToConvexRandomStars(t *testing.T) {
	r := rand.New(rand.NewPCG(seedClip, 1))
	for i := range 300 {
		n := 5 + r.IntN(30)
		var ring orb.Ring
		for k := range n {
			th := 2 * math.Pi * float64(k) / float64(n)
			rad := 0.05 * (0.2 + 0.8*r.Float64())
			ring = append(ring, orb.Point{121.2 + rad*math.Cos(th), 30.2 + rad*math.Sin(th)})
		}
		ring = append(ring, ring[0])
		x, y := 121.15+0.1*r.Float64(), 30.15+0.1*r.Float64()
		w, h := 0.01+0.05*r.Float64(), 0.01+0.05*r.Float64()
		box := orb.Ring{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}
		mp := ClipToConvex(ring, box)
		if len(mp) > 0 {
			if err := ValidateGeometry(mp); err != nil {
				t.Fatalf("case %d: result invalid: %v", i, err)
			}
		}
		want := degArea(ClipConvex(ring, box))
		if got := degAreaMulti(mp); math.Abs(got-want) > 1e-12 {
			t.Fatalf("case %d: area %.9f deg², want %.9f", i, got, want)
		}
	}
}

// degArea is a ring's unsigned shoelace area in the lon/lat plane, deg².
func degArea(r orb.Ring) float64 {
	if r == nil {
		return 0
	}
	return math.Abs(signedArea(openRing(r)))
}

func degAreaMulti(mp orb.MultiPolygon) float64 {
	var s float64
	for _, p := range mp {
		s += degArea(p[0])
	}
	return s
}
