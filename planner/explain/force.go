package explain

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// budget meters the re-solves of one WhyParcels run.
type budget struct {
	opts     Options
	deadline time.Time
	solves   int
}

func newBudget(opts Options) *budget {
	if opts.PerSolve <= 0 {
		opts.PerSolve = DefaultPerSolve
	}
	if opts.Total <= 0 {
		opts.Total = DefaultTotal
	}
	return &budget{opts: opts, deadline: time.Now().Add(opts.Total)}
}

// next returns the time limit of the next re-solve, or false when the
// budget is used up.
func (b *budget) next() (time.Duration, bool) {
	if b.opts.MaxSolves > 0 && b.solves >= b.opts.MaxSolves {
		return 0, false
	}
	left := time.Until(b.deadline)
	if left <= 0 {
		return 0, false
	}
	b.solves++
	return min(b.opts.PerSolve, left), true
}

// limited returns inst with the re-solve's limits in its scenario (the
// solvers read their limits there).
func (b *budget) limited(inst planner.Instance, limit time.Duration) *planner.Instance {
	inst.Scenario.TimeLimit = planner.Duration{Duration: limit}
	inst.Scenario.GapTarget = resolveGap(inst.Scenario.GapTarget)
	if b.opts.NodeLimit > 0 {
		inst.Scenario.NodeLimit = b.opts.NodeLimit
	}
	return &inst
}

// resolveTargetGap is the gap target of the re-solves (forced parcels,
// frontier points): their figures are differences between objectives, so
// a scenario's usual 1e-4 (a few units on a 10⁴ objective) could swamp
// them; a re-solve that cannot reach it stops at its time limit with its
// gap reported.
const resolveTargetGap = 1e-6

// resolveGap is the gap target of a re-solve of a scenario whose own is gt.
func resolveGap(gt float64) float64 {
	if gt <= 0 || gt > resolveTargetGap {
		return resolveTargetGap
	}
	return gt
}

// solveWithin runs solve under limit, with a context deadline a little
// past it as a safety net for a solver that overruns its own limit
// (cancelling returns its best plan so far).
func solveWithin(ctx context.Context, solve SolveFunc, inst *planner.Instance, limit time.Duration) (*planner.Solution, error) {
	cctx, cancel := context.WithTimeout(ctx, limit+max(time.Second, limit/2))
	defer cancel()
	return solve(cctx, inst, nil)
}

// forceBonus is the bonus M added to a site's fixed value to force it
// open: any plan with the site open then beats every plan without it.
// With U an upper bound on every plan's objective (each site's positive
// fixed value, each firm at its best arc) and L a lower bound on every
// plan's objective with the same sites open and no firm placed (plans with
// no firms keep every firm rule), M = U − L + margin makes the forced
// optimum F = (optimum with the bonus) − M whenever a plan with the site
// open exists. The margin exceeds the solver's gap tolerance on the
// bonus-inflated objective, so a solve stopping at its gap target still
// opens the site.
func forceBonus(inst *planner.Instance) (bonus, lower float64) {
	upper := 0.0
	for _, s := range inst.Sites {
		upper += math.Max(0, s.FixedValue)
		lower += math.Min(0, s.FixedValue)
	}
	best := make([]float64, len(inst.Groups))
	for _, a := range inst.Arcs {
		best[a.Group] = math.Max(best[a.Group], a.Value)
	}
	for g, v := range best {
		upper += v * float64(inst.Groups[g].Count)
	}
	span := upper - lower
	gap := math.Max(inst.Scenario.GapTarget, 1e-4)
	return span + 1 + 4*gap*(math.Abs(upper)+math.Abs(lower)+span), lower
}

// forceIn re-solves inst with site s forced open: the site gets the bonus
// M of forceBonus, the solution is decoded on the unchanged inst (so the
// forced plan's objective carries no bonus) and the solver's bound less M
// bounds every forced plan.
//
// canAdd says that no rule blocks adding s to the plan as it is (a year
// with room in quota and budget, the cap not reached): the plan plus s as
// an empty park then keeps every rule (no firm moves, so no firm rule
// changes), a forced plan whose objective is known without a solve —
// the plan's objective plus s's fixed value (its land and cost charges).
// It stands in for the re-solve's plan when that is worse or missing.
func (c *whyCtx) forceIn(ctx context.Context, solve SolveFunc, b *budget, s int, canAdd bool) (*Forced, error) {
	f := &Forced{Direction: "in"}
	limit, ok := b.next()
	if !ok {
		if canAdd {
			return c.addedAsIs(f, s, nil, "the re-solve budget was used up; the plan with it added as it is"), nil
		}
		f.Status = ForceNotEvaluated
		f.Detail = "the re-solve budget was used up"
		return f, nil
	}
	bonus, lower := forceBonus(c.inst)
	mod := *c.inst
	mod.Sites = append([]planner.Site(nil), c.inst.Sites...)
	mod.Sites[s].FixedValue += bonus
	sol, err := solveWithin(ctx, solve, b.limited(mod, limit), limit)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case errors.Is(err, planner.ErrNoPlan) && canAdd:
		return c.addedAsIs(f, s, nil, "the re-solve found no plan within its limit; the plan with it added as it is"), nil
	case errors.Is(err, planner.ErrNoPlan):
		f.Status, f.Detail = ForceNoPlan, "the re-solve found no plan within its limit"
		return f, nil
	case err != nil:
		f.Status, f.Detail = ForceFailed, err.Error()
		return f, nil
	}
	f.Nodes = sol.Info.Nodes
	bound := sol.Info.Bound - bonus
	if sol.Year[s] < 0 {
		// The solver's plan keeps the site closed: either no plan may open
		// it (proven when the bound is below every plan with it) or the
		// limit came first.
		switch {
		case canAdd:
			return c.addedAsIs(f, s, &bound, "the re-solve found no plan opening it; the plan with it added as it is"), nil
		case bound < lower-roomTol:
			f.Status, f.Detail = ForceInfeasible, "no plan keeps every rule with it open (proven by the solver's bound)"
			return f, nil
		}
		f.Status, f.Detail = ForceNoPlan, "the re-solve found no plan opening it within its limit"
		c.setBound(f, bound)
		return f, nil
	}
	if canAdd && c.plan.Solve.Objective+c.inst.Sites[s].FixedValue > c.objectiveOf(sol) {
		return c.addedAsIs(f, s, &bound, "the plan with it added as it is beats the re-solve's plan"), nil
	}
	return f, c.finishForced(f, sol, bound)
}

// objectiveOf is a solution's objective on the unchanged instance.
func (c *whyCtx) objectiveOf(sol *planner.Solution) float64 {
	v := 0.0
	for s, site := range c.inst.Sites {
		if sol.Year[s] >= 0 {
			v += site.FixedValue
		}
	}
	for a, arc := range c.inst.Arcs {
		v += arc.Value * float64(sol.Count[a])
	}
	return v
}

// addedAsIs fills f with the plan plus site s as an empty park (see
// forceIn); bound, when known, is the re-solve's bound on forced plans.
func (c *whyCtx) addedAsIs(f *Forced, s int, bound *float64, detail string) *Forced {
	f.Status, f.Detail, f.AddedAsIs = ForceSolved, detail, true
	f.Objective = c.plan.Solve.Objective + c.inst.Sites[s].FixedValue
	f.Opened, f.Closed = []string{c.inst.Sites[s].ParcelID}, nil
	if bound != nil {
		c.setBound(f, math.Max(*bound, f.Objective))
		f.Gap = planner.RelGap(*f.Bound, f.Objective)
	}
	c.settle(f, bound != nil)
	return f
}

// forceOut re-solves the scenario with parcel id added to lock_out.
//
// removable says that the plan without the park (its firms left out)
// keeps every rule — the target and every_town still met — so it is a
// plan without the park known without a solve, its objective the plan's
// less the park's part (value). It stands in for the re-solve's plan
// when that is worse or missing.
func (c *whyCtx) forceOut(ctx context.Context, solve SolveFunc, b *budget, id string, removable bool, value float64) (*Forced, error) {
	f := &Forced{Direction: "out"}
	asIs := func(bound *float64, detail string) *Forced {
		f.Status, f.Detail, f.AddedAsIs = ForceSolved, detail, true
		f.Objective = c.plan.Solve.Objective - value
		f.Opened, f.Closed = nil, []string{id}
		if bound != nil {
			c.setBound(f, math.Max(*bound, f.Objective))
			f.Gap = planner.RelGap(*f.Bound, f.Objective)
		}
		c.settle(f, bound != nil)
		return f
	}
	limit, ok := b.next()
	if !ok {
		if removable {
			return asIs(nil, "the re-solve budget was used up; the plan without it, its firms left out"), nil
		}
		f.Status, f.Detail = ForceNotEvaluated, "the re-solve budget was used up"
		return f, nil
	}
	sc := c.sc
	sc.LockOut = append(append([]string(nil), sc.LockOut...), id)
	inst, err := planner.BuildInstance(c.ds, sc)
	if err != nil {
		return nil, err
	}
	sol, err := solveWithin(ctx, solve, b.limited(*inst, limit), limit)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case err != nil && removable && (errors.Is(err, planner.ErrNoPlan) || errors.Is(err, planner.ErrInfeasible)):
		return asIs(nil, "the re-solve found no plan; the plan without it, its firms left out"), nil
	case errors.Is(err, planner.ErrInfeasible):
		f.Status, f.Detail = ForceInfeasible, "no plan keeps every rule without it"
		return f, nil
	case errors.Is(err, planner.ErrNoPlan):
		f.Status, f.Detail = ForceNoPlan, "the re-solve found no plan within its limit"
		return f, nil
	case err != nil:
		f.Status, f.Detail = ForceFailed, err.Error()
		return f, nil
	}
	f.Nodes = sol.Info.Nodes
	saved := c.inst
	c.inst = inst // decode on the instance the solution belongs to
	defer func() { c.inst = saved }()
	if removable && c.plan.Solve.Objective-value > c.objectiveOf(sol) {
		bound := sol.Info.Bound
		return asIs(&bound, "the plan without it, its firms left out, beats the re-solve's plan"), nil
	}
	return f, c.finishForced(f, sol, sol.Info.Bound)
}

// removable reports whether the plan without park p keeps the target and
// every_town (the only rules closing a park can break).
func (c *whyCtx) removable(p planner.Park) bool {
	if p.Locked {
		return false
	}
	if p.OpenYear > c.sc.TargetYear {
		return true
	}
	total := 0
	for _, n := range c.use.parksByTarget {
		total += n
	}
	if total-1 < c.sc.TargetParks {
		return false
	}
	ti, ok := c.townIdx[p.Town]
	return !c.sc.EveryTown || (ok && c.use.parksByTarget[ti] >= 2)
}

// finishForced fills f from a forced solution: the forced plan, its
// bound, the losses and the parks that change.
func (c *whyCtx) finishForced(f *Forced, sol *planner.Solution, bound float64) error {
	fp, err := planner.DecodePlan(c.ds, c.inst, sol)
	if err != nil {
		return err
	}
	f.Status = ForceSolved
	f.Objective = fp.Solve.Objective
	c.setBound(f, math.Max(bound, f.Objective))
	f.Gap = planner.RelGap(*f.Bound, f.Objective)
	c.settle(f, true)
	base := map[string]bool{}
	for _, p := range c.plan.Parks {
		base[p.ParcelID] = true
	}
	forced := map[string]bool{}
	for _, p := range fp.Parks {
		forced[p.ParcelID] = true
		if !base[p.ParcelID] {
			f.Opened = append(f.Opened, p.ParcelID)
		}
	}
	for _, p := range c.plan.Parks {
		if !forced[p.ParcelID] {
			f.Closed = append(f.Closed, p.ParcelID)
		}
	}
	return nil
}

// settle sets the loss figures of a forced plan of objective f.Objective
// (and, when hasBound, f.Bound and f.Gap already set).
func (c *whyCtx) settle(f *Forced, hasBound bool) {
	most := c.plan.Solve.Bound - f.Objective
	diff := c.plan.Solve.Objective - f.Objective
	f.LossAtMost, f.PlanDifference = &most, &diff
	tol := math.Max(c.sc.GapTarget, minExactGap)
	f.Exact = hasBound && f.Gap <= tol && c.plan.Solve.Gap <= tol
	f.WithinGap = !f.Exact && (f.LossAtLeast == nil || *f.LossAtLeast <= 0)
}

// setBound records the proven bound on forced plans and the proven
// least loss against the plan.
func (c *whyCtx) setBound(f *Forced, bound float64) {
	f.Bound = &bound
	least := c.plan.Solve.Objective - bound
	f.LossAtLeast = &least
}

// minExactGap is the relative gap under which both solves count as
// optimal for the Exact flag when the scenario's gap target is 0: the
// flag then means "optimal within the scenario's gap target", and the
// three loss figures agree within that gap.
const minExactGap = 1e-9

// forcedSummary says in words what forcing cost.
func forcedSummary(f *Forced) string {
	verb := "forcing it in"
	if f.Direction == "out" {
		verb = "leaving it out"
	}
	switch f.Status {
	case ForceInfeasible:
		if f.Direction == "out" {
			return "it is needed: " + f.Detail
		}
		return f.Detail
	case ForceSolved:
		if f.Exact {
			return fmt.Sprintf("%s costs %s of objective (both plans optimal within the gap target)%s", verb, num(*f.LossAtLeast), changes(f))
		}
		var s string
		if d := *f.PlanDifference; f.AddedAsIs && f.Direction == "out" {
			s = fmt.Sprintf("%s: the plan without it, its firms left out, is %s lower", verb, num(d))
		} else if f.AddedAsIs {
			s = fmt.Sprintf("%s: the plan with it added as an empty park (no firm moves) is %s lower, its land and cost charges", verb, num(d))
		} else if d >= 0 {
			s = fmt.Sprintf("%s: the best plan found is %s lower", verb, num(d))
		} else {
			s = fmt.Sprintf("%s: the best plan found is %s higher — the plan explained is not optimal", verb, num(-d))
		}
		if f.WithinGap {
			s += fmt.Sprintf("; the loss is proven at most %s, not proven above 0", num(math.Max(0, *f.LossAtMost)))
		} else {
			s += fmt.Sprintf("; proven loss between %s and %s", num(*f.LossAtLeast), num(*f.LossAtMost))
		}
		return s + changes(f)
	case ForceNoPlan:
		if f.LossAtLeast != nil && *f.LossAtLeast > 0 {
			return fmt.Sprintf("%s: no such plan found within the limit; proven at least %s lower", verb, num(*f.LossAtLeast))
		}
		return verb + ": " + f.Detail
	}
	return verb + ": " + f.Detail
}

// changes lists the parks a forced plan opens and closes (counts when
// more than maxListed).
func changes(f *Forced) string {
	list := func(ids []string) string {
		if len(ids) > maxListed {
			return fmt.Sprintf("%d parks", len(ids))
		}
		return strings.Join(ids, ", ")
	}
	s := ""
	if len(f.Opened) > 0 {
		s += "; opens " + list(f.Opened)
	}
	if len(f.Closed) > 0 {
		s += "; closes " + list(f.Closed)
	}
	return s
}

// maxListed is the most parcel ids a summary line names.
const maxListed = 4

// num formats an objective figure with 4 significant digits beyond the point as needed.
func num(v float64) string {
	if math.Abs(v) < 5e-7 {
		return "0"
	}
	return fmt.Sprintf("%.6g", v)
}
