package jobs

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"

	"github.com/parkplan/parkplan/planner"
)

var _ planner.RunQueue = (*Runner)(nil)

// SQL on River's job table (River's documented schema, read only here:
// River's own calls write it). Every value is a $n parameter.
const (
	// sqlQueueLock serialises the queue-bound check of concurrent
	// enqueuers, on every server, until their transactions end.
	sqlQueueLock = `SELECT pg_advisory_xact_lock($1, $2)`
	// sqlWaiting counts the jobs people's requests queued ($2: the county
	// tasks of province rounds are not among them).
	sqlWaiting = `SELECT count(*) FROM river_job
WHERE queue = $1 AND kind <> $2 AND state IN ('available', 'scheduled', 'retryable', 'pending')`
)

// Advisory lock keys: the class is parkplan's jobs, the object the queue
// bound (0) or a running job (its id, see lockKey).
const (
	lockSpace    int32 = 0x70706a62 // "ppjb"
	queueLockKey int32 = 0
)

// enqueue inserts args' job in tx, the transaction that writes what the
// job is for, after checking the queue bound: a full queue is
// *planner.QueueFullError and rolls the caller's transaction back.
func (r *Runner) enqueue(ctx context.Context, tx *sql.Tx, args river.JobArgs, priority int) (int64, error) {
	if _, err := tx.ExecContext(ctx, sqlQueueLock, lockSpace, queueLockKey); err != nil {
		return 0, err
	}
	var waiting int
	if err := tx.QueryRowContext(ctx, sqlWaiting, queueName, kindCounty).Scan(&waiting); err != nil {
		return 0, err
	}
	if waiting >= r.cfg.Queue {
		return 0, &planner.QueueFullError{Waiting: waiting, Limit: r.cfg.Queue, RetryAfter: r.cfg.RetryAfter}
	}
	res, err := r.river.InsertTx(ctx, tx, args, &river.InsertOpts{Queue: queueName, Priority: priority, MaxAttempts: r.cfg.MaxAttempts})
	if err != nil {
		return 0, err
	}
	return res.Job.ID, nil
}

// enqueueSolve is the data.Enqueuer of scenario runs.
func (r *Runner) enqueueSolve(ctx context.Context, tx *sql.Tx, id string, run int) (int64, error) {
	return r.enqueue(ctx, tx, SolveArgs{ScenarioID: id, Run: run}, prioritySolve)
}

// CreateScenario implements planner.RunQueue.
func (r *Runner) CreateScenario(ctx context.Context, sc *planner.Scenario, createdBy string, published bool) (*planner.ScenarioRun, error) {
	return r.deps.Store.CreateScenarioJob(ctx, sc, createdBy, published, r.enqueueSolve)
}

// QueueRun implements planner.RunQueue.
func (r *Runner) QueueRun(ctx context.Context, id string) (int, error) {
	return r.deps.Store.QueueRunJob(ctx, id, r.enqueueSolve)
}

// CancelRun implements planner.RunQueue: the run is stored cancelled and
// its River job cancelled in one transaction.
func (r *Runner) CancelRun(ctx context.Context, id string) error {
	return r.deps.Store.CancelRun(ctx, id, planner.MsgCancelled, func(ctx context.Context, tx *sql.Tx, jobID int64) error {
		_, err := r.river.JobCancelTx(ctx, tx, jobID)
		if riverNotFound(err) {
			return nil // removed by River's cleaner: nothing to cancel
		}
		return err
	})
}

// QueuePosition implements planner.RunQueue.
func (r *Runner) QueuePosition(ctx context.Context, id string) (int, error) {
	return r.deps.Store.QueuePosition(ctx, id)
}
