package solver

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// Branch and bound over a group of towns (placeBB): the incumbent with
// every site outside the group kept (years, specialties and firms), and
// the group's site choices and firm placement solved by the dense branch
// and bound of the full model (Solve on the group's instance, small
// enough for exact). The endgame's moves (lns, swapTowns) take a town's
// choice from the master's town table at the current prices, with the
// best-priced specialty: a choice the prices undervalue, or a
// specialty that is second at the prices but first once firms are placed
// in integers, is never tried. Here every choice of the group's sites
// competes, with its exact placement.
const (
	// placeBBNodes caps one group's branch and bound (its relaxation
	// iterations and nodes, Options.NodeLimit of the inner solve; at most
	// a quarter of what is left of a node-limited solve's). On drawn-1-8 (1×, 60 s)
	// groups of two towns seldom close their tree: with 400 nodes per
	// group one pass of 88 groups improved the plan once (+8.5), with
	// 3,000 four times (45,222 → 45,366).
	placeBBNodes = 3000
	// placeBBMaxTowns is the largest group tried; groups start at
	// placeBBStartTowns towns and double on each pass that finds nothing,
	// while their dense model fits (exactMaxCells).
	placeBBStartTowns = 2
	placeBBMaxTowns   = 16
	// placeBBMaxCells caps a group's dense model (rows × (columns + 2 rows),
	// as exactMaxCells): the depth-first search keeps a tableau per level
	// of its path, and at exactMaxCells (16 MB a tableau) drawn-1-8 peaked
	// at 613 MB of RSS against 86 MB without placeBB.
	placeBBMaxCells = 600_000
	// placeBBGroups is how many groups one call of placeBB solves.
	placeBBGroups = 2
	// placeBBSpecialties: a group's sites keep their incumbent specialty
	// and their placeBBSpecialties best by related firm value (the only
	// cut: with other specialties allowed every site has 14, and most
	// single towns' models did not fit the dense branch and bound).
	placeBBSpecialties = 3
	// placeBBTimeShare caps one group's solve at this share of the time
	// left (a solve by the clock; a node-limited one ends on its nodes).
	placeBBTimeShare = 0.1
)

// placeBB solves up to placeBBGroups groups of towns, taking the towns
// in turn as seeds from where the last call stopped: each group is the
// seed and the towns sharing most firm groups with it (up to sr.bbTowns
// towns, while the group's model fits the dense branch and bound),
// solved exactly with the rest of the incumbent fixed (subSolve). A few
// groups per call, so that the endgame's cheaper moves and the
// multipliers' restarts keep their share of a node limit. It reports
// whether the incumbent improved; after a whole round of the towns
// without improvement the group size doubles (up to placeBBMaxTowns).
func (sr *search) placeBB(done func() bool) bool {
	if sr.best == nil {
		return false
	}
	if sr.bbTowns == 0 {
		sr.bbTowns = placeBBStartTowns
	}
	m := sr.m
	nTowns := len(m.inst.Towns)
	if sr.bbLinks == nil {
		sr.bbLinks = m.townLinks()
	}
	for n := 0; n < placeBBGroups; n++ {
		if done() || sr.best == nil {
			return false
		}
		seed := sr.bbNext
		sr.bbNext = (sr.bbNext + 1) % nTowns
		if sr.bbNext == 0 {
			// a round of the towns ends
			if !sr.bbImproved && sr.bbTowns < placeBBMaxTowns {
				sr.bbTowns *= 2
			}
			sr.bbImproved = false
		}
		in := m.townGroup(sr.best, seed, sr.bbTowns, sr.bbLinks)
		if sr.subSolve(in, done) {
			sr.bbImproved = true
			return true
		}
	}
	return false
}

// townGroup marks seed and the towns sharing most firm groups with the
// towns marked (links, townLinks), up to size towns, while the group's
// model fits the dense branch and bound.
func (m *model) townGroup(sol *planner.Solution, seed, size int, links [][]int) []bool {
	nTowns := len(m.inst.Towns)
	in := make([]bool, nTowns)
	in[seed] = true
	group := []int{seed}
	for len(group) < size {
		best, bestN := -1, 0
		for t := 0; t < nTowns; t++ {
			if in[t] {
				continue
			}
			n := 0
			for _, u := range group {
				n += links[u][t]
			}
			if n > bestN {
				best, bestN = t, n
			}
		}
		if best < 0 {
			break
		}
		in[best] = true
		if _, _, ok := m.subInstance(sol, in); !ok {
			in[best] = false
			break
		}
		group = append(group, best)
	}
	return in
}

// townLinks counts, for each pair of towns, the firm groups with arcs to
// sites of both.
func (m *model) townLinks() [][]int {
	inst := m.inst
	n := len(inst.Towns)
	links := make([][]int, n)
	for i := range links {
		links[i] = make([]int, n)
	}
	for g := range inst.Groups {
		var towns []int
		seen := map[int]bool{}
		for _, a := range m.groupArcs[g] {
			t := inst.Sites[inst.Arcs[a].Site].Town
			if !seen[t] {
				seen[t] = true
				towns = append(towns, t)
			}
		}
		for _, a := range towns {
			for _, b := range towns {
				if a != b {
					links[a][b]++
				}
			}
		}
	}
	return links
}

// subSolve solves the group of towns marked in exactly (up to
// placeBBNodes), every site and firm outside it kept as the incumbent
// has them, and offers the plan it finds. It reports whether the
// incumbent improved.
func (sr *search) subSolve(in []bool, done func() bool) bool {
	base := sr.best
	sub, mp, ok := sr.m.subInstance(base, in)
	if !ok {
		return false
	}
	limit := time.Duration(placeBBTimeShare * float64(time.Until(sr.searchEnd)))
	if limit <= 0 {
		return false
	}
	ctx, cancel := context.WithCancel(sr.ctx)
	defer cancel()
	nodes := placeBBNodes
	if sr.opts.NodeLimit > 0 {
		nodes = min(nodes, (sr.opts.NodeLimit-sr.nodes)/4) // a group takes a quarter of what is left
	}
	if nodes <= 0 {
		return false
	}
	inner := newSearch(ctx, sub, Options{TimeLimit: limit, NodeLimit: nodes})
	validate(inner.m)
	inner.offer(mp.restrict(base)) // the incumbent's choice of the group: what to beat
	inner.run()
	sr.nodes += inner.nodes
	if inner.best == nil {
		return false
	}
	before := sr.bestObj
	sr.offer(mp.extend(base, inner.best))
	return sr.bestObj > before+1e-9*math.Max(1, math.Abs(before))
}

// subMap maps a group's instance (subInstance) to the county's.
type subMap struct {
	sites, groups, arcs []int   // county index of each of the group's sites, groups, arcs
	spec                [][]int // county specialty index of each of a group site's specialties
}

// restrict is sol's choice and placement on the group's instance.
func (mp *subMap) restrict(sol *planner.Solution) *planner.Solution {
	out := &planner.Solution{Year: make([]int, len(mp.sites)), Specialty: make([]int, len(mp.sites)), Count: make([]int, len(mp.arcs))}
	for i, s := range mp.sites {
		out.Year[i] = sol.Year[s]
		if sol.Year[s] >= 0 {
			for j, k := range mp.spec[i] {
				if k == sol.Specialty[s] {
					out.Specialty[i] = j
				}
			}
		}
	}
	for i, a := range mp.arcs {
		out.Count[i] = sol.Count[a]
	}
	return out
}

// extend is base with the group's sites and their firms taken from part
// (a plan of the group's instance).
func (mp *subMap) extend(base, part *planner.Solution) *planner.Solution {
	out := &planner.Solution{Year: append([]int(nil), base.Year...), Specialty: append([]int(nil), base.Specialty...), Count: append([]int(nil), base.Count...)}
	for i, s := range mp.sites {
		out.Year[s], out.Specialty[s] = part.Year[i], 0
		if part.Year[i] >= 0 {
			out.Specialty[s] = mp.spec[i][part.Specialty[i]]
		}
	}
	for i, a := range mp.arcs {
		out.Count[a] = part.Count[i]
	}
	return out
}

// subInstance is the instance of the towns marked in, with everything
// else of sol fixed: their sites; the firm groups with arcs to them, less
// the firms sol places outside; the county-wide rows less what sol's
// parks outside use (target, new-land cap, budgets, county allocation).
// ok is false when the group has no site, or its full model does not fit
// the dense branch and bound (exactMaxCells).
func (m *model) subInstance(sol *planner.Solution, in []bool) (*planner.Instance, *subMap, bool) {
	inst := m.inst
	sc := inst.Scenario
	sub := &planner.Instance{
		Scenario: sc, Years: inst.Years, Industries: inst.Industries, Related: inst.Related,
		LandPrice: inst.LandPrice, ParkBonus: inst.ParkBonus, NewLandParkPrice: inst.NewLandParkPrice,
		TargetT: inst.TargetT,
	}
	townIdx := make([]int, len(inst.Towns))
	for t := range townIdx {
		townIdx[t] = -1
		if in[t] {
			townIdx[t] = len(sub.Towns)
			sub.Towns = append(sub.Towns, inst.Towns[t])
			sub.QuotaMu = append(sub.QuotaMu, inst.QuotaMu[t])
		}
	}
	mp := &subMap{}
	siteIdx := make([]int, len(inst.Sites))
	held := make([]int, len(inst.Groups))
	spend := make([]float64, m.nT)
	countyUse := make([]float64, m.nT)
	byTarget, newLand := 0, 0
	for s, site := range inst.Sites {
		siteIdx[s] = -1
		if in[site.Town] {
			siteIdx[s] = len(sub.Sites)
			site.Town = townIdx[site.Town]
			ks := m.bestSpecialties(s, sol, placeBBSpecialties)
			site.Specialties = make([]int, len(ks))
			for j, k := range ks {
				site.Specialties[j] = inst.Sites[s].Specialties[k]
			}
			sub.Sites = append(sub.Sites, site)
			mp.sites = append(mp.sites, s)
			mp.spec = append(mp.spec, ks)
			continue
		}
		t := sol.Year[s]
		if t < 0 {
			continue
		}
		for _, a := range m.siteArcs[s] {
			held[inst.Arcs[a].Group] += sol.Count[a]
		}
		spend[t] += site.CostWan
		if t <= inst.TargetT {
			byTarget++
		}
		if m.newLand(s) {
			newLand++
			countyUse[t] += site.AreaMu
		}
	}
	if len(sub.Sites) == 0 {
		return nil, nil, false
	}
	sub.Scenario.TargetParks = max(0, sc.TargetParks-byTarget)
	if sc.MaxNewLandParks >= 0 {
		sub.Scenario.MaxNewLandParks = max(0, sc.MaxNewLandParks-newLand)
	}
	sub.BudgetWan = make([]float64, len(inst.BudgetWan))
	for t, b := range inst.BudgetWan {
		sub.BudgetWan[t] = b
		if !math.IsInf(b, 1) {
			sub.BudgetWan[t] = math.Max(0, b-spend[t])
		}
	}
	if inst.CountyMu != nil {
		sub.CountyMu = make([]float64, len(inst.CountyMu))
		for t, c := range inst.CountyMu {
			sub.CountyMu[t] = c
			if !math.IsInf(c, 1) {
				sub.CountyMu[t] = math.Max(0, c-countyUse[t])
			}
		}
	}
	groupIdx := make([]int, len(inst.Groups))
	for g := range groupIdx {
		groupIdx[g] = -1
	}
	for _, a := range inst.Arcs {
		if siteIdx[a.Site] >= 0 && inst.Groups[a.Group].Count-held[a.Group] > 0 {
			groupIdx[a.Group] = 0 // needed; numbered below in group order
		}
	}
	for g, gr := range inst.Groups {
		if groupIdx[g] < 0 {
			continue
		}
		gr.Count -= held[g]
		gr.Town = max(townIdx[gr.Town], 0) // the model does not use a group's town
		groupIdx[g] = len(sub.Groups)
		sub.Groups = append(sub.Groups, gr)
		mp.groups = append(mp.groups, g)
	}
	for a, arc := range inst.Arcs {
		if siteIdx[arc.Site] < 0 || groupIdx[arc.Group] < 0 {
			continue
		}
		arc.Site, arc.Group = siteIdx[arc.Site], groupIdx[arc.Group]
		sub.Arcs = append(sub.Arcs, arc)
		mp.arcs = append(mp.arcs, a)
	}
	sm := newModel(sub)
	rows, cols := sm.fullSize()
	if rows*(cols+2*rows) > placeBBMaxCells {
		return nil, nil, false
	}
	return sub, mp, true
}

// bestSpecialties is the specialties (indexes into the site's list, in
// order) site s keeps in a group's instance: all of a locked site's or of
// a site with at most n; else sol's (when open) and the n with the most
// related firm value (Σ over its arcs of value × bound, for groups of
// related industries), ties to the lower index.
func (m *model) bestSpecialties(s int, sol *planner.Solution, n int) []int {
	site := &m.inst.Sites[s]
	nk := len(site.Specialties)
	if site.Locked {
		nk = 1
	}
	if nk <= n {
		out := make([]int, nk)
		for k := range out {
			out[k] = k
		}
		return out
	}
	score := make([]float64, nk)
	for _, a := range m.siteArcs[s] {
		v := m.inst.Arcs[a].Value * float64(m.ub[a])
		for k := range score {
			if m.related(a, k) {
				score[k] += v
			}
		}
	}
	order := make([]int, nk)
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(i, j int) bool { return score[order[i]] > score[order[j]] })
	keep := make([]bool, nk)
	for _, k := range order[:n] {
		keep[k] = true
	}
	if sol.Year[s] >= 0 {
		keep[sol.Specialty[s]] = true
	}
	var out []int
	for k, ok := range keep {
		if ok {
			out = append(out, k)
		}
	}
	return out
}
