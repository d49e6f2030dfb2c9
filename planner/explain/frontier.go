package explain

import (
	"context"
	"errors"
	"math"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// FrontierPoint is one plan on the frontier between two objectives.
type FrontierPoint struct {
	// X and Y are the plan's values of the two objectives (units of
	// Objective.Unit).
	X float64 `json:"x"`
	Y float64 `json:"y"`
	// WeightX and WeightY are the weights the plan was solved with (every
	// other weight 0), in planner.Weights units.
	WeightX float64 `json:"weight_x"`
	WeightY float64 `json:"weight_y"`
	// Objective, Bound and Gap are the weighted-sum solve's.
	Status    planner.SolveStatus `json:"status"`
	Objective float64             `json:"objective"`
	Bound     float64             `json:"bound"`
	Gap       float64             `json:"gap"`
	// ScenarioObjective is the plan's objective under the scenario's own
	// weights, to compare frontier plans with the scenario's plan.
	ScenarioObjective float64      `json:"scenario_objective"`
	Terms             Terms        `json:"terms"`
	KPI               planner.KPIs `json:"kpi"`
	// Parks are the plan's parks that are not locked, by parcel id.
	Parks []string `json:"parks"`
	// Plan is the plan itself (its objective under the point's weights).
	Plan *planner.Plan `json:"-"`
}

// FrontierResult is the frontier between two objectives of a scenario.
type FrontierResult struct {
	Scenario string    `json:"scenario"`
	X        Objective `json:"x"`
	Y        Objective `json:"y"`
	// Method is "weighted_sum": points are optimal plans of
	// WeightX·X ± WeightY·Y (see Frontier).
	Method string `json:"method"`
	// Complete is set when the search ended because every segment between
	// neighbouring points is proven (by the solves' bounds, within the gap
	// target) to hide no other supported point — not because the point
	// budget ran out or a solve stopped with a gap too wide to tell.
	Complete bool `json:"complete"`
	// Unproven counts segments closed because no plan beyond them was
	// found, though the solve's bound did not rule one out.
	Unproven int `json:"unproven"`
	Solves   int `json:"solves"`
	// Dominated counts plans found but dominated by another found plan
	// (possible when solves stop at a gap); they are left out of Points.
	Dominated int `json:"dominated"`
	// Failed counts solves that found no plan within their limit.
	Failed int `json:"failed"`
	// Points are non-dominated, by X ascending.
	Points []FrontierPoint `json:"points"`
}

// FrontierOptions bound Frontier's solves.
type FrontierOptions struct {
	// PerSolve is each solve's time limit; 0 keeps the scenario's.
	PerSolve time.Duration
	// NodeLimit, when positive, replaces the scenario's node limit (for
	// figures that do not depend on the machine's speed).
	NodeLimit int
}

// frontierWeightScale sizes the weighted objective: with each objective
// divided by its scale (≤ 1 in size) the weighted sum would be ≤ ~1, where
// the solvers' gap rule max(1, |objective|) would turn a relative gap
// target into an absolute one; 10⁴ keeps objectives in the range of the
// scenarios' own (10⁴–10⁵).
const frontierWeightScale = 1e4

// anchorTieBreak is the weight, relative to the main one, that the anchor
// solves put on the other objective, so that each anchor is a
// non-dominated plan (a strictly positive weighted sum's optimum is), not
// just one of the plans best in one objective.
const anchorTieBreak = 1e-3

// Frontier finds plans between objectives x and y of sc on ds — each the
// best plan for some weighting of the two (docs/explain.md). Method: weighted
// sums, searched dichotomically (Aneja and Nair): first the two anchors
// (x with a small tie-break weight on y, and the reverse), then for two
// neighbouring points p and q the weights normal to the segment pq; a
// plan beyond the segment is a new point and splits it, otherwise the
// segment is part of the frontier's convex hull and is closed. The
// longest open segment (objectives scaled to their size in the dataset)
// is searched first. Every weight other than x's and y's is 0; every rule
// of sc holds in every plan.
//
// The model has no row for a total of new land, distance, cost, firms or
// floor, so an ε-constraint ("best x with y ≤ ε") cannot be posed without
// changing the model: weighted sums find the supported points only — the
// corners of the frontier's convex hull. Plans in the hull's dents are not
// found; between two neighbouring points they may exist.
//
// It stops after `points` points, after 2·points solves, or when every
// segment is closed (Complete). ErrInfeasible is returned when the
// scenario has no plan.
func Frontier(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario, x, y Objective, points int, solve SolveFunc, opts FrontierOptions) (*FrontierResult, error) {
	if x == y {
		return nil, planner.FieldErrorf("y", "the two objectives must differ, both are %q", x)
	}
	for _, o := range []Objective{x, y} {
		if _, err := ParseObjective("objective", string(o)); err != nil {
			return nil, err
		}
	}
	if points < 2 {
		return nil, planner.FieldErrorf("points", "want at least 2 points, got %d", points)
	}
	base, err := planner.BuildInstance(ds, *sc)
	if err != nil {
		return nil, err
	}
	f := &frontier{ctx: ctx, ds: ds, sc: base.Scenario, x: x, y: y, solve: solve, opts: opts,
		sx: objectiveScale(base, x), sy: objectiveScale(base, y)}
	res := &FrontierResult{Scenario: base.Scenario.Name, X: x, Y: y, Method: "weighted_sum"}

	a, err := f.point(1, anchorTieBreak)
	if err != nil {
		return nil, err
	}
	b, err := f.point(anchorTieBreak, 1)
	if err != nil {
		return nil, err
	}
	found := []*frontierPlan{}
	for _, p := range []*frontierPlan{a, b} {
		if p != nil {
			found = append(found, p)
		}
	}
	type segment struct{ p, q *frontierPlan }
	var open []segment
	if a != nil && b != nil && !f.same(a, b) {
		open = append(open, segment{a, b})
	}
	res.Complete = a != nil && b != nil
	for len(open) > 0 {
		if len(found) >= points || f.solves >= 2*points {
			res.Complete = false
			break
		}
		// Longest segment first; ties by the first point's u (higher first).
		sort.SliceStable(open, func(i, j int) bool {
			li, lj := f.length(open[i].p, open[i].q), f.length(open[j].p, open[j].q)
			if li != lj {
				return li > lj
			}
			return open[i].p.u > open[j].p.u
		})
		s := open[0]
		open = open[1:]
		alpha, beta := s.q.v-s.p.v, s.p.u-s.q.u
		norm := alpha + beta
		r, err := f.point(alpha/norm, beta/norm) // weights normal to the segment
		if err != nil {
			return nil, err
		}
		if r == nil {
			res.Complete = false
			continue
		}
		wx, wy := alpha/norm, beta/norm
		line := wx*s.p.u + wy*s.p.v
		tol := closeTol * math.Max(1, math.Abs(line))
		if wx*r.u+wy*r.v <= line+tol || f.same(r, s.p) || f.same(r, s.q) {
			// No plan found beyond the segment. It is on the hull when the
			// solve's bound proves no plan lies beyond it either.
			if r.boundW > line+tol+r.gapTolW {
				res.Complete = false
				res.Unproven++
			}
			continue
		}
		found = append(found, r)
		open = append(open, segment{s.p, r}, segment{r, s.q})
	}
	res.Solves, res.Failed = f.solves, f.failed
	res.Points, res.Dominated = nonDominated(found)
	return res, nil
}

// frontier is one Frontier run.
type frontier struct {
	ctx    context.Context
	ds     *planner.Dataset
	sc     planner.Scenario
	x, y   Objective
	solve  SolveFunc
	opts   FrontierOptions
	sx, sy float64 // scales of x and y
	solves int
	failed int
}

// frontierPlan is a plan found with its scaled gains u (x) and v (y),
// higher is better.
type frontierPlan struct {
	pt   FrontierPoint
	u, v float64
	// boundW is the solve's proven bound on the scaled weighted sum
	// wx·u + wy·v it was solved for; gapTolW is the gap target's
	// allowance on it.
	boundW, gapTolW float64
}

// point solves with weights wx on x and wy on y (scaled by the
// objectives' sizes); nil when no plan was found in the limit.
func (f *frontier) point(wx, wy float64) (*frontierPlan, error) {
	sc := f.sc
	sc.Weights = planner.Weights{}
	*f.x.weight(&sc.Weights) = frontierWeightScale * wx / f.sx
	*f.y.weight(&sc.Weights) = frontierWeightScale * wy / f.sy
	if f.opts.PerSolve > 0 {
		sc.TimeLimit = planner.Duration{Duration: f.opts.PerSolve}
	}
	sc.GapTarget = resolveGap(sc.GapTarget)
	if f.opts.NodeLimit > 0 {
		sc.NodeLimit = f.opts.NodeLimit
	}
	inst, err := planner.BuildInstance(f.ds, sc)
	if err != nil {
		return nil, err
	}
	f.solves++
	sol, err := solveWithin(f.ctx, f.solve, inst, sc.TimeLimit.Duration)
	if err := f.ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case errors.Is(err, planner.ErrNoPlan):
		f.failed++
		return nil, nil
	case err != nil:
		return nil, err
	}
	plan, err := planner.DecodePlan(f.ds, inst, sol)
	if err != nil {
		return nil, err
	}
	t := PlanTerms(plan)
	pt := FrontierPoint{
		X: t.Value(f.x), Y: t.Value(f.y),
		WeightX: *f.x.weight(&sc.Weights), WeightY: *f.y.weight(&sc.Weights),
		Status: plan.Solve.Status, Objective: plan.Solve.Objective, Bound: plan.Solve.Bound, Gap: plan.Solve.Gap,
		ScenarioObjective: t.Weighted(f.sc.Weights), Terms: t, KPI: plan.KPI, Parks: []string{}, Plan: plan,
	}
	for _, p := range plan.Parks {
		if !p.Locked {
			pt.Parks = append(pt.Parks, p.ParcelID)
		}
	}
	return &frontierPlan{pt: pt, u: t.gain(f.x) / f.sx, v: t.gain(f.y) / f.sy,
		boundW:  plan.Solve.Bound / frontierWeightScale,
		gapTolW: sc.GapTarget * math.Max(1, math.Abs(plan.Solve.Objective)) / frontierWeightScale}, nil
}

// same reports whether two plans have the same x and y (to rounding).
func (f *frontier) same(a, b *frontierPlan) bool {
	return math.Abs(a.u-b.u) <= sameTol && math.Abs(a.v-b.v) <= sameTol
}

// closeTol is the relative slack of the segment test on scaled weighted
// sums (rounding in the objective, far below a firm or a mu).
const closeTol = 1e-9

// sameTol: scaled objective values closer than this are the same point
// (objectives are scaled to ≤ ~1, so this is far below a firm or a mu).
const sameTol = 1e-9

func (f *frontier) length(a, b *frontierPlan) float64 { return math.Hypot(a.u-b.u, a.v-b.v) }

// objectiveScale is the size of objective o in the instance: what it
// would be with every admissible firm housed at its farthest arc and
// every site open — only to put the two objectives on comparable scales.
func objectiveScale(inst *planner.Instance, o Objective) float64 {
	far := make([]float64, len(inst.Groups))
	for _, a := range inst.Arcs {
		far[a.Group] = math.Max(far[a.Group], a.DistanceKm)
	}
	s := 0.0
	for gi, g := range inst.Groups {
		n := float64(g.Count)
		switch o {
		case Firms:
			s += n
		case FloorM2:
			s += n * g.FloorM2
		case Output:
			s += n * g.OutputWan
		case DistanceKm:
			s += n * far[gi]
		}
	}
	for _, site := range inst.Sites {
		switch {
		case o == NewLandMu && site.Kind == planner.KindNewLand:
			s += site.AreaMu
		case o == Cost:
			s += site.CostWan
		}
	}
	if !(s > 0) {
		return 1
	}
	return s
}

// nonDominated returns the plans no other plan dominates (at least as good
// in both objectives, better in one), one per distinct (x, y), by X
// ascending, and how many were left out.
func nonDominated(found []*frontierPlan) ([]FrontierPoint, int) {
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].pt.X != found[j].pt.X {
			return found[i].pt.X < found[j].pt.X
		}
		return found[i].pt.Y < found[j].pt.Y
	})
	var out []FrontierPoint
	dropped := 0
	for i, p := range found {
		dominated := false
		for j, q := range found {
			if i == j {
				continue
			}
			geq := q.u >= p.u-sameTol && q.v >= p.v-sameTol
			better := q.u > p.u+sameTol || q.v > p.v+sameTol
			if geq && (better || j < i) { // equal points: keep the first
				dominated = true
				break
			}
		}
		if dominated {
			dropped++
			continue
		}
		out = append(out, p.pt)
	}
	if out == nil {
		out = []FrontierPoint{}
	}
	return out, dropped
}
