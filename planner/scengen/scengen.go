// Package scengen draws seeded, valid planner Scenarios for a dataset:
// variants of the seed's baseline that a planner could write, spread over
// every field of docs/scenarios.md (years and target, every-town, the
// new-land cap, other specialties, the three shares, usable share,
// protected tolerance, upgraded 低散乱 firms, relocation reach, within-town,
// quota scale, extras and carry-over, yearly budgets, lock-in/out,
// unlocking built parks, and the objective weights). Nobody tuned the
// solver for them: they are the benchmark's and the tests' unseen cases.
//
// Every drawn scenario passes Scenario.Validate and names only towns and
// parcels of the dataset, so BuildInstance accepts it; it may still be
// infeasible (a proof with an explanation is then the right answer). The
// same seed and dataset always give the same scenarios.
package scengen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// Options are the solver settings every drawn scenario carries.
type Options struct {
	TimeLimit time.Duration // 0: the baseline's (planner.Defaults)
	NodeLimit int           // 0: none
	GapTarget float64       // 0: the baseline's
}

// Draw returns n scenarios drawn from seed for ds, named
// "drawn-<seed>-<i>" with a description listing what differs from the
// baseline. It panics if ds has no town (a dataset the planner could not
// use anyway).
func Draw(seed uint64, n int, ds *planner.Dataset, opt Options) []planner.Scenario {
	if len(ds.Towns) == 0 {
		panic("scengen: dataset without towns")
	}
	g := &drawer{rng: rand.New(rand.NewPCG(seed, 0x5ce9e)), ds: ds}
	g.index()
	out := make([]planner.Scenario, n)
	for i := range out {
		out[i] = g.scenario(fmt.Sprintf("drawn-%d-%d", seed, i), opt)
	}
	return out
}

// drawer holds the random source and the dataset's names, in sorted order
// so that draws do not depend on the dataset's row order.
type drawer struct {
	rng        *rand.Rand
	ds         *planner.Dataset
	towns      []string // town codes
	candidates []string // candidate parcel ids (new land, old factory)
	built      []string // existing and under-construction parcel ids
	costWan    float64  // total candidate cost
}

func (g *drawer) index() {
	for _, t := range g.ds.Towns {
		g.towns = append(g.towns, t.Code)
	}
	sort.Strings(g.towns)
	for _, p := range g.ds.Parcels {
		switch p.Kind {
		case planner.KindNewLand, planner.KindOldFactory:
			g.candidates = append(g.candidates, p.ID)
			g.costWan += p.CostWan
		default:
			g.built = append(g.built, p.ID)
		}
	}
	sort.Strings(g.candidates)
	sort.Strings(g.built)
}

// chance reports true with probability p.
func (g *drawer) chance(p float64) bool { return g.rng.Float64() < p }

// pickF returns one of vs at random.
func pickF(g *drawer, vs ...float64) float64 { return vs[g.rng.IntN(len(vs))] }

// scenario draws one scenario. Each group of fields departs from the
// baseline with its own probability, so a scenario changes a few things
// at once, as planners' variants do; the change is listed in Description.
func (g *drawer) scenario(name string, opt Options) planner.Scenario {
	sc := planner.Defaults()
	sc.Name = name
	var changed []string
	note := func(format string, args ...any) { changed = append(changed, fmt.Sprintf(format, args...)) }

	if g.chance(0.2) { // horizon and target year
		sc.LastYear = sc.FirstYear + 2 + g.rng.IntN(3) // 2021…2023
		sc.TargetYear = sc.FirstYear + 1 + g.rng.IntN(sc.LastYear-sc.FirstYear)
		note("years %d–%d, target year %d", sc.FirstYear, sc.LastYear, sc.TargetYear)
	}
	if g.chance(0.35) {
		sc.TargetParks = 15 + g.rng.IntN(16) // 15…30
		note("target %d parks", sc.TargetParks)
	}
	if g.chance(0.15) {
		sc.EveryTown = false
		note("no every-town rule")
	}
	if g.chance(0.3) {
		sc.MaxNewLandParks = g.rng.IntN(12) - 1 // −1 (no cap) … 10
		note("new-land cap %d", sc.MaxNewLandParks)
	}
	if g.chance(0.2) {
		sc.AllowOtherSpecialties = true
		note("other specialties allowed")
	}
	if g.chance(0.35) {
		sc.SpecialtyShareFirms = pickF(g, 0.5, 0.6, 0.65, 0.75, 0.8, 0.85)
		sc.SpecialtyShareFloor = sc.SpecialtyShareFirms
		if g.chance(0.3) {
			sc.SpecialtyShareFloor = pickF(g, 0.5, 0.6, 0.7, 0.8)
		}
		note("specialty shares %.2f / %.2f", sc.SpecialtyShareFirms, sc.SpecialtyShareFloor)
	}
	if g.chance(0.25) {
		sc.SmallMicroShare = pickF(g, 0.5, 0.6, 0.8, 0.85)
		note("small/micro share %.2f", sc.SmallMicroShare)
	}
	if g.chance(0.2) {
		sc.UsableShare = pickF(g, 0.6, 0.7, 0.9, 1)
		note("usable share %.2f", sc.UsableShare)
	}
	if g.chance(0.1) {
		sc.ProtectedToleranceMu = pickF(g, 0, 0.5, 2)
		note("protected tolerance %.2f mu", sc.ProtectedToleranceMu)
	}
	if g.chance(0.3) {
		sc.UpgradedLowScattered = true
		note("低散乱 firms upgraded")
	}
	switch {
	case g.chance(0.15):
		sc.WithinTown = true
		note("within town")
	case g.chance(0.35):
		sc.MaxRelocationKm = pickF(g, 0, 5, 8, 10, 20, 30)
		note("reach %.0f km", sc.MaxRelocationKm)
	}
	if g.chance(0.25) {
		sc.QuotaCarryOver = true
		note("quota carry-over")
	}
	if g.chance(0.3) {
		sc.QuotaScale = pickF(g, 0.3, 0.5, 0.75, 1.5, 2)
		note("quotas × %.2f", sc.QuotaScale)
	}
	if g.chance(0.2) {
		sc.QuotaExtra = map[string]float64{}
		for n := 1 + g.rng.IntN(3); n > 0; n-- {
			town := g.towns[g.rng.IntN(len(g.towns))]
			year := sc.FirstYear + g.rng.IntN(sc.LastYear-sc.FirstYear+1)
			mu := float64(10 * (g.rng.IntN(13) - 4)) // −40 … 80 mu
			sc.QuotaExtra[fmt.Sprintf("%s/%d", town, year)] = mu
		}
		note("quota extras %d", len(sc.QuotaExtra))
	}
	if g.chance(0.25) && g.costWan > 0 {
		// a share of the candidates' total cost per year, in some years
		sc.Budget = map[int]float64{}
		share := pickF(g, 0.05, 0.1, 0.2, 0.4)
		for y := sc.FirstYear; y <= sc.LastYear; y++ {
			if g.chance(0.8) {
				sc.Budget[y] = math.Round(share * g.costWan * (0.5 + g.rng.Float64()))
			}
		}
		note("budgets in %d years (~%.0f %% of candidate cost each)", len(sc.Budget), 100*share)
	}
	if g.chance(0.2) && len(g.candidates) > 0 {
		sc.LockIn = g.sample(g.candidates, 1+g.rng.IntN(2), nil)
		note("lock-in %v", sc.LockIn)
	}
	if g.chance(0.2) {
		pool := g.candidates
		if g.chance(0.3) {
			pool = g.built
		}
		sc.LockOut = g.sample(pool, 1+g.rng.IntN(2), sc.LockIn)
		if len(sc.LockOut) > 0 {
			note("lock-out %v", sc.LockOut)
		}
	}
	if g.chance(0.07) {
		sc.UnlockExisting = true
		note("built parks unlocked")
	}
	if g.chance(0.35) {
		w := &sc.Weights
		for _, f := range []*float64{&w.FloorM2, &w.Firms, &w.Output, &w.LandMu, &w.DistanceKm, &w.Cost} {
			if g.chance(0.4) {
				*f *= pickF(g, 0, 0.5, 2, 4)
			}
		}
		note("weights %.3g/%.3g/%.3g/%.3g/%.3g/%.3g", w.FloorM2, w.Firms, w.Output, w.LandMu, w.DistanceKm, w.Cost)
	}
	if len(changed) == 0 {
		note("the baseline")
	}
	sc.Description = strings.Join(changed, "; ")
	if opt.TimeLimit > 0 {
		sc.TimeLimit = planner.Duration{Duration: opt.TimeLimit}
	}
	if opt.GapTarget > 0 {
		sc.GapTarget = opt.GapTarget
	}
	sc.NodeLimit = opt.NodeLimit
	sc.Normalize()
	return sc
}

// sample returns up to n distinct ids of pool not in avoid, sorted.
func (g *drawer) sample(pool []string, n int, avoid []string) []string {
	skip := map[string]bool{}
	for _, id := range avoid {
		skip[id] = true
	}
	var out []string
	for tries := 0; len(out) < n && tries < 4*n && len(pool) > 0; tries++ {
		id := pool[g.rng.IntN(len(pool))]
		if !skip[id] {
			skip[id] = true
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
