package explain_test

import (
	"context"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/explain"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

// oracleSeeds are the plantest.Tiny datasets the forced-in losses are
// checked on against enumeration: seeds 1–16 less those whose enumeration
// takes seconds (2, 5, 6, 10, 11, 16 — up to 30 s each on the 2-core
// machine).
var oracleSeeds = []int64{1, 3, 4, 7, 8, 9, 12, 13, 14, 15}

// tinyScenario: a target of 2 parks on two towns, no new-land cap.
func tinyScenario() planner.Scenario {
	sc := planner.Defaults()
	sc.Name = "tiny"
	sc.TargetParks = 2
	sc.MaxNewLandParks = -1
	sc.GapTarget = 1e-9 // proven optima, so figures compare with enumeration exactly
	return sc
}

// forcedOptimum enumerates (rules.BruteForce) the best plan with site s
// open, over every year and specialty it may take: the site is locked at
// each (year, specialty) in turn. ok is false when no plan opens it.
func forcedOptimum(inst *planner.Instance, s int) (best float64, ok bool) {
	site := inst.Sites[s]
	for t := range inst.Years {
		for _, k := range site.Specialties {
			v := *inst
			v.Sites = append([]planner.Site(nil), inst.Sites...)
			v.Sites[s].Locked, v.Sites[s].LockedYear, v.Sites[s].Specialties = true, t, []int{k}
			if _, obj, found := rules.BruteForce(&v); found && (!ok || obj > best) {
				best, ok = obj, true
			}
		}
	}
	return best, ok
}

// TestForcedInMatchesEnumeration: on tiny random datasets, each closed
// parcel's forced-in figures equal the enumerated optimum with it open —
// the forced plan's objective, the loss (the base optimum minus it, both
// from enumeration) — and "infeasible" exactly when no plan opens it.
//
// With parkplan's solver a re-solve may stop at its time limit: its
// figures must then bracket the enumerated optimum (plan ≤ optimum ≤
// bound); with CBC every re-solve is proven.
func TestForcedInMatchesEnumeration(t *testing.T) {
	for _, solver := range []string{"cbc", "parkplan"} {
		t.Run(solver, func(t *testing.T) {
			solve, _ := engine.SolverByName(solver)
			forcedInMatchesEnumeration(t, solve)
		})
	}
}

func forcedInMatchesEnumeration(t *testing.T, solve explain.SolveFunc) {
	compared, bracketed, infeasible := 0, 0, 0
	for _, seed := range oracleSeeds {
		ds := plantest.Dataset(seed, plantest.Tiny())
		sc := tinyScenario()
		inst, err := planner.BuildInstance(ds, sc)
		if err != nil {
			t.Fatal(err)
		}
		_, baseOpt, feasible := rules.BruteForce(inst)
		if !feasible {
			continue
		}
		plan := solveBase(t, ds, sc, solve)
		if plan.Solve.Status != planner.StatusOptimal || !near(plan.Solve.Objective, baseOpt) {
			t.Fatalf("seed %d: base plan %v, enumeration %v", seed, plan.Solve.Objective, baseOpt)
		}
		rep, err := explain.WhyParcels(context.Background(), ds, &sc, plan, solve, explain.Options{PerSolve: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range rep.Parcels {
			if p.Force == nil {
				continue
			}
			s := -1
			for i, site := range inst.Sites {
				if site.ParcelID == p.ParcelID {
					s = i
				}
			}
			want, ok := forcedOptimum(inst, s)
			f := p.Force
			switch {
			case !ok:
				infeasible++
				if f.Status != explain.ForceInfeasible {
					t.Errorf("seed %d %s: no plan opens it, got %+v", seed, p.ParcelID, f)
				}
			case f.Status == explain.ForceSolved && !f.Exact:
				bracketed++
				if f.Objective > want+1e-6 || *f.Bound < want-1e-6 || *f.LossAtLeast > baseOpt-want+1e-6 || *f.LossAtMost < baseOpt-want-1e-6 {
					t.Errorf("seed %d %s: forced optimum %v outside the re-solve's [%v, %v]", seed, p.ParcelID, want, f.Objective, *f.Bound)
				}
			case f.Status != explain.ForceSolved:
				t.Errorf("seed %d %s: forced optimum %v, got %+v", seed, p.ParcelID, want, f)
			default:
				compared++
				if !near(f.Objective, want) || !near(*f.LossAtLeast, baseOpt-want) || !near(*f.LossAtMost, baseOpt-want) {
					t.Errorf("seed %d %s: forced plan %v loss [%v, %v], want %v loss %v", seed, p.ParcelID, f.Objective, *f.LossAtLeast, *f.LossAtMost, want, baseOpt-want)
				}
			}
		}
	}
	t.Logf("%d forced-in optima equal to enumeration, %d bracketed by an unfinished re-solve, %d proven infeasible", compared, bracketed, infeasible)
	if compared < 10 {
		t.Errorf("only %d forced-in optima compared; want ≥ 10", compared)
	}
}
