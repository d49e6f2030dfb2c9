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

// LayerStore serves the difference between two scenarios' plans as
// RFC 7946 Features in CRS84, ordered by id: parks added, removed,
// re-specialised and re-timed (parcel polygons) and firms moved, entering
// or leaving parks (lines). Like FeatureStore, an answer carries at most
// the store's vertex bound (max_page_vertices): a page ends early
// (Truncated) and a single feature above the bound is ETOOLARGE.
type LayerStore interface {
	// DiffItems returns one page of the difference of a and b: the
	// features whose bounding box meets q.Bbox (CRS84; nil: all), from
	// q.Offset, at most q.Limit. Matched counts every match.
	DiffItems(ctx context.Context, a, b string, q ItemsQuery) (*FeaturePage, error)
	// DiffItem returns the feature of the difference with id fid, or ENOTFOUND.
	DiffItem(ctx context.Context, a, b, fid string) (json.RawMessage, error)
	// DiffExtent returns the bounding box (CRS84: west, south, east,
	// north) of the difference's features, nil when there are none.
	DiffExtent(ctx context.Context, a, b string) (*[4]float64, error)
}
