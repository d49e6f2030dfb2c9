package solver

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/randinst"
)

// TestPlacementPolish: polishParks, given the incumbent with part of its
// firms taken out of every park (a worse plan that keeps every row),
// returns a plan that keeps every row and is worth at least what the
// thinned plan was, and never lowers an incumbent; on seeded County 1×
// instances.
func TestPlacementPolish(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("county1x-seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, randinst.County(1))
			sr := decomposed(inst, 150)
			if sr.best == nil {
				t.Fatal("no plan")
			}
			full := sr.bestObj
			// thin: every park keeps the firms of its first arcs only
			thin := &planner.Solution{Year: sr.best.Year, Specialty: sr.best.Specialty, Count: append([]int(nil), sr.best.Count...)}
			for s := range inst.Sites {
				for i, a := range sr.m.siteArcs[s] {
					if i%2 == 1 {
						thin.Count[a] = 0
					}
				}
			}
			// removing firms may break a share row: keep the thinned plan only if it holds
			thinned := sr.m.check(thin) == ""
			if !thinned {
				thin = sr.best
			}
			sr.best, sr.bestObj = thin, sr.m.objective(thin)
			thinObj := sr.bestObj
			sr.polishParks(func() bool { return false })
			if msg := sr.m.check(sr.best); msg != "" {
				t.Fatalf("polished plan breaks a rule: %s", msg)
			}
			if sr.bestObj < thinObj-1e-9 {
				t.Fatalf("polish lowered the plan: %.4f < %.4f", sr.bestObj, thinObj)
			}
			if thinned && sr.bestObj <= thinObj {
				t.Fatalf("polish found nothing in a thinned plan (%.4f, full %.4f)", sr.bestObj, full)
			}
			again := sr.bestObj
			sr.polishParks(func() bool { return false })
			if sr.bestObj < again-1e-9 {
				t.Fatalf("second polish lowered the plan: %.4f < %.4f", sr.bestObj, again)
			}
		})
	}
}

// TestPlansOffered: a solve offered a better plan (Options.Plans) by the
// channel returns a plan at least as good, named as the offered plan's
// (PlanFrom "cbc" or "cbc+parkplan"), keeping every row; an offered
// plan that breaks a row is not taken; a closed channel without plans
// leaves the solve its own.
func TestPlansOffered(t *testing.T) {
	inst := randinst.Generate(2, randinst.County(1))
	good, err := Solve(context.Background(), inst, Options{TimeLimit: time.Minute, NodeLimit: 600})
	if err != nil {
		t.Fatal(err)
	}
	bad := &planner.Solution{Year: append([]int(nil), good.Year...), Specialty: append([]int(nil), good.Specialty...), Count: append([]int(nil), good.Count...)}
	for a := range bad.Count {
		if bad.Count[a] > 0 {
			bad.Count[a] += 1_000 // over its group's count
			break
		}
	}
	for _, tc := range []struct {
		name     string
		offer    []*planner.Solution
		wantFrom []string
	}{
		{"better-plan", []*planner.Solution{good}, []string{"cbc", "cbc+parkplan"}},
		{"broken-plan", []*planner.Solution{bad}, []string{""}},
		{"no-plan", nil, []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := make(chan *planner.Solution, len(tc.offer))
			for _, p := range tc.offer {
				ch <- p
			}
			close(ch)
			sol, err := Solve(context.Background(), inst, Options{TimeLimit: time.Minute, NodeLimit: 40, Plans: ch, PlansFrom: "cbc"})
			if err != nil {
				t.Fatal(err)
			}
			if msg := newModel(inst).check(sol); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			ok := false
			for _, f := range tc.wantFrom {
				ok = ok || sol.Info.PlanFrom == f
			}
			if !ok {
				t.Fatalf("plan from %q (objective %.4f, offered %.4f); want one of %q", sol.Info.PlanFrom, sol.Info.Objective, good.Info.Objective, tc.wantFrom)
			}
			if tc.name == "better-plan" && sol.Info.Objective < good.Info.Objective-1e-9*math.Abs(good.Info.Objective) {
				t.Fatalf("objective %.4f below the offered plan's %.4f", sol.Info.Objective, good.Info.Objective)
			}
			if sol.Info.Bound < sol.Info.Objective {
				t.Fatalf("bound %.4f below objective %.4f", sol.Info.Bound, sol.Info.Objective)
			}
		})
	}
}
