package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/demo"
)

// reallocTowns is how many towns of each demo county the province of
// TestProvinceReallocationOnWorker keeps: small counties, so that the
// run's ~20 county solves take seconds.
const reallocTowns = 3

// smallProvince is `parkplan demo --counties n` with each county cut to
// its first towns (in the dataset's order) that have a parcel on new
// land: their parcels, quotas and firms, every industry and protected
// area.
func smallProvince(t *testing.T, n, towns int) *planner.Dataset {
	t.Helper()
	ds, err := demo.Province(demo.Options{Seed: demo.DefaultSeed, Scale: 1}, n)
	if err != nil {
		t.Fatal(err)
	}
	kept, per := map[string]bool{}, map[string]int{}
	out := *ds
	out.Towns, out.Parcels, out.Quotas, out.Enterprises = nil, nil, nil, nil
	out.Overlaps = map[string]planner.Overlap{}
	newLand := map[string]bool{}
	for _, p := range ds.Parcels {
		newLand[p.Town] = newLand[p.Town] || p.Kind == planner.KindNewLand
	}
	for _, tw := range ds.Towns {
		if newLand[tw.Code] && per[tw.County] < towns {
			per[tw.County]++
			kept[tw.Code] = true
			out.Towns = append(out.Towns, tw)
		}
	}
	for _, p := range ds.Parcels {
		if kept[p.Town] {
			out.Parcels = append(out.Parcels, p)
			if o, ok := ds.Overlaps[p.ID]; ok {
				out.Overlaps[p.ID] = o
			}
		}
	}
	for _, q := range ds.Quotas {
		if kept[q.Town] {
			out.Quotas = append(out.Quotas, q)
		}
	}
	for _, e := range ds.Enterprises {
		if kept[e.Town] {
			out.Enterprises = append(out.Enterprises, e)
		}
	}
	return &out
}

// TestProvinceReallocationOnWorker: the pool binds and moves between
// counties, end to end. Two small demo counties (three towns each)
// under a pool of 35 % of their towns' quotas in every year of the
// horizon, no per-county caps, and a province-wide cap of one park on
// new land: the counties' unpriced plans overrun both, so the
// coordinator prices them (two cheap pricing rounds at 40 nodes, a bound
// round at 200), allocates the pool among the counties and solves
// counties again under their allocations (county tasks with a
// county_allocation: the allocation round, which also shares the cap as
// the counties' max_new_land_parks, the pool's rest, the final
// re-solves). The run in
// process and with --jobs on one `parkplan worker` process give the same
// result to the byte; the re-solve tasks ran as jobs; the allocations
// are not the pool split in proportion to the requests; the pool holds
// in every year, the cap holds (by the coordinator's count and by the
// counties' plans' KPIs), each county keeps its allocation, and every saved
// county plan passes planner/rules on its county's part of the stored
// dataset.
func TestProvinceReallocationOnWorker(t *testing.T) {
	ctx := context.Background()
	const counties = 2
	dbURL := postgisTestDB(t, "provrealloc")
	ds := smallProvince(t, counties, reallocTowns)
	dir := t.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("import", dir, "--db", dbURL); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	quota := map[int]float64{}
	for _, q := range ds.Quotas {
		quota[q.Year] += q.NewLandMu
	}
	sc := fmt.Sprintf(`name: realloc province
county: {node_limit: 200, time_limit: 120s, target_parks: 0, every_town: false, max_new_land_parks: -1}
max_new_land_parks: 1
pool:
`)
	pool := map[int]float64{}
	for y := 2019; y <= 2022; y++ {
		pool[y] = math.Round(0.35 * quota[y])
		sc += fmt.Sprintf("  - {year: %d, new_land_mu: %.0f}\n", y, pool[y])
	}
	scPath := filepath.Join(t.TempDir(), "province.yaml")
	if err := os.WriteFile(scPath, []byte(sc), 0o644); err != nil {
		t.Fatal(err)
	}
	solve := []string{"province", "solve", "--scenario", scPath, "--db", dbURL, "--rounds", "2", "--pricing-nodes", "40", "--json"}
	_, res, _, _ := solveInProcessAndOnWorker(t, dbURL, solve)

	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkProvinceOnWorker(t, db, "realloc province", res, counties)

	// County tasks under an allocation: the allocation round, the pool's
	// rest and the final re-solves.
	var pricing, underAlloc int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE NOT (args->'task'->'scenario') ? 'county_allocation'),
count(*) FILTER (WHERE (args->'task'->'scenario') ? 'county_allocation')
FROM river_job WHERE kind = 'parkplan_county' AND state = 'completed'`).Scan(&pricing, &underAlloc); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d county jobs at prices, %d under an allocation; %d rounds, gap %.2f %%; %d parks on new land (price %.3f), %d by the target year", pricing, underAlloc, res.Iterations, 100*res.Gap, res.NewLandParksOpen, res.NewLandParkPrice, res.TargetParksOpen)
	if pricing < 2*counties || underAlloc == 0 {
		t.Errorf("%d county jobs at prices and %d under an allocation; want the pricing rounds and re-solves under allocations", pricing, underAlloc)
	}

	if res.NewLandParksOpen > 1 || res.KPI.NewLandParks > 1 {
		t.Errorf("%d parks on new land (KPI %d); the province's cap is 1", res.NewLandParksOpen, res.KPI.NewLandParks)
	}

	// The pool binds (some year allocated to within 1 %) and is not split
	// in proportion to the counties' requests.
	alloc, request := map[int]float64{}, map[int]float64{}
	for _, a := range res.Allocation {
		alloc[a.Year] += a.AllocatedMu
		request[a.Year] += a.RequestMu
	}
	binds, moved := false, false
	for _, a := range res.Allocation {
		pro := pool[a.Year] * a.RequestMu / request[a.Year]
		if math.Abs(a.AllocatedMu-pro) > 0.05*pool[a.Year]/counties {
			moved = true
		}
	}
	for y, mu := range pool {
		binds = binds || alloc[y] >= 0.99*mu
	}
	if !binds || !moved {
		t.Errorf("allocation %+v of the pool %v: binds %v, moved from the pro-rata split %v; want both", res.Allocation, pool, binds, moved)
	}
}
