package data_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
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

// sqlBenchCounty loads a county matching benchPlan's ids: one town, $1
// parcels P-000000… on a grid of 0.004° cells, $2 firms E-0000000… at
// seeded pseudo-random points (setseed), so a save's snapshot copy
// (geometry and figures into the plan rows) has every row to copy.
const sqlBenchCounty = `
SELECT setseed(0.42);
INSERT INTO industry (code) VALUES ('ind00');
INSERT INTO town (code, name_zh, type, industries, seat, geom) VALUES ('t1', '镇一', 'town', '{ind00}',
	ST_SetSRID(ST_MakePoint(121.2, 30.2), 4490), ST_Multi(ST_MakeEnvelope(121, 30, 121.5, 30.5, 4490)));
INSERT INTO parcel (id, town, kind, area_mu, far, cost_wan, floor_m2, firms, geom)
SELECT format('P-%s', lpad(i::text, 6, '0')), 't1', 'old_factory', 100, 2, 0, 0, 0,
	ST_Multi(ST_MakeEnvelope(121 + (i % 100) * 0.004, 30 + (i / 100) * 0.004,
		121 + (i % 100) * 0.004 + 0.003, 30 + (i / 100) * 0.004 + 0.003, 4490))
FROM generate_series(0, {parks} - 1) i;
INSERT INTO enterprise (id, town, industry, size, floor_m2, output_per_mu, tax_per_mu, pollution, low_scattered, safety_ok, geom)
SELECT format('E-%s', lpad(i::text, 7, '0')), 't1', 'ind00', 'micro', 100, 1, 1, 'light', false, true,
	ST_SetSRID(ST_MakePoint(121 + random() * 0.4, 30 + random() * 0.4), 4490)
FROM generate_series(0, {firms} - 1) i;
ANALYZE parcel, enterprise;`

// BenchmarkSavePlanSnapshot measures SavePlan on a database holding the
// plan's parcels and firms: the save then also copies every park's
// polygon and every firm's line or point into the plan rows (the plan
// snapshot of migration 00045, docs/reliability.md). Compare with
// BenchmarkSavePlan (empty county: nothing to copy).
func BenchmarkSavePlanSnapshot(b *testing.B) {
	ctx := context.Background()
	for _, sz := range []struct{ parks, firms int }{{20, 1000}, {200, 10000}} {
		b.Run(fmt.Sprintf("parks=%d/firms=%d", sz.parks, sz.firms), func(b *testing.B) {
			db := migrated(b)
			county := strings.NewReplacer("{parks}", fmt.Sprint(sz.parks), "{firms}", fmt.Sprint(sz.firms)).Replace(sqlBenchCounty)
			if _, err := db.SQL().ExecContext(ctx, county); err != nil {
				b.Fatal(err)
			}
			st := data.NewScenarioStore(db.SQL())
			plan := benchPlan(benchPlanSeed, sz.parks, sz.firms)
			sc := testScenario(fmt.Sprintf("snap-%d", sz.firms))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := st.SavePlan(ctx, sc, plan); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(sz.firms)*float64(b.N)/b.Elapsed().Seconds(), "firms/s")
		})
	}
}
