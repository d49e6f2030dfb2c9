package engine

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/randinst"
	"github.com/parkplan/parkplan/planner/solver"
)

// TestTownClusters: every town is in exactly one cluster, a cluster of
// more than one town has at most maxArcs arcs into its parks, the towns
// of a cluster are sorted and the clusters ordered by their first town,
// and the same instance gives the same clusters.
func TestTownClusters(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		inst := randinst.Generate(seed, randinst.County(3))
		arcsOf := make([]int, len(inst.Towns))
		for _, a := range inst.Arcs {
			arcsOf[inst.Sites[a.Site].Town]++
		}
		for _, maxArcs := range []int{0, 1000, 5000, len(inst.Arcs)} {
			t.Run(fmt.Sprintf("seed%d/max%d", seed, maxArcs), func(t *testing.T) {
				cl := townClusters(inst, maxArcs)
				if again := townClusters(inst, maxArcs); !slices.EqualFunc(cl, again, slices.Equal[[]int]) {
					t.Fatalf("two calls differ: %v vs %v", cl, again)
				}
				seen := make([]int, len(inst.Towns))
				for i, c := range cl {
					if !slices.IsSorted(c) {
						t.Errorf("cluster %d not sorted: %v", i, c)
					}
					if i > 0 && c[0] <= cl[i-1][0] {
						t.Errorf("cluster %d starts at town %d after cluster %d at %d", i, c[0], i-1, cl[i-1][0])
					}
					n := 0
					for _, town := range c {
						seen[town]++
						n += arcsOf[town]
					}
					if len(c) > 1 && n > maxArcs {
						t.Errorf("cluster %d: %d towns with %d arcs, more than %d", i, len(c), n, maxArcs)
					}
				}
				for town, k := range seen {
					if k != 1 {
						t.Errorf("town %d in %d clusters", town, k)
					}
				}
				if maxArcs == 0 && len(cl) != len(inst.Towns) {
					t.Errorf("maxArcs 0: %d clusters for %d towns", len(cl), len(inst.Towns))
				}
				t.Logf("%d clusters", len(cl))
			})
		}
	}
}

// TestTownsOf: the parts of a county split into clusters hold every group
// exactly once, each part's sites and arcs are the whole county's (same
// values, same order), and the part's model scales the county-wide rows
// by its share.
func TestTownsOf(t *testing.T) {
	inst := randinst.Generate(2, randinst.County(3)) // with yearly budgets
	inst.Scenario.TargetParks = 40
	clusters := townClusters(inst, 4000)
	home := groupClusters(inst, clusters)
	whole := mps.Build(inst)
	rhs := map[string]float64{}
	for _, row := range whole.Rows {
		switch row.Rule {
		case planner.RuleTargetParks, planner.RuleNewLandCap:
			rhs[row.Rule] = row.RHS
		case planner.RuleBudget:
			rhs[fmt.Sprint(row.Rule, row.Year)] = row.RHS
		}
	}
	if len(rhs) < 3 {
		t.Fatalf("the instance has too few county-wide rows to test: %v", rhs)
	}
	groups := make([]int, len(inst.Groups))
	for i, cl := range clusters {
		p := townsOf(inst, cl, func(g int) bool { return home[g] == i })
		for pg, g := range p.groups {
			groups[g]++
			if p.inst.Groups[pg].Count != inst.Groups[g].Count {
				t.Fatalf("cluster %d group %d: count %d, whole county's %d", i, pg, p.inst.Groups[pg].Count, inst.Groups[g].Count)
			}
		}
		for s, site := range p.inst.Sites {
			if !slices.Contains(cl, slices.Index(inst.Towns, p.inst.Towns[site.Town])) {
				t.Fatalf("cluster %d site %d (%s) in town %s, not one of the cluster's", i, s, site.ParcelID, p.inst.Towns[site.Town])
			}
		}
		for k, a := range p.inst.Arcs {
			if k > 0 && (a.Site < p.inst.Arcs[k-1].Site || a.Site == p.inst.Arcs[k-1].Site && a.Group <= p.inst.Arcs[k-1].Group) {
				t.Fatalf("cluster %d: arcs out of (site, group) order at %d", i, k)
			}
			g := p.groups[a.Group]
			found := false
			for _, b := range inst.Arcs {
				if b.Group == g && inst.Sites[b.Site].ParcelID == p.inst.Sites[a.Site].ParcelID {
					found = b.Value == a.Value && b.DistanceKm == a.DistanceKm
				}
			}
			if !found {
				t.Fatalf("cluster %d arc %d (group %d, site %s) is not the county's", i, k, g, p.inst.Sites[a.Site].ParcelID)
			}
		}
		for _, row := range partModel(p).Rows {
			var want float64
			switch row.Rule {
			case planner.RuleTargetParks:
				want = rhs[row.Rule] * p.targetShare
			case planner.RuleNewLandCap:
				want = rhs[row.Rule] * p.capShare
			case planner.RuleBudget:
				want = rhs[fmt.Sprint(row.Rule, row.Year)] * p.costShare
			default:
				continue
			}
			if math.Abs(row.RHS-want) > 1e-9*math.Max(1, want) {
				t.Errorf("cluster %d %s (year %d): right-hand side %g, want %g", i, row.Rule, row.Year, row.RHS, want)
			}
		}
	}
	for g, k := range groups {
		if k != 1 {
			t.Errorf("group %d in %d parts", g, k)
		}
	}
}

// TestLPPricesByTowns: on 3× counties split into clusters of towns, the
// solver's first bound at the clusters' prices is a bound (at least a
// plan parkplan finds on its own), within townsBoundTol of the LP bound of the
// whole model (CBC), and far below the first bound at zero prices; a
// node-limited solve from them is the same twice (CBC's LPs have no
// clock: the same prices twice, the same plan twice) and names where its
// prices came from.
func TestLPPricesByTowns(t *testing.T) {
	// townsBoundTol: the clusters do not see the competition for the
	// firms on their borders; on these counties cut in three the first
	// bound was 0.7 % (seed 1) and 1.4 % (seed 4) above the LP bound, on
	// the 10× demo cut in ten 0.13 %.
	const townsBoundTol = 0.02
	requireCBC(t)
	for _, seed := range []int64{4} { // seed 1: 0.7 % above the LP bound, seed 4 1.4 %
		t.Run(fmt.Sprintf("county3x/seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, randinst.County(3))
			lp, err := cbc.LPRelaxation(context.Background(), mps.Build(inst))
			if err != nil {
				t.Fatal(err)
			}
			p := lpPricesByTowns(context.Background(), inst, len(inst.Arcs)/3)
			if p == nil {
				t.Fatal("no prices from the clusters")
			}
			if p2 := lpPricesByTowns(context.Background(), inst, len(inst.Arcs)/3); !slices.Equal(p.Groups, p2.Groups) || !slices.Equal(p.Years, p2.Years) {
				t.Fatal("two calls give different prices")
			}
			firstAt := func(p *solver.Prices, nodes int) (first float64, sol *planner.Solution) {
				first = math.Inf(1)
				sol, err := solver.Solve(context.Background(), inst, solver.Options{
					TimeLimit: 10 * time.Minute, NodeLimit: nodes, Prices: p,
					Progress: func(pr planner.Progress) { first = math.Min(first, pr.Bound) },
				})
				if err != nil {
					t.Fatal(err)
				}
				return first, sol
			}
			atZero, _ := firstAt(nil, 1)
			first, _ := firstAt(p, 1)
			_, sol := firstAt(p, 60)
			_, again := firstAt(p, 60)
			t.Logf("LP bound %.1f; first bound at the clusters' prices %.1f, at zero %.1f; plan at 60 nodes %.1f", lp.Objective, first, atZero, sol.Info.Objective)
			if first < sol.Info.Objective-1e-6*math.Abs(sol.Info.Objective) {
				t.Errorf("first bound %.6f below a plan of %.6f", first, sol.Info.Objective)
			}
			if first > lp.Objective*(1+townsBoundTol) {
				t.Errorf("first bound %.1f more than %g above the LP bound %.1f", first, townsBoundTol, lp.Objective)
			}
			if first > atZero-0.5*(atZero-lp.Objective) {
				t.Errorf("first bound %.1f not half way from zero prices' %.1f to the LP bound %.1f", first, atZero, lp.Objective)
			}
			if sol.Info.PricesFrom != PricesFromTowns {
				t.Errorf("prices from %q", sol.Info.PricesFrom)
			}
			if sol.Info.Objective != again.Info.Objective || sol.Info.Bound != again.Info.Bound || !slices.Equal(sol.Count, again.Count) {
				t.Errorf("two solves differ: %+v vs %+v", sol.Info, again.Info)
			}
		})
	}
}

// TestFewSpecialties: each unlocked site of a part keeps at most k of its
// specialties, a subset of its own, sorted; locked sites and the whole
// instance are untouched.
func TestFewSpecialties(t *testing.T) {
	sz := randinst.County(1)
	sz.MaxSpecialties = 5
	inst := randinst.Generate(3, sz)
	before := make([][]int, len(inst.Sites))
	for s, site := range inst.Sites {
		before[s] = slices.Clone(site.Specialties)
	}
	all := make([]int, len(inst.Towns))
	for i := range all {
		all[i] = i
	}
	for _, k := range []int{1, 2, 5} {
		t.Run(fmt.Sprintf("k%d", k), func(t *testing.T) {
			p := townsOf(inst, all, func(int) bool { return true })
			fewSpecialties(p, k)
			cut := 0
			for s, site := range p.inst.Sites {
				orig := inst.Sites[s].Specialties
				switch {
				case site.Locked || len(orig) <= k:
					if !slices.Equal(site.Specialties, orig) {
						t.Errorf("site %d (locked %v, %d specialties) changed: %v → %v", s, site.Locked, len(orig), orig, site.Specialties)
					}
				default:
					cut++
					if len(site.Specialties) != k || !slices.IsSorted(site.Specialties) {
						t.Errorf("site %d: %v, want %d sorted", s, site.Specialties, k)
					}
					for _, spec := range site.Specialties {
						if !slices.Contains(orig, spec) {
							t.Errorf("site %d: specialty %d not one of %v", s, spec, orig)
						}
					}
				}
			}
			if k < 5 && cut == 0 {
				t.Errorf("no site cut to %d specialties", k)
			}
			for s, site := range inst.Sites {
				if !slices.Equal(site.Specialties, before[s]) {
					t.Fatalf("the whole instance's site %d changed: %v → %v", s, before[s], site.Specialties)
				}
			}
			if len(partModel(p).Rows) == 0 {
				t.Fatal("no model")
			}
		})
	}
}

// TestPriceClustersLongReach: on a 2× county whose firms may move 14 km
// the clusters of towns cut more than townsMaxCut of the arcs, so the
// prices come from one cluster of every town; their first bound is
// within 0.5 % of the LP bound of the whole model (CBC) while the split
// clusters' prices start the solver further away; at the county's own
// 8 km the clusters stay as townClusters makes them (cut share below
// townsMaxCut).
func TestPriceClustersLongReach(t *testing.T) {
	requireCBC(t)
	first := func(inst *planner.Instance, p *solver.Prices) float64 {
		b := math.Inf(1)
		if _, err := solver.Solve(context.Background(), inst, solver.Options{
			TimeLimit: 10 * time.Minute, NodeLimit: 1, Prices: p,
			Progress: func(pr planner.Progress) { b = math.Min(b, pr.Bound) },
		}); err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tc := range []struct {
		name  string
		km    float64
		merge bool
	}{
		{"reach 8 km", 8, false},
		{"reach 14 km", 14, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sz := randinst.County(2)
			sz.NeighbourKm = tc.km
			sz.NewLandCap = -1 // the cut alone decides here (a cap is TestCapSplit's)
			inst := randinst.Generate(1, sz)
			maxArcs := len(inst.Arcs) / 4
			split := townClusters(inst, maxArcs)
			splitHome := groupClusters(inst, split)
			cut := cutShare(inst, split, splitHome)
			clusters, home := priceClusters(inst, maxArcs)
			t.Logf("%d arcs, %d clusters cutting %.1f %% of them; priced by %d", len(inst.Arcs), len(split), 100*cut, len(clusters))
			if len(split) < 2 {
				t.Fatalf("the county makes %d cluster(s): the case needs several", len(split))
			}
			if merged := cut > townsMaxCut; merged != tc.merge {
				t.Fatalf("cut share %.3f: the case wants it %s townsMaxCut %g", cut, map[bool]string{true: "above", false: "at most"}[tc.merge], townsMaxCut)
			}
			if !tc.merge {
				if !slices.EqualFunc(clusters, split, slices.Equal[[]int]) || !slices.Equal(home, splitHome) {
					t.Fatal("the clusters changed below townsMaxCut")
				}
				return
			}
			if len(clusters) != 1 || len(clusters[0]) != len(inst.Towns) || slices.ContainsFunc(home, func(c int) bool { return c != 0 }) {
				t.Fatalf("above townsMaxCut: %d clusters, want one of all %d towns with every group in it", len(clusters), len(inst.Towns))
			}
			if c := cutShare(inst, clusters, home); c != 0 {
				t.Fatalf("one cluster cuts %.3f of the arcs", c)
			}
			lp, err := cbc.LPRelaxation(context.Background(), mps.Build(inst))
			if err != nil {
				t.Fatal(err)
			}
			one := first(inst, lpPricesByTowns(context.Background(), inst, maxArcs))
			apart := first(inst, clustersPrices(context.Background(), inst, split, splitHome))
			t.Logf("LP bound %.1f; first bound from one cluster %.1f, from %d clusters %.1f", lp.Objective, one, len(split), apart)
			if one > lp.Objective*1.005 {
				t.Errorf("first bound from one cluster %.1f more than 0.5 %% above the LP bound %.1f", one, lp.Objective)
			}
			if one >= apart {
				t.Errorf("one cluster's first bound %.1f not below the split clusters' %.1f", one, apart)
			}
		})
	}
}

// TestCapSplit: capSplit is true exactly when some cluster's own model
// (partModel) would have a new-land cap row of a fraction of a park
// while holding a new-land candidate — never without a cap, with a cap
// of 0, or above maxArcs arcs — and priceClusters then prices the county
// as one cluster.
func TestCapSplit(t *testing.T) {
	sz := randinst.County(2)
	sz.NeighbourKm = 8
	base := randinst.Generate(1, sz)
	maxArcs := len(base.Arcs) / 4
	clusters := townClusters(base, maxArcs)
	home := groupClusters(base, clusters)
	if len(clusters) < 2 || cutShare(base, clusters, home) > townsMaxCut {
		t.Fatalf("%d clusters cutting %.3f: the case needs several below townsMaxCut", len(clusters), cutShare(base, clusters, home))
	}
	newLand := 0
	for _, s := range base.Sites {
		if s.Kind == planner.KindNewLand {
			newLand++
		}
	}
	// below reports whether a cluster's model has the cap at a fraction of
	// a park while the cluster has a new-land candidate.
	below := func(inst *planner.Instance) bool {
		for i, cl := range clusters {
			part := townsOf(inst, cl, func(g int) bool { return home[g] == i })
			has := slices.ContainsFunc(part.inst.Sites, func(s planner.Site) bool { return s.Kind == planner.KindNewLand })
			for _, row := range partModel(part).Rows {
				if row.Rule == planner.RuleNewLandCap && has && row.RHS > 0 && row.RHS < 1 {
					return true
				}
			}
		}
		return false
	}
	for _, tc := range []struct {
		name    string
		cap     int
		maxArcs int
		want    bool
	}{
		{"no cap", -1, len(base.Arcs), false},
		{"cap 0", 0, len(base.Arcs), false},
		{"cap 1", 1, len(base.Arcs), true},
		{"cap 1 above maxArcs", 1, len(base.Arcs) - 1, false},
		{"a park for every candidate", newLand, len(base.Arcs), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inst := *base
			inst.Scenario.MaxNewLandParks = tc.cap
			got := capSplit(&inst, clusters, tc.maxArcs)
			if got != tc.want {
				t.Fatalf("capSplit = %v, want %v (%d new-land candidates, %d clusters)", got, tc.want, newLand, len(clusters))
			}
			if tc.maxArcs == len(base.Arcs) && got != below(&inst) {
				t.Fatalf("capSplit = %v, but a cluster's model with its cap below one park: %v", got, below(&inst))
			}
			priced, _ := priceClusters(&inst, maxArcs)
			if split := capSplit(&inst, clusters, townsOneMaxArcs); (len(priced) == 1) != split {
				t.Fatalf("priced by %d clusters with capSplit %v at townsOneMaxArcs", len(priced), split)
			}
		})
	}
}
