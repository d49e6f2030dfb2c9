package compliance

import (
	"testing"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

func TestAssemble(t *testing.T) {
	ds := fixtureDataset()
	sc := &planner.Scenario{FirstYear: 2019, LastYear: 2020}
	sq := orb.MultiPolygon{{{{121, 30}, {121.001, 30}, {121.001, 30.001}, {121, 30}}}}
	tests := []struct {
		name      string
		parks     []planner.Park
		checks    []ParcelCheck
		tolerance float64
		clean     bool
		kinds     map[ViolationKind]int
		slivers   int
	}{
		{"clean", []planner.Park{park("P1", "zhouxiang", planner.KindNewLand, 2019, 35)},
			[]ParcelCheck{{ParcelID: "P1", Town: "zhouxiang", Valid: true, FarmlandMu: 0.004, Farmland: sq}}, 0.01, true, map[ViolationKind]int{}, 1},
		{"farmland over tolerance", []planner.Park{park("P1", "zhouxiang", planner.KindNewLand, 2019, 35)},
			[]ParcelCheck{{ParcelID: "P1", Town: "zhouxiang", Valid: true, FarmlandMu: 0.01, Farmland: sq, OutsideBoundaryMu: 2.5}}, 0.01, false,
			map[ViolationKind]int{ViolationFarmland: 1, ViolationOutsideBoundary: 1}, 0},
		{"over quota and invalid geometry", []planner.Park{park("P2", "zhouxiang", planner.KindNewLand, 2019, 70)},
			[]ParcelCheck{{ParcelID: "P2", Town: "zhouxiang", Valid: false, InvalidReason: "Self-intersection[121 30]", FarmlandMu: 9}}, 0.01, false,
			map[ViolationKind]int{ViolationOverQuota: 1, ViolationInvalidGeometry: 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			led := BuildLedger(&planner.Plan{Parks: tc.parks}, ds, sc)
			r := Assemble("test", led, tc.checks, tc.tolerance)
			if r.Clean != tc.clean || len(r.Slivers) != tc.slivers {
				t.Errorf("clean %v slivers %d; want %v, %d", r.Clean, len(r.Slivers), tc.clean, tc.slivers)
			}
			got := r.CountByKind()
			if len(got) != len(tc.kinds) {
				t.Errorf("kinds %v, want %v", got, tc.kinds)
			}
			for k, n := range tc.kinds {
				if got[k] != n {
					t.Errorf("%s: %d, want %d", k, got[k], n)
				}
			}
			for _, v := range r.Violations {
				if v.Kind == ViolationOverQuota && (v.AreaMu != 30 || len(v.Parks) != 1 || v.Parks[0] != "P2") {
					t.Errorf("over quota: %+v, want 30 mu caused by P2", v)
				}
			}
		})
	}
}
