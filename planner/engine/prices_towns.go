package engine

import (
	"context"
	"sync"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/solver"
)

// Large counties (docs/solver.md, "Large counties"): CBC's LP of the
// whole model grows faster than the model — on the demo at 1× (16,923
// rows) 0.26 s of CPU, at 3× (49,450 rows) 4.4 s, at 10× (171,981 rows,
// 94,329 arcs) 41 s of CPU and 289 s of wall clock under load 15, past
// any time limit a user sets; at 1× with other specialties allowed
// (every site with 14 specialties) 13 s. Above lpWholeMaxRows rows the
// starting prices come from the LPs of clusters of neighbouring towns
// instead (lpPricesByTowns), each about the size of the 1× county — or
// one cluster of every town when a long relocation reach would make the
// clusters cut too many of the firms' choices (priceClusters).
const (
	// lpWholeMaxRows is the most rows (mip.Size) a model may have for its
	// starting prices to come from the LP of the whole model. The 3× demo
	// (49,584) is above it: its three clusters' prices came at 4 s under
	// load 9 with a first bound of 167,893.1, 0.02 % above the LP bound
	// 167,863.6, whose own LP takes 4.4 s of CPU (27 s of wall clock).
	lpWholeMaxRows = 40000
	// townsMaxArcs is the most arcs of a cluster of towns whose LP gives
	// its firms' starting prices: about the 1× demo county (8,913 arcs).
	// Smaller clusters lose too many of their firms' choices across
	// their borders: on the 10× demo, clusters of 5,000 arcs gave a first
	// bound of 700,737, of 10,000 arcs 575,618 and of 20,000 575,568
	// (the LP bound 574,873).
	townsMaxArcs = 10000
	// townsSpecialties is the most specialties a site keeps in its
	// cluster's LP (fewSpecialties): the demo's towns have one to three
	// block industries.
	townsSpecialties = 3
	// lpTownsShare is the most of the time limit a large county's solve
	// waits for its clusters' prices (lpPricesShare for the others):
	// without them the bound is far from the LP bound at the end (the 10×
	// demo from zero prices: 598,559 after 120 s, the LP bound 574,873),
	// with them it is there at once and the plan follows within seconds
	// (10× demo: 3 % at 4 s after the prices came, under load 9).
	lpTownsShare = 0.8
	// townsMaxCut is the largest share of a county's arcs that may cross
	// its clusters of towns (cutShare) for the clusters' LPs to give its
	// prices; above it the county is one cluster (priceClusters). The
	// demo's scenarios at 3× cut 0 % at reaches up to 15 km and 16 % at
	// 20 km, whose clusters' prices started solves that ended at
	// 0.32–0.50 % with bounds within 0.06 % of CBC's; at 30 km they cut
	// 34–42 %, and the bound from those prices stayed 12.6 % above CBC's
	// after 60 s (scengen seed 2, drawn-2-9) where the county's own LP
	// takes 13 s of a core (docs/solver.md, "Long reaches").
	townsMaxCut = 0.25
	// townsOneMaxArcs is the most arcs a county may have for a new-land
	// cap of fewer parks than its clusters could share out to make it one
	// cluster (capSplit): the cap scaled to a cluster's share of the
	// new-land candidates gives it a fraction of a park, and the
	// clusters' prices left the bound far above the LP bound (3× demo,
	// scengen seed 4 drawn-4-9: cap 3 over 6 clusters, other specialties
	// allowed; 2.81 % after 60 s, bound 127,376 against the LP bound
	// 126,212). One cluster's LP (the county cut to three specialties a
	// site, by arcs) took 11–14 s there and the solve ended at 1.62 %
	// alone, 1.95 % beside the benchmark's CBC (docs/solver.md). The
	// 3× demo has 23,000–52,000 arcs at reaches up to 30 km; the 10× demo
	// (94,329 arcs), whose county LP takes minutes, keeps its clusters.
	townsOneMaxArcs = 60000
	// lpWorkers is how many clusters' LPs run at once: the machine's two
	// cores (a solve waits for them).
	lpWorkers = 2
)

// cbcBesideMaxRows is the most rows (mip.Size) a model may have for
// CBC's root node to run beside a node-limited parkplan solve. On the 10×
// demo (172,368 rows) CBC's LP alone took 41 s of CPU, and the root had
// no bound after 120 s; on the 3× demo with other specialties allowed
// (~350,000 rows) the root still ran after 5 minutes of CPU, a core taken
// from the solve for its whole time limit. On the 3× demo (49,584 rows)
// the root's bound is used (docs/benchmarks-solver.md).
const cbcBesideMaxRows = 100000

// cbcBeside reports whether CBC's root runs beside a node-limited solve
// of inst (where CBC is installed): a choice by the model's size alone.
func cbcBeside(inst *planner.Instance) bool {
	rows, _ := mip.Size(inst)
	return rows <= cbcBesideMaxRows
}

// PricesFromTowns names the start of the multipliers in
// SolveInfo.PricesFrom when they came from the LPs of clusters of towns
// (lpPricesByTowns).
const PricesFromTowns = "cbc-lp-towns"

// pricesFrom names where a solve of inst takes its starting prices from
// (PricesFromLP or PricesFromTowns): a choice by the model's size alone,
// so the same on every machine. A model above lpWholeMaxRows whose towns
// make one cluster only (the 1× county with other specialties allowed)
// keeps the LP of the whole model.
func pricesFrom(inst *planner.Instance) string {
	if rows, _ := mip.Size(inst); rows > lpWholeMaxRows && len(townClusters(inst, townsMaxArcs)) > 1 {
		return PricesFromTowns
	}
	return PricesFromLP
}

// lpPricesByTowns splits inst's towns into clusters of neighbours with
// at most maxArcs arcs each (townClusters; one cluster of every town when
// those would cut more than townsMaxCut of the arcs: priceClusters) and
// solves each cluster's LP relaxation with CBC
// (lpOfTowns): each group's price is the dual of its place-once row in
// its own towns' LP, each budgeted year's the duals of the clusters'
// budget rows weighted by their share of the budget. These are not the
// LP's duals (the clusters do not see each other's competition for the
// firms on their borders, and share the county-wide rows by a fixed
// rule), only a start near them; the solver's bound is its own
// evaluation at whatever prices. A cluster whose LP has no optimum (its
// share of a county-wide row too small for its locked parks, say) leaves
// its groups' prices at zero. It returns nil when ctx ends first or no
// cluster gave prices.
func lpPricesByTowns(ctx context.Context, inst *planner.Instance, maxArcs int) *solver.Prices {
	clusters, home := priceClusters(inst, maxArcs)
	return clustersPrices(ctx, inst, clusters, home)
}

// clustersPrices is lpPricesByTowns' work for given clusters of towns and
// each group's cluster (home).
func clustersPrices(ctx context.Context, inst *planner.Instance, clusters [][]int, home []int) *solver.Prices {
	parts := make([]townsPart, len(clusters))
	lps := make([]*cbc.LP, len(clusters))
	models := make([]*mps.Model, len(clusters))
	var wg sync.WaitGroup
	sem := make(chan struct{}, lpWorkers)
	for i, cl := range clusters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			parts[i] = townsOf(inst, cl, func(g int) bool { return home[g] == i })
			fewSpecialties(parts[i], townsSpecialties)
			models[i] = partModel(parts[i])
			lp, err := modelLP(ctx, models[i])
			if err == nil {
				lps[i] = lp
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	p := &solver.Prices{Groups: make([]float64, len(inst.Groups)), Years: make([]float64, len(inst.Years)), From: PricesFromTowns}
	weight := make([]float64, len(inst.Years))
	got := false
	for i, lp := range lps {
		if lp == nil {
			continue
		}
		got = true
		for r, row := range models[i].Rows {
			switch row.Rule {
			case planner.RulePlaceOnce:
				p.Groups[parts[i].groups[row.Group]] = lp.Prices[r]
			case planner.RuleBudget:
				p.Years[row.Year] += parts[i].costShare * lp.Prices[r]
				weight[row.Year] += parts[i].costShare
			}
		}
	}
	if !got {
		return nil
	}
	for t, w := range weight {
		if w > 0 {
			p.Years[t] /= w
		}
	}
	return p
}

// priceClusters is the clusters of towns whose LPs give inst's prices
// and each group's cluster (groupClusters): townClusters of at most
// maxArcs arcs, or all towns as one cluster when those would cut more
// than townsMaxCut of the arcs (a long relocation reach: most firms may
// move into most clusters, and each cluster's LP would price its firms
// without the parks on the other side of its border), or when the county
// has at most townsOneMaxArcs arcs and its new-land cap would give a
// cluster less than one park (capSplit).
func priceClusters(inst *planner.Instance, maxArcs int) (clusters [][]int, home []int) {
	clusters = townClusters(inst, maxArcs)
	home = groupClusters(inst, clusters)
	if len(clusters) == 1 || (cutShare(inst, clusters, home) <= townsMaxCut && !capSplit(inst, clusters, townsOneMaxArcs)) {
		return clusters, home
	}
	all := make([]int, len(inst.Towns))
	for t := range all {
		all[t] = t
	}
	return [][]int{all}, make([]int, len(inst.Groups))
}

// capSplit reports whether inst, with at most maxArcs arcs, has a
// new-land cap (max_new_land_parks ≥ 1) that its clusters' LPs would
// share out as less than one park to a cluster with new-land candidates
// (partModel scales the cap by the cluster's newLandShare).
func capSplit(inst *planner.Instance, clusters [][]int, maxArcs int) bool {
	limit := inst.Scenario.MaxNewLandParks
	if limit < 1 || len(inst.Arcs) > maxArcs {
		return false
	}
	of := townCluster(inst, clusters)
	for c := range clusters {
		share := newLandShare(inst, func(t int) bool { return of[t] == c })
		if share > 0 && float64(limit)*share < 1 {
			return true
		}
	}
	return false
}

// cutShare is the share of inst's arcs whose site lies outside its
// group's cluster (home, from groupClusters): the firms' choices that
// the clusters' LPs do not see.
func cutShare(inst *planner.Instance, clusters [][]int, home []int) float64 {
	if len(inst.Arcs) == 0 {
		return 0
	}
	of := townCluster(inst, clusters)
	cut := 0
	for _, a := range inst.Arcs {
		if of[inst.Sites[a.Site].Town] != home[a.Group] {
			cut++
		}
	}
	return float64(cut) / float64(len(inst.Arcs))
}

// partModel is the exact model of a part of the county (mip.Compact)
// with the county-wide rows' right-hand sides scaled to the part's share.
func partModel(p townsPart) *mps.Model {
	m := mip.Build(p.inst, mip.Compact)
	for i := range m.Rows {
		row := &m.Rows[i]
		switch row.Rule {
		case planner.RuleTargetParks:
			row.RHS *= p.targetShare
		case planner.RuleNewLandCap, planner.RuleCountyAllocation:
			row.RHS *= p.capShare
		case planner.RuleBudget:
			row.RHS *= p.costShare
		}
	}
	return mps.FromMIP(m)
}
