package solver

// intTol is how far an LP value may be from an integer and still count as
// integral: far above simplex round-off (lpPrimalTol), far below ½.
const intTol = 1e-6

// bbResult is the outcome of a branch and bound (depthFirst).
type bbResult struct {
	bound    float64 // proven upper bound (−Inf when infeasible and complete)
	nodes    int
	complete bool // the tree was exhausted (or pruned to the gap target)
	failed   bool // an LP failed numerically; the bound then stays at that node's parent bound
}

// bbHooks connect the search to the caller: accept is called with every
// integral LP point (it checks and records the plan, returning its
// objective or NaN when rejected), incumbent reads the best objective,
// stop says when to stop (time, cancellation), progress reports.
type bbHooks struct {
	accept    func(x []float64) float64
	incumbent func() float64
	prune     func(bound float64) bool // bound cannot beat the incumbent by the gap target
	stop      func() bool
	progress  func(bound float64, nodes int)
	priority  func(j int) int // branching priority of column j (lower first)
	// heuristic, if set, is offered each node's fractional LP point to
	// round into a plan.
	heuristic func(x []float64)
}

// withNodeCap returns h with stop also true after n nodes of this search.
func (h bbHooks) withNodeCap(n int) bbHooks {
	count := 0
	stop, progress := h.stop, h.progress
	h.progress = func(b float64, nodes int) {
		count = nodes
		progress(b, nodes)
	}
	h.stop = func() bool { return count >= n || stop() }
	return h
}
