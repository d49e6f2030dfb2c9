package planner_test

import (
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
)

// TestDecodePlan decodes a hand-made solution on plantest.Hand: parks,
// which firm of a group goes where (the nearest by its own location),
// unplaced reasons, town summaries and KPIs.
func TestDecodePlan(t *testing.T) {
	ds := plantest.Hand()
	// E1 sits by Z-old (121.142, 30.212), E2 by Z-built (121.152, 30.202).
	for i := range ds.Enterprises {
		switch ds.Enterprises[i].ID {
		case "E1":
			ds.Enterprises[i].Location = orb.Point{121.142, 30.212}
		case "E2":
			ds.Enterprises[i].Location = orb.Point{121.152, 30.202}
		}
	}
	sc := planner.Defaults()
	inst, err := planner.BuildInstance(ds, sc)
	if err != nil {
		t.Fatal(err)
	}
	site := map[string]int{}
	for s, x := range inst.Sites {
		site[x.ParcelID] = s
	}
	sol := &planner.Solution{Year: make([]int, len(inst.Sites)), Specialty: make([]int, len(inst.Sites)), Count: make([]int, len(inst.Arcs))}
	for s := range sol.Year {
		sol.Year[s] = -1
	}
	sol.Year[site["Z-built"]] = 0
	sol.Year[site["Z-old"]] = 1 // 2020
	sol.Year[site["G-new"]] = 1
	for a, arc := range inst.Arcs {
		g := inst.Groups[arc.Group]
		if inst.Industries[g.Industry] == "textile" && (arc.Site == site["Z-built"] || arc.Site == site["Z-old"]) {
			sol.Count[a] = 1 // one textile firm in each Zhouxiang park
		}
	}
	sol.Info = planner.SolveInfo{Solver: "hand", Status: planner.StatusOptimal, Bound: 1e9}
	plan, err := planner.DecodePlan(ds, inst, sol)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range plan.Assignments {
		got[a.EnterpriseID] = a.ParcelID
	}
	if got["E1"] != "Z-old" || got["E2"] != "Z-built" || len(got) != 2 {
		t.Errorf("assignments %v, want E1→Z-old, E2→Z-built", got)
	}
	reasons := map[string]planner.UnplacedReason{}
	for _, u := range plan.Unplaced {
		reasons[u.EnterpriseID] = u.Reason
	}
	want := map[string]planner.UnplacedReason{"E3": planner.ReasonNoCapacity, "E4": planner.ReasonNoCapacity,
		"E5": planner.ReasonBarredPollution, "E6": planner.ReasonLowScattered, "E7": planner.ReasonSafety}
	for id, r := range want {
		if reasons[id] != r {
			t.Errorf("%s: reason %q, want %q", id, reasons[id], r)
		}
	}
	if len(plan.Parks) != 3 || plan.Parks[1].ParcelID != "Z-built" || plan.Parks[1].OpenYear != 2016 || plan.Parks[1].Firms != 1 {
		t.Errorf("parks %+v", plan.Parks)
	}
	k := plan.KPI
	if k.ParksTotal != 3 || k.ParksByTarget != 3 || k.TownsCovered != 2 || k.NewLandParks != 1 || k.NewLandMu != 45 || k.OldFactoryMu != 40 || k.LockedMu != 60 || k.FirmsPlaced != 2 || k.CostWan != 3300 {
		t.Errorf("KPIs %+v", k)
	}
	for _, ts := range plan.Towns {
		switch ts.Town {
		case "guanhaiwei":
			if ts.NewLandUsedMu[2020] != 45 || ts.QuotaMu[2020] != 50 || ts.Parks != 1 || ts.NewParks != 1 {
				t.Errorf("guanhaiwei %+v", ts)
			}
		case "zhouxiang":
			if ts.OldFactoryMu[2020] != 40 || ts.Parks != 2 || ts.NewParks != 1 || ts.FirmsPlaced != 2 {
				t.Errorf("zhouxiang %+v", ts)
			}
		}
	}
	if plan.Solve.Bound != 1e9 || plan.Solve.Gap <= 0 || plan.Solve.Solver != "hand" {
		t.Errorf("solve info %+v", plan.Solve)
	}
	// A solution of the wrong shape is refused.
	sol.Count = sol.Count[1:]
	if _, err := planner.DecodePlan(ds, inst, sol); planner.ErrorCode(err) != planner.EINTERNAL {
		t.Errorf("bad shape: %v", err)
	}
}
