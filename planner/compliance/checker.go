package compliance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// SpatialChecker computes parks' and proposed parcels' conflicts with
// protected land (data.ComplianceStore, in PostGIS). Neither method stores
// anything.
type SpatialChecker interface {
	// CheckStored checks parcels of the dataset by id, in that order.
	CheckStored(ctx context.Context, parcelIDs []string) ([]ParcelCheck, error)
	// CheckProposed checks uploaded parcels, in input order.
	CheckProposed(ctx context.Context, parcels []Proposed) ([]ParcelCheck, error)
}

// ScenarioFinder finds a saved scenario with its plan (data.ScenarioStore).
type ScenarioFinder interface {
	FindScenario(ctx context.Context, id string) (*planner.ScenarioRecord, error)
}

// ReportSaver keeps a report the caller asked to keep (data.ComplianceStore)
// and returns its id.
type ReportSaver interface {
	SaveReport(ctx context.Context, r *Report) (int64, error)
}

// DatasetSolveFunc solves sc on ds (engine.Engine.SolveDataset without progress).
type DatasetSolveFunc func(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario) (*planner.Plan, error)

// Checker runs the bureau's check on a saved scenario, a scenario document
// or an upload of proposed parcels. cmd/parkplan and api wire it with the
// data stores and the engine. Scenarios and Solve may be nil: the checks
// that need them then fail with EINVALID saying so.
type Checker struct {
	Datasets  planner.DatasetStore
	Spatial   SpatialChecker
	Scenarios ScenarioFinder
	Solve     DatasetSolveFunc
	// Saver keeps reports when Request.Save asks; nil refuses Save.
	Saver ReportSaver
}

// Request says what to check: one of ScenarioID, Scenario and Parcels,
// or Parcels with ScenarioID (proposals on top of a saved plan).
type Request struct {
	ScenarioID string            // a saved scenario: its latest plan is checked
	Scenario   *planner.Scenario // a scenario document: solved here, then checked
	// Parcels is an uploaded FeatureCollection of proposed parcels, named
	// ParcelsName in messages; checked against protected land, and against
	// the granted quotas for the years of the dataset's quota rows — on top
	// of the new land the saved plan ScenarioID already uses, when given.
	Parcels     io.Reader
	ParcelsName string
	// ToleranceMu: overlaps below it are slivers (DefaultToleranceMu when nil).
	ToleranceMu *float64
	// Marginal adds the marginal value of quota (re-solves; scenarios only);
	// QuotaIncrease adds the smallest quota increase when the scenario is
	// infeasible. Limits bounds both.
	Marginal      bool
	QuotaIncrease bool
	Limits        MarginalOptions
	// Save keeps the report (Report.SavedID); nothing is stored otherwise.
	Save bool
}

// Check runs req. Bad input (unknown scenario, unsolved scenario, invalid
// upload) is an *planner.Error (EINVALID / ENOTFOUND) naming what is wrong;
// the report itself says whether the plan or parcels comply (Report.Clean).
// An infeasible scenario document is no error: the report has no ledger
// rows, PlanStatus "infeasible", the plan's explanation and, when asked,
// the smallest quota increase. With req.Save the report is kept
// (Checker.Saver) and Report.SavedID and SavedAt set; nothing is stored otherwise.
func (c *Checker) Check(ctx context.Context, req Request) (*Report, error) {
	if req.Save && c.Saver == nil {
		return nil, planner.FieldErrorf("save", "reports cannot be kept here (no store)")
	}
	r, err := c.check(ctx, req)
	if err != nil || !req.Save {
		return r, err
	}
	r.SavedAt = time.Now().UTC().Truncate(time.Second)
	id, err := c.Saver.SaveReport(ctx, r)
	if err != nil {
		return nil, err
	}
	r.SavedID = id
	return r, nil
}

func (c *Checker) check(ctx context.Context, req Request) (r *Report, err error) {
	n := 0
	for _, set := range []bool{req.ScenarioID != "", req.Scenario != nil, req.Parcels != nil} {
		if set {
			n++
		}
	}
	onPlan := req.Parcels != nil && req.ScenarioID != "" && req.Scenario == nil
	if n != 1 && !onPlan {
		return nil, planner.FieldErrorf("check", "give one of a scenario id, a scenario document or a parcels FeatureCollection (or parcels with a scenario id)")
	}
	tol := DefaultToleranceMu
	if req.ToleranceMu != nil {
		tol = *req.ToleranceMu
	}
	if tol < 0 || math.IsNaN(tol) {
		return nil, planner.FieldErrorf("tolerance_mu", "is %g; a tolerance must be ≥ 0", tol)
	}
	ds, err := c.Datasets.LoadDataset(ctx)
	if err != nil {
		return nil, err
	}
	if req.Parcels != nil {
		return c.checkParcels(ctx, ds, req, tol)
	}
	var sc *planner.Scenario
	var plan *planner.Plan
	source := ""
	if req.ScenarioID != "" {
		p, rec, err := c.savedPlan(ctx, req.ScenarioID)
		if err != nil {
			return nil, err
		}
		sc, plan, source = &rec.Scenario, p, "scenario "+rec.ID
		// Every report on a saved plan says whether it is stale (built on
		// an older dataset revision than the one checked against).
		defer func() {
			if r != nil {
				r.Stale = planner.StaleNotice(p.DatasetRevision, ds.Revision)
			}
		}()
		if p.Solve.Status == planner.StatusInfeasible {
			return c.infeasibleReport(ctx, ds, sc, plan, source, tol, req)
		}
		if p.Solve.Status == planner.StatusNoPlan {
			return nil, planner.FieldErrorf("scenario", "scenario %q ended without a plan (no plan within its time limit): run it again with a longer time_limit", rec.ID)
		}
	} else {
		if c.Solve == nil {
			return nil, planner.FieldErrorf("scenario", "scenario documents cannot be checked here (no solver)")
		}
		sc, source = req.Scenario, "scenario document "+req.Scenario.Name
		plan, err = c.Solve(ctx, ds, sc)
		if ok, why := planFound(plan, err); !ok {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !errors.Is(err, planner.ErrInfeasible) && (plan == nil || plan.Solve.Status != planner.StatusInfeasible) {
				if err != nil && !errors.Is(err, planner.ErrNoPlan) {
					return nil, err
				}
				// Not bad input: the solver ran out of time (cmd: exit 3, api: 503).
				return nil, fmt.Errorf("scenario %s: %s (raise time_limit): %w", sc.Name, why, planner.ErrNoPlan)
			}
			return c.infeasibleReport(ctx, ds, sc, plan, source, tol, req)
		}
	}
	ids := make([]string, len(plan.Parks))
	for i, p := range plan.Parks {
		ids[i] = p.ParcelID
	}
	checks, err := c.Spatial.CheckStored(ctx, ids)
	if err != nil {
		if stale := planner.StaleNotice(plan.DatasetRevision, ds.Revision); stale != "" {
			// the parks' parcels went with a later import: say why first
			return nil, fmt.Errorf("%s: the plan is %s: %w", source, stale, err)
		}
		return nil, err
	}
	// A stored parcel's open year is the plan's, not the dataset's.
	for i := range checks {
		checks[i].OpenYear = plan.Parks[i].OpenYear
	}
	led := BuildLedger(plan, ds, sc)
	led.Notes = append(led.Notes, CompareWithPlan(led, plan)...)
	r = Assemble(source, led, checks, tol)
	r.Scenario, r.ScenarioHash = sc.Name, plan.ScenarioHash
	r.PlanStatus = string(plan.Solve.Status)
	r.Objective, r.Bound, r.Gap = plan.Solve.Objective, plan.Solve.Bound, plan.Solve.Gap
	kpi := plan.KPI
	r.PlanKPI = &kpi
	if req.Marginal && c.Solve != nil {
		solve := func(ctx context.Context, s *planner.Scenario) (*planner.Plan, error) { return c.Solve(ctx, ds, s) }
		mv, err := MarginalValues(ctx, solve, ds, sc, plan, req.Limits)
		if err != nil {
			return nil, err
		}
		r.Marginal = mv
	}
	return r, nil
}

// infeasibleReport is the report of a scenario with no plan: the
// explanation and, when asked, the smallest quota increase.
func (c *Checker) infeasibleReport(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario, plan *planner.Plan, source string, tol float64, req Request) (*Report, error) {
	led := LedgerOf(nil, ds, sc)
	r := Assemble(source, led, nil, tol)
	r.Scenario, r.PlanStatus = sc.Name, string(planner.StatusInfeasible)
	r.Clean = false
	if plan != nil {
		r.Explanation = plan.Explanation
	}
	if req.QuotaIncrease && c.Solve != nil {
		solve := func(ctx context.Context, s *planner.Scenario) (*planner.Plan, error) { return c.Solve(ctx, ds, s) }
		qi, err := SmallestQuotaIncrease(ctx, solve, ds, sc, req.Limits)
		if err != nil {
			return nil, err
		}
		r.QuotaIncrease = qi
	}
	return r, nil
}

// checkParcels checks an upload of proposed parcels.
func (c *Checker) checkParcels(ctx context.Context, ds *planner.Dataset, req Request, tol float64) (*Report, error) {
	name := req.ParcelsName
	if name == "" {
		name = "parcels"
	}
	towns := make(map[string]bool, len(ds.Towns))
	for _, t := range ds.Towns {
		towns[t.Code] = true
	}
	ps, err := ReadProposed(req.Parcels, name, towns)
	if err != nil {
		return nil, err
	}
	checks, err := c.Spatial.CheckProposed(ctx, ps)
	if err != nil {
		return nil, err
	}
	var land []ParkLand
	source := fmt.Sprintf("parcels %s (%d proposed)", name, len(ps))
	// Proposals alone are checked against the granted quotas as they stand,
	// for the years of the dataset's quota rows; on a saved plan, against
	// what the plan leaves of them, for the plan's years.
	sc := &planner.Scenario{}
	planRevision := 0
	if req.ScenarioID != "" {
		plan, rec, err := c.savedPlan(ctx, req.ScenarioID)
		if err != nil {
			return nil, err
		}
		land = PlanLand(plan)
		planRevision = plan.DatasetRevision
		inPlan := map[string]bool{}
		for _, p := range plan.Parks {
			inPlan[p.ParcelID] = true
		}
		for i, p := range ps {
			if inPlan[p.ID] {
				return nil, planner.FieldErrorf(fmt.Sprintf("%s: feature %d (id %s): properties.id", name, i, p.ID),
					"is already a park of scenario %s; give proposals ids of their own", rec.ID)
			}
		}
		sc = &planner.Scenario{FirstYear: rec.Scenario.FirstYear, LastYear: rec.Scenario.LastYear}
		source += " on scenario " + rec.ID
	}
	for _, p := range ps {
		land = append(land, ParkLand{ParcelID: p.ID, Town: p.Town, Kind: p.Kind, OpenYear: p.OpenYear, AreaMu: p.AreaMu})
	}
	led := LedgerOf(land, ds, sc)
	r := Assemble(source, led, checks, tol)
	if req.ScenarioID != "" {
		r.Stale = planner.StaleNotice(planRevision, ds.Revision)
	}
	return r, nil
}

// savedPlan finds a saved scenario and its plan.
func (c *Checker) savedPlan(ctx context.Context, id string) (*planner.Plan, *planner.ScenarioRecord, error) {
	if c.Scenarios == nil {
		return nil, nil, planner.FieldErrorf("scenario", "saved scenarios cannot be checked here (no scenario store)")
	}
	rec, err := c.Scenarios.FindScenario(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if rec.Plan == nil {
		return nil, nil, planner.FieldErrorf("scenario", "scenario %q has no plan yet (status %s): run it first", id, rec.Status)
	}
	return rec.Plan, rec, nil
}

// InvalidInput reports whether the report found invalid input geometry
// (bad input rather than a violation of the rules).
func (r *Report) InvalidInput() bool {
	for _, v := range r.Violations {
		if v.Kind == ViolationInvalidGeometry {
			return true
		}
	}
	return false
}
