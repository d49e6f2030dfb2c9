package solver

import (
	"context"
	"math"
	"testing"

	"github.com/parkplan/parkplan/planner/randinst"
)

// TestBoundStalled: the stall test of the relaxation. On every county a
// bound that moved by at most stallTol over the window has stalled; on a
// large county (more than largeSites sites) so has one that moved by at
// most largeStallGapShare of the gap, which on a small county is still
// moving; before any plan only the first rule applies.
func TestBoundStalled(t *testing.T) {
	small := newSearch(context.Background(), randinst.Generate(1, randinst.County(1)), Options{})
	large := newSearch(context.Background(), randinst.Generate(1, randinst.County(3)), Options{})
	if len(small.m.inst.Sites) > largeSites || len(large.m.inst.Sites) <= largeSites {
		t.Fatalf("sites %d and %d: want one at most and one above %d", len(small.m.inst.Sites), len(large.m.inst.Sites), largeSites)
	}
	if w := stallWindow(len(large.m.inst.Sites)); w != largeStallIters {
		t.Errorf("large county's window %d, want %d", w, largeStallIters)
	}
	if w := stallWindow(len(small.m.inst.Sites)); w != stallIters {
		t.Errorf("small county's window %d, want %d", w, stallIters)
	}
	const bound, plan = 10000.0, 9000.0 // gap 1,000
	cases := []struct {
		name         string
		moved        float64 // over the window
		plan         float64 // NaN: no plan yet
		small, large bool    // stalled?
	}{
		{"no move", 0, plan, true, true},
		{"below stallTol", 0.5 * stallTol * bound, plan, true, true},
		{"a small share of the gap", 0.5 * largeStallGapShare * (bound - plan), plan, false, true},
		{"a large share of the gap", 2 * largeStallGapShare * (bound - plan), plan, false, false},
		{"a small share, no plan", 0.5 * largeStallGapShare * (bound - plan), math.NaN(), false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, sr := range []*search{small, large} {
				sr.bound, sr.bestObj = bound, c.plan
			}
			if got := small.boundStalled(bound + c.moved); got != c.small {
				t.Errorf("small county: stalled %v, want %v", got, c.small)
			}
			if got := large.boundStalled(bound + c.moved); got != c.large {
				t.Errorf("large county: stalled %v, want %v", got, c.large)
			}
		})
	}
}
