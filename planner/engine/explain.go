package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// elasticTimeLimit bounds the CBC run of the elastic model (it has only
// site-and-year binaries, so it is small).
const elasticTimeLimit = 20 * time.Second

// Explain says why inst has no plan. Only the site rules can conflict (a
// plan that places no firm keeps every firm rule), so it looks at those:
//
//  1. counting arguments, in planning words with the figures: towns with no
//     admissible site, or whose smallest admissible new-land candidate
//     exceeds their quota up to the target year, or whose sites all cost
//     more than the budget; the target against the sites that can open by
//     the target year; towns that only have new-land candidates against
//     the new-land cap;
//  2. the elastic model: the site rules with a slack on each target,
//     every-town, new-land-cap, quota, budget and county-allocation (a
//     county under a province) row, minimising first the
//     number of rules relaxed and then how far. It is solved once per rule
//     family with only that family's slacks free: each family that can
//     restore a plan gives one alternative, its smallest relaxation. When
//     no single family suffices, all slacks are freed together.
//
// The elastic model needs the cbc command; without it only the counting
// arguments are given.
func Explain(ctx context.Context, ds *planner.Dataset, inst *planner.Instance) *planner.Explanation {
	ex := &planner.Explanation{Conflicts: countingConflicts(ds, inst), Relaxations: []string{}}
	// One family of rules at a time: each working family is an alternative.
	var conflicts []string
	for _, kind := range relaxKinds {
		relax, c, err := elastic(ctx, inst, map[string]bool{kind: true})
		if errors.Is(err, errNoRelaxation) {
			continue
		}
		if err != nil {
			ex.Relaxations = append(ex.Relaxations, "could not compute the smallest relaxation: "+err.Error())
			return finish(ex, conflicts)
		}
		ex.Relaxations = append(ex.Relaxations, relax...)
		conflicts = append(conflicts, c...)
	}
	if len(ex.Relaxations) == 0 { // no single family suffices: relax several together
		all := map[string]bool{}
		for _, k := range relaxKinds {
			all[k] = true
		}
		relax, c, err := elastic(ctx, inst, all)
		if err != nil {
			ex.Relaxations = append(ex.Relaxations, "could not compute the smallest relaxation: "+err.Error())
		} else if len(relax) == 0 {
			// No slack needed: the site rules hold, so a plan exists (x = 0 keeps every firm rule).
			return &planner.Explanation{Conflicts: []string{errVerdict}, Relaxations: []string{}}
		}
		ex.Relaxations = append(ex.Relaxations, relax...)
		conflicts = append(conflicts, c...)
	}
	return finish(ex, conflicts)
}

// relaxKinds are the rule families the elastic model may relax, in the
// order their relaxations are listed.
var relaxKinds = []string{"target", "cap", "quota", "budget", "county", "town"}

// errVerdict is the explanation when the elastic model needs no slack.
const errVerdict = "no rule conflict found: the site rules hold together and a plan that places no firm keeps every firm rule, so a plan exists; the solver's infeasibility verdict is wrong (try --solver cbc)"

var errNoRelaxation = errors.New("engine: relaxing these rules alone does not restore a plan")

func finish(ex *planner.Explanation, conflicts []string) *planner.Explanation {
	if len(ex.Conflicts) == 0 {
		ex.Conflicts = conflicts
	}
	if len(ex.Conflicts) == 0 {
		ex.Conflicts = []string{"the site rules (target, every town, new-land cap, quota, budget, county allocation, locked parks) cannot all hold"}
	}
	return ex
}

func townName(ds *planner.Dataset, code string) string {
	for _, t := range ds.Towns {
		if t.Code == code && t.NameZh != "" {
			return fmt.Sprintf("%s (%s)", t.NameZh, code)
		}
	}
	return code
}

func yearSpan(first, last int) string {
	if first == last {
		return fmt.Sprint(first)
	}
	return fmt.Sprintf("%d–%d", first, last)
}

// quotaBy is the most new land a town can open in one park by year index t:
// the largest single year's quota up to t, or the cumulative quota with carry-over.
func quotaBy(inst *planner.Instance, town, t int) float64 {
	best, cum := 0.0, 0.0
	for i := 0; i <= t; i++ {
		cum += inst.QuotaMu[town][i]
		best = math.Max(best, inst.QuotaMu[town][i])
	}
	if inst.Scenario.QuotaCarryOver {
		return cum
	}
	return best
}

// budgetBy is the largest single year's budget up to year index t.
func budgetBy(inst *planner.Instance, t int) float64 {
	best := 0.0
	for i := 0; i <= t; i++ {
		best = math.Max(best, inst.BudgetWan[i])
	}
	return best
}

// siteOpenableBy reports whether site s could open by year index t on its
// own: it fits its town's quota and the budget. It returns why not.
func siteOpenableBy(inst *planner.Instance, s, t int) (bool, string) {
	site := inst.Sites[s]
	if site.Locked {
		if site.LockedYear <= t {
			return true, ""
		}
		return false, fmt.Sprintf("locked to open in %d", inst.Years[site.LockedYear])
	}
	if site.Kind == planner.KindNewLand {
		if q := quotaBy(inst, site.Town, t); site.AreaMu > q+1e-9 {
			return false, fmt.Sprintf("%.1f mu > quota %.1f mu", site.AreaMu, q)
		}
	}
	if b := budgetBy(inst, t); site.CostWan > b+1e-9 {
		return false, fmt.Sprintf("cost %.0f > budget %.0f (10,000 yuan)", site.CostWan, b)
	}
	return true, ""
}

func countingConflicts(ds *planner.Dataset, inst *planner.Instance) []string {
	sc := inst.Scenario
	T := inst.TargetT
	span := yearSpan(sc.FirstYear, sc.TargetYear)
	var out []string
	byTown := make([][]int, len(inst.Towns))
	for s, site := range inst.Sites {
		byTown[site.Town] = append(byTown[site.Town], s)
	}
	dropped := map[string][]string{}
	for _, d := range inst.Dropped {
		dropped[d.Town] = append(dropped[d.Town], d.ParcelID+" "+d.Reason)
	}
	// Every town.
	onlyNewLand := []string{}
	if sc.EveryTown {
		for ti, code := range inst.Towns {
			name := townName(ds, code)
			if len(byTown[ti]) == 0 {
				msg := fmt.Sprintf("%s: no admissible site for a park", name)
				if d := dropped[code]; len(d) > 0 {
					msg += " (left out: " + strings.Join(d, "; ") + ")"
				}
				out = append(out, msg)
				continue
			}
			var ok, newLandOnly = false, true
			smallest, cheapest := math.Inf(1), math.Inf(1)
			for _, s := range byTown[ti] {
				site := inst.Sites[s]
				if can, _ := siteOpenableBy(inst, s, T); can {
					ok = true
					if site.Locked || site.Kind != planner.KindNewLand {
						newLandOnly = false
					}
				}
				if !site.Locked && site.Kind == planner.KindNewLand {
					smallest = math.Min(smallest, site.AreaMu)
				}
				if !site.Locked {
					cheapest = math.Min(cheapest, site.CostWan)
				}
			}
			if ok {
				if newLandOnly {
					onlyNewLand = append(onlyNewLand, name)
				}
				continue
			}
			q := quotaBy(inst, ti, T)
			switch {
			case !math.IsInf(smallest, 1) && smallest > q:
				out = append(out, fmt.Sprintf("%s: quota %s is %.1f mu; the smallest admissible candidate is %.1f mu", name, span, q, smallest))
			case !math.IsInf(cheapest, 1) && cheapest > budgetBy(inst, T):
				out = append(out, fmt.Sprintf("%s: budget %s is at most %.0f (10,000 yuan) a year; the cheapest admissible candidate costs %.0f", name, span, budgetBy(inst, T), cheapest))
			default:
				out = append(out, fmt.Sprintf("%s: no admissible site can open by %d", name, sc.TargetYear))
			}
		}
	}
	// New-land cap against towns that only have new land.
	if sc.EveryTown && sc.MaxNewLandParks >= 0 && len(onlyNewLand) > sc.MaxNewLandParks {
		out = append(out, fmt.Sprintf("%d towns can only get a park on new land (%s), but at most %d new-land parks are allowed",
			len(onlyNewLand), strings.Join(onlyNewLand, ", "), sc.MaxNewLandParks))
	}
	// Target.
	if sc.TargetParks > 0 {
		locked, other, newLand := 0, 0, 0
		for s, site := range inst.Sites {
			if can, _ := siteOpenableBy(inst, s, T); !can {
				continue
			}
			switch {
			case site.Locked:
				locked++
			case site.Kind == planner.KindNewLand:
				newLand++
			default:
				other++
			}
		}
		capNew := newLand
		if sc.MaxNewLandParks >= 0 && sc.MaxNewLandParks < capNew {
			capNew = sc.MaxNewLandParks
		}
		if most := locked + other + capNew; most < sc.TargetParks {
			msg := fmt.Sprintf("target %d parks by %d: only %d sites are admissible by then (%d locked, %d on old factory or other land, %d on new land",
				sc.TargetParks, sc.TargetYear, most, locked, other, capNew)
			if capNew < newLand {
				msg += fmt.Sprintf(" under the cap of %d", sc.MaxNewLandParks)
			}
			out = append(out, msg+")")
		}
	}
	// Locked parks against quota and budget.
	for t := range inst.Years {
		spend := 0.0
		for _, site := range inst.Sites {
			if site.Locked && site.LockedYear == t {
				spend += site.CostWan
			}
		}
		if spend > inst.BudgetWan[t]+1e-9 {
			out = append(out, fmt.Sprintf("budget %d is %.0f (10,000 yuan); the parks locked in that year cost %.0f", inst.Years[t], inst.BudgetWan[t], spend))
		}
	}
	return out
}
