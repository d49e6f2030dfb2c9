package solver

import "math"

// refactorEvery: a node this many levels below its last fresh solve is
// solved from scratch, so that round-off accumulated by pivoting copies
// of the parent's tableau stays small.
const refactorEvery = 24

// dfsFrame is a node whose children are still to be explored.
type dfsFrame struct {
	tb    *tableau
	obj   float64
	depth int
	fresh int // depth of the last solve from scratch on this path
	j     int
	v     float64
	next  int // children explored so far (0, 1 or 2)
	upFst bool
}

// depthFirst maximises p over integer x by depth-first branch and bound:
// each child starts from a copy of its parent's optimal tableau, changes
// one bound and is re-optimised by the dual simplex. Depth first keeps
// only the tableaux of the current path (memory ~ depth × tableau).
func depthFirst(p *lpProblem, h bbHooks) bbResult {
	res := bbResult{bound: math.Inf(1)}
	prunedMax := math.Inf(-1)
	failedMax := math.Inf(-1)
	var stack []*dfsFrame
	// openBound is the largest LP bound of a node with children left.
	openBound := func() float64 {
		b := math.Max(prunedMax, failedMax)
		for _, f := range stack {
			if f.next < 2 {
				b = math.Max(b, f.obj)
			}
		}
		return b
	}
	// visit evaluates a solved node: prune, accept, or push it for branching.
	visit := func(tb *tableau, depth, fresh int, parentObj float64) {
		res.nodes++
		x := make([]float64, p.n)
		for j := range x {
			x[j] = math.Max(tb.lo[j], math.Min(tb.up[j], tb.x[j]))
		}
		obj := math.Min(tb.objective(), parentObj)
		if h.prune(obj) {
			prunedMax = math.Max(prunedMax, obj)
			return
		}
		bj, bestScore, bestPri := -1, 0.0, math.MaxInt
		for j, v := range x {
			fr := v - math.Floor(v)
			if fr < intTol || fr > 1-intTol {
				continue
			}
			score := math.Min(fr, 1-fr)
			pri := h.priority(j)
			if pri < bestPri || (pri == bestPri && score > bestScore+1e-12) {
				bj, bestScore, bestPri = j, score, pri
			}
		}
		if bj < 0 {
			if !math.IsNaN(h.accept(x)) {
				return
			}
			// Rejected by the rule check: a value within intTol of an
			// integer was rounded onto a row it only met by round-off.
			// Branch on the least integral column; if every column is
			// exactly integral, keep the node's bound as unresolved.
			dev := 0.0
			for j, v := range x {
				if d := math.Abs(v - math.Round(v)); d > dev {
					bj, dev = j, d
				}
			}
			if bj < 0 {
				failedMax = math.Max(failedMax, obj)
				return
			}
		}
		if h.heuristic != nil && (res.nodes <= 64 || res.nodes%8 == 0) {
			h.heuristic(x)
		}
		v := x[bj]
		if v == math.Floor(v) {
			v += 0.5 * intTol // an exactly integral rejected column: split at v | v+1
		}
		stack = append(stack, &dfsFrame{tb: tb, obj: obj, depth: depth, fresh: fresh, j: bj, v: v, upFst: v-math.Floor(v) >= 0.5})
	}
	root, err := buildTableau(p)
	if err == nil {
		err = root.phases(p.c)
	}
	switch {
	case err == errLPInfeasible:
		res.complete = true
		res.bound = math.Inf(-1)
		return res
	case err != nil:
		res.failed = true
		return res
	}
	visit(root, 0, 0, math.Inf(1))
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		if top.next >= 2 || h.prune(top.obj) {
			if top.next < 2 {
				prunedMax = math.Max(prunedMax, top.obj)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		res.bound = openBound()
		if h.stop() {
			return res
		}
		h.progress(res.bound, res.nodes)
		up := top.next == 0 == top.upFst
		var tb *tableau
		if top.next == 0 {
			tb = top.tb.clone()
		} else {
			tb = top.tb // last child takes the parent's tableau
			top.tb = nil
		}
		top.next++
		lo, hi := tb.lo[top.j], tb.up[top.j]
		if up {
			lo = math.Ceil(top.v)
		} else {
			hi = math.Floor(top.v)
		}
		depth, fresh := top.depth+1, top.fresh
		scratch := func() (*tableau, error) {
			sub := *p
			sub.lo = append([]float64(nil), tb.lo[:p.n]...)
			sub.up = append([]float64(nil), tb.up[:p.n]...)
			sub.lo[top.j], sub.up[top.j] = lo, hi
			fresh = depth
			t, err := buildTableau(&sub)
			if err == nil {
				err = t.phases(p.c)
			}
			return t, err
		}
		var err error
		if depth-fresh >= refactorEvery {
			tb, err = scratch()
		} else {
			bounds := *tb // keep the parent's bounds for a fresh solve
			bounds.lo = append([]float64(nil), tb.lo...)
			bounds.up = append([]float64(nil), tb.up...)
			tb.setBounds(top.j, lo, hi)
			if err = tb.dual(50 * (tb.m + tb.ncol)); err == errLPNumeric {
				// the warm start lost its way (cycling, round-off): solve
				// the node from scratch
				tb = &bounds
				tb, err = scratch()
			}
		}
		if err == errLPInfeasible {
			continue
		}
		if err != nil {
			res.failed = true
			failedMax = math.Max(failedMax, top.obj)
			continue
		}
		visit(tb, depth, fresh, top.obj)
	}
	res.complete = !res.failed
	res.bound = math.Max(prunedMax, failedMax)
	if inc := h.incumbent(); !math.IsNaN(inc) && inc > res.bound {
		res.bound = inc
	}
	return res
}
