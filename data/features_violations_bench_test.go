package data_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// benchViolationsPerCheck is the number of violations each kept check of
// the violations benchmarks has (4 with an overlap square, 1 without).
const benchViolationsPerCheck = 5

// benchViolationStore loads the small synthetic county and checks kept
// checks, each with benchViolationsPerCheck violations laid out
// deterministically (generate_series, no random()), and returns an
// uncached store.
func benchViolationStore(b *testing.B, checks int) *data.FeatureStore {
	b.Helper()
	db, _ := newTestDB(b)
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `
		insert into quota_check (source, scenario, clean, tolerance_mu, report)
		select 'bench ' || i, '', false, 0.01, '{}' from generate_series(1, $1::int) i`, checks); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, `
		insert into quota_check_violation (check_id, seq, kind, parcel_id, town, year, area_mu, detail, geom)
		select c.id, s, case when s = $1::int then 'over_quota' else 'basic_farmland' end,
			case when s = $1::int then '' else 'P' || s end, 't0', 2020, 10 + s, 'bench violation',
			case when s = $1::int then null else ST_Multi(ST_MakeEnvelope(
				121.0 + (c.id % 97) * 0.004, 30.0 + s * 0.004, 121.002 + (c.id % 97) * 0.004, 30.002 + s * 0.004, 4490)) end
		from quota_check c, generate_series(1, $1::int) s`, benchViolationsPerCheck); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	fs := data.NewFeatureStore(db.SQL())
	b.Cleanup(func() { fs.Close() })
	return fs
}

// BenchmarkFeatureViolations lists the collections as a reviewer (one
// check-{id}.violations per kept check, each with its extent), reads the
// first 1,000 violations, and one violation by id, for 10, 100 and 1,000
// kept checks.
func BenchmarkFeatureViolations(b *testing.B) {
	for _, checks := range []int{10, 100, 1000} {
		fs := benchViolationStore(b, checks)
		ctx := context.Background()
		b.Run("collections/checks="+strconv.Itoa(checks), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cols, err := fs.Collections(ctx, true)
				if err != nil {
					b.Fatal(err)
				}
				if len(cols) < checks {
					b.Fatalf("%d collections for %d checks", len(cols), checks)
				}
			}
		})
		b.Run("page/checks="+strconv.Itoa(checks), func(b *testing.B) {
			b.ReportAllocs()
			q := planner.ItemsQuery{Collection: "violations", Limit: 1000, CRS: planner.CRS84, Unpublished: true}
			for b.Loop() {
				if _, err := fs.Items(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("item/checks="+strconv.Itoa(checks), func(b *testing.B) {
			b.ReportAllocs()
			id := strconv.Itoa(checks/2+1) + "-2"
			for b.Loop() {
				if _, err := fs.Item(ctx, "violations", id, planner.CRS84, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
