package planner

import (
	"context"
	"fmt"
	"time"
)

// RunQueue queues scenario runs for the job workers, which may run in
// this process or on any machine that reaches the database (package jobs,
// docs/scale-jobs.md). Each method is one transaction with the scenario's run
// record: a run and its job are queued or cancelled together.
type RunQueue interface {
	// CreateScenario saves sc under the id made from its name and queues its
	// first run. A taken name is ECONFLICT; a full queue *QueueFullError,
	// and then nothing is saved.
	CreateScenario(ctx context.Context, sc *Scenario, createdBy string, published bool) (*ScenarioRun, error)
	// QueueRun queues a new run of scenario id and returns its number. An
	// active scenario is ECONFLICT, an unknown one ENOTFOUND, a full queue
	// *QueueFullError.
	QueueRun(ctx context.Context, id string) (run int, err error)
	// CancelRun stores scenario id's queued or running run cancelled at
	// once; a running solve stops at its worker's next heartbeat and can no
	// longer save anything. No active run is ECONFLICT.
	CancelRun(ctx context.Context, id string) error
	// QueuePosition is the place of scenario id's queued run among the
	// waiting runs (1: next); 0 when it is not queued.
	QueuePosition(ctx context.Context, id string) (int, error)
}

// QueueFullError refuses work when the job queue holds Limit waiting jobs
// already; the client should try again after RetryAfter.
type QueueFullError struct {
	Waiting, Limit int
	RetryAfter     time.Duration
}

func (e *QueueFullError) Error() string {
	return fmt.Sprintf("the job queue is full (%d jobs waiting, at most %d); try again later", e.Waiting, e.Limit)
}

// MsgCancelled is the error stored with a run cancelled by request.
const MsgCancelled = "cancelled by request"
