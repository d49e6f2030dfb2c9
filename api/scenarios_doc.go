package api

import (
	"math"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// num is a float64 written as JSON null when it is NaN or infinite (a gap
// before the first plan, an incumbent before any), since JSON has no such numbers.
type num float64

// MarshalJSON implements json.Marshaler.
func (f num) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// scenarioList is the body of GET /scenarios.
type scenarioList struct {
	Scenarios []scenarioDoc `json:"scenarios"`
	Links     []link        `json:"links"`
}

// scenarioDoc is a scenario's status document (GET /scenarios/{id}).
type scenarioDoc struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Status    planner.JobStatus `json:"status"`
	Published bool              `json:"published"`
	CreatedBy string            `json:"created_by,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	// Run counts the runs started; QueuePosition is the run's place in the
	// queue (1 next) while queued.
	Run           int              `json:"run"`
	QueuePosition int              `json:"queue_position,omitempty"`
	QueuedAt      *time.Time       `json:"queued_at,omitempty"`
	StartedAt     *time.Time       `json:"started_at,omitempty"`
	FinishedAt    *time.Time       `json:"finished_at,omitempty"`
	Error         string           `json:"error,omitempty"`
	Progress      *progressDoc     `json:"progress"`
	Scenario      planner.Scenario `json:"scenario"`
	// Plan is the latest saved plan (kept while a new run is active, and
	// when a later run failed or was cancelled); null before the first.
	Plan *planDoc `json:"plan"`
	// DataRevision is the stored dataset's current revision (0 before any
	// import); Stale, when the plan was built on another revision, says so:
	// "stale: built on r12, the data is r13; re-run".
	DataRevision int    `json:"data_revision"`
	Stale        string `json:"stale,omitempty"`
	Links        []link `json:"links"`
}

// progressDoc is a solve's live progress (status document and SSE).
type progressDoc struct {
	Incumbent num     `json:"incumbent"` // objective of the best plan so far; null before any
	Bound     num     `json:"bound"`     // proven upper bound on the objective
	Gap       num     `json:"gap"`       // (bound − incumbent)/max(1, |incumbent|); null before a plan
	Nodes     int     `json:"nodes"`
	ElapsedS  float64 `json:"elapsed_s"` // seconds since the solve started
}

func newProgressDoc(p *planner.Progress) *progressDoc {
	if p == nil {
		return nil
	}
	return &progressDoc{Incumbent: num(p.Incumbent), Bound: num(p.Bound), Gap: num(p.Gap), Nodes: p.Nodes,
		ElapsedS: math.Round(p.Elapsed.Seconds()*1000) / 1000}
}

// planDoc is a plan in a status document.
type planDoc struct {
	ScenarioHash    string                `json:"scenario_hash"`
	DatasetRevision int                   `json:"dataset_revision"` // the dataset revision the plan was built on
	KPI             kpiDoc                `json:"kpi"`
	Solve           solveDoc              `json:"solve"`
	Explanation     *planner.Explanation  `json:"explanation,omitempty"`
	Warnings        []string              `json:"warnings,omitempty"`
	Towns           []planner.TownSummary `json:"towns"`
	// Parks, Assignments and Unplaced are present with ?plan=full.
	Parks       []planner.Park       `json:"parks,omitempty"`
	Assignments []planner.Assignment `json:"assignments,omitempty"`
	Unplaced    []planner.Unplaced   `json:"unplaced,omitempty"`
}

// kpiDoc is planner.KPIs with JSON-safe numbers.
type kpiDoc struct {
	ParksByTarget    int `json:"parks_by_target_year"`
	ParksTotal       int `json:"parks_total"`
	TownsCovered     int `json:"towns_covered"`
	NewLandParks     int `json:"new_land_parks"`
	NewLandMu        num `json:"new_land_mu"`
	OldFactoryMu     num `json:"old_factory_mu"`
	LockedMu         num `json:"locked_mu"`
	FirmsPlaced      int `json:"firms_placed"`
	FloorPlacedM2    num `json:"floor_placed_m2"`
	OutputPerMu      num `json:"output_per_mu"`
	MeanRelocationKm num `json:"mean_relocation_km"`
	MaxRelocationKm  num `json:"max_relocation_km"`
	CostWan          num `json:"cost_wan"`
}

// solveDoc is planner.SolveInfo with JSON-safe numbers and seconds.
type solveDoc struct {
	Solver    string              `json:"solver"`
	Status    planner.SolveStatus `json:"status"`
	Objective num                 `json:"objective"`
	Bound     num                 `json:"bound"`
	Gap       num                 `json:"gap"`
	ElapsedS  float64             `json:"elapsed_s"`
	Nodes     int                 `json:"nodes"`
	Binding   []string            `json:"binding,omitempty"`
}

func newKPIDoc(k planner.KPIs) kpiDoc {
	return kpiDoc{ParksByTarget: k.ParksByTarget, ParksTotal: k.ParksTotal, TownsCovered: k.TownsCovered,
		NewLandParks: k.NewLandParks, NewLandMu: num(k.NewLandMu), OldFactoryMu: num(k.OldFactoryMu),
		LockedMu: num(k.LockedMu), FirmsPlaced: k.FirmsPlaced, FloorPlacedM2: num(k.FloorPlacedM2),
		OutputPerMu: num(k.OutputPerMu), MeanRelocationKm: num(k.MeanRelocationKm),
		MaxRelocationKm: num(k.MaxRelocationKm), CostWan: num(k.CostWan)}
}

func newSolveDoc(s planner.SolveInfo) solveDoc {
	return solveDoc{Solver: s.Solver, Status: s.Status, Objective: num(s.Objective), Bound: num(s.Bound),
		Gap: num(s.Gap), ElapsedS: math.Round(s.Elapsed.Seconds()*1000) / 1000, Nodes: s.Nodes, Binding: s.Binding}
}

func newPlanDoc(p *planner.Plan, full bool) *planDoc {
	if p == nil {
		return nil
	}
	d := &planDoc{ScenarioHash: p.ScenarioHash, DatasetRevision: p.DatasetRevision, KPI: newKPIDoc(p.KPI), Solve: newSolveDoc(p.Solve),
		Explanation: p.Explanation, Warnings: p.Warnings, Towns: p.Towns}
	if full {
		d.Parks, d.Assignments, d.Unplaced = p.Parks, p.Assignments, p.Unplaced
	}
	return d
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// newScenarioDoc builds the status document of run; its progress is the
// one the run's worker stored last (every ProgressEvery).
func (s *Server) newScenarioDoc(base string, run *planner.ScenarioRun, full bool) scenarioDoc {
	d := scenarioDoc{
		ID: run.ID, Name: run.Scenario.Name, Status: planner.JobStatus(run.Status), Published: run.Published,
		CreatedBy: run.CreatedBy, CreatedAt: run.CreatedAt, UpdatedAt: run.UpdatedAt, Run: run.Run,
		QueuedAt: timePtr(run.QueuedAt), StartedAt: timePtr(run.StartedAt), FinishedAt: timePtr(run.FinishedAt),
		Error: run.Error, Progress: newProgressDoc(run.Progress), Scenario: run.Scenario,
		Plan: newPlanDoc(run.Plan, full), DataRevision: run.DataRevision, Stale: run.Stale(),
	}
	self := base + "/scenarios/" + run.ID
	d.Links = []link{
		{Href: self, Rel: "self", Type: "application/json", Title: "status document"},
		{Href: self + "/events", Rel: "monitor", Type: "text/event-stream", Title: "live progress (server-sent events)"},
		{Href: self + "/run", Rel: "run", Title: "POST: run again"},
		{Href: self + "/cancel", Rel: "cancel", Title: "POST: cancel the active run"},
	}
	if run.Plan != nil {
		for _, l := range scenarioLayers {
			d.Links = append(d.Links,
				link{Href: self + "/layers/" + l + ".geojson", Rel: "item", Type: "application/geo+json", Title: l + " (GeoJSON)"},
				link{Href: base + "/collections/" + run.ID + "." + l, Rel: "collection", Type: "application/json", Title: l + " (OGC API – Features)"})
		}
	}
	return d
}

// scenarioDocAt is newScenarioDoc with the queued run's place in the queue.
func (s *Server) scenarioDocAt(c echo.Context, base string, run *planner.ScenarioRun, full bool) scenarioDoc {
	d := s.newScenarioDoc(base, run, full)
	if d.Status == planner.JobQueued {
		d.QueuePosition = s.queuePosition(c.Request().Context(), run.ID)
	}
	return d
}
