package planner

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
)

// DecodePlan turns a solver's Solution on inst (built from ds) into a Plan:
// the open parks with their figures, which firms go where, the firms left
// out with the reason, town summaries and KPIs. The firms of one group are
// handed to parks nearest-first by their own location (firmArcs), so the
// same Solution always gives the same Plan. The objective is recomputed from
// inst; the bound and the rest of SolveInfo come from sol.Info. A Solution
// of the wrong shape is an EINTERNAL error.
func DecodePlan(ds *Dataset, inst *Instance, sol *Solution) (*Plan, error) {
	if err := checkSolutionShape(inst, sol); err != nil {
		return nil, err
	}
	parcels := map[string]Parcel{}
	for _, p := range ds.Parcels {
		parcels[p.ID] = p
	}
	plan := &Plan{
		Scenario:     inst.Scenario.Name,
		ScenarioHash: ScenarioHash(inst.Scenario, ds),
		Parks:        []Park{},
		Assignments:  []Assignment{},
		Unplaced:     append([]Unplaced{}, inst.Excluded...),
		Warnings:     append([]string(nil), inst.Warnings...),
		Solve:        sol.Info,
	}
	sc := inst.Scenario

	// Parks.
	parkOf := make([]int, len(inst.Sites)) // index into plan.Parks, −1 when closed
	objective := 0.0
	for s, site := range inst.Sites {
		parkOf[s] = -1
		t := sol.Year[s]
		if t < 0 {
			continue
		}
		p := parcels[site.ParcelID]
		year := inst.Years[t]
		if site.Locked && p.Kind.Locked() && p.OpenYear != 0 && p.OpenYear < sc.FirstYear {
			year = p.OpenYear // built before the horizon
		}
		parkOf[s] = len(plan.Parks)
		objective += inst.OpenValue(s, t)
		plan.Parks = append(plan.Parks, Park{
			ParcelID:   site.ParcelID,
			Town:       inst.Towns[site.Town],
			Kind:       site.Kind,
			Specialty:  inst.Industries[site.Specialties[sol.Specialty[s]]],
			OpenYear:   year,
			Tier:       TierOf(site.AreaMu),
			Locked:     site.Locked,
			AreaMu:     site.AreaMu,
			FAR:        p.FAR,
			CapacityM2: site.CapacityM2,
			CostWan:    site.CostWan,
		})
	}

	// Assignments: which firms of each group go where (firmArcs).
	members := firmArcs(ds, inst, sol)
	reach := make([]bool, len(inst.Groups))
	type share struct{ firms, related, smallMicro, floor, relFloor float64 }
	shares := make([]share, len(plan.Parks))
	var sumKm, maxKm float64
	for a, arc := range inst.Arcs {
		n := sol.Count[a]
		pi := parkOf[arc.Site]
		if pi >= 0 {
			reach[arc.Group] = true
		}
		if n == 0 {
			continue
		}
		g := inst.Groups[arc.Group]
		site := inst.Sites[arc.Site]
		park := &plan.Parks[pi]
		for _, id := range members[a] {
			plan.Assignments = append(plan.Assignments, Assignment{EnterpriseID: id, ParcelID: site.ParcelID, DistanceM: arc.DistanceKm * 1000})
		}
		fn := float64(n)
		objective += arc.Value * fn
		park.Firms += n
		park.FloorUsedM2 += g.FloorM2 * fn
		park.OutputWan += g.OutputWan * fn
		sh := &shares[pi]
		sh.firms += fn
		sh.floor += g.FloorM2 * fn
		if inst.Related[site.Specialties[sol.Specialty[arc.Site]]][g.Industry] {
			sh.related += fn
			sh.relFloor += g.FloorM2 * fn
		}
		if g.SmallMicro {
			sh.smallMicro += fn
		}
		sumKm += arc.DistanceKm * fn
		maxKm = math.Max(maxKm, arc.DistanceKm)
	}
	for i := range plan.Parks {
		sh := shares[i]
		if sh.firms > 0 {
			plan.Parks[i].SmallMicroShare = sh.smallMicro / sh.firms
			plan.Parks[i].SpecialtyFirmShare = sh.related / sh.firms
			plan.Parks[i].SpecialtyFloorShare = sh.relFloor / sh.floor
		}
	}
	placed := map[string]bool{}
	for _, ids := range members {
		for _, id := range ids {
			placed[id] = true
		}
	}
	for gi, g := range inst.Groups {
		why := ReasonNoCapacity
		if !reach[gi] {
			why = ReasonNoParkInReach
		}
		for _, id := range g.Members {
			if !placed[id] {
				plan.Unplaced = append(plan.Unplaced, Unplaced{EnterpriseID: id, Reason: why})
			}
		}
	}
	sort.Slice(plan.Assignments, func(i, j int) bool { return plan.Assignments[i].EnterpriseID < plan.Assignments[j].EnterpriseID })
	sort.Slice(plan.Unplaced, func(i, j int) bool { return plan.Unplaced[i].EnterpriseID < plan.Unplaced[j].EnterpriseID })

	plan.Towns = townSummaries(inst, sol, plan)
	plan.KPI = planKPIs(inst, plan, sumKm, maxKm)

	plan.Solve.Objective = objective
	switch b := plan.Solve.Bound; {
	case math.IsNaN(b) || math.IsInf(b, 0):
		// JSON has no NaN or infinity; say so instead of inventing a bound.
		plan.Solve.Bound = objective
		plan.Warnings = append(plan.Warnings, "the solver reported no finite bound: bound and gap are not proven")
	case b < objective: // a bound below the plan (rounding in the solver): the plan is the better bound
		plan.Solve.Bound = objective
	}
	plan.Solve.Gap = RelGap(plan.Solve.Bound, objective)
	return plan, nil
}

// firmArcs decides which firms of each group fill the group's placed
// counts: the model cannot tell a group's firms apart (it measures moves
// from the town seat), so the firms nearest each park by their own
// location go there first — pairs (firm, park) taken in order of distance,
// ties by firm id then site. members[a] lists arc a's firms, sorted by id.
func firmArcs(ds *Dataset, inst *Instance, sol *Solution) [][]string {
	where := map[string]orb.Point{}
	for _, e := range ds.Enterprises {
		where[e.ID] = e.Location
	}
	byGroup := make([][]int, len(inst.Groups))
	for a, arc := range inst.Arcs {
		if sol.Count[a] > 0 {
			byGroup[arc.Group] = append(byGroup[arc.Group], a)
		}
	}
	members := make([][]string, len(inst.Arcs))
	type pair struct {
		d    float64
		m, a int
	}
	for gi, arcs := range byGroup {
		if len(arcs) == 0 {
			continue
		}
		g := inst.Groups[gi]
		pairs := make([]pair, 0, len(g.Members)*len(arcs))
		for m, id := range g.Members {
			for _, a := range arcs {
				pairs = append(pairs, pair{geo.DistanceM(where[id], inst.Sites[inst.Arcs[a].Site].Centroid), m, a})
			}
		}
		sort.Slice(pairs, func(i, j int) bool {
			p, q := pairs[i], pairs[j]
			if p.d != q.d {
				return p.d < q.d
			}
			if p.m != q.m {
				return p.m < q.m
			}
			return p.a < q.a
		})
		left := map[int]int{}
		for _, a := range arcs {
			left[a] = sol.Count[a]
		}
		taken := make([]bool, len(g.Members))
		for _, p := range pairs {
			if taken[p.m] || left[p.a] == 0 {
				continue
			}
			taken[p.m] = true
			left[p.a]--
			members[p.a] = append(members[p.a], g.Members[p.m])
		}
		for _, a := range arcs {
			sort.Strings(members[a])
		}
	}
	return members
}

// RelGap is the relative gap of a maximisation: (bound − objective)/max(1, |objective|).
func RelGap(bound, objective float64) float64 {
	return (bound - objective) / math.Max(1, math.Abs(objective))
}

func checkSolutionShape(inst *Instance, sol *Solution) error {
	if sol == nil || len(sol.Year) != len(inst.Sites) || len(sol.Specialty) != len(inst.Sites) || len(sol.Count) != len(inst.Arcs) {
		return Errorf(EINTERNAL, "decode: solution does not match the instance (%d sites, %d arcs)", len(inst.Sites), len(inst.Arcs))
	}
	for s, site := range inst.Sites {
		t := sol.Year[s]
		if t < -1 || t >= len(inst.Years) {
			return Errorf(EINTERNAL, "decode: site %s: year index %d out of range", site.ParcelID, t)
		}
		if t >= 0 && (sol.Specialty[s] < 0 || sol.Specialty[s] >= len(site.Specialties)) {
			return Errorf(EINTERNAL, "decode: site %s: specialty index %d out of range", site.ParcelID, sol.Specialty[s])
		}
	}
	placed := make([]int, len(inst.Groups))
	for a, arc := range inst.Arcs {
		n := sol.Count[a]
		if n < 0 || (n > 0 && sol.Year[arc.Site] < 0) {
			return Errorf(EINTERNAL, "decode: arc %d (site %s): %d firms in a closed or impossible park", a, inst.Sites[arc.Site].ParcelID, n)
		}
		placed[arc.Group] += n
	}
	for g, n := range placed {
		if n > inst.Groups[g].Count {
			return Errorf(EINTERNAL, "decode: group %d: %d firms placed of %d", g, n, inst.Groups[g].Count)
		}
	}
	return nil
}

func townSummaries(inst *Instance, sol *Solution, plan *Plan) []TownSummary {
	sums := make([]TownSummary, len(inst.Towns))
	for i, code := range inst.Towns {
		sums[i] = TownSummary{Town: code, QuotaMu: map[int]float64{}, NewLandUsedMu: map[int]float64{}, OldFactoryMu: map[int]float64{}}
		for t, y := range inst.Years {
			sums[i].QuotaMu[y] = inst.QuotaMu[i][t]
			sums[i].NewLandUsedMu[y] = 0
			sums[i].OldFactoryMu[y] = 0
		}
	}
	firmsAt := map[string]int{}
	for _, p := range plan.Parks {
		firmsAt[p.ParcelID] = p.Firms
	}
	for s, site := range inst.Sites {
		t := sol.Year[s]
		if t < 0 {
			continue
		}
		ts := &sums[site.Town]
		ts.Parks++
		ts.FirmsPlaced += firmsAt[site.ParcelID]
		if !site.Locked || !site.Kind.Locked() {
			ts.NewParks++
		}
		switch site.Kind {
		case KindNewLand:
			ts.NewLandUsedMu[inst.Years[t]] += site.AreaMu
		case KindOldFactory:
			ts.OldFactoryMu[inst.Years[t]] += site.AreaMu
		}
	}
	return sums
}

func planKPIs(inst *Instance, plan *Plan, sumKm, maxKm float64) KPIs {
	var k KPIs
	towns := map[string]bool{}
	target := inst.Scenario.TargetYear
	var output float64
	for _, p := range plan.Parks {
		k.ParksTotal++
		if p.OpenYear <= target {
			k.ParksByTarget++
			towns[p.Town] = true
		}
		switch {
		case p.Locked && p.Kind.Locked():
			k.LockedMu += p.AreaMu
		case p.Kind == KindNewLand:
			k.NewLandParks++
			k.NewLandMu += p.AreaMu
		case p.Kind == KindOldFactory:
			k.OldFactoryMu += p.AreaMu
		}
		k.FirmsPlaced += p.Firms
		k.FloorPlacedM2 += p.FloorUsedM2
		k.CostWan += p.CostWan
		output += p.OutputWan
	}
	k.TownsCovered = len(towns)
	if k.FloorPlacedM2 > 0 {
		k.OutputPerMu = output / (k.FloorPlacedM2 / MuM2)
	}
	if k.FirmsPlaced > 0 {
		k.MeanRelocationKm = sumKm / float64(k.FirmsPlaced)
	}
	k.MaxRelocationKm = maxKm
	return k
}

// String describes a dropped site for logs and explanations.
func (d DroppedSite) String() string { return fmt.Sprintf("%s (%s): %s", d.ParcelID, d.Town, d.Reason) }
