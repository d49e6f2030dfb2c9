package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/demo"
)

// demoCheckTimeLimit bounds each demo solve in these tests: the figures
// checked hold for any plan the solver returns, optimal or not.
const demoCheckTimeLimit = 4 * time.Second

// TestCheckDemo imports the demo dataset (seed 2019) and checks three
// scenarios built from scenarios/baseline.yaml, in parallel:
//
//   - the baseline: clean, exit 0; the ledger equals the plan's own town
//     figures and KPIs;
//   - a new-land parcel locked in with quota_extra: flagged beyond the
//     official quota by exactly the new land used less the official quota;
//   - a parcel on basic farmland locked in: flagged with the farmland area
//     the dataset store computed independently (data.LoadDataset overlaps).
func TestCheckDemo(t *testing.T) {
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	dbURL := checkTestDB(t, ds)
	db, err := data.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := mustLoad(t, db)
	base, err := planner.LoadScenarioFile(filepath.Join("..", "..", "scenarios", "baseline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	base.TimeLimit = planner.Duration{Duration: demoCheckTimeLimit}
	tol := base.ProtectedToleranceMu

	official := map[string]float64{}
	for _, q := range stored.Quotas {
		official[compliance.QuotaKey(q.Town, q.Year)] = q.NewLandMu
	}
	// A clean new-land candidate larger than its town's 2019 quota, and a
	// candidate on farmland (old factory if there is one, so no quota is needed).
	var bigNew, onFarm *planner.Parcel
	for i := range stored.Parcels {
		p := &stored.Parcels[i]
		o := stored.Overlaps[p.ID]
		clear := o.FarmlandMu < tol && o.RedlineMu < tol && o.OutsideBoundaryMu < tol
		if p.Kind == planner.KindNewLand && clear && p.AreaMu > official[compliance.QuotaKey(p.Town, 2019)] && bigNew == nil {
			bigNew = p
		}
		if (p.Kind == planner.KindOldFactory || p.Kind == planner.KindNewLand) && o.FarmlandMu >= 1 && o.RedlineMu < tol &&
			(onFarm == nil || (onFarm.Kind == planner.KindNewLand && p.Kind == planner.KindOldFactory)) {
			onFarm = p
		}
	}
	if bigNew == nil || onFarm == nil {
		t.Fatalf("the demo has no clean new-land parcel above its town's 2019 quota (%v) or no candidate on farmland (%v)", bigNew, onFarm)
	}

	dir := t.TempDir()
	writeScenario := func(t *testing.T, sc *planner.Scenario) string {
		t.Helper()
		f, err := os.Create(filepath.Join(dir, sc.Name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := planner.WriteScenarioYAML(f, sc); err != nil {
			t.Fatal(err)
		}
		return f.Name()
	}
	variant := func(name string, lockIn *planner.Parcel, extraMu float64) *planner.Scenario {
		sc := *base
		sc.Name = name
		sc.LockIn = []string{lockIn.ID}
		if extraMu > 0 {
			sc.QuotaExtra = map[string]float64{compliance.QuotaKey(lockIn.Town, 2019): extraMu}
		}
		return &sc
	}
	farmExtra := 0.0
	if onFarm.Kind == planner.KindNewLand {
		farmExtra = onFarm.AreaMu
	}

	tests := []struct {
		name  string
		sc    *planner.Scenario
		code  int
		check func(t *testing.T, r compliance.Report)
	}{
		{"baseline", base, 0, func(t *testing.T, r compliance.Report) {
			if !r.Clean || len(r.Violations) != 0 {
				t.Errorf("baseline plan has violations: %+v", r.Violations)
			}
		}},
		{"quota", variant("demo-quota", bigNew, bigNew.AreaMu), 1, func(t *testing.T, r compliance.Report) {
			key := compliance.QuotaKey(bigNew.Town, 2019)
			var row *compliance.LedgerRow
			for i := range r.Ledger.Rows {
				if x := &r.Ledger.Rows[i]; compliance.QuotaKey(x.Town, x.Year) == key {
					row = x
				}
			}
			if row == nil || !slices.Contains(row.NewLandParks, bigNew.ID) {
				t.Fatalf("ledger row %s: %+v, want %s among its parks", key, row, bigNew.ID)
			}
			want := row.NewLandUsedMu - official[key]
			var got *compliance.Violation
			for i, v := range r.Violations {
				if v.Kind == compliance.ViolationBeyondOfficial && compliance.QuotaKey(v.Town, v.Year) == key {
					got = &r.Violations[i]
				}
			}
			if got == nil || math.Abs(got.AreaMu-want) > 1e-6 || !slices.Contains(got.Parks, bigNew.ID) || row.NewLandUsedMu < bigNew.AreaMu {
				t.Errorf("violation %+v, want beyond official by %.3f mu (used %.3f, official %.3f) naming %s",
					got, want, row.NewLandUsedMu, official[key], bigNew.ID)
			}
		}},
		{"farmland", variant("demo-farmland", onFarm, farmExtra), 1, func(t *testing.T, r compliance.Report) {
			want := stored.Overlaps[onFarm.ID].FarmlandMu
			found := false
			for _, v := range r.Violations {
				if v.Kind == compliance.ViolationFarmland && v.ParcelID == onFarm.ID {
					found = true
					if math.Abs(v.AreaMu-want) > 1e-3 {
						t.Errorf("farmland %.4f mu, the dataset store says %.4f", v.AreaMu, want)
					}
				}
			}
			if !found {
				t.Errorf("%s (%.3f mu on farmland) not flagged: %+v", onFarm.ID, want, r.Violations)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			file := writeScenario(t, tc.sc)
			out := filepath.Join(dir, tc.name)
			code, stdout, stderr := runCheckCLI(t, "--db", dbURL, "--scenario", file, "--out", out)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			r := readReport(t, filepath.Join(out, "report.json"))
			if r.PlanStatus != "optimal" && r.PlanStatus != "feasible" {
				t.Fatalf("plan status %q", r.PlanStatus)
			}
			// The ledger, rebuilt from the parks, equals the plan's own figures.
			if len(r.Ledger.Notes) != 0 {
				t.Errorf("ledger and plan disagree: %q", r.Ledger.Notes)
			}
			if k := r.PlanKPI; k == nil || math.Abs(r.Ledger.Totals.NewLandUsedMu-k.NewLandMu) > 1e-6 ||
				math.Abs(r.Ledger.Totals.OldFactoryMu-k.OldFactoryMu) > 1e-6 {
				t.Errorf("ledger totals new %.3f old %.3f; plan KPIs %+v", r.Ledger.Totals.NewLandUsedMu, r.Ledger.Totals.OldFactoryMu, r.PlanKPI)
			}
			checkXLSXMatches(t, filepath.Join(out, "check.xlsx"), r)
			tc.check(t, r)
			t.Logf("%s", stdout)
		})
	}
}
