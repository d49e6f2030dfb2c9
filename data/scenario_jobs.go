package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// RunKey names one attempt of one run of a scenario: the fence a job
// worker holds. The scenario row takes progress, a plan or an end only
// from the attempt that started the run (StartAttempt), so a worker that
// was taken for dead and replaced by another attempt can never overwrite
// the run. The CLI and the store's own tests use attempt 0.
type RunKey struct {
	ID      string
	Run     int
	Attempt int
}

// Enqueuer queues the job of run of scenario id inside tx, the transaction
// that writes the run's queued status, and returns the job's id; an error
// rolls the whole request back (package jobs refuses a full queue here).
type Enqueuer func(ctx context.Context, tx *sql.Tx, id string, run int) (jobID int64, err error)

// JobCanceller cancels job jobID inside tx, the transaction that stores the
// run cancelled.
type JobCanceller func(ctx context.Context, tx *sql.Tx, jobID int64) error

// SQL of the job side of the scenario store; every value is a $n parameter.
const (
	sqlScenarioSetJob  = `UPDATE scenario SET job_id = $2 WHERE id = $1`
	sqlScenarioRequeue = `UPDATE scenario SET status = 'queued', error = $4, progress = NULL, started_at = NULL, updated_at = now()
WHERE id = $1 AND run = $2 AND attempt = $3 AND status = 'running'`
	sqlScenarioActive = `SELECT id, run, attempt, status, coalesce(job_id, 0), updated_at FROM scenario
WHERE status IN ('queued', 'running') ORDER BY id`
	sqlScenarioPosition = `SELECT count(*) FROM scenario s, scenario me
WHERE me.id = $1 AND me.status = 'queued' AND s.status = 'queued' AND (s.queued_at, s.id) <= (me.queued_at, me.id)`
)

// CreateScenarioJob saves sc under the id made from its name, queued as
// run 1, and calls enqueue (when not nil) in the same transaction: the
// scenario and its job exist together or not at all. A taken name or id
// is ECONFLICT.
func (s *ScenarioStore) CreateScenarioJob(ctx context.Context, sc *planner.Scenario, createdBy string, published bool, enqueue Enqueuer) (*planner.ScenarioRun, error) {
	id := ScenarioID(sc.Name)
	spec, err := json.Marshal(sc)
	if err != nil {
		return nil, planner.Errorf(planner.EINVALID, "scenario %q: %v", sc.Name, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqlScenarioInsert, id, sc.Name, spec, published, createdBy); err != nil {
		return nil, conflictError(err, id, sc.Name)
	}
	if err := setJob(ctx, tx, id, 1, enqueue); err != nil {
		return nil, err
	}
	run, err := scanScenario(tx.QueryRowContext(ctx, sqlScenarioByID, id), id)
	if err != nil {
		return nil, err
	}
	return run, tx.Commit()
}

// setJob calls enqueue for run of id inside tx and records the job's id.
func setJob(ctx context.Context, tx *sql.Tx, id string, run int, enqueue Enqueuer) error {
	if enqueue == nil {
		return nil
	}
	jobID, err := enqueue(ctx, tx, id, run)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, sqlScenarioSetJob, id, jobID)
	return err
}

// QueueRunJob queues a new run of a scenario that is not active, calls
// enqueue (when not nil) in the same transaction and returns the run's
// number; an active scenario is ECONFLICT.
func (s *ScenarioStore) QueueRunJob(ctx context.Context, id string, enqueue Enqueuer) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	cur, err := lockScenario(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	if cur.Status.Active() {
		return 0, planner.Errorf(planner.ECONFLICT, "scenario %q is %s already", id, cur.Status)
	}
	var run int
	if err := tx.QueryRowContext(ctx, sqlScenarioQueue, id).Scan(&run); err != nil {
		return 0, err
	}
	if err := setJob(ctx, tx, id, run, enqueue); err != nil {
		return 0, err
	}
	return run, tx.Commit()
}

// CancelRun stores scenario id's active run (queued or running, whatever
// its attempt) cancelled with msg and calls cancel (when not nil) with the
// run's job in the same transaction. No active run is ECONFLICT; an
// unknown id ENOTFOUND. The worker of a running solve sees the change at
// its next heartbeat and stops; whatever it sends after is refused.
func (s *ScenarioStore) CancelRun(ctx context.Context, id, msg string, cancel JobCanceller) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cur, err := lockScenario(ctx, tx, id)
	if err != nil {
		return err
	}
	if !cur.Status.Active() {
		return planner.Errorf(planner.ECONFLICT, "scenario %q has no queued or running run to cancel (status %s)", id, cur.Status)
	}
	if _, err := tx.ExecContext(ctx, sqlScenarioEnd, id, cur.Run, cur.Attempt, string(planner.JobCancelled), msg); err != nil {
		return err
	}
	if cancel != nil && cur.JobID != 0 {
		if err := cancel(ctx, tx, cur.JobID); err != nil {
			return fmt.Errorf("scenario %s: cancelling job %d: %w", id, cur.JobID, err)
		}
	}
	return tx.Commit()
}

// StartAttempt moves k's run from queued to running, held by k.Attempt.
// A run that is no longer queued (cancelled, deleted, re-queued, started
// by another attempt) is ECONFLICT, an unknown id too.
func (s *ScenarioStore) StartAttempt(ctx context.Context, k RunKey) error {
	return s.execRun(ctx, k, sqlScenarioStart, k.ID, k.Run, k.Attempt)
}

// Heartbeat tells whether k still holds its running run (ECONFLICT when
// not: cancelled, deleted, re-queued or ended) and records p, the solve's
// latest progress, when it is not nil.
func (s *ScenarioStore) Heartbeat(ctx context.Context, k RunKey, p *planner.Progress) error {
	var doc []byte
	if p != nil {
		var err error
		if doc, err = json.Marshal(newProgressDoc(*p)); err != nil {
			return err
		}
	}
	return s.execRun(ctx, k, sqlScenarioProgress, k.ID, k.Run, k.Attempt, doc)
}

// FinishAttempt saves k's plan, replacing the previous plan, and marks the
// run done, in one transaction, after the scenario row is locked and k
// checked to hold the running run (ECONFLICT when not). When the dataset
// was imported again since the run read it, the run is marked failed with
// the reason, the previous plan stays, and the error wraps
// planner.ErrDataChanged (code ECONFLICT).
func (s *ScenarioStore) FinishAttempt(ctx context.Context, k RunKey, plan *planner.Plan) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cur, err := lockScenario(ctx, tx, k.ID)
	if err != nil {
		return err
	}
	if cur.Run != k.Run || cur.Attempt != k.Attempt || cur.Status != planner.JobRunning {
		return staleRun(k.ID, k.Run)
	}
	if err := writePlan(ctx, tx, k.ID, plan); errors.Is(err, planner.ErrDataChanged) {
		// The run ends here, failed with the reason, and the previous plan
		// stays; the caller is told with the same error (ECONFLICT).
		if _, uerr := tx.ExecContext(ctx, sqlScenarioEnd, k.ID, k.Run, k.Attempt, string(planner.JobFailed), err.Error()); uerr != nil {
			return uerr
		}
		if cerr := tx.Commit(); cerr != nil {
			return cerr
		}
		return err
	} else if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.analyzePlanTables(ctx)
	return nil
}

// EndAttempt marks k's run failed or cancelled with msg — a queued run
// whatever the attempt, a running one only when k holds it; the previous
// plan, if any, stays as it was. A run that has ended or moved on is
// ECONFLICT.
func (s *ScenarioStore) EndAttempt(ctx context.Context, k RunKey, status planner.JobStatus, msg string) error {
	if status != planner.JobFailed && status != planner.JobCancelled {
		panic(fmt.Sprintf("data: EndAttempt with status %q", status))
	}
	return s.execRun(ctx, k, sqlScenarioEnd, k.ID, k.Run, k.Attempt, string(status), msg)
}

// RequeueAttempt hands k's running run back to the queue with msg (its
// worker stopped or was lost); its job runs it again as a new attempt.
func (s *ScenarioStore) RequeueAttempt(ctx context.Context, k RunKey, msg string) error {
	return s.execRun(ctx, k, sqlScenarioRequeue, k.ID, k.Run, k.Attempt, msg)
}

// execRun runs an UPDATE of k's run; no row changed is ECONFLICT.
func (s *ScenarioStore) execRun(ctx context.Context, k RunKey, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return staleRun(k.ID, k.Run)
	}
	return nil
}

// ActiveRun is a queued or running run, as ActiveRuns lists it.
type ActiveRun struct {
	RunKey
	Status    planner.JobStatus
	JobID     int64 // 0: queued before runs were jobs, or by nothing
	UpdatedAt time.Time
}

// ActiveRuns lists every queued or running run, by scenario id.
func (s *ScenarioStore) ActiveRuns(ctx context.Context) ([]ActiveRun, error) {
	rows, err := s.db.QueryContext(ctx, sqlScenarioActive)
	if err != nil {
		return nil, err
	}
	var out []ActiveRun
	for rows.Next() {
		var (
			a      ActiveRun
			status string
		)
		if err := rows.Scan(&a.ID, &a.Run, &a.Attempt, &status, &a.JobID, &a.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		a.Status = planner.JobStatus(status)
		out = append(out, a)
	}
	return out, closeRows(rows)
}

// QueuePosition returns the place of scenario id's queued run among the
// queued runs, oldest first (1: next); 0 when it is not queued.
func (s *ScenarioStore) QueuePosition(ctx context.Context, id string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, sqlScenarioPosition, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}
