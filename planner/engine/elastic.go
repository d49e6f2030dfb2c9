package engine

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
)

// slack is one relaxable row's slack column in the elastic model.
type slack struct {
	col     int
	kind    string // target, town, cap, quota, budget, county (relaxKind)
	town, t int    // the row's town and year index, −1 where none
}

// relaxKind is the family of relaxKinds a site rule's rows belong to, ""
// for the rules the elastic model keeps (ruleOpenOnce).
func relaxKind(rule string) string {
	switch rule {
	case planner.RuleTargetParks:
		return "target"
	case planner.RuleNewLandCap:
		return "cap"
	case planner.RuleQuota:
		return "quota"
	case planner.RuleBudget:
		return "budget"
	case planner.RuleEveryTown:
		return "town"
	case planner.RuleCountyAllocation:
		return "county"
	}
	return ""
}

// elasticModel is the elastic model (see Explain): planner/mip's site
// rules (mip.Sites: y[s,t] per site and year, the same rows as the MPS
// with the specialty summed out), and on each row of a rule that
// relaxKind names a slack s ≥ 0 with an indicator z (s ≤ big·z), free
// only when its family is in allow; the objective is −(1000·Σz + Σ s/big):
// first the fewest rules relaxed, then the smallest change.
func elasticModel(inst *planner.Instance, allow map[string]bool) (*mip.Model, []slack) {
	sc := inst.Scenario
	m := mip.Build(inst, mip.Sites)
	for j := range m.Columns {
		m.Columns[j].Obj = 0 // the elastic objective counts only relaxations
	}
	var slacks []slack
	nNew, area, total, newArea := 0, make([]float64, len(inst.Towns)), 0.0, 0.0
	for _, site := range inst.Sites {
		if site.Kind == planner.KindNewLand {
			nNew++
			area[site.Town] += site.AreaMu
			newArea += site.AreaMu
		}
		total += site.CostWan
	}
	for r, nRules := 0, len(m.Rows); r < nRules; r++ {
		row := m.Rows[r]
		kind := relaxKind(row.Rule)
		if kind == "" {
			continue
		}
		// big: the most the rule could need relaxing.
		var big float64
		switch kind {
		case "target":
			big = float64(sc.TargetParks)
		case "town":
			big = 1
		case "cap":
			big = float64(nNew)
		case "quota":
			big = area[row.Town]
		case "budget":
			big = total
		case "county":
			big = newArea
		}
		if big <= 0 {
			big = 1
		}
		up := big
		if !allow[kind] {
			up = 0
		}
		col := m.AddColumn(mip.Column{Obj: -1 / big, Up: up, Continuous: true, Note: "slack " + kind})
		ind := m.AddColumn(mip.Column{Obj: -1000, Up: 1, Note: "relax " + kind})
		sign := 1.0 // a ≥ row is relaxed by adding to its left side, a ≤ row by taking away
		if row.Sense == mip.LE {
			sign = -1
		}
		m.Add(r, col, sign)
		link := m.AddRow(mip.LE, 0, "slack ≤ big·relax")
		m.Add(link, col, 1)
		m.Add(link, ind, -big)
		slacks = append(slacks, slack{col, kind, row.Town, row.Year})
	}
	return m, slacks
}

// elastic solves the elastic model with the families in allow free and
// returns the relaxations and the rules relaxed; errNoRelaxation when
// relaxing those families does not restore a plan.
func elastic(ctx context.Context, inst *planner.Instance, allow map[string]bool) (relax, conflicts []string, err error) {
	sc := inst.Scenario
	m, slacks := elasticModel(inst, allow)
	res, err := cbc.Run(ctx, mps.FromMIP(m), cbc.Options{TimeLimit: elasticTimeLimit})
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
		case "county":
			add := math.Ceil(v*100-1e-6) / 100
			y := inst.Years[sl.t]
			relax = append(relax, fmt.Sprintf("raise the county's %d allocation of the province's pool from %.2f to %.2f mu (county_allocation: {%d: %.2f})", y, inst.CountyMu[sl.t], inst.CountyMu[sl.t]+add, y, inst.CountyMu[sl.t]+add))
			conflicts = append(conflicts, fmt.Sprintf("county allocation %d (%.2f mu) is %.2f mu short", y, inst.CountyMu[sl.t], add))
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
