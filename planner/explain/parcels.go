package explain

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// WhyParcels explains, for every parcel of ds (sorted by id), why plan —
// the plan of sc on ds — does or does not make it a park:
//
//   - chosen: what it contributes (firms, floor space, output, its part of
//     the objective and share of it), whether it is locked, and with
//     opts.ForceOut what leaving it out would cost;
//   - not chosen: every rule keeping it out, in planning words with the
//     figures — protected land (mu over the tolerance), lock_out, no
//     admissible specialty; and for a parcel the model admits: its town's
//     new-land quota by year against its mu, net of what the plan already
//     uses; the new-land cap; the budget by year; no firm in reach — then
//     the objective cost of forcing it in, from a re-solve (see Forced:
//     which figures are proven bounds and which plan differences). A
//     parcel no rule blocks is "worse".
//
// The re-solves are bounded by opts (per solve, in total, by count). plan
// must come from sc on ds (its scenario hash is checked) and have a plan
// (status optimal or feasible). The Report depends only on its inputs
// when every re-solve ends on its own or on opts.NodeLimit.
func WhyParcels(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario, plan *planner.Plan, solve SolveFunc, opts Options) (*Report, error) {
	if plan == nil || (plan.Solve.Status != planner.StatusOptimal && plan.Solve.Status != planner.StatusFeasible) {
		st := planner.SolveStatus("none")
		if plan != nil {
			st = plan.Solve.Status
		}
		return nil, planner.Errorf(planner.EINVALID, "explain: the scenario has no plan to explain (status %s)", st)
	}
	inst, err := planner.BuildInstance(ds, *sc)
	if err != nil {
		return nil, err
	}
	if h := planner.ScenarioHash(inst.Scenario, ds); plan.ScenarioHash != "" && plan.ScenarioHash != h {
		return nil, planner.Errorf(planner.EINVALID, "explain: the plan was made from another scenario or dataset (hash %.12s…, these inputs %.12s…)", plan.ScenarioHash, h)
	}
	c := newWhyCtx(ds, inst, plan)
	rep := &Report{
		Scenario: plan.Scenario, ScenarioHash: plan.ScenarioHash, Status: plan.Solve.Status,
		Objective: plan.Solve.Objective, Bound: plan.Solve.Bound, Gap: plan.Solve.Gap,
		Counts: map[Reason]int{},
	}
	parcels := append([]planner.Parcel(nil), ds.Parcels...)
	sort.Slice(parcels, func(i, j int) bool { return parcels[i].ID < parcels[j].ID })
	siteOf := map[string]int{}
	for s, site := range inst.Sites {
		siteOf[site.ParcelID] = s
	}
	parkOf := map[string]planner.Park{}
	for _, p := range plan.Parks {
		parkOf[p.ParcelID] = p
	}
	values := c.parkValues()
	b := newBudget(opts)
	for _, p := range parcels {
		w := ParcelWhy{ParcelID: p.ID, Town: p.Town, Kind: p.Kind, AreaMu: p.AreaMu}
		s, inModel := siteOf[p.ID]
		if park, ok := parkOf[p.ID]; ok {
			c.chosen(&w, park, values[p.ID])
			if opts.ForceOut && !opts.NoForce && !park.Locked {
				if w.Force, err = c.forceOut(ctx, solve, b, p.ID, c.removable(park), values[p.ID]); err != nil {
					return nil, err
				}
				w.Detail += "; " + forcedSummary(w.Force)
			}
		} else if !inModel {
			w.Verdict = NotChosen
			w.Blocks = c.droppedBlocks(p)
			if len(w.Blocks) == 0 { // a filter this package does not know: use the model's words
				w.Blocks = []Block{{Rule: ReasonExcluded, Detail: c.droppedReason(p.ID)}}
			}
		} else {
			w.Verdict = NotChosen
			w.Blocks = c.closedBlocks(s)
			if !opts.NoForce {
				if w.Force, err = c.forceIn(ctx, solve, b, s, canAdd(w.Blocks)); err != nil {
					return nil, err
				}
			}
		}
		if w.Verdict == NotChosen {
			c.mainReason(&w)
		}
		rep.Counts[w.Reason]++
		rep.Parcels = append(rep.Parcels, w)
	}
	rep.Solves = b.solves
	return rep, nil
}

func newWhyCtx(ds *planner.Dataset, inst *planner.Instance, plan *planner.Plan) *whyCtx {
	c := &whyCtx{ds: ds, inst: inst, sc: inst.Scenario, plan: plan, use: planUsage(inst, plan),
		towns: map[string]planner.Town{}, townIdx: map[string]int{}, excluded: map[string]bool{}}
	for _, t := range ds.Towns {
		c.towns[t.Code] = t
	}
	for i, code := range inst.Towns {
		c.townIdx[code] = i
	}
	for _, u := range inst.Excluded {
		switch u.Reason {
		case planner.ReasonBarredPollution, planner.ReasonLowScattered, planner.ReasonSafety,
			planner.ReasonMuClass, planner.ReasonOutputPerMu, planner.ReasonTaxPerMu:
			c.excluded[u.EnterpriseID] = true
		}
	}
	return c
}

func (c *whyCtx) droppedReason(id string) string {
	for _, d := range c.inst.Dropped {
		if d.ParcelID == id {
			return d.Reason
		}
	}
	return "left out of the model"
}

// parkValues is each park's part of the plan's objective: its fixed value
// (land and cost charges) plus the value of each firm placed there
// (docs/model.md, Value_a), recomputed from the dataset and the plan.
func (c *whyCtx) parkValues() map[string]float64 {
	w := c.sc.Weights
	out := map[string]float64{}
	for _, p := range c.plan.Parks {
		v := -w.Cost * p.CostWan
		if p.Kind == planner.KindNewLand {
			v -= w.LandMu * p.AreaMu
		}
		out[p.ParcelID] = v
	}
	firms := map[string]planner.Enterprise{}
	for _, e := range c.ds.Enterprises {
		firms[e.ID] = e
	}
	for _, a := range c.plan.Assignments {
		e := firms[a.EnterpriseID]
		out[a.ParcelID] += w.FloorM2*e.FloorM2 + w.Firms + w.Output*e.OutputPerMu*e.FloorM2/planner.MuM2 - w.DistanceKm*a.DistanceM/1000
	}
	return out
}

// chosen fills w for a park of the plan.
func (c *whyCtx) chosen(w *ParcelWhy, park planner.Park, value float64) {
	w.Verdict = Chosen
	k := &Contribution{OpenYear: park.OpenYear, Specialty: park.Specialty, Tier: park.Tier, Locked: park.Locked,
		Firms: park.Firms, FloorM2: park.FloorUsedM2, CapacityM2: park.CapacityM2, OutputWan: park.OutputWan, Objective: value}
	if obj := c.plan.Solve.Objective; obj != 0 {
		k.ObjectiveShare = value / obj
	}
	w.Park = k
	figures := fmt.Sprintf("opens %d with specialty %s; houses %d firms, %.0f of %.0f m²; %s of the objective (%.1f %%)",
		park.OpenYear, park.Specialty, park.Firms, park.FloorUsedM2, park.CapacityM2, num(value), 100*k.ObjectiveShare)
	switch {
	case park.Locked && park.Kind.Locked():
		w.Reason = ReasonLocked
		w.Detail = fmt.Sprintf("locked in (%s park); %s", strings.ReplaceAll(string(park.Kind), "_", " "), figures)
	case park.Locked:
		w.Reason = ReasonLocked
		w.Detail = "locked in by the scenario's lock_in; " + figures
	default:
		w.Reason = ReasonOptimal
		w.Detail = "chosen: " + figures
	}
	ti, ok := c.townIdx[park.Town]
	if ok && c.sc.EveryTown && park.OpenYear <= c.sc.TargetYear && c.use.parksByTarget[ti] == 1 {
		w.Notes = append(w.Notes, fmt.Sprintf("the only park of %s open by %d (every_town)", c.townName(park.Town), c.sc.TargetYear))
	}
	if park.Kind == planner.KindNewLand && ok {
		t := park.OpenYear - c.inst.Years[0]
		if t >= 0 && t < len(c.inst.Years) {
			w.Notes = append(w.Notes, fmt.Sprintf("uses %.1f of %s's %.1f mu new-land quota in %d",
				park.AreaMu, c.townName(park.Town), c.inst.QuotaMu[ti][t], park.OpenYear))
		}
	}
}

// mainReason picks a closed parcel's main reason: the first blocking rule
// in Reason order, else what the forced re-solve says.
func (c *whyCtx) mainReason(w *ParcelWhy) {
	order := []Reason{ReasonUnknownTown, ReasonLockedOut, ReasonProtected, ReasonNoSpecialty, ReasonExcluded,
		ReasonQuota, ReasonNewLandCap, ReasonBudget, ReasonNoCommonYear, ReasonNoFirms, ReasonInfeasible}
	for _, r := range order {
		var ds []string
		for _, b := range w.Blocks {
			if b.Rule == r {
				ds = append(ds, b.Detail)
			}
		}
		if len(ds) > 0 {
			w.Reason = r
			w.Detail = strings.Join(ds, "; ")
			break
		}
	}
	if w.Reason == "" {
		w.Reason = ReasonWorse
		w.Detail = "no rule keeps it out; the plan is better without it"
		if w.Force != nil && w.Force.Status == ForceInfeasible {
			w.Reason = ReasonInfeasible
			w.Detail = "no single rule blocks it next to this plan, but " + w.Force.Detail
			return
		}
	}
	if w.Force != nil {
		w.Detail += "; " + forcedSummary(w.Force)
	}
}

// canAdd reports whether none of blocks keeps a parcel from being added
// to the plan as it is (firms in reach do not matter: it may stay empty).
func canAdd(blocks []Block) bool {
	for _, b := range blocks {
		if b.Rule != ReasonNoFirms {
			return false
		}
	}
	return true
}
