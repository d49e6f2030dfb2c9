package engine

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
)

// The LP relaxation of a model with a long relocation reach is mostly
// ruleLink rows, one per arc and specialty (3× demo with no reach cap:
// 303,031 of 305,789 rows), and CLP's time grows with them (~38 s of a
// quiet core there; under load no prices within the 48 s a solve waits).
// At the LP optimum a group's firms go to a few parks near it, so most
// arcs are at zero: the LP is solved by generating its x columns (arc
// and specialty; modelLP) — first each group's and each site's most
// valuable arcs under the site's best specialties, then, round by round,
// the dropped columns whose reduced cost says they would raise the LP —
// which ends at the same optimum as the whole LP (checked by
// TestArcsLPAgreesWithWhole) and gives the prices of its rows.
const (
	// arcsLPMinLinks is the fewest ruleLink rows a model has for its LP
	// to be solved by arcs (below it the whole LP, as CBC solves it,
	// takes a few seconds at most: the 1× demo has 8,913 arcs).
	arcsLPMinLinks = 40000
	// arcsLPFirst and arcsLPSiteFirst: the first restricted LP has each
	// group's arcsLPFirst most valuable arcs and each site's
	// arcsLPSiteFirst — a site with only the arcs of the groups it is
	// nearest to looks worth less than it is, and the next round adds
	// thousands of arcs. On the 3× demo with no reach cap and other
	// specialties allowed (scengen seed 4, drawn-4-4; 133,000 arcs, three
	// specialties a site in the cut LP), groups' 12 alone: 22.7 s to the
	// LP optimum (14,269 arcs added after the first LP), 25 alone 31.2 s;
	// 16 and 30: 13.6 s (1,177 added), 12 and 30: 15.1 s. Without other
	// specialties (drawn-3-0): groups' 12 alone 2.8 s, 16 and 30 3.9 s.
	arcsLPFirst     = 16
	arcsLPSiteFirst = 30
	// arcsLPWarmShare: a restricted LP starts from the last one's optimal
	// basis (cbc.LPFrom, primal simplex) when the arcs added since are at
	// most this share of those it had, else from scratch (dual simplex):
	// on drawn-4-4, 14,269 arcs added to 9,300 took 17.9 s warm and 14.8 s
	// cold; 1,452 added to 23,600 took 1.3 s warm.
	arcsLPWarmShare = 0.25
	// arcsLPSpecialties: the first LP has a site's x columns under its
	// arcsLPSpecialties specialties with the most related firm value and
	// under those related to each arc's group (with other specialties
	// allowed a site has 14).
	arcsLPSpecialties = 3
	// arcsLPRounds is the most restricted LPs solved; the last one's
	// prices are used when columns are still being added then.
	arcsLPRounds = 30
	// arcsLPTol is the relative tolerance of a dropped column's reduced
	// cost (CBC writes its duals to about eight significant digits): a
	// column raises the LP when its reduced cost exceeds arcsLPTol times
	// the sum of the magnitudes of its objective and priced terms.
	arcsLPTol = 1e-6
	// arcsLPOpenTol: a park (site and specialty) is open in the LP when
	// its y sum over the years exceeds this.
	arcsLPOpenTol = 1e-9
)

// modelLP solves m's LP relaxation with CBC: the whole model, or by arcs
// (arcsLP) when it has more than arcsLPMinLinks ruleLink rows.
func modelLP(ctx context.Context, m *mps.Model) (*cbc.LP, error) {
	if links(m.Model) <= arcsLPMinLinks {
		return cbc.LPRelaxation(ctx, m)
	}
	lp, _, err := arcsLP(ctx, m.Model, arcsLPFirst, arcsLPSiteFirst, arcsLPSpecialties)
	return lp, err
}

// links counts m's ruleLink rows.
func links(m *mip.Model) int {
	n := 0
	for _, r := range m.Rows {
		if r.Rule == planner.RuleLink {
			n++
		}
	}
	return n
}

// arcsLP solves m's LP relaxation (a mip.Compact model) by column
// generation over its x columns: a restricted LP with each group's first
// and each site's siteFirst most valuable arcs under specs specialties
// of the site and those related to the group (firstColumns;
// mip.Model.Restrict), then the dropped columns that price out added,
// until none does. A dropped column x[a,k] at park (s, k) is at 0 and
// its link row is x[a,k] ≤ U_a Σ_t y[s,t,k]; the
// restricted optimum is the whole LP's when every such row can be given
// a dual μ ≥ 0 that keeps both columns dual feasible: μ ≥ rc(x[a,k]),
// μ = 0 where the park is open in the LP (the row is slack), and, where
// it is closed, Σ_a U_a μ no more than any of its y columns' reduced
// cost allows. The answer is indexed like m; a dropped column is 0 and
// its link row's price 0. After arcsLPRounds rounds it is the last
// restricted LP's (its Objective then below the LP optimum). rounds is
// how many restricted LPs were solved.
func arcsLP(ctx context.Context, m *mip.Model, first, siteFirst, specs int) (lp *cbc.LP, rounds int, err error) {
	keep := firstColumns(m, firstArcs(m.Inst, first, siteFirst), specs)
	kept, added := 0, 0
	for _, k := range keep {
		if k {
			kept++
		}
	}
	var basis []byte
	for rounds = 1; ; rounds++ {
		sub, cols, rows := m.Restrict(func(j int) bool { return keep[j] })
		from := basis
		if float64(added) > arcsLPWarmShare*float64(kept-added) {
			from = nil
		}
		part, err := cbc.LPFrom(ctx, mps.Numbered(sub, cols, rows), from)
		if err != nil {
			return nil, rounds, err
		}
		basis = part.Basis
		lp = spreadLP(m, part, cols, rows)
		added = priceArcs(m, lp, keep)
		kept += added
		if added == 0 || rounds == arcsLPRounds {
			return lp, rounds, nil
		}
	}
}

// firstArcs marks each group's perGroup and each site's perSite most
// valuable arcs (ties by index).
func firstArcs(inst *planner.Instance, perGroup, perSite int) []bool {
	byGroup := make([][]int, len(inst.Groups))
	bySite := make([][]int, len(inst.Sites))
	for a, arc := range inst.Arcs {
		byGroup[arc.Group] = append(byGroup[arc.Group], a)
		bySite[arc.Site] = append(bySite[arc.Site], a)
	}
	keep := make([]bool, len(inst.Arcs))
	mark := func(lists [][]int, n int) {
		for _, arcs := range lists {
			slices.SortStableFunc(arcs, func(a, b int) int { return cmp.Compare(inst.Arcs[b].Value, inst.Arcs[a].Value) })
			for _, a := range arcs[:min(n, len(arcs))] {
				keep[a] = true
			}
		}
	}
	mark(byGroup, perGroup)
	mark(bySite, perSite)
	return keep
}

// firstColumns marks the x columns of the arcs arcs marks under each
// site's perSite specialties with the most related firm value
// (specialtyScores) and under the specialties related to the arc's
// group's industry.
func firstColumns(m *mip.Model, arcs []bool, perSite int) []bool {
	inst := m.Inst
	score := specialtyScores(inst)
	top := make([][]bool, len(inst.Sites)) // top[s][k]: k among site s's perSite best
	for s, site := range inst.Sites {
		top[s] = make([]bool, len(site.Specialties))
		for _, k := range bestSpecialties(site, score[s], perSite) {
			top[s][k] = true
		}
	}
	keep := make([]bool, len(m.Columns))
	for a, on := range arcs {
		if !on {
			continue
		}
		arc := inst.Arcs[a]
		ind := inst.Groups[arc.Group].Industry
		for k, j := range m.X[a] {
			if j >= 0 && (top[arc.Site][k] || inst.Related[inst.Sites[arc.Site].Specialties[k]][ind]) {
				keep[j] = true
			}
		}
	}
	return keep
}

// spreadLP is a restricted model's LP optimum (part; its column j and row
// i are m's cols[j] and rows[i]) indexed like m, zero elsewhere.
func spreadLP(m *mip.Model, part *cbc.LP, cols, rows []int) *cbc.LP {
	lp := &cbc.LP{Objective: part.Objective, Prices: make([]float64, len(m.Rows)),
		Values: make([]float64, len(m.Columns)), ReducedCosts: make([]float64, len(m.Columns))}
	for i, r := range rows {
		lp.Prices[r] = part.Prices[i]
	}
	for j, c := range cols {
		lp.Values[c], lp.ReducedCosts[c] = part.Values[j], part.ReducedCosts[j]
	}
	return lp
}

// priceArcs prices the x columns keep drops at lp's row prices, marks
// those of every park where they would raise the LP (arcsLP) and returns
// how many it marked. It also sets the dropped x columns' ReducedCosts
// in lp.
func priceArcs(m *mip.Model, lp *cbc.LP, keep []bool) int {
	dropped := func(j int) bool { return m.Columns[j].Kind == mip.KindX && !keep[j] }
	rc := lp.ReducedCosts
	mag := make([]float64, len(m.Columns))
	for j, c := range m.Columns {
		if dropped(j) {
			rc[j], mag[j] = c.Obj, math.Abs(c.Obj)
		}
	}
	for i, r := range m.Rows {
		p := lp.Prices[i]
		if p == 0 || r.Rule == planner.RuleLink {
			continue // a dropped arc's link row is priced below
		}
		for x, j := range r.Cols {
			if dropped(j) {
				rc[j] -= r.Coefs[x] * p
				mag[j] += math.Abs(r.Coefs[x] * p)
			}
		}
	}
	rises := func(j int) bool { return rc[j] > arcsLPTol*(1+mag[j]) }
	// the dropped arcs of each park (site, specialty) with a positive
	// reduced cost, and the most their link rows' duals may take (U_a·μ)
	type park struct{ s, k int }
	pos := map[park][]int{}
	sum := map[park]float64{}
	for j, c := range m.Columns {
		if dropped(j) && rises(j) {
			p := park{c.Site, c.Spec}
			pos[p] = append(pos[p], j)
			sum[p] += c.Up * rc[j]
		}
	}
	added := 0
	for p, js := range pos {
		if sum[p] <= parkSlack(m, lp, p.s, p.k) {
			continue
		}
		for _, j := range js {
			keep[j] = true
		}
		added += len(js)
	}
	return added
}

// parkSlack is how much of the dropped arcs' reduced cost (Σ U_a·μ) the
// link rows of park (s, k) can take at lp: none when the park is open in
// the LP (its link rows are slack, their duals 0), else the least reduced
// cost any of its y columns may give up (each y at 0 gains U_a·μ per
// row); unlimited when the park has no y column (a locked site's other
// specialty: its x are held at 0 whatever the duals).
func parkSlack(m *mip.Model, lp *cbc.LP, s, k int) float64 {
	open, slack, any := 0.0, math.Inf(1), false
	for t := range m.Y[s] {
		y := m.Y[s][t][k]
		if y < 0 {
			continue
		}
		any = true
		open += lp.Values[y]
		slack = math.Min(slack, math.Max(0, -lp.ReducedCosts[y]))
	}
	switch {
	case !any:
		return math.Inf(1)
	case open > arcsLPOpenTol:
		return 0
	}
	return slack * (1 - arcsLPTol)
}
