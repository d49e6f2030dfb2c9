package solver

import (
	"fmt"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/randinst"
)

// TestParkRowsAreTheModelsRows: the park LPs' rows (parkRowsOf, used by
// the relaxation, the plans and the placement LP) have, arc for arc, the
// coefficients of the model's ruleCapacity, ruleSpecialtyShare (firms,
// floor) and ruleSmallMicroShare rows as planner/mip writes them, on
// seeded instances with several share settings.
func TestParkRowsAreTheModelsRows(t *testing.T) {
	shares := []struct{ firms, floor, small float64 }{{0.7, 0.7, 0.7}, {0.5, 0.85, 0.6}}
	for seed := int64(1); seed <= 4; seed++ {
		for _, sh := range shares {
			t.Run(fmt.Sprintf("seed%d-shares%v", seed, sh), func(t *testing.T) {
				inst := randinst.Generate(seed, randinst.Small())
				inst.Scenario.SpecialtyShareFirms, inst.Scenario.SpecialtyShareFloor, inst.Scenario.SmallMicroShare = sh.firms, sh.floor, sh.small
				sm := newModel(inst)
				m := mip.Build(inst, mip.Compact)
				checked := 0
				for r, row := range m.Rows {
					if row.Site < 0 || row.Spec < 0 || row.Arc >= 0 {
						continue // not a capacity or share row
					}
					pr := sm.parkRowsOf(row.Site, row.Spec)
					var want []float64
					switch {
					case row.Rule == planner.RuleCapacity:
						want = pr.floor
					case row.Rule == planner.RuleSpecialtyShare && row.Part == "firms":
						want = pr.firm
					case row.Rule == planner.RuleSpecialtyShare && row.Part == "floor":
						want = pr.floorShare
					case row.Rule == planner.RuleSmallMicroShare:
						want = pr.small
					default:
						continue
					}
					got := map[int]float64{}
					for i, col := range row.Cols {
						if c := m.Columns[col]; c.Kind == mip.KindX {
							got[c.Arc] = row.Coefs[i]
						}
					}
					for i, a := range sm.siteArcs[row.Site] {
						if got[a] != want[i] {
							t.Fatalf("%s: arc %d coefficient %v in the model, %v in the park LP", m.Meaning(r), a, got[a], want[i])
						}
					}
					checked++
				}
				if checked == 0 {
					t.Fatal("no park rows checked")
				}
			})
		}
	}
}
