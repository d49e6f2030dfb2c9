package engine

import (
	"context"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/solver"
)

// noReachOtherSpecialties is the shipped demo at 1× under scengen seed 4's
// drawn-4-4 (other specialties allowed, no relocation reach, no
// every-town rule, quotas × 0.3), solved by the clock: a county priced as
// one cluster whose cut LP keeps three of a site's fourteen specialties.
func noReachOtherSpecialties(t *testing.T) *planner.Instance {
	t.Helper()
	return demoInstance(t, func(sc *planner.Scenario) {
		sc.EveryTown = false
		sc.AllowOtherSpecialties = true
		sc.MaxRelocationKm = 0
		sc.QuotaScale = 0.3
		sc.NodeLimit = 0
		sc.TimeLimit = planner.Duration{Duration: time.Minute}
	})
}

// TestWholeBesideCut: a county priced as one cluster cut to its best
// specialties runs its whole LP beside the cut's when solved by the clock
// (wholeBeside; not with a node limit, nor above wholeBesideMaxSites, nor
// where the cut changes no site: the towns' own specialties only); lpPricesThen delivers the whole LP's prices, on the channel when
// the cut's came first; at the cut's prices the first bound is far above
// the LP bound (the reason), at the whole LP's it is at most the LP
// bound, and a solve started at the cut's that takes the whole LP's while
// it runs ends with a bound at most the LP bound.
func TestWholeBesideCut(t *testing.T) {
	requireCBC(t)
	inst := noReachOtherSpecialties(t)
	if !wholeBeside(inst) {
		t.Fatalf("wholeBeside false: prices from %s", pricesFrom(inst))
	}
	t.Run("not-with-a-node-limit", func(t *testing.T) {
		limited := *inst
		limited.Scenario.NodeLimit = 100
		if wholeBeside(&limited) {
			t.Fatal("wholeBeside true with a node limit")
		}
	})
	t.Run("not-above-the-site-limit", func(t *testing.T) {
		big := *inst
		for len(big.Sites) <= wholeBesideMaxSites {
			big.Sites = append(big.Sites, inst.Sites...)
		}
		if wholeBeside(&big) {
			t.Fatalf("wholeBeside true with %d sites", len(big.Sites))
		}
	})
	t.Run("not-where-the-cut-changes-no-site", func(t *testing.T) {
		own := demoInstance(t, func(sc *planner.Scenario) {
			*sc = inst.Scenario
			sc.AllowOtherSpecialties = false
		})
		if wholeBeside(own) {
			t.Fatal("wholeBeside true with the towns' own specialties only")
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first, later := lpPricesThen(ctx, inst, lpPricesShare)
	if first == nil {
		t.Fatal("no prices")
	}
	cut, whole := first, first
	if later != nil {
		if first.From != PricesFromTowns {
			t.Fatalf("first prices from %q with the whole LP still to come", first.From)
		}
		select {
		case whole = <-later:
		case <-time.After(3 * time.Minute):
			t.Fatal("the whole LP's prices did not come")
		}
		if whole == nil || whole.From != PricesFromLP {
			t.Fatalf("later prices %+v", whole)
		}
	} else {
		if first.From != PricesFromLP {
			t.Fatalf("no later prices, and the first from %q", first.From)
		}
		cut = lpPricesByTowns(ctx, inst, townsMaxArcs)
	}
	lp, err := modelLP(ctx, mps.Build(inst))
	if err != nil {
		t.Fatal(err)
	}
	firstBound := func(p *solver.Prices) float64 {
		sol, err := solver.Solve(ctx, inst, solver.Options{TimeLimit: time.Minute, NodeLimit: 1, Prices: p})
		if err != nil {
			t.Fatal(err)
		}
		return sol.Info.Bound
	}
	atCut, atWhole := firstBound(cut), firstBound(whole)
	t.Logf("LP bound %.1f; first bound at the cut's prices %.1f, at the whole LP's %.1f", lp.Objective, atCut, atWhole)
	if atWhole > lp.Objective*(1+lpBoundRelTol) {
		t.Errorf("first bound at the whole LP's prices %.3f above the LP bound %.3f", atWhole, lp.Objective)
	}
	if atCut < 1.2*lp.Objective {
		t.Errorf("first bound at the cut's prices %.3f within 20 %% of the LP bound %.3f: the case this test is for is gone", atCut, lp.Objective)
	}
	ch := make(chan *solver.Prices, 1)
	ch <- whole
	sol, err := solver.Solve(ctx, inst, solver.Options{TimeLimit: time.Minute, NodeLimit: 40, Prices: cut, PricesLater: ch})
	if err != nil {
		t.Fatal(err)
	}
	if sol.Info.PricesFrom != PricesFromLP || sol.Info.Bound > lp.Objective*(1+lpBoundRelTol) {
		t.Errorf("started at the cut's, the whole LP's later: prices from %q, bound %.3f (LP bound %.3f)", sol.Info.PricesFrom, sol.Info.Bound, lp.Objective)
	}
}
