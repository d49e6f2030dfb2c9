package solver

import (
	"container/heap"
	"math"
)

// intTol is how far an LP value may be from an integer and still count as
// integral: far above simplex round-off (lpPrimalTol), far below ½.
const intTol = 1e-6

// bbNode is an open node of the branch-and-bound tree: the bounds that
// differ from the root's, and its parent's LP bound.
type bbNode struct {
	id     int
	bound  float64
	lo, up []float64
}

type nodeHeap []*bbNode

func (h nodeHeap) Len() int { return len(h) }
func (h nodeHeap) Less(i, j int) bool {
	if h[i].bound != h[j].bound {
		return h[i].bound > h[j].bound
	}
	return h[i].id < h[j].id // deterministic tie-break
}
func (h nodeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x any)   { *h = append(*h, x.(*bbNode)) }
func (h *nodeHeap) Pop() (x any) { old := *h; x = old[len(old)-1]; *h = old[:len(old)-1]; return }

// bbResult is the outcome of a best-first branch and bound.
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

// branchAndBound maximises p over integer x (every column integer) by
// best-first search on LP bounds.
func branchAndBound(p *lpProblem, h bbHooks) bbResult {
	res := bbResult{bound: math.Inf(1)}
	open := &nodeHeap{}
	root := &bbNode{bound: math.Inf(1), lo: append([]float64(nil), p.lo...), up: append([]float64(nil), p.up...)}
	heap.Push(open, root)
	nextID := 1
	sub := *p
	worstFailed := math.Inf(-1) // largest bound of a node whose LP failed
	prunedMax := math.Inf(-1)   // largest bound of a node pruned by the gap target
	for open.Len() > 0 {
		top := (*open)[0]
		res.bound = math.Max(math.Max(top.bound, worstFailed), prunedMax)
		if h.prune(top.bound) {
			// best-first: every open node is at most top.bound
			prunedMax = math.Max(prunedMax, top.bound)
			break
		}
		if h.stop() {
			return res
		}
		node := heap.Pop(open).(*bbNode)
		res.nodes++
		h.progress(res.bound, res.nodes)
		sub.lo, sub.up = node.lo, node.up
		x, obj, err := solveLP(&sub)
		if err == errLPInfeasible {
			continue
		}
		if err != nil {
			res.failed = true
			worstFailed = math.Max(worstFailed, node.bound)
			continue
		}
		obj = math.Min(obj, node.bound)
		if h.prune(obj) {
			prunedMax = math.Max(prunedMax, obj)
			continue
		}
		// Branch on the most fractional column of highest priority.
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
			h.accept(x)
			continue
		}
		if h.heuristic != nil && (res.nodes <= 64 || res.nodes%8 == 0) {
			h.heuristic(x)
		}
		v := x[bj]
		down := &bbNode{id: nextID, bound: obj, lo: append([]float64(nil), node.lo...), up: append([]float64(nil), node.up...)}
		down.up[bj] = math.Floor(v)
		upn := &bbNode{id: nextID + 1, bound: obj, lo: append([]float64(nil), node.lo...), up: node.up}
		upn.lo[bj] = math.Ceil(v)
		nextID += 2
		heap.Push(open, upn)
		heap.Push(open, down)
	}
	res.complete = !res.failed
	res.bound = math.Max(worstFailed, prunedMax)
	if inc := h.incumbent(); !math.IsNaN(inc) && inc > res.bound {
		res.bound = inc
	}
	return res
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
