package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
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
//     every-town, new-land-cap, quota and budget row, minimising first the
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
var relaxKinds = []string{"target", "cap", "quota", "budget", "town"}

// errVerdict is the explanation when the elastic model needs no slack.
const errVerdict = "no rule conflict found: the site rules hold together and a plan that places no firm keeps every firm rule, so a plan exists; the solver's infeasibility verdict is wrong (try --solver cbc)"

var errNoRelaxation = errors.New("engine: relaxing these rules alone does not restore a plan")

func finish(ex *planner.Explanation, conflicts []string) *planner.Explanation {
	if len(ex.Conflicts) == 0 {
		ex.Conflicts = conflicts
	}
	if len(ex.Conflicts) == 0 {
		ex.Conflicts = []string{"the site rules (target, every town, new-land cap, quota, budget, locked parks) cannot all hold"}
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

// elastic solves the site rules with slacks (see Explain) and returns the
// relaxations and the rules relaxed.
func elastic(ctx context.Context, inst *planner.Instance, allow map[string]bool) (relax, conflicts []string, err error) {
	sc := inst.Scenario
	nT := len(inst.Years)
	m := mps.New()
	// y[s][t]: the specialty does not matter to the site rules.
	y := make([][]int, len(inst.Sites))
	for s, site := range inst.Sites {
		y[s] = make([]int, nT)
		for t := range y[s] {
			y[s][t] = -1
			if site.Locked && t != site.LockedYear {
				continue
			}
			lo := 0.0
			if site.Locked {
				lo = 1
			}
			y[s][t] = m.AddColumn(0, lo, 1, "y "+site.ParcelID)
		}
	}
	type slack struct {
		col, ind int
		kind     string // target, town, cap, quota, budget
		town, t  int
		big      float64
	}
	var slacks []slack
	// addSlack adds slack column (coef sign) with an indicator: slack ≤ big·z,
	// cost 1000·z + slack/big (fewest rules first, then the smallest change).
	addSlack := func(row int, sign float64, big float64, kind string, town, t int) {
		if big <= 0 {
			big = 1
		}
		up := big
		if !allow[kind] {
			up = 0
		}
		col := m.AddContinuousColumn(1/big, 0, up, "slack "+kind)
		ind := m.AddColumn(1000, 0, 1, "relax "+kind)
		m.Add(row, col, sign)
		link := m.AddRow('L', 0, "slack ≤ big·relax")
		m.Add(link, col, 1)
		m.Add(link, ind, -big)
		slacks = append(slacks, slack{col, ind, kind, town, t, big})
	}
	for s, site := range inst.Sites {
		if site.Locked {
			continue
		}
		r := m.AddRow('L', 1, "open once")
		for t := 0; t < nT; t++ {
			m.Add(r, y[s][t], 1)
		}
	}
	if sc.TargetParks > 0 {
		r := m.AddRow('G', float64(sc.TargetParks), "target")
		for s := range inst.Sites {
			for t := 0; t <= inst.TargetT; t++ {
				m.Add(r, y[s][t], 1)
			}
		}
		addSlack(r, 1, float64(sc.TargetParks), "target", -1, -1)
	}
	if sc.EveryTown {
		for ti := range inst.Towns {
			r := m.AddRow('G', 1, "every town")
			for s, site := range inst.Sites {
				if site.Town == ti {
					for t := 0; t <= inst.TargetT; t++ {
						m.Add(r, y[s][t], 1)
					}
				}
			}
			addSlack(r, 1, 1, "town", ti, -1)
		}
	}
	nNew := 0
	for _, site := range inst.Sites {
		if site.Kind == planner.KindNewLand {
			nNew++
		}
	}
	if sc.MaxNewLandParks >= 0 && nNew > 0 {
		r := m.AddRow('L', float64(sc.MaxNewLandParks), "new-land cap")
		for s, site := range inst.Sites {
			if site.Kind == planner.KindNewLand {
				for t := 0; t < nT; t++ {
					m.Add(r, y[s][t], 1)
				}
			}
		}
		addSlack(r, -1, float64(nNew), "cap", -1, -1)
	}
	for ti := range inst.Towns {
		area := 0.0
		for _, site := range inst.Sites {
			if site.Town == ti && site.Kind == planner.KindNewLand {
				area += site.AreaMu
			}
		}
		if area == 0 {
			continue
		}
		cum := 0.0
		for t := 0; t < nT; t++ {
			cum += inst.QuotaMu[ti][t]
			t0, rhs := t, inst.QuotaMu[ti][t]
			if sc.QuotaCarryOver {
				t0, rhs = 0, cum
			}
			r := m.AddRow('L', rhs, "quota")
			for s, site := range inst.Sites {
				if site.Town == ti && site.Kind == planner.KindNewLand {
					for tt := t0; tt <= t; tt++ {
						m.Add(r, y[s][tt], site.AreaMu)
					}
				}
			}
			addSlack(r, -1, area, "quota", ti, t)
		}
	}
	total := 0.0
	for _, site := range inst.Sites {
		total += site.CostWan
	}
	for t := 0; t < nT; t++ {
		if math.IsInf(inst.BudgetWan[t], 1) {
			continue
		}
		r := m.AddRow('L', inst.BudgetWan[t], "budget")
		for s, site := range inst.Sites {
			m.Add(r, y[s][t], site.CostWan)
		}
		addSlack(r, -1, total, "budget", -1, t)
	}
	res, err := cbc.Run(ctx, m, cbc.Options{TimeLimit: elasticTimeLimit})
	if err != nil {
		return nil, nil, err
	}
	if res.Values == nil {
		return nil, nil, errNoRelaxation
	}
	quotaAdd := map[string]float64{}
	var quotaKeys []string
	for _, sl := range slacks {
		v := res.Values[sl.col]
		if v <= 1e-6 {
			continue
		}
		switch sl.kind {
		case "target":
			n := int(math.Round(v))
			relax = append(relax, fmt.Sprintf("lower target_parks from %d to %d", sc.TargetParks, sc.TargetParks-n))
			conflicts = append(conflicts, fmt.Sprintf("target %d parks by %d: at most %d can open by then under the other rules", sc.TargetParks, sc.TargetYear, sc.TargetParks-n))
		case "town":
			relax = append(relax, fmt.Sprintf("set every_town: false (town %s gets no park by %d)", inst.Towns[sl.town], sc.TargetYear))
			conflicts = append(conflicts, fmt.Sprintf("town %s: no park can open by %d under the other rules", inst.Towns[sl.town], sc.TargetYear))
		case "cap":
			n := int(math.Round(v))
			relax = append(relax, fmt.Sprintf("raise max_new_land_parks from %d to %d", sc.MaxNewLandParks, sc.MaxNewLandParks+n))
			conflicts = append(conflicts, fmt.Sprintf("new-land cap %d: the other rules need %d parks on new land", sc.MaxNewLandParks, sc.MaxNewLandParks+n))
		case "quota":
			key := fmt.Sprintf("%s/%d", inst.Towns[sl.town], inst.Years[sl.t])
			add := math.Ceil(v*100-1e-6) / 100
			quotaAdd[key] = add
			quotaKeys = append(quotaKeys, key)
			conflicts = append(conflicts, fmt.Sprintf("town %s: quota %d (%.2f mu) is %.2f mu short", inst.Towns[sl.town], inst.Years[sl.t], inst.QuotaMu[sl.town][sl.t], add))
		case "budget":
			add := math.Ceil(v*100-1e-6) / 100
			relax = append(relax, fmt.Sprintf("raise the %d budget from %.2f to %.2f (10,000 yuan)", inst.Years[sl.t], inst.BudgetWan[sl.t], inst.BudgetWan[sl.t]+add))
			conflicts = append(conflicts, fmt.Sprintf("budget %d (%.2f) is %.2f short", inst.Years[sl.t], inst.BudgetWan[sl.t], add))
		}
	}
	sort.Strings(quotaKeys)
	for _, k := range quotaKeys {
		relax = append(relax, fmt.Sprintf("add %.2f mu of quota to %s (quota_extra: {%q: %.2f})", quotaAdd[k], k, k, quotaAdd[k]+sc.QuotaExtra[k]))
	}
	if len(relax) > 1 {
		relax = []string{"together: " + strings.Join(relax, "; ")}
	}
	return relax, conflicts, nil
}
