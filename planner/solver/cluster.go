package solver

import (
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

const (
	// clusterParks caps the open parks whose firms placeClusters places
	// again together: a park and the neighbours it shares most firm
	// groups with. Three did best of 2, 3, 4 and 6 on drawn-1-8 and
	// drawn-1-15 (docs/solver.md, "Firms placed by clusters of parks").
	clusterParks = 3
	// clusterNodes caps the branch and bound of one cluster's placement.
	clusterNodes = 200
	// clusterTol: a subtree of a cluster's placement is not searched when
	// its bound is within this share of the best placement found.
	clusterTol = 1e-6
)

// placeClusters places the incumbent's firms again, a cluster of parks
// at a time, in integers: for each open park, the park and the (at most
// clusterParks−1) open parks that share most firm groups with it are
// given every firm not held by another park, and their placement is
// solved by branch and bound on its LP (placeInts). The parks of a
// cluster can then trade firms — a group moved from one park to the
// other to make room, under both parks' share rules, for another — which
// neither the per-park exact placement (each park alone, the others
// fixed: polishParks) nor the rounding of the placement LP (polish) can
// do. Improvements are kept as they come and offered once at the end; one
// node per cluster plus its branch and bound. It reports whether the
// incumbent improved; done() stops it between clusters.
func (sr *search) placeClusters(done func() bool) bool {
	if sr.best == nil {
		return false
	}
	m := sr.m
	inst := m.inst
	sol := &planner.Solution{Year: sr.best.Year, Specialty: sr.best.Specialty, Count: append([]int(nil), sr.best.Count...)}
	rowsOf := make([]parkRows, len(inst.Sites))
	var open []int
	for s, t := range sol.Year {
		if t >= 0 {
			open = append(open, s)
			rowsOf[s] = m.parkRowsOf(s, sol.Specialty[s])
		}
	}
	improved := false
	shared := make([]int, len(inst.Sites))
	for _, s := range open {
		if done() {
			break
		}
		cluster := clusterOf(m, sol, s, shared)
		left := make([]int, len(inst.Groups))
		for g, gr := range inst.Groups {
			left[g] = gr.Count
		}
		in := map[int]bool{}
		for _, c := range cluster {
			in[c] = true
		}
		start := 0.0
		for a, arc := range inst.Arcs {
			if in[arc.Site] {
				start += arc.Value * float64(sol.Count[a])
			} else {
				left[arc.Group] -= sol.Count[a]
			}
		}
		sr.nodes++
		v, _ := sr.placeInts(sol, cluster, rowsOf, left, start, clusterNodes, clusterTol, done)
		if v > start+1e-9*math.Max(1, math.Abs(start)) {
			improved = true
		}
	}
	if !improved {
		return false
	}
	before := sr.bestObj
	sr.offer(sol)
	return sr.bestObj > before+1e-9*math.Max(1, math.Abs(before))
}

// clusterOf is park s and the parks open in sol (at most clusterParks−1)
// that share most firm groups with it (ties: lower site index); shared
// is scratch of one entry per site, left zero. Arcs are one per (group,
// site), so each group's arcs (groupArcs) name each of its sites once.
func clusterOf(m *model, sol *planner.Solution, s int, shared []int) []int {
	inst := m.inst
	var partners []int
	for _, a := range m.siteArcs[s] {
		for _, b := range m.groupArcs[inst.Arcs[a].Group] {
			p := inst.Arcs[b].Site
			if p == s || sol.Year[p] < 0 {
				continue
			}
			if shared[p] == 0 {
				partners = append(partners, p)
			}
			shared[p]++
		}
	}
	sort.Slice(partners, func(i, j int) bool {
		a, b := partners[i], partners[j]
		if shared[a] != shared[b] {
			return shared[a] > shared[b]
		}
		return a < b
	})
	cluster := []int{s}
	for _, p := range partners {
		if len(cluster) < clusterParks {
			cluster = append(cluster, p)
		}
	}
	for _, p := range partners {
		shared[p] = 0
	}
	sort.Ints(cluster)
	return cluster
}
