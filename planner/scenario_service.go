package planner

import (
	"context"
	"encoding/json"
	"time"
)

// JobStatus is where a scenario's latest run stands.
type JobStatus string

// Job statuses. A run goes queued → running → done | failed | cancelled;
// a run whose worker stopped or was lost goes back to queued and runs
// again as a new attempt (package jobs).
const (
	JobQueued    JobStatus = "queued"
	JobRunning   JobStatus = "running"
	JobDone      JobStatus = "done"
	JobFailed    JobStatus = "failed"
	JobCancelled JobStatus = "cancelled"
)

// Valid reports whether s is one of the five statuses.
func (s JobStatus) Valid() bool {
	switch s {
	case JobQueued, JobRunning, JobDone, JobFailed, JobCancelled:
		return true
	}
	return false
}

// Active reports whether a run in status s is waiting or working.
func (s JobStatus) Active() bool { return s == JobQueued || s == JobRunning }

// ScenarioInfo is a saved scenario's run record, beside ScenarioRecord's
// scenario, status and plan.
type ScenarioInfo struct {
	Published  bool      `json:"published"`   // readable by the public role
	CreatedBy  string    `json:"created_by"`  // name of the token that created it
	CreatedAt  time.Time `json:"created_at"`  // UTC
	UpdatedAt  time.Time `json:"updated_at"`  // UTC
	Run        int       `json:"run"`         // runs started so far; 0 for plans saved by the CLI
	QueuedAt   time.Time `json:"queued_at"`   // zero when never queued
	StartedAt  time.Time `json:"started_at"`  // zero when the latest run has not started
	FinishedAt time.Time `json:"finished_at"` // zero while the latest run is active
	Error      string    `json:"error"`       // why the latest run failed, or ""
	// Progress is the latest progress the running (or last) solve reported; nil before any.
	Progress *Progress `json:"progress"`
}

// ScenarioRun is a saved scenario with its run record.
type ScenarioRun struct {
	ScenarioRecord
	ScenarioInfo
}

// ScenarioFilter selects scenarios to list. Nil fields do not filter.
type ScenarioFilter struct {
	Status    *JobStatus
	Published *bool
}

// ScenarioRunStore is what the API's scenario jobs need from storage, on
// top of ScenarioStore. Every method is one transaction. run is the run
// number a job holds: a job's writes are refused (ECONFLICT) once the
// scenario has been re-queued, cancelled or deleted, so a stale run can
// never overwrite a newer one.
type ScenarioRunStore interface {
	ScenarioStore
	// CreateScenario saves sc under the id made from its name, queued as run 1.
	// A taken name or id is ECONFLICT.
	CreateScenario(ctx context.Context, sc *Scenario, createdBy string, published bool) (*ScenarioRun, error)
	// FindScenarioRun returns a scenario, its run record and its plan
	// without the row tables (Parks, Assignments, Unplaced nil).
	FindScenarioRun(ctx context.Context, id string) (*ScenarioRun, error)
	// ListScenarioRuns lists scenarios by id with their run records, plans without row tables.
	ListScenarioRuns(ctx context.Context, f ScenarioFilter) ([]ScenarioRun, error)
	// QueueRun queues a new run of a scenario that is not active and returns
	// its number; an active scenario is ECONFLICT.
	QueueRun(ctx context.Context, id string) (run int, err error)
	// StartRun moves run from queued to running.
	StartRun(ctx context.Context, id string, run int) error
	// SaveProgress records run's latest progress.
	SaveProgress(ctx context.Context, id string, run int, p Progress) error
	// FinishRun saves run's plan, replacing the previous plan, and marks it done.
	FinishRun(ctx context.Context, id string, run int, plan *Plan) error
	// EndRun marks run failed or cancelled with msg; the previous plan, if
	// any, stays as it was.
	EndRun(ctx context.Context, id string, run int, status JobStatus, msg string) error
	// SetPublished sets whether the public role may read the scenario.
	SetPublished(ctx context.Context, id string, published bool) error
}

// LayerStore encodes a scenario's difference layer as GeoJSON.
type LayerStore interface {
	// ScenarioDiff returns the features that differ between the plans of
	// scenarios a and b, as a JSON array of RFC 7946 Feature objects in
	// CRS84, ordered by id: parks added, removed, re-specialised and
	// re-timed (parcel polygons) and firms moved (lines from the park in a
	// to the park in b, or points when a firm enters or leaves every park).
	ScenarioDiff(ctx context.Context, a, b string) (features json.RawMessage, n int, err error)
}
