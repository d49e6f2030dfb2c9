package scengen_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/scengen"
)

func demoDataset(t *testing.T) *planner.Dataset {
	t.Helper()
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestDrawValid: every drawn scenario passes validation and builds a model
// on the shipped demo (its towns and parcels exist), for several seeds.
func TestDrawValid(t *testing.T) {
	ds := demoDataset(t)
	for _, seed := range []uint64{1, 2, 2019} {
		for i, sc := range scengen.Draw(seed, 60, ds, scengen.Options{TimeLimit: 30 * time.Second, NodeLimit: 100}) {
			if err := sc.Validate(); err != nil {
				t.Fatalf("seed %d scenario %d (%s): %v", seed, i, sc.Description, err)
			}
			if _, err := planner.BuildInstance(ds, sc); err != nil {
				t.Fatalf("seed %d scenario %d (%s): BuildInstance: %v", seed, i, sc.Description, err)
			}
			if sc.TimeLimit.Duration != 30*time.Second || sc.NodeLimit != 100 {
				t.Fatalf("seed %d scenario %d: solver options not applied: %v %d", seed, i, sc.TimeLimit, sc.NodeLimit)
			}
		}
	}
}

// TestDrawDeterministic: the same seed gives the same scenarios, another
// seed others.
func TestDrawDeterministic(t *testing.T) {
	ds := demoDataset(t)
	a := scengen.Draw(7, 40, ds, scengen.Options{})
	b := scengen.Draw(7, 40, ds, scengen.Options{})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("seed 7 drew different scenarios twice")
	}
	c := scengen.Draw(8, 40, ds, scengen.Options{})
	same := 0
	for i := range a {
		a[i].Name, c[i].Name = "", ""
		if reflect.DeepEqual(a[i], c[i]) {
			same++
		}
	}
	if same > 10 {
		t.Fatalf("seeds 7 and 8 drew %d equal scenarios of 40", same)
	}
}

// TestDrawCoversEveryField: over 300 draws, every field of docs/scenarios.md
// that a variant may change departs from the baseline at least once.
func TestDrawCoversEveryField(t *testing.T) {
	ds := demoDataset(t)
	base := planner.Defaults()
	fields := map[string]func(sc planner.Scenario) bool{
		"last_year":               func(sc planner.Scenario) bool { return sc.LastYear != base.LastYear },
		"target_year":             func(sc planner.Scenario) bool { return sc.TargetYear != base.TargetYear },
		"target_parks":            func(sc planner.Scenario) bool { return sc.TargetParks != base.TargetParks },
		"every_town":              func(sc planner.Scenario) bool { return sc.EveryTown != base.EveryTown },
		"max_new_land_parks":      func(sc planner.Scenario) bool { return sc.MaxNewLandParks != base.MaxNewLandParks },
		"max_new_land_parks -1":   func(sc planner.Scenario) bool { return sc.MaxNewLandParks == -1 },
		"allow_other_specialties": func(sc planner.Scenario) bool { return sc.AllowOtherSpecialties },
		"specialty_share_firms":   func(sc planner.Scenario) bool { return sc.SpecialtyShareFirms != base.SpecialtyShareFirms },
		"specialty_share_floor":   func(sc planner.Scenario) bool { return sc.SpecialtyShareFloor != sc.SpecialtyShareFirms },
		"small_micro_share":       func(sc planner.Scenario) bool { return sc.SmallMicroShare != base.SmallMicroShare },
		"usable_share":            func(sc planner.Scenario) bool { return sc.UsableShare != base.UsableShare },
		"protected_tolerance_mu":  func(sc planner.Scenario) bool { return sc.ProtectedToleranceMu != base.ProtectedToleranceMu },
		"upgraded_low_scattered":  func(sc planner.Scenario) bool { return sc.UpgradedLowScattered },
		"max_relocation_km":       func(sc planner.Scenario) bool { return sc.MaxRelocationKm != base.MaxRelocationKm },
		"max_relocation_km 0":     func(sc planner.Scenario) bool { return sc.MaxRelocationKm == 0 },
		"within_town":             func(sc planner.Scenario) bool { return sc.WithinTown },
		"quota_carry_over":        func(sc planner.Scenario) bool { return sc.QuotaCarryOver },
		"quota_scale":             func(sc planner.Scenario) bool { return sc.QuotaScale != base.QuotaScale },
		"quota_extra":             func(sc planner.Scenario) bool { return len(sc.QuotaExtra) > 0 },
		"quota_extra negative": func(sc planner.Scenario) bool {
			for _, v := range sc.QuotaExtra {
				if v < 0 {
					return true
				}
			}
			return false
		},
		"budget":          func(sc planner.Scenario) bool { return len(sc.Budget) > 0 },
		"lock_in":         func(sc planner.Scenario) bool { return len(sc.LockIn) > 0 },
		"lock_out":        func(sc planner.Scenario) bool { return len(sc.LockOut) > 0 },
		"unlock_existing": func(sc planner.Scenario) bool { return sc.UnlockExisting },
		"weights":         func(sc planner.Scenario) bool { return sc.Weights != base.Weights },
		"weights zero": func(sc planner.Scenario) bool {
			w := sc.Weights
			return w.FloorM2 == 0 || w.Firms == 0 || w.Output == 0 || w.LandMu == 0 || w.DistanceKm == 0 || w.Cost == 0
		},
	}
	drawn := scengen.Draw(3, 300, ds, scengen.Options{})
	for name, changed := range fields {
		t.Run(name, func(t *testing.T) {
			for _, sc := range drawn {
				if changed(sc) {
					return
				}
			}
			t.Errorf("no drawn scenario changes %s", name)
		})
	}
}
