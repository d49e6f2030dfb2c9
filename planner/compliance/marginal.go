package compliance

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// SolveFunc solves a scenario on a fixed dataset and returns its plan. It
// must not modify sc. No plan is reported either as an error wrapping
// planner.ErrInfeasible / planner.ErrNoPlan or as a plan whose
// Solve.Status says so. cmd and api pass a closure over the engine
// (planner/engine) and the loaded dataset.
type SolveFunc func(ctx context.Context, sc *planner.Scenario) (*planner.Plan, error)

// MarginalValue is what one town's quota is worth in one year: the
// objective gained when the town gets StepMu more mu of quota that year,
// per mu. Status says how the figure was obtained:
//
//	"solved"        re-solved with +StepMu (ObjectiveGain from the two plans)
//	"not_binding"   the quota cannot bind: even every unopened admissible
//	                new-land candidate of the town together fits (gain 0, no solve)
//	"no_candidate"  the town has no unopened admissible new-land candidate (gain 0, no solve)
//	"not_solved"    left out: the solve budget (MarginalOptions.MaxSolves) ran out
//	"failed"        the re-solve returned no plan (Detail says why)
type MarginalValue struct {
	Town          string   `json:"town"`
	NameZh        string   `json:"name_zh"`
	NameEn        string   `json:"name_en"`
	Year          int      `json:"year"`
	RemainingMu   float64  `json:"remaining_mu"` // quota slack in the base plan
	StepMu        float64  `json:"step_mu"`
	ObjectiveGain float64  `json:"objective_gain"`
	GainPerMu     float64  `json:"gain_per_mu"`
	Status        string   `json:"status"`
	OpenedParks   []string `json:"opened_parks,omitempty"` // parks in the +StepMu plan, not in the base plan
	// WithinGap is set when |ObjectiveGain| is below the two plans' proven
	// gaps, so the figure may be solver noise rather than quota value.
	WithinGap bool `json:"within_gap,omitempty"`
	// GainLow and GainHigh bound the true gain of the two optima from the
	// solvers' objectives and proven bounds: the optimum with more quota is
	// never below the optimum without, so the gain lies in
	// [max(0, objective′ − bound), bound′ − objective]. Equal to
	// ObjectiveGain when both solves are optimal.
	GainLow  float64 `json:"gain_low"`
	GainHigh float64 `json:"gain_high"`
	Detail   string  `json:"detail,omitempty"`
}

// MarginalOptions bound the work of MarginalValues and SmallestQuotaIncrease.
type MarginalOptions struct {
	// MaxSolves caps the re-solves (default 40).
	MaxSolves int
	// StepMu fixes the extra quota tried; 0 (default) tries, per town and
	// year, the smallest extra that lets one more candidate (or pair of
	// candidates) open: see MarginalValues.
	StepMu float64
	// TimeLimit, when > 0, replaces the scenario's time limit in every re-solve.
	TimeLimit time.Duration
}

// scenario returns a copy of sc with add added to its quota extras and
// the options' time limit.
func (o MarginalOptions) scenario(sc *planner.Scenario, add map[string]float64) *planner.Scenario {
	c := withExtra(sc, add)
	if o.TimeLimit > 0 {
		c.TimeLimit = planner.Duration{Duration: o.TimeLimit}
	}
	return c
}

const defaultMaxSolves = 40

func (o MarginalOptions) maxSolves() int {
	if o.MaxSolves <= 0 {
		return defaultMaxSolves
	}
	return o.MaxSolves
}

// MarginalValues measures, for every town and year of the ledger, how much
// the objective of base (the plan of sc on ds) would gain per extra mu of
// that town's quota in that year, by re-solving sc with quota_extra raised.
//
// Method: a park opens whole, so one extra mu alone rarely changes a plan;
// the step tried is the smallest extra that could let the town open more
// new land: the least positive shortfall (area − remaining quota) over the
// town's unopened admissible new-land candidates, singly or in pairs (with
// carry-over, remaining is the smallest slack of that year and the years
// after it). Towns and years where every candidate together fits get
// "not_binding" and gain 0 without a solve, towns with no candidate
// "no_candidate". The rest are re-solved cheapest step first, at most
// opts.MaxSolves times. Candidates are admissible when their overlap with
// protected land (ds.Overlaps) is within the scenario's tolerance and they
// are not locked out. Duals of the LP relaxation are not used: with whole
// parks they price the relaxation, not the plan.
func MarginalValues(ctx context.Context, solve SolveFunc, ds *planner.Dataset, sc *planner.Scenario, base *planner.Plan, opts MarginalOptions) ([]MarginalValue, error) {
	led := BuildLedger(base, ds, sc)
	cands := admissibleCandidates(ds, sc, base)
	var out []MarginalValue
	var jobs []int
	rowsByTown := map[string][]LedgerRow{}
	for _, r := range led.Rows {
		rowsByTown[r.Town] = append(rowsByTown[r.Town], r)
	}
	for _, r := range led.Rows {
		mv := MarginalValue{Town: r.Town, NameZh: r.NameZh, NameEn: r.NameEn, Year: r.Year, RemainingMu: r.RemainingMu}
		slack := r.RemainingMu
		if sc.QuotaCarryOver {
			for _, later := range rowsByTown[r.Town] {
				if later.Year >= r.Year {
					slack = math.Min(slack, later.RemainingMu)
				}
			}
		}
		mv.RemainingMu = slack
		areas := cands[r.Town]
		switch {
		case len(areas) == 0:
			mv.Status = "no_candidate"
		case opts.StepMu > 0:
			mv.StepMu = opts.StepMu
			jobs = append(jobs, len(out))
		default:
			step, ok := smallestShortfall(areas, slack)
			if !ok {
				mv.Status = "not_binding"
				break
			}
			mv.StepMu = step
			jobs = append(jobs, len(out))
		}
		out = append(out, mv)
	}
	sort.SliceStable(jobs, func(a, b int) bool { return out[jobs[a]].StepMu < out[jobs[b]].StepMu })
	baseParks := parkSet(base)
	for n, i := range jobs {
		mv := &out[i]
		if n >= opts.maxSolves() {
			mv.Status = "not_solved"
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		try := opts.scenario(sc, map[string]float64{QuotaKey(mv.Town, mv.Year): mv.StepMu})
		plan, err := solve(ctx, try)
		if ok, why := planFound(plan, err); !ok {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			mv.Status, mv.Detail = "failed", why
			continue
		}
		mv.Status = "solved"
		mv.ObjectiveGain = plan.Solve.Objective - base.Solve.Objective
		mv.GainPerMu = mv.ObjectiveGain / mv.StepMu
		gap := math.Max(math.Abs(base.Solve.Bound-base.Solve.Objective), math.Abs(plan.Solve.Bound-plan.Solve.Objective))
		mv.WithinGap = math.Abs(mv.ObjectiveGain) <= gap && gap > 0
		mv.GainLow = math.Max(0, plan.Solve.Objective-boundOf(base.Solve))
		mv.GainHigh = math.Max(mv.GainLow, boundOf(plan.Solve)-base.Solve.Objective)
		for _, p := range plan.Parks {
			if !baseParks[p.ParcelID] {
				mv.OpenedParks = append(mv.OpenedParks, p.ParcelID)
			}
		}
	}
	return out, nil
}

// boundOf is a solve's proven upper bound on the optimum (maximising);
// a bound below the objective (not reported) counts as the objective.
func boundOf(si planner.SolveInfo) float64 {
	if math.IsNaN(si.Bound) || si.Bound < si.Objective {
		return si.Objective
	}
	return si.Bound
}

// smallestShortfall returns the least positive (sum of areas − slack) over
// single candidates and pairs, and false when all candidates together fit
// (the quota cannot bind).
func smallestShortfall(areas []float64, slack float64) (float64, bool) {
	total := 0.0
	for _, a := range areas {
		total += a
	}
	if total <= slack+LedgerToleranceMu {
		return 0, false
	}
	best := math.Inf(1)
	consider := func(s float64) {
		if d := s - slack; d > LedgerToleranceMu && d < best {
			best = d
		}
	}
	for i, a := range areas {
		consider(a)
		for _, b := range areas[i+1:] {
			consider(a + b)
		}
	}
	if math.IsInf(best, 1) {
		consider(total)
	}
	return ceilMu(best), true
}

// admissibleCandidates returns, per town, the areas of new-land parcels not
// open in base, not locked out and within the protected-land tolerance.
func admissibleCandidates(ds *planner.Dataset, sc *planner.Scenario, base *planner.Plan) map[string][]float64 {
	open := parkSet(base)
	out := map[string]bool{}
	for _, id := range sc.LockOut {
		out[id] = true
	}
	tol := sc.ProtectedToleranceMu
	if tol == 0 {
		tol = DefaultToleranceMu
	}
	m := map[string][]float64{}
	for _, p := range ds.Parcels {
		if p.Kind != planner.KindNewLand || open[p.ID] || out[p.ID] {
			continue
		}
		if o, ok := ds.Overlaps[p.ID]; ok && (o.FarmlandMu >= tol || o.RedlineMu >= tol || o.OutsideBoundaryMu >= tol) {
			continue
		}
		m[p.Town] = append(m[p.Town], p.AreaMu)
	}
	for _, a := range m {
		sort.Float64s(a)
	}
	return m
}

func parkSet(p *planner.Plan) map[string]bool {
	s := map[string]bool{}
	if p != nil {
		for _, k := range p.Parks {
			s[k.ParcelID] = true
		}
	}
	return s
}

// withExtra returns a copy of sc whose QuotaExtra has add added (sc is not modified).
func withExtra(sc *planner.Scenario, add map[string]float64) *planner.Scenario {
	c := *sc
	c.QuotaExtra = make(map[string]float64, len(sc.QuotaExtra)+len(add))
	for k, v := range sc.QuotaExtra {
		c.QuotaExtra[k] = v
	}
	for k, v := range add {
		c.QuotaExtra[k] += v
	}
	return &c
}

// planFound reports whether a solve returned a plan, and if not, why.
func planFound(plan *planner.Plan, err error) (bool, string) {
	switch {
	case errors.Is(err, planner.ErrInfeasible):
		return false, "infeasible"
	case errors.Is(err, planner.ErrNoPlan):
		return false, "no plan within the time limit"
	case err != nil:
		return false, err.Error()
	case plan == nil:
		return false, "no plan"
	case plan.Solve.Status == planner.StatusInfeasible:
		return false, "infeasible"
	case plan.Solve.Status == planner.StatusNoPlan:
		return false, "no plan within the time limit"
	}
	return true, ""
}

// ceilMu rounds a positive area up to the next 0.001 mu, so an extra
// quota computed from float sums always covers the shortfall.
func ceilMu(x float64) float64 { return math.Ceil(x*1000-1e-6) / 1000 }

// QuotaExtraNeed is extra quota one town needs in one year, mu.
type QuotaExtraNeed struct {
	Town    string  `json:"town"`
	NameZh  string  `json:"name_zh"`
	Year    int     `json:"year"`
	ExtraMu float64 `json:"extra_mu"`
}

// QuotaIncrease is the answer of SmallestQuotaIncrease.
type QuotaIncrease struct {
	// Feasible: the extras below make the scenario feasible (false: quota
	// alone cannot, or the search ran out of solves; Detail says which).
	Feasible bool             `json:"feasible"`
	Extras   []QuotaExtraNeed `json:"extras"`
	TotalMu  float64          `json:"total_mu"`
	Solves   int              `json:"solves"`
	Method   string           `json:"method"`
	Detail   string           `json:"detail"`
	// Objective of the plan with the extras, when Feasible.
	Objective float64 `json:"objective,omitempty"`
}

// quotaIncreaseMethod documents the search in every report.
const quotaIncreaseMethod = "bisect a uniform extra added to every town and year with new-land candidates " +
	"(to 1 mu) for the least level that gives a plan, solving with new land heavily charged so the plan opens no " +
	"new land it does not need; that plan's over-quota amounts are the extras; then drop whole town-year extras " +
	"(after the target year first, then largest first) while the scenario stays feasible (1-minimal: no single " +
	"extra can be dropped; not a proven minimum of the total)"

// quotaSearchStepMu is the bisection's resolution, 1 mu: the level only
// steers the search; the extras reported are the witness plan's exact
// over-quota amounts (to 0.001 mu).
const quotaSearchStepMu = 1

// quotaSearchLandPenalty is added to the land weight (objective units per
// mu of new land) in the search's solves, which only ask whether a plan
// exists: at 1,000 a mu it outweighs everything a park can earn (a full
// 100-mu park houses firms worth a few thousand), so among feasible plans
// the solver returns one that opens the least new land, and the witness
// draws no quota it does not need. The objective reported comes from a last
// solve with the scenario's own weights.
const quotaSearchLandPenalty = 1000

// SmallestQuotaIncrease searches for the least extra quota (mu, by town and
// year) that makes sc feasible — e.g. a target of 22 parks by 2020 that the
// granted quotas cannot carry. Method (quotaIncreaseMethod): one solve with
// sc as it is (done when it is already feasible); one with every town's
// quota raised in every year by the largest town total of admissible
// new-land candidate area (if that has no plan, quota is not what blocks
// the target and Feasible is false); then a bisection, to
// quotaSearchStepMu, of that uniform level for the least one with a plan;
// that plan's over-quota amounts against sc's own quotas become the extras,
// which are then dropped one town-year at a time (years after the target
// year first, then the largest first), keeping each drop that stays
// feasible; a last solve with sc's weights gives the objective. The search
// solves only ask whether a plan exists, so they charge new land
// quotaSearchLandPenalty more per mu: the witness then opens no new land it
// does not need. At most opts.MaxSolves solves in all (about 10 for the
// bisection). The result is 1-minimal (no single extra can be dropped), not
// a proven minimum of the total: that would need the extras as variables
// of the model.
func SmallestQuotaIncrease(ctx context.Context, solve SolveFunc, ds *planner.Dataset, sc *planner.Scenario, opts MarginalOptions) (*QuotaIncrease, error) {
	res := &QuotaIncrease{Method: quotaIncreaseMethod, Extras: []QuotaExtraNeed{}}
	budget := opts.maxSolves()
	try := func(s *planner.Scenario) (*planner.Plan, bool, string, error) {
		res.Solves++
		plan, err := solve(ctx, s)
		if ctx.Err() != nil {
			return nil, false, "", ctx.Err()
		}
		ok, why := planFound(plan, err)
		return plan, ok, why, nil
	}
	plan, ok, why, err := try(opts.scenario(sc, nil))
	if err != nil {
		return nil, err
	}
	if ok {
		res.Feasible, res.Objective = true, plan.Solve.Objective
		res.Detail = "the scenario is feasible with the quotas it has: no increase needed"
		return res, nil
	}
	if why != "infeasible" {
		res.Detail = "the scenario as given ended without a plan (" + why + "); cannot tell whether quota blocks it"
		return res, nil
	}
	totals := map[string]float64{}
	for town, areas := range admissibleCandidates(ds, sc, nil) {
		for _, a := range areas {
			totals[town] += a
		}
	}
	if len(totals) == 0 {
		res.Detail = "no admissible new-land candidate anywhere: extra quota cannot help"
		return res, nil
	}
	years := ScenarioYears(ds, sc)
	uniform := func(level float64) *planner.Scenario {
		add := map[string]float64{}
		for town := range totals {
			for _, y := range years {
				add[QuotaKey(town, y)] = level
			}
		}
		return opts.scenario(sc, add)
	}
	hi := 0.0
	for _, t := range totals {
		hi = math.Max(hi, ceilMu(t))
	}
	frugal := func(s *planner.Scenario) *planner.Scenario {
		s.Weights.LandMu += quotaSearchLandPenalty
		return s
	}
	witness, ok, why, err := try(frugal(uniform(hi)))
	if err != nil {
		return nil, err
	}
	if !ok {
		res.Detail = "still " + why + " with every town's quota opened up: quota is not what blocks this scenario (see the plan's explanation)"
		return res, nil
	}
	// Bisect the uniform level: the least extra, the same in every town and
	// year, that makes a plan (feasibility only grows with the level).
	lo := 0.0
	for hi-lo > quotaSearchStepMu && res.Solves < budget-1 {
		mid := ceilMu((lo + hi) / 2)
		if mid >= hi {
			break
		}
		p, ok, _, err := try(frugal(uniform(mid)))
		if err != nil {
			return nil, err
		}
		if ok {
			hi, witness = mid, p
		} else {
			lo = mid
		}
	}
	need := map[townYear]float64{}
	led := BuildLedger(witness, ds, sc)
	for _, r := range led.Rows {
		if r.Over {
			need[townYear{r.Town, r.Year}] = ceilMu(r.OverMu)
		}
	}
	// Drop order: extras after the target year first (a target by that
	// year cannot need them), then the largest first.
	keys := make([]townYear, 0, len(need))
	for k := range need {
		keys = append(keys, k)
	}
	late := func(k townYear) bool { return sc.TargetYear > 0 && k.year > sc.TargetYear }
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if late(a) != late(b) {
			return late(a)
		}
		if need[a] != need[b] {
			return need[a] > need[b]
		}
		return a.less(b)
	})
	confirmed := false
	if res.Solves < budget {
		_, ok, _, err := try(frugal(opts.scenario(sc, extraMap(need))))
		if err != nil {
			return nil, err
		}
		confirmed = ok
	}
	if confirmed {
		for _, k := range keys {
			if res.Solves >= budget {
				break
			}
			fewer := make(map[townYear]float64, len(need))
			for kk, v := range need {
				if kk != k {
					fewer[kk] = v
				}
			}
			_, ok, _, err := try(frugal(opts.scenario(sc, extraMap(fewer))))
			if err != nil {
				return nil, err
			}
			if ok {
				need = fewer
			}
		}
	}
	towns := map[string]planner.Town{}
	for _, t := range ds.Towns {
		towns[t.Code] = t
	}
	for k, v := range need {
		res.Extras = append(res.Extras, QuotaExtraNeed{Town: k.town, NameZh: towns[k.town].NameZh, Year: k.year, ExtraMu: v})
		res.TotalMu += v
	}
	sort.Slice(res.Extras, func(i, j int) bool {
		if res.Extras[i].Town != res.Extras[j].Town {
			return res.Extras[i].Town < res.Extras[j].Town
		}
		return res.Extras[i].Year < res.Extras[j].Year
	})
	res.Feasible = true
	if confirmed && res.Solves < budget {
		// The plan with the extras under the scenario's own weights.
		p, ok, _, err := try(opts.scenario(sc, extraMap(need)))
		if err != nil {
			return nil, err
		}
		if ok {
			res.Objective = p.Solve.Objective
		}
	}
	if confirmed {
		res.Detail = fmt.Sprintf("feasible with %.3f mu of extra quota in %d town-years", res.TotalMu, len(res.Extras))
	} else {
		res.Detail = fmt.Sprintf("witness only (solve budget or time limit): a plan exists with %.3f mu of extra quota in %d town-years; not re-checked with exactly these extras", res.TotalMu, len(res.Extras))
	}
	return res, nil
}

// townYear keys a ledger row.
type townYear struct {
	town string
	year int
}

func (a townYear) less(b townYear) bool {
	if a.town != b.town {
		return a.town < b.town
	}
	return a.year < b.year
}

// extraMap turns town-year extras into Scenario.QuotaExtra keys.
func extraMap(m map[townYear]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[QuotaKey(k.town, k.year)] = v
	}
	return out
}
