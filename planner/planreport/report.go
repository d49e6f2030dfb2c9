// Package planreport is the plan report people file: one A4 document in
// Chinese with the map of the plan (drawn here as SVG), the parks by town
// with specialty, tier, year and figures, the quota ledger
// (planner/compliance), the rules checklist with the figures that meet
// each rule (planner/rules) and the solver's proof line — and a notice
// when the plan is stale. WriteHTML writes it as a print-ready HTML page
// (GET /scenarios/{id}/report); PrintPDF prints that page to PDF with
// headless Chromium (parkplan report --pdf). docs/report.md.
package planreport

import (
	"context"
	"sort"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/rules"
)

// Report is everything the plan report shows, assembled by Build.
type Report struct {
	ScenarioID string
	Scenario   planner.Scenario
	// Status is the scenario's run status (done, failed, …).
	Status string
	Plan   *planner.Plan
	// Generated is when the report was made (shown on every page).
	Generated time.Time
	// PlanRevision and DataRevision are the dataset revisions the plan was
	// built on and the store holds now; Stale says they differ.
	PlanRevision, DataRevision int
	Stale                      bool
	// Towns are the dataset's towns in code order, each with its parks.
	Towns []TownParks
	// Ledger is the quota ledger of compliance.BuildLedger (nil without a plan).
	Ledger *compliance.Ledger
	// Checklist is rules.Checklist of the plan (nil without parks).
	Checklist []rules.Line
	// Map is the plan drawn as an SVG document.
	Map string
	// Industries by code, for names.
	Industries map[string]planner.Industry
	ds         *planner.Dataset
}

// TownParks is one town's parks in the plan, in opening year then parcel order.
type TownParks struct {
	Town  planner.Town
	Parks []ParkLine
}

// ParkLine is one park of the plan with its parcel's name.
type ParkLine struct {
	planner.Park
	Name string // the parcel's name ("" when it has none)
}

// Build assembles the report of rec's plan on ds (the dataset as the
// store holds it now); now stamps it. rec must have a plan.
func Build(ds *planner.Dataset, rec *planner.ScenarioRecord, now time.Time) *Report {
	plan := rec.Plan
	r := &Report{ScenarioID: rec.ID, Scenario: rec.Scenario, Status: rec.Status, Plan: plan, Generated: now,
		PlanRevision: plan.DatasetRevision, DataRevision: ds.Revision, Industries: map[string]planner.Industry{}, ds: ds}
	r.Stale = planner.StaleNotice(plan.DatasetRevision, ds.Revision) != ""
	for _, in := range ds.Industries {
		r.Industries[in.Code] = in
	}
	names := map[string]string{}
	for _, p := range ds.Parcels {
		names[p.ID] = p.Name
	}
	byTown := map[string][]ParkLine{}
	for _, p := range plan.Parks {
		byTown[p.Town] = append(byTown[p.Town], ParkLine{Park: p, Name: names[p.ParcelID]})
	}
	towns := append([]planner.Town(nil), ds.Towns...)
	sort.SliceStable(towns, func(i, j int) bool { return towns[i].Code < towns[j].Code })
	known := map[string]bool{}
	for _, t := range towns {
		known[t.Code] = true
		r.Towns = append(r.Towns, TownParks{Town: t, Parks: sortParks(byTown[t.Code])})
	}
	// Parks of towns the data no longer has (a stale plan) are listed too.
	var lost []string
	for code := range byTown {
		if !known[code] {
			lost = append(lost, code)
		}
	}
	sort.Strings(lost)
	for _, code := range lost {
		r.Towns = append(r.Towns, TownParks{Town: planner.Town{Code: code}, Parks: sortParks(byTown[code])})
	}
	if plan.Solve.Status != planner.StatusInfeasible && plan.Solve.Status != planner.StatusNoPlan {
		led := compliance.BuildLedger(plan, ds, &rec.Scenario)
		led.Notes = append(led.Notes, compliance.CompareWithPlan(led, plan)...)
		r.Ledger = led
		r.Checklist = rules.Checklist(ds, rec.Scenario, plan)
	}
	r.Map = DrawMap(ds, plan, MapSize{WidthPx: mapWidthPx, HeightPx: mapHeightPx})
	return r
}

func sortParks(ps []ParkLine) []ParkLine {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].OpenYear != ps[j].OpenYear {
			return ps[i].OpenYear < ps[j].OpenYear
		}
		return ps[i].ParcelID < ps[j].ParcelID
	})
	return ps
}

// The map's size in CSS pixels: the width of an A4 page's text block
// (210 mm − 2 × 15 mm margins = 180 mm ≈ 680 px at 96 px/in); at most
// 500 px (132 mm) high, so the map fits below the summary on page one.
const (
	mapWidthPx  = 680
	mapHeightPx = 500
)

// ScenarioFinder finds a saved scenario with its plan (data.ScenarioStore).
type ScenarioFinder interface {
	FindScenario(ctx context.Context, id string) (*planner.ScenarioRecord, error)
}

// Builder makes the report of a saved scenario from the stores
// (cmd/parkplan wires data's; the API and the CLI use it alike).
type Builder struct {
	Datasets  planner.DatasetStore
	Scenarios ScenarioFinder
	// Now stamps reports; nil uses time.Now.
	Now func() time.Time
}

// Report builds the report of saved scenario id. An unknown id is the
// store's ENOTFOUND error; a scenario without a plan is EINVALID naming
// its status.
func (b *Builder) Report(ctx context.Context, id string) (*Report, error) {
	rec, err := b.Scenarios.FindScenario(ctx, id)
	if err != nil {
		return nil, err
	}
	if rec.Plan == nil {
		return nil, planner.FieldErrorf("scenario", "scenario %q has no plan yet (status %s): run it first", id, rec.Status)
	}
	ds, err := b.Datasets.LoadDataset(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	return Build(ds, rec, now()), nil
}
