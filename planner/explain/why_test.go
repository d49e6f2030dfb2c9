package explain_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/explain"
)

// solveBase solves sc on ds with solve and returns the plan.
func solveBase(t *testing.T, ds *planner.Dataset, sc planner.Scenario, solve explain.SolveFunc) *planner.Plan {
	t.Helper()
	plan, err := (&engine.Engine{Solver: solve}).SolveDataset(context.Background(), ds, &sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func byID(rep *explain.Report) map[string]explain.ParcelWhy {
	m := map[string]explain.ParcelWhy{}
	for _, p := range rep.Parcels {
		m[p.ParcelID] = p
	}
	return m
}

func block(p explain.ParcelWhy, rule explain.Reason) *explain.Block {
	for i := range p.Blocks {
		if p.Blocks[i].Rule == rule {
			return &p.Blocks[i]
		}
	}
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// TestWhyParcelsHand: every parcel of the hand dataset gets the verdict
// and the figures its data imply, with both solvers.
func TestWhyParcelsHand(t *testing.T) {
	for _, solver := range []string{"parkplan", "cbc"} {
		t.Run(solver, func(t *testing.T) {
			solve, _ := engine.SolverByName(solver)
			ds, sc := handPlus(), handScenario()
			plan := solveBase(t, ds, sc, solve)
			rep, err := explain.WhyParcels(context.Background(), ds, &sc, plan, solve, explain.Options{ForceOut: true})
			if err != nil {
				t.Fatal(err)
			}
			got := byID(rep)
			ids := []string{}
			for _, p := range rep.Parcels {
				ids = append(ids, p.ParcelID)
			}
			if want := []string{"G-farm", "G-new", "G-small", "Z-built", "Z-new", "Z-old"}; !equalStrings(ids, want) {
				t.Fatalf("parcels %v, want %v (every parcel, by id)", ids, want)
			}

			t.Run("farmland", func(t *testing.T) {
				p := got["G-farm"]
				b := block(p, explain.ReasonProtected)
				if p.Verdict != explain.NotChosen || p.Reason != explain.ReasonProtected || b == nil {
					t.Fatalf("G-farm: %+v", p)
				}
				if b.Layer != planner.ProtectedFarmland || b.OverlapMu != 3.2 || b.ToleranceMu != 0.01 {
					t.Errorf("G-farm block %+v, want basic_farmland 3.2 mu over tolerance 0.01", b)
				}
				if p.Force != nil {
					t.Errorf("a parcel the model leaves out is re-solved: %+v", p.Force)
				}
			})
			t.Run("quota net of the plan", func(t *testing.T) {
				p := got["G-small"]
				b := block(p, explain.ReasonQuota)
				if p.Reason != explain.ReasonQuota || b == nil {
					t.Fatalf("G-small: %+v", p)
				}
				if b.Need != 10 || len(b.Years) != 4 {
					t.Fatalf("G-small block %+v", b)
				}
				y := b.Years[1] // 2020: 50 mu, 45 used by G-new, 5 left
				if y.Year != 2020 || y.Limit != 50 || y.Used != 45 || y.Room != 5 {
					t.Errorf("2020: %+v, want quota 50, used 45, room 5", y)
				}
				// Forced in, G-small replaces G-new: the town still has its
				// park; the loss is the fixed values' difference:
				// (6000·0.001 + 10·0.05) − (2500·0.001 + 45·0.05) = 1.75.
				f := p.Force
				if f == nil || f.Status != explain.ForceSolved || !f.Exact || !near(*f.LossAtLeast, 1.75) || !near(*f.PlanDifference, 1.75) {
					t.Fatalf("G-small forced in: %+v", f)
				}
				if !equalStrings(f.Opened, []string{"G-small"}) || !equalStrings(f.Closed, []string{"G-new"}) {
					t.Errorf("G-small forced in opens %v closes %v, want G-small for G-new", f.Opened, f.Closed)
				}
			})
			t.Run("quota short even alone", func(t *testing.T) {
				p := got["Z-new"]
				b := block(p, explain.ReasonQuota)
				if p.Reason != explain.ReasonQuota || b == nil || b.Need != 65 || b.Years[0].Room != 20 || b.Years[1].Room != 20 {
					t.Fatalf("Z-new: %+v", p)
				}
				if p.Force == nil || p.Force.Status != explain.ForceInfeasible {
					t.Errorf("Z-new forced in: %+v, want infeasible", p.Force)
				}
			})
			t.Run("worse", func(t *testing.T) {
				// Z-old (old factory, no quota) is allowed; the built park
				// already houses Zhouxiang's firms, so opening it only pays
				// its cost: 800 × 0.001 = 0.8.
				p := got["Z-old"]
				if p.Reason != explain.ReasonWorse || len(p.Blocks) != 0 {
					t.Fatalf("Z-old: %+v", p)
				}
				f := p.Force
				if f.Status != explain.ForceSolved || !f.Exact || !near(*f.LossAtLeast, 0.8) || !near(*f.LossAtMost, 0.8) {
					t.Errorf("Z-old forced in: %+v", f)
				}
			})
			t.Run("chosen", func(t *testing.T) {
				built, gnew := got["Z-built"], got["G-new"]
				if built.Verdict != explain.Chosen || built.Reason != explain.ReasonLocked || built.Park.Firms != 3 || built.Force != nil {
					t.Errorf("Z-built: %+v", built)
				}
				if gnew.Verdict != explain.Chosen || gnew.Reason != explain.ReasonOptimal || gnew.Park.OpenYear != 2020 {
					t.Errorf("G-new: %+v", gnew)
				}
				// Without G-new, G-small is Guanhaiwei's park: 1.75 worse.
				if f := gnew.Force; f == nil || f.Direction != "out" || f.Status != explain.ForceSolved || !near(*f.LossAtLeast, 1.75) ||
					!equalStrings(f.Opened, []string{"G-small"}) || !equalStrings(f.Closed, []string{"G-new"}) {
					t.Errorf("G-new forced out: %+v", gnew.Force)
				}
				sum, share := 0.0, 0.0
				for _, p := range rep.Parcels {
					if p.Park != nil {
						sum += p.Park.Objective
						share += p.Park.ObjectiveShare
					}
				}
				if !near(sum, plan.Solve.Objective) || !near(share, 1) {
					t.Errorf("parks' parts add to %v (shares %v), plan objective %v", sum, share, plan.Solve.Objective)
				}
			})
			if rep.Counts[explain.ReasonQuota] != 2 || rep.Counts[explain.ReasonProtected] != 1 || rep.Counts[explain.ReasonWorse] != 1 {
				t.Errorf("counts %v", rep.Counts)
			}
		})
	}
}

// TestWhyParcelsRules: the new-land cap and the budget, each with its
// figures, on scenario variants of the hand dataset.
func TestWhyParcelsRules(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*planner.Scenario)
		id    string
		rule  explain.Reason
		check func(t *testing.T, b *explain.Block)
	}{
		{"new-land cap", func(sc *planner.Scenario) { sc.MaxNewLandParks = 1 }, "G-small", explain.ReasonNewLandCap,
			func(t *testing.T, b *explain.Block) {
				if b.Cap != 1 || b.Used != 1 {
					t.Errorf("cap block %+v, want cap 1 used 1", b)
				}
			}},
		{"budget", func(sc *planner.Scenario) {
			sc.Budget = map[int]float64{2019: 700, 2020: 3000, 2021: 700, 2022: 700}
		}, "Z-old", explain.ReasonBudget,
			func(t *testing.T, b *explain.Block) {
				// Z-old costs 800; 2020 has 3,000 − 2,500 (G-new) = 500 left, the other years 700.
				if b.Need != 800 || len(b.Years) != 4 || b.Years[1].Room != 500 || b.Years[0].Room != 700 {
					t.Errorf("budget block %+v", b)
				}
			}},
		{"no firm in reach", func(sc *planner.Scenario) { sc.MaxRelocationKm = 0.5 }, "Z-old", explain.ReasonNoFirms,
			func(t *testing.T, b *explain.Block) {
				// Zhouxiang's seat is ~1.5 km from Z-old, Guanhaiwei's ~11 km.
				if !strings.Contains(b.Detail, "the nearest town seat with one is 1.") || !strings.Contains(b.Detail, "max_relocation_km is 0.5") {
					t.Errorf("no-firms block: %s", b.Detail)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, sc := handPlus(), handScenario()
			tc.edit(&sc)
			plan := solveBase(t, ds, sc, engine.Parkplan)
			rep, err := explain.WhyParcels(context.Background(), ds, &sc, plan, engine.Parkplan, explain.Options{})
			if err != nil {
				t.Fatal(err)
			}
			p := byID(rep)[tc.id]
			b := block(p, tc.rule)
			if b == nil {
				t.Fatalf("%s: no %s block: %+v", tc.id, tc.rule, p)
			}
			tc.check(t, b)
		})
	}
}

// TestWhyParcelsDeterministic: the same inputs give the same JSON bytes.
func TestWhyParcelsDeterministic(t *testing.T) {
	ds, sc := handPlus(), handScenario()
	var outs [2]bytes.Buffer
	for i := range outs {
		plan := solveBase(t, ds, sc, engine.Parkplan)
		plan.Solve.Elapsed = 0
		rep, err := explain.WhyParcels(context.Background(), ds, &sc, plan, engine.Parkplan, explain.Options{ForceOut: true, NodeLimit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		if err := explain.WriteJSON(&outs[i], rep); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(outs[0].Bytes(), outs[1].Bytes()) {
		t.Errorf("two runs differ:\n%s\n---\n%s", outs[0].String(), outs[1].String())
	}
}

// TestWhyParcelsRefusesOtherPlan: a plan of another scenario is refused.
func TestWhyParcelsRefusesOtherPlan(t *testing.T) {
	ds, sc := handPlus(), handScenario()
	plan := solveBase(t, ds, sc, engine.Parkplan)
	other := sc
	other.QuotaScale = 2
	if _, err := explain.WhyParcels(context.Background(), ds, &other, plan, engine.Parkplan, explain.Options{}); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("explaining a plan of another scenario: %v, want an EINVALID error", err)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestWhyParcelsAddedAsIs: with the re-solve budget spent, a parcel no
// rule blocks still gets a forced plan — the plan plus the parcel as an
// empty park, its charges lower (Z-old: 800 × 0.001) — while a blocked
// one is left not evaluated.
func TestWhyParcelsAddedAsIs(t *testing.T) {
	ds, sc := handPlus(), handScenario()
	plan := solveBase(t, ds, sc, engine.Parkplan)
	rep, err := explain.WhyParcels(context.Background(), ds, &sc, plan, engine.Parkplan, explain.Options{MaxSolves: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := byID(rep)
	if rep.Solves != 1 || got["G-small"].Force.Status != explain.ForceSolved {
		t.Fatalf("%d re-solves; G-small %+v", rep.Solves, got["G-small"].Force)
	}
	if f := got["Z-new"].Force; f.Status != explain.ForceNotEvaluated {
		t.Errorf("Z-new: %+v, want not evaluated", f)
	}
	f := got["Z-old"].Force
	if f.Status != explain.ForceSolved || !f.AddedAsIs || !near(*f.PlanDifference, 0.8) || !near(f.Objective, plan.Solve.Objective-0.8) ||
		f.LossAtLeast != nil || !f.WithinGap || !equalStrings(f.Opened, []string{"Z-old"}) {
		t.Errorf("Z-old: %+v", f)
	}
}

// TestWhyParcelsRemovedAsIs: forced out with the re-solve budget spent,
// a chosen park whose town keeps the target without it still gets a plan
// without it — the plan less the park's part, its firms left out.
func TestWhyParcelsRemovedAsIs(t *testing.T) {
	ds, sc := frontierTown(), frontierScenario()
	plan := solveBase(t, ds, sc, engine.Parkplan)
	rep, err := explain.WhyParcels(context.Background(), ds, &sc, plan, engine.Parkplan, explain.Options{ForceOut: true, MaxSolves: 1})
	if err != nil {
		t.Fatal(err)
	}
	asIs := 0
	for _, p := range rep.Parcels {
		if p.Verdict != explain.Chosen || p.Park.Locked {
			continue
		}
		f := p.Force
		if f == nil || f.Direction != "out" || f.Status != explain.ForceSolved {
			t.Fatalf("%s forced out: %+v", p.ParcelID, f)
		}
		if f.AddedAsIs {
			asIs++
			if !near(*f.PlanDifference, p.Park.Objective) || !equalStrings(f.Closed, []string{p.ParcelID}) || len(f.Opened) != 0 {
				t.Errorf("%s removed as is: %+v, want %v lower", p.ParcelID, f, p.Park.Objective)
			}
		} else if *f.PlanDifference > p.Park.Objective+1e-6 {
			t.Errorf("%s: the re-solve's plan without it is %v lower, worse than removing it as is (%v)", p.ParcelID, *f.PlanDifference, p.Park.Objective)
		}
	}
	if asIs == 0 {
		t.Error("no park removed as is")
	}
}
