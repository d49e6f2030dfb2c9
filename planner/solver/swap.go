package solver

import (
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// swapMoves caps the town-pair moves evaluated per pass of swapTowns (the
// best by priced gain); each costs a park-by-park placement and, when
// promising, a placement LP.
const swapMoves = 48

// swapMove replaces the site choices of one or two towns (b < 0: one)
// by entries of their town tables.
type swapMove struct {
	a, b   int
	oa, ob townOption
	gain   float64 // priced gain over the incumbent's choices of the towns
}

// swapTowns is a large-neighbourhood search over pairs of towns: the
// incumbent with two towns' site choices replaced at once by entries of
// their town tables (the site master's best choice of the town for each
// count of early and of new-land parks, at the relaxation's prices) such
// that the plan keeps the target and the new-land cap. When those rules
// bind, a move of one town alone (lns) cannot open an early or new-land
// park without another town giving one up: this is the exchange that lns
// misses. Moves are ranked by their priced gain (the master's value of
// the new entries less that of the incumbent's choices) and the best
// swapMoves (the next ones when the last pass found nothing) are placed
// around the changed parks (tryLocal);
// improvements are kept as they come. One node per
// move plus its placement LP's work. It reports whether the incumbent
// improved.
func (sr *search) swapTowns(r *relaxation, done func() bool) bool {
	m := sr.m
	inst := m.inst
	sc := &inst.Scenario
	if sr.best == nil {
		return false
	}
	base := sr.best
	nTowns := len(inst.Towns)
	// the incumbent's parks by the target year, on new land, priced value per town
	nt := make([]int, nTowns)
	nn := make([]int, nTowns)
	val := make([]float64, nTowns)
	totNT, totNN := 0, 0
	for s, t := range base.Year {
		if t < 0 {
			continue
		}
		town := inst.Sites[s].Town
		val[town] += m.yearValue(s, t, r.w, r.rho)
		if t <= inst.TargetT {
			nt[town]++
			totNT++
		}
		if m.newLand(s) {
			nn[town]++
			totNN++
		}
	}
	tables := make([]townTable, nTowns)
	opts := make([][]townOption, nTowns)
	for town := range inst.Towns {
		tables[town] = m.townTable(town, r.w, r.rho)
		// every entry, not only the Pareto ones: a town giving up a park
		// (fewer early or new-land parks, dominated in the master) is half
		// of an exchange
		opts[town] = tables[town].options(sc.EveryTown)
	}
	keeps := func(dnt, dnn int) bool {
		return totNT+dnt >= sc.TargetParks && (sc.MaxNewLandParks < 0 || totNN+dnn <= sc.MaxNewLandParks)
	}
	var moves []swapMove
	for a := 0; a < nTowns; a++ {
		for _, oa := range opts[a] {
			da, dn := oa.nt-nt[a], oa.nn-nn[a]
			for b := a + 1; b < nTowns; b++ {
				for _, ob := range opts[b] {
					if (da == 0 && dn == 0) || (ob.nt == nt[b] && ob.nn == nn[b]) {
						continue // a move of one town: lns tries those
					}
					if !keeps(da+ob.nt-nt[b], dn+ob.nn-nn[b]) {
						continue
					}
					g := oa.value + ob.value - val[a] - val[b]
					moves = append(moves, swapMove{a: a, b: b, oa: oa, ob: ob, gain: g})
				}
			}
		}
	}
	sort.SliceStable(moves, func(i, j int) bool { return moves[i].gain > moves[j].gain })
	// A pass that found nothing leaves the next pass (another endgame,
	// other prices) the next-ranked moves; one that improved starts over.
	if sr.swapSkip >= len(moves) {
		sr.swapSkip = 0
	}
	moves = moves[sr.swapSkip:]
	if len(moves) > swapMoves {
		moves = moves[:swapMoves]
	}
	improved := false
	defer func() {
		if improved {
			sr.swapSkip = 0
		} else {
			sr.swapSkip += swapMoves
		}
	}()
	for _, mv := range moves {
		if done() {
			return improved
		}
		base := sr.best
		year := append([]int(nil), base.Year...)
		spec := append([]int(nil), base.Specialty...)
		for _, part := range [2]struct {
			town int
			o    townOption
		}{{mv.a, mv.oa}, {mv.b, mv.ob}} {
			e := tables[part.town].entries[part.o.nt][part.o.nn]
			for i, s := range m.townSites[part.town] {
				if e.years[i] >= 0 && base.Year[s] < 0 {
					spec[s] = r.kBest[s]
				}
				year[s] = e.years[i]
			}
		}
		sr.nodes++
		if sr.tryLocal(year, spec) {
			improved = true
		}
	}
	return improved
}

// tryLocal offers the incumbent with its site choice replaced by (year,
// spec), its firms placed again only around the parks that changed: the
// firms of parks that close or change specialty are freed, and the
// placement LP (placeLP) re-places the changed parks that are open and
// the open parks sharing firm groups with any changed park (all parks
// where the whole placement LP fits), the other parks keeping their
// firms. Placing every firm again park by park (tryChoice) judges a move
// by a placement a few per cent below the incumbent's polished one, so
// that good exchanges were never placed by the LP. It reports whether the
// incumbent improved.
func (sr *search) tryLocal(year, spec []int) bool {
	m := sr.m
	base := sr.best
	sol := &planner.Solution{Year: year, Specialty: spec, Count: append([]int(nil), base.Count...)}
	var seeds, changed []int // open changed parks; every changed site
	for s, t := range year {
		if t == base.Year[s] && (t < 0 || spec[s] == base.Specialty[s]) {
			continue
		}
		changed = append(changed, s)
		if t >= 0 {
			seeds = append(seeds, s)
		}
		if base.Year[s] >= 0 && (t < 0 || spec[s] != base.Specialty[s]) {
			for _, a := range m.siteArcs[s] {
				sol.Count[a] = 0
			}
		}
	}
	if m.check(sol) != "" {
		return false // a site rule fails
	}
	before := sr.bestObj
	all := make([]bool, len(year))
	for s := range all {
		all[s] = true
	}
	var free []bool // nil: every park
	if m.lpCells(sol, all) > placeLPMaxCells {
		if free = m.neighbourhoodOf(sol, seeds, changed); free == nil {
			return false
		}
	}
	_, work := m.placeLP(sol, free, sr.interrupted)
	sr.nodes += work
	sr.offer(sol)
	sr.report(false)
	return sr.bestObj > before+1e-9*math.Max(1, math.Abs(before))
}
