package rules

import (
	"math"

	"github.com/parkplan/parkplan/planner"
)

// Order lists every rule Check checks, in the order of docs/model.md,
// followed by RuleObjective: the order of a Checklist.
var Order = []string{
	planner.RuleOpenOnce, planner.RuleLocked, planner.RuleTargetParks, planner.RuleEveryTown,
	planner.RuleNewLandCap, planner.RuleQuota, planner.RuleBudget, planner.RuleCountyAllocation, planner.RulePlaceOnce,
	planner.RuleCapacity, planner.RuleLink, planner.RuleSpecialtyShare, planner.RuleSmallMicroShare,
	planner.RuleProtected, planner.RuleAdmission, planner.RuleMuAdmission, planner.RuleRelocation,
	planner.RuleTier, RuleObjective,
}

// RuleObjective is the rule name of Check's objective recomputation: the
// plan's objective must equal the one recomputed from the dataset.
const RuleObjective = "objective"

// Figure is the figure that meets (or breaks) a rule where the rule is
// tightest: the value measured for one subject against the scenario's
// limit. AtLeast says the rule asks Value ≥ Limit (otherwise Value ≤
// Limit). Units are the rule's: parks, towns, mu, 10,000 yuan, m², km,
// shares (0–1) or firms.
type Figure struct {
	Name    string  // what is measured, e.g. "parks_by_target_year", "new_land_mu"
	Subject string  // where the rule is tightest: a town/year, parcel, year …; "" for the county
	Value   float64 // the measured figure
	Limit   float64 // the scenario's limit
	AtLeast bool
	// Measured counts the subjects the figure was taken over (parks, towns, years …).
	Measured int
	slack    float64 // relative slack of the tightest subject (negative: broken)
}

// Line is one rule's line in a plan's checklist.
type Line struct {
	Rule string
	// Applies is false when the scenario switches the rule off (no cap,
	// no budget, every_town false …); the line then has no figures.
	Applies bool
	// Violations are Check's violations of this rule (nil: kept).
	Violations []Violation
	// Figures are the rule's tightest figures (none for rules that are
	// counts of faults, such as RulePlaceOnce).
	Figures []Figure
}

// Kept reports whether the plan keeps the rule.
func (l Line) Kept() bool { return len(l.Violations) == 0 }

// Checklist checks plan as Check does and returns one line per rule of
// Order, each with its violations and the figures that meet the rule
// where it is tightest. The figures are measured by the same code as
// the violations, so a figure beyond its limit always comes with a
// violation.
func Checklist(ds *planner.Dataset, sc planner.Scenario, plan *planner.Plan) []Line {
	c := newChecker(ds, sc, plan)
	c.figs = map[string]*Figure{}
	c.run()
	byRule := map[string][]Violation{}
	for _, v := range c.out {
		byRule[v.Rule] = append(byRule[v.Rule], v)
	}
	sc.Normalize()
	lines := make([]Line, len(Order))
	for i, rule := range Order {
		l := Line{Rule: rule, Applies: applies(rule, sc), Violations: byRule[rule]}
		for _, name := range figureOrder[rule] {
			if f := c.figs[name]; f != nil {
				l.Figures = append(l.Figures, *f)
			}
		}
		lines[i] = l
	}
	return lines
}

// figureOrder names the figures each rule's line carries, in order.
var figureOrder = map[string][]string{
	planner.RuleLocked:           {"locked_parks_open"},
	planner.RuleTargetParks:      {"parks_by_target_year"},
	planner.RuleEveryTown:        {"towns_with_park"},
	planner.RuleNewLandCap:       {"new_land_parks"},
	planner.RuleQuota:            {"new_land_mu"},
	planner.RuleBudget:           {"cost_wan"},
	planner.RuleCountyAllocation: {"county_new_land_mu"},
	planner.RuleCapacity:         {"floor_used_m2"},
	planner.RuleSpecialtyShare:   {"specialty_firm_share", "specialty_floor_share"},
	planner.RuleSmallMicroShare:  {"small_micro_share"},
	planner.RuleProtected:        {"farmland_mu", "redline_mu", "outside_boundary_mu"},
	planner.RuleRelocation:       {"relocation_km"},
	RuleObjective:                {"objective"},
}

// applies reports whether sc switches rule on.
func applies(rule string, sc planner.Scenario) bool {
	switch rule {
	case planner.RuleEveryTown:
		return sc.EveryTown
	case planner.RuleNewLandCap:
		return sc.MaxNewLandParks >= 0
	case planner.RuleBudget:
		return len(sc.Budget) > 0
	case planner.RuleCountyAllocation:
		return len(sc.CountyAllocation) > 0
	}
	return true
}

// measure records a figure of the checklist for subject; the figure
// named name keeps the subject with the least relative slack (ties
// within Tol: the one with the larger figure). It does
// nothing when Check runs without a checklist.
func (c *checker) measure(name, subject string, value, limit float64, atLeast bool) {
	if c.figs == nil {
		return
	}
	slack := (limit - value) / math.Max(1, math.Abs(limit))
	if atLeast {
		slack = -slack
	}
	f := c.figs[name]
	if f == nil {
		f = &Figure{Name: name, slack: math.Inf(1)}
		c.figs[name] = f
	}
	f.Measured++
	// On a tie the larger figure is the more telling (a quota used up
	// rather than a quota of 0 left unused).
	if slack < f.slack-Tol || slack <= f.slack+Tol && math.Abs(value) > math.Abs(f.Value) {
		f.Subject, f.Value, f.Limit, f.AtLeast, f.slack = subject, value, limit, atLeast, slack
	}
}
