package engine

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// townClusters splits inst's towns into clusters of neighbouring towns,
// each with at most maxArcs arcs (a town with more is a cluster alone):
// towns are neighbours when firms of one may move into parks of the
// other. A cluster grows from its lowest-numbered free town by adding,
// each time, the free town with the most arcs to and from the cluster
// (ties to the lower index), so the relocation arcs that cross clusters
// are few. The clusters, and the towns in each, are in increasing order
// of their first town; the result is the same for the same instance.
func townClusters(inst *planner.Instance, maxArcs int) [][]int {
	n := len(inst.Towns)
	arcs := make([]int, n)         // arcs into each town's sites
	link := make([]map[int]int, n) // link[a][b]: arcs between towns a and b
	for i := range link {
		link[i] = map[int]int{}
	}
	for _, a := range inst.Arcs {
		st, gt := inst.Sites[a.Site].Town, inst.Groups[a.Group].Town
		arcs[st]++
		if st != gt {
			link[st][gt]++
			link[gt][st]++
		}
	}
	free := make([]bool, n)
	for i := range free {
		free[i] = true
	}
	var out [][]int
	gain := make([]int, n) // arcs between a free town and the cluster
	for first := 0; first < n; first++ {
		if !free[first] {
			continue
		}
		clear(gain)
		cl, size := []int{}, 0
		for t := first; t >= 0; {
			cl = append(cl, t)
			size += arcs[t]
			free[t] = false
			for u, w := range link[t] { // sums: the order does not matter
				gain[u] += w
			}
			t = -1
			for u := first + 1; u < n; u++ { // the most linked free town that fits, the lowest on ties
				if free[u] && gain[u] > 0 && size+arcs[u] <= maxArcs && (t < 0 || gain[u] > gain[t]) {
					t = u
				}
			}
		}
		sort.Ints(cl)
		out = append(out, cl)
	}
	return out
}

// townsPart is the part of an instance on some of its towns (townsOf).
type townsPart struct {
	inst   *planner.Instance
	groups []int // the part's group i is the whole instance's groups[i]
	// share of the county-wide rows' right-hand sides the part gets:
	// target parks by its share of the towns, the new-land cap by its
	// share of the new-land candidates, budgets by its share of the
	// sites' cost.
	targetShare, capShare, costShare float64
}

// groupClusters assigns each group of firms to the cluster (an index
// into clusters) holding most of the parks the group may move into (ties
// to the lower index), or, without any, to its own town's cluster: a
// group's price then comes from the LP that sees most of its choices.
func groupClusters(inst *planner.Instance, clusters [][]int) []int {
	of := townCluster(inst, clusters)
	count := make([][]int, len(inst.Groups)) // per group, arcs into each cluster (lazily)
	for _, a := range inst.Arcs {
		if count[a.Group] == nil {
			count[a.Group] = make([]int, len(clusters))
		}
		count[a.Group][of[inst.Sites[a.Site].Town]]++
	}
	home := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		home[g] = of[gr.Town]
		for c, n := range count[g] {
			if n > count[g][home[g]] {
				home[g] = c
			}
		}
	}
	return home
}

// townCluster is each town's cluster: an index into clusters.
func townCluster(inst *planner.Instance, clusters [][]int) []int {
	of := make([]int, len(inst.Towns))
	for c, cl := range clusters {
		for _, t := range cl {
			of[t] = c
		}
	}
	return of
}

// townsOf returns the part of inst on towns (sorted): their sites, the
// groups of firms with in(group) true, and the arcs between those; quotas as
// they are (they are per town). The county-wide rows — target parks,
// the new-land cap, yearly budgets, county allocation — are the whole
// county's; townsPart says which share of them belongs to the part
// (lpOfTowns scales them in the part's model). Firms of the part that
// may also move into other towns' parks lose those arcs.
func townsOf(inst *planner.Instance, towns []int, in func(group int) bool) townsPart {
	idx := make([]int, len(inst.Towns)) // town → its index in the part, or −1
	for i := range idx {
		idx[i] = -1
	}
	sub := &planner.Instance{
		Scenario: inst.Scenario, Years: inst.Years, Industries: inst.Industries, Related: inst.Related,
		LandPrice: inst.LandPrice, TargetT: inst.TargetT,
		BudgetWan: inst.BudgetWan, CountyMu: inst.CountyMu,
	}
	for i, t := range towns {
		idx[t] = i
		sub.Towns = append(sub.Towns, inst.Towns[t])
		sub.QuotaMu = append(sub.QuotaMu, inst.QuotaMu[t])
	}
	siteIdx := make([]int, len(inst.Sites))
	var cost, costAll float64
	for s, site := range inst.Sites {
		siteIdx[s] = -1
		costAll += site.CostWan
		if idx[site.Town] < 0 {
			continue
		}
		siteIdx[s] = len(sub.Sites)
		site.Town = idx[site.Town]
		sub.Sites = append(sub.Sites, site)
		cost += site.CostWan
	}
	p := townsPart{inst: sub, targetShare: float64(len(towns)) / math.Max(1, float64(len(inst.Towns))),
		capShare: newLandShare(inst, func(t int) bool { return idx[t] >= 0 }), costShare: cost / math.Max(costAll, 1e-9)}
	groupIdx := make([]int, len(inst.Groups))
	for g, gr := range inst.Groups {
		groupIdx[g] = -1
		if !in(g) {
			continue
		}
		groupIdx[g] = len(sub.Groups)
		gr.Town = max(idx[gr.Town], 0) // a group from another town: any of the part's towns (the model does not use it)
		sub.Groups = append(sub.Groups, gr)
		p.groups = append(p.groups, g)
	}
	for _, a := range inst.Arcs {
		if siteIdx[a.Site] < 0 || groupIdx[a.Group] < 0 {
			continue
		}
		a.Site, a.Group = siteIdx[a.Site], groupIdx[a.Group]
		sub.Arcs = append(sub.Arcs, a)
	}
	return p
}

// newLandShare is the share of inst's new-land candidates that lie in
// the towns in says yes to (0 without any): the share of the new-land
// cap a part of the county gets (townsOf, capSplit).
func newLandShare(inst *planner.Instance, in func(town int) bool) float64 {
	n, all := 0, 0
	for _, site := range inst.Sites {
		if site.Kind == planner.KindNewLand {
			all++
			if in(site.Town) {
				n++
			}
		}
	}
	return ratio(n, all)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// fewSpecialties cuts each unlocked site of p to its k specialties with
// the most firm value that counts toward the specialty (Σ over the
// site's arcs of the arc's value × the group's firms, for the groups of
// related industries), ties to the lower index; sites with k or fewer
// keep theirs. With other specialties allowed every site has all of
// them (14 on the demo) and a cluster's LP is 14 times the size; the
// prices of the cut model are a start near those of the whole one (most
// specialties of a site are never worth opening).
func fewSpecialties(p townsPart, k int) {
	inst := p.inst
	score := specialtyScores(inst)
	for s := range inst.Sites {
		site := &inst.Sites[s]
		if site.Locked || len(site.Specialties) <= k {
			continue
		}
		var specs []int
		for _, i := range bestSpecialties(*site, score[s], k) {
			specs = append(specs, site.Specialties[i])
		}
		sort.Ints(specs)
		site.Specialties = specs
	}
}

// bestSpecialties is the indexes into site.Specialties of its n
// specialties with the highest score (specialtyScores' map for the
// site), ties to the lower index.
func bestSpecialties(site planner.Site, score map[int]float64, n int) []int {
	ks := make([]int, len(site.Specialties))
	for k := range ks {
		ks[k] = k
	}
	slices.SortStableFunc(ks, func(a, b int) int {
		return cmp.Compare(score[site.Specialties[b]], score[site.Specialties[a]])
	})
	return ks[:min(n, len(ks))]
}

// specialtyScores is each site's related firm value under each of its
// specialties (by specialty): Σ over its arcs whose group's industry the
// specialty is related to of max(value, 0) × the group's firms. A locked
// site's map is empty (it keeps its one specialty).
func specialtyScores(inst *planner.Instance) []map[int]float64 {
	score := make([]map[int]float64, len(inst.Sites))
	for s := range score {
		score[s] = map[int]float64{}
	}
	for _, a := range inst.Arcs {
		site := &inst.Sites[a.Site]
		if site.Locked {
			continue
		}
		g := inst.Groups[a.Group]
		for _, spec := range site.Specialties {
			if inst.Related[spec][g.Industry] {
				score[a.Site][spec] += math.Max(a.Value, 0) * float64(g.Count)
			}
		}
	}
	return score
}
