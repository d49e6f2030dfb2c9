package explain

import (
	"fmt"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// Objective names one term of the planner's weighted objective
// (planner.Weights), as used by Frontier.
type Objective string

// The six objective terms. Firms, FloorM2 and Output are maximised;
// NewLandMu, DistanceKm and Cost are minimised.
const (
	Firms      Objective = "firms"       // firms housed
	FloorM2    Objective = "floor_m2"    // floor space housed, m²
	Output     Objective = "output"      // yearly output of housed firms, 10,000 yuan
	NewLandMu  Objective = "new_land_mu" // new land opened as parks, mu
	DistanceKm Objective = "distance_km" // firm-km moved (town seat to park), km
	Cost       Objective = "cost"        // cost of the parks opened, 10,000 yuan
)

// Objectives lists every Objective in a fixed order.
var objectives = []Objective{Firms, FloorM2, Output, NewLandMu, DistanceKm, Cost}

// ParseObjective returns the Objective called name, or an EINVALID error
// naming field and the accepted names.
func ParseObjective(field, name string) (Objective, error) {
	for _, o := range objectives {
		if string(o) == name {
			return o, nil
		}
	}
	names := make([]string, len(objectives))
	for i, o := range objectives {
		names[i] = string(o)
	}
	return "", planner.FieldErrorf(field, "want one of %s, got %q", strings.Join(names, ", "), name)
}

// Maximised reports whether more of o is better (firms, floor, output).
func (o Objective) Maximised() bool { return o == Firms || o == FloorM2 || o == Output }

// Unit is o's unit, for tables and CSV headers.
func (o Objective) Unit() string {
	switch o {
	case Firms:
		return "firms"
	case FloorM2:
		return "m²"
	case Output:
		return "10,000 yuan/yr"
	case NewLandMu:
		return "mu"
	case DistanceKm:
		return "km"
	case Cost:
		return "10,000 yuan"
	}
	return ""
}

// weight returns a pointer to o's coefficient in w.
func (o Objective) weight(w *planner.Weights) *float64 {
	switch o {
	case Firms:
		return &w.Firms
	case FloorM2:
		return &w.FloorM2
	case Output:
		return &w.Output
	case NewLandMu:
		return &w.LandMu
	case DistanceKm:
		return &w.DistanceKm
	case Cost:
		return &w.Cost
	}
	panic(fmt.Sprintf("explain: unknown objective %q", string(o)))
}

// Terms are a plan's six objective terms, unweighted.
type Terms struct {
	Firms      float64 `json:"firms"`
	FloorM2    float64 `json:"floor_m2"`
	Output     float64 `json:"output"`
	NewLandMu  float64 `json:"new_land_mu"`
	DistanceKm float64 `json:"distance_km"`
	Cost       float64 `json:"cost"`
}

// PlanTerms measures a plan's six objective terms from its parks and
// assignments: the planner's objective is
// Σ weight·term (maximised terms) − Σ weight·term (minimised ones).
func PlanTerms(plan *planner.Plan) Terms {
	var t Terms
	for _, p := range plan.Parks {
		t.Firms += float64(p.Firms)
		t.FloorM2 += p.FloorUsedM2
		t.Output += p.OutputWan
		t.Cost += p.CostWan
		if p.Kind == planner.KindNewLand {
			t.NewLandMu += p.AreaMu
		}
	}
	for _, a := range plan.Assignments {
		t.DistanceKm += a.DistanceM / 1000
	}
	return t
}

// Value returns the term named o.
func (t Terms) Value(o Objective) float64 {
	switch o {
	case Firms:
		return t.Firms
	case FloorM2:
		return t.FloorM2
	case Output:
		return t.Output
	case NewLandMu:
		return t.NewLandMu
	case DistanceKm:
		return t.DistanceKm
	case Cost:
		return t.Cost
	}
	panic(fmt.Sprintf("explain: unknown objective %q", string(o)))
}

// Weighted is the planner's objective of terms t under weights w.
func (t Terms) Weighted(w planner.Weights) float64 {
	return w.Firms*t.Firms + w.FloorM2*t.FloorM2 + w.Output*t.Output -
		w.LandMu*t.NewLandMu - w.DistanceKm*t.DistanceKm - w.Cost*t.Cost
}

// gain is t's value of o in the "higher is better" direction.
func (t Terms) gain(o Objective) float64 {
	if o.Maximised() {
		return t.Value(o)
	}
	return -t.Value(o)
}
