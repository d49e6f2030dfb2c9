package data

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// jfloat is a float64 that survives JSON (and jsonb) when it is not finite:
// NaN and ±Inf are written as the strings "NaN", "Inf" and "-Inf".
type jfloat float64

// MarshalJSON implements json.Marshaler.
func (f jfloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"Inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *jfloat) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		x, err := strconv.ParseFloat(s, 64)
		*f = jfloat(x)
		return err
	}
	var x float64
	err := json.Unmarshal(b, &x)
	*f = jfloat(x)
	return err
}

// planDoc is the plan kept in scenario.plan: everything but the row
// tables, which live in plan_park, plan_assignment and plan_unplaced.
type planDoc struct {
	Scenario     string                `json:"scenario"`
	ScenarioHash string                `json:"scenario_hash"`
	Towns        []planner.TownSummary `json:"towns"`
	KPI          kpiDoc                `json:"kpi"`
	Solve        solveDoc              `json:"solve"`
	Explanation  *planner.Explanation  `json:"explanation,omitempty"`
	Warnings     []string              `json:"warnings,omitempty"`
}

// kpiDoc mirrors planner.KPIs with non-finite-safe numbers.
type kpiDoc struct {
	ParksByTarget    int    `json:"parks_by_target_year"`
	ParksTotal       int    `json:"parks_total"`
	TownsCovered     int    `json:"towns_covered"`
	NewLandParks     int    `json:"new_land_parks"`
	NewLandMu        jfloat `json:"new_land_mu"`
	OldFactoryMu     jfloat `json:"old_factory_mu"`
	LockedMu         jfloat `json:"locked_mu"`
	FirmsPlaced      int    `json:"firms_placed"`
	FloorPlacedM2    jfloat `json:"floor_placed_m2"`
	OutputPerMu      jfloat `json:"output_per_mu"`
	MeanRelocationKm jfloat `json:"mean_relocation_km"`
	MaxRelocationKm  jfloat `json:"max_relocation_km"`
	CostWan          jfloat `json:"cost_wan"`
}

// solveDoc mirrors planner.SolveInfo with non-finite-safe numbers.
type solveDoc struct {
	Solver    string              `json:"solver"`
	Status    planner.SolveStatus `json:"status"`
	Objective jfloat              `json:"objective"`
	Bound     jfloat              `json:"bound"`
	Gap       jfloat              `json:"gap"`
	Elapsed   time.Duration       `json:"elapsed_ns"`
	Nodes     int                 `json:"nodes"`
	Binding   []string            `json:"binding,omitempty"`
	PlanFrom  string              `json:"plan_from,omitempty"`
	BoundFrom string              `json:"bound_from,omitempty"`
}

func newPlanDoc(p *planner.Plan) planDoc {
	k, s := p.KPI, p.Solve
	return planDoc{
		Scenario: p.Scenario, ScenarioHash: p.ScenarioHash, Towns: p.Towns,
		KPI: kpiDoc{
			ParksByTarget: k.ParksByTarget, ParksTotal: k.ParksTotal, TownsCovered: k.TownsCovered,
			NewLandParks: k.NewLandParks, NewLandMu: jfloat(k.NewLandMu), OldFactoryMu: jfloat(k.OldFactoryMu),
			LockedMu: jfloat(k.LockedMu), FirmsPlaced: k.FirmsPlaced, FloorPlacedM2: jfloat(k.FloorPlacedM2),
			OutputPerMu: jfloat(k.OutputPerMu), MeanRelocationKm: jfloat(k.MeanRelocationKm),
			MaxRelocationKm: jfloat(k.MaxRelocationKm), CostWan: jfloat(k.CostWan),
		},
		Solve: solveDoc{
			Solver: s.Solver, Status: s.Status, Objective: jfloat(s.Objective), Bound: jfloat(s.Bound),
			Gap: jfloat(s.Gap), Elapsed: s.Elapsed, Nodes: s.Nodes, Binding: s.Binding,
			PlanFrom: s.PlanFrom, BoundFrom: s.BoundFrom,
		},
		Explanation: p.Explanation, Warnings: p.Warnings,
	}
}

func (d *planDoc) plan() *planner.Plan {
	k, s := d.KPI, d.Solve
	return &planner.Plan{
		Scenario: d.Scenario, ScenarioHash: d.ScenarioHash, Towns: d.Towns,
		KPI: planner.KPIs{
			ParksByTarget: k.ParksByTarget, ParksTotal: k.ParksTotal, TownsCovered: k.TownsCovered,
			NewLandParks: k.NewLandParks, NewLandMu: float64(k.NewLandMu), OldFactoryMu: float64(k.OldFactoryMu),
			LockedMu: float64(k.LockedMu), FirmsPlaced: k.FirmsPlaced, FloorPlacedM2: float64(k.FloorPlacedM2),
			OutputPerMu: float64(k.OutputPerMu), MeanRelocationKm: float64(k.MeanRelocationKm),
			MaxRelocationKm: float64(k.MaxRelocationKm), CostWan: float64(k.CostWan),
		},
		Solve: planner.SolveInfo{
			Solver: s.Solver, Status: s.Status, Objective: float64(s.Objective), Bound: float64(s.Bound),
			Gap: float64(s.Gap), Elapsed: s.Elapsed, Nodes: s.Nodes, Binding: s.Binding,
			PlanFrom: s.PlanFrom, BoundFrom: s.BoundFrom,
		},
		Explanation: d.Explanation, Warnings: d.Warnings,
	}
}

// progressDoc is the progress kept in scenario.progress.
type progressDoc struct {
	Incumbent jfloat        `json:"incumbent"`
	Bound     jfloat        `json:"bound"`
	Gap       jfloat        `json:"gap"`
	Nodes     int           `json:"nodes"`
	Elapsed   time.Duration `json:"elapsed_ns"`
}

func newProgressDoc(p planner.Progress) progressDoc {
	return progressDoc{Incumbent: jfloat(p.Incumbent), Bound: jfloat(p.Bound), Gap: jfloat(p.Gap),
		Nodes: p.Nodes, Elapsed: p.Elapsed}
}

func (d *progressDoc) progress() planner.Progress {
	return planner.Progress{Incumbent: float64(d.Incumbent), Bound: float64(d.Bound), Gap: float64(d.Gap),
		Nodes: d.Nodes, Elapsed: d.Elapsed}
}
