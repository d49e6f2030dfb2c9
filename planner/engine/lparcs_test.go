package engine

import (
	"context"
	"math"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/randinst"
)

// TestArcsLPAgreesWithWhole checks the LP by arcs against CBC's LP of the
// whole model (the oracle) on seeded random counties (locked sites,
// budgets) whose firms may move far (most arcs at zero in the LP) and
// near, with parks that fill and with the share rules off: the same optimum, from a first restricted LP
// with fewer arcs than the model; where the first LP is small the
// pricing has to add arcs (more than one round).
func TestArcsLPAgreesWithWhole(t *testing.T) {
	requireCBC(t)
	type tc struct {
		name  string
		seed  int64
		reach float64
		first int
		edit  func(*planner.Instance)
		specs int // the site's specialties with most value in the first LP (0: 3)
		size  func(*randinst.Size)
	}
	cases := []tc{
		{"far/first1", 1, 1000, 1, nil, 0, nil},
		{"far/first4", 2, 1000, 4, nil, 0, nil},
		{"far/tight", 3, 1000, 2, func(inst *planner.Instance) {
			for s := range inst.Sites {
				inst.Sites[s].CapacityM2 *= 0.3 // parks fill: groups spill to their farther arcs
			}
		}, 0, nil},
		{"far/no-shares", 4, 1000, 2, func(inst *planner.Instance) {
			inst.Scenario.SpecialtyShareFirms, inst.Scenario.SpecialtyShareFloor, inst.Scenario.SmallMicroShare = 0, 0, 0
		}, 0, nil},
		{"near/first2", 5, 12, 2, nil, 0, nil},
		{"near/many-specialties", 6, 12, 2, nil, 1, func(sz *randinst.Size) { sz.MaxSpecialties = 8 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sz := randinst.County(1)
			sz.Towns, sz.NeighbourKm = 8, c.reach // a county of 8 towns: the whole LP in a second
			if c.size != nil {
				c.size(&sz)
			}
			specs := c.specs
			if specs == 0 {
				specs = 3
			}

			inst := randinst.Generate(c.seed, sz)
			if c.edit != nil {
				c.edit(inst)
			}
			m := mip.Build(inst, mip.Compact)
			whole, err := cbc.LPRelaxation(context.Background(), mps.FromMIP(m))
			if err != nil {
				t.Fatal(err)
			}
			first := firstColumns(m, firstArcs(inst, c.first, c.first), specs)
			kept, xs := 0, 0
			for j, k := range first {
				if m.Columns[j].Kind == mip.KindX {
					xs++
				}
				if k {
					kept++
				}
			}
			if kept >= xs {
				t.Fatalf("the first LP has every one of the %d x columns", xs)
			}
			byArcs, rounds, err := arcsLP(context.Background(), m, c.first, c.first, specs)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d arcs, %d x columns, %d in the first LP, %d rounds; whole LP %.6f, by arcs %.6f", len(inst.Arcs), xs, kept, rounds, whole.Objective, byArcs.Objective)
			if math.Abs(byArcs.Objective-whole.Objective) > 1e-6*math.Max(1, math.Abs(whole.Objective)) {
				t.Fatalf("LP by arcs %.9f, whole LP %.9f", byArcs.Objective, whole.Objective)
			}
			if c.first == 1 && rounds < 2 {
				t.Errorf("%d round(s) from one arc per group: the pricing added nothing", rounds)
			}
		})
	}
}
