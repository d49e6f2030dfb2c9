package solver

import "math"

// Large counties (docs/solver.md, "Large counties"). Above largeSites
// sites (the demo at 3× has 216, at 10× 729; at 1× 72) an iteration of
// the relaxation costs seconds of wall clock on a loaded machine, and the
// bound, once at its start prices, moves by a little at every iteration
// for hundreds of them (it goes below the LP bound: the site master is
// integer). The stall test of the small counties (less than stallTol
// over stallIters iterations) then never fires and the plan search waits
// for endgameShare of the time: on the 10× demo the plan stayed at
// 553,834 from 31 s to 84 s while the bound fell by 0.15 %.
const (
	largeSites = 150
	// largeStallIters is the stall window of a large county.
	largeStallIters = 40
	// largeStallGapShare: on a large county the bound has stalled when a
	// window improved it by less than this share of the gap (bound less
	// the best plan): what is left of the gap is then the plan's, and the
	// time goes to the plan search.
	largeStallGapShare = 0.05
)

// stallWindow is the number of iterations over which the stall test
// looks back, by the number of sites.
func stallWindow(sites int) int {
	if sites > largeSites {
		return largeStallIters
	}
	return stallIters
}

// boundStalled reports whether the bound, ref at the start of the stall
// window, improved too little over it: by at most stallTol (relative),
// or, on a large county, by at most largeStallGapShare of the gap.
func (sr *search) boundStalled(ref float64) bool {
	moved := ref - sr.bound
	if moved <= stallTol*math.Max(1, math.Abs(sr.bound)) {
		return true
	}
	return len(sr.m.inst.Sites) > largeSites && !math.IsNaN(sr.bestObj) && moved <= largeStallGapShare*(sr.bound-sr.bestObj)
}
