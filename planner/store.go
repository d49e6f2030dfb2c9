package planner

import "context"

// DatasetStore reads the county's land, quotas and firms.
type DatasetStore interface {
	// LoadDataset reads every layer, with protected-land overlaps computed.
	LoadDataset(ctx context.Context) (*Dataset, error)
}

// ScenarioRecord is a saved scenario with its latest plan.
type ScenarioRecord struct {
	ID       string // stable id (slug of the name)
	Scenario Scenario
	Status   string // queued | running | done | failed | cancelled
	Plan     *Plan  // nil until solved
	// DataRevision is the stored dataset's current revision, read with the
	// record: a plan whose DatasetRevision differs is stale (Stale).
	DataRevision int
}

// ScenarioStore keeps scenarios and their plans. SavePlan writes the
// scenario and its whole plan in one transaction.
type ScenarioStore interface {
	SavePlan(ctx context.Context, sc *Scenario, plan *Plan) (id string, err error)
	FindScenario(ctx context.Context, id string) (*ScenarioRecord, error)
	ListScenarios(ctx context.Context) ([]ScenarioRecord, error)
	DeleteScenario(ctx context.Context, id string) error
}
