package compliance

import (
	"bytes"

	"github.com/parkplan/parkplan/planner"
)

// Job is a check that solves, as it travels through the job queue to a
// worker (package jobs): the Request with its upload as bytes, and the
// format the report is rendered in.
type Job struct {
	ScenarioID    string            `json:"scenario_id,omitempty"`
	Scenario      *planner.Scenario `json:"scenario,omitempty"`
	Parcels       []byte            `json:"parcels,omitempty"` // a FeatureCollection
	ParcelsName   string            `json:"parcels_name,omitempty"`
	ToleranceMu   *float64          `json:"tolerance_mu,omitempty"`
	Marginal      bool              `json:"marginal,omitempty"`
	QuotaIncrease bool              `json:"quota_increase,omitempty"`
	Limits        MarginalOptions   `json:"limits"`
	Save          bool              `json:"save,omitempty"`
	// Format and Table say how the report is rendered (report.Render).
	Format string `json:"format"`
	Table  string `json:"table,omitempty"`
}

// NeedsSolve reports whether req solves: a scenario document is solved,
// marginal values and the smallest quota increase re-solve.
func (req *Request) NeedsSolve() bool {
	return req.Scenario != nil || req.Marginal || req.QuotaIncrease
}

// Request returns the check j asks for.
func (j *Job) Request() Request {
	req := Request{ScenarioID: j.ScenarioID, Scenario: j.Scenario, ParcelsName: j.ParcelsName,
		ToleranceMu: j.ToleranceMu, Marginal: j.Marginal, QuotaIncrease: j.QuotaIncrease, Limits: j.Limits, Save: j.Save}
	if j.Parcels != nil {
		req.Parcels = bytes.NewReader(j.Parcels)
	}
	return req
}
