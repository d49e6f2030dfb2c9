package data_test

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// benchPlanSeed seeds the random plans of BenchmarkSavePlan.
const benchPlanSeed = 42

// benchPlan returns a random plan with parks parks and firms firms, of
// which about 80 % are assigned and the rest unplaced.
func benchPlan(seed int64, parks, firms int) *planner.Plan {
	rng := rand.New(rand.NewSource(seed))
	p := testPlan("bench", 0)
	p.Assignments, p.Unplaced = nil, nil
	for i := 0; i < parks; i++ {
		p.Parks = append(p.Parks, planner.Park{ParcelID: fmt.Sprintf("P-%06d", i), Town: "t1", Kind: planner.KindOldFactory,
			Specialty: "ind00", OpenYear: 2019 + rng.Intn(4), Tier: planner.TierStandard, AreaMu: 50 + 200*rng.Float64(),
			FAR: 2, CapacityM2: 1e5, FloorUsedM2: 5e4, Firms: firms / max(parks, 1)})
	}
	for i := 0; i < firms; i++ {
		id := fmt.Sprintf("E-%07d", i)
		if rng.Float64() < 0.8 && parks > 0 {
			p.Assignments = append(p.Assignments, planner.Assignment{EnterpriseID: id, ParcelID: p.Parks[rng.Intn(parks)].ParcelID, DistanceM: 20000 * rng.Float64()})
		} else {
			p.Unplaced = append(p.Unplaced, planner.Unplaced{EnterpriseID: id, Reason: planner.ReasonNoCapacity})
		}
	}
	return p
}

// BenchmarkSavePlan measures SavePlan — one transaction replacing a
// scenario's plan rows by COPY — for plans of 20 parks and 1,000 firms up
// to 2,000 parks and 100,000 firms (docs/scenario-service.md).
func BenchmarkSavePlan(b *testing.B) {
	db := migrated(b)
	st := data.NewScenarioStore(db.SQL())
	ctx := context.Background()
	for _, sz := range []struct{ parks, firms int }{{20, 1000}, {200, 10000}, {2000, 100000}} {
		plan := benchPlan(benchPlanSeed, sz.parks, sz.firms)
		sc := testScenario(fmt.Sprintf("bench-%d", sz.firms))
		b.Run(fmt.Sprintf("parks=%d/firms=%d", sz.parks, sz.firms), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := st.SavePlan(ctx, sc, plan); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(sz.firms)*float64(b.N)/b.Elapsed().Seconds(), "firms/s")
		})
	}
}
