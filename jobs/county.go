package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// kindCounty is the River kind of one county's solve in a province round.
const kindCounty = "parkplan_county"

// CountyArgs are a county task's job: the task itself (the county
// scenario with the round's allocation and prices set in it) and its
// place in the coordinator's call.
type CountyArgs struct {
	Batch string             `json:"batch"` // the SolveCounties call's id
	Index int                `json:"index"` // the task's place in the call
	Task  planner.CountyTask `json:"task"`
}

// Kind implements river.JobArgs.
func (CountyArgs) Kind() string { return kindCounty }

// DatasetSolver solves a scenario on a dataset already in memory (the
// engine's SolveDataset: a county's part of the province's dataset).
type DatasetSolver interface {
	SolveDataset(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario, progress func(planner.Progress)) (*planner.Plan, error)
}

// countyDataset returns county code's part of ds (its towns and what is
// theirs; ENOTFOUND for a county not in ds): the one place the worker
// cuts a county out of the province's dataset.
func countyDataset(ds *planner.Dataset, code string) (*planner.Dataset, error) {
	return ds.CountyDataset(code)
}

// sqlJobAttempt locks a job's row and reads its state and attempt: the
// fence of a county result (River's own completion checks the state, not
// the attempt).
const (
	sqlJobAttempt = `SELECT state, attempt FROM river_job WHERE id = $1 FOR UPDATE`
	sqlJobState   = `SELECT state, attempt FROM river_job WHERE id = $1`
)

// errFenced: the job is no longer held by this attempt (cancelled,
// rescued and running again elsewhere, or ended).
var errFenced = errors.New("the job is no longer this attempt's")

// fencedError is errFenced with the job's state and attempt as the fence
// found them.
type fencedError struct {
	job     int64
	state   string // "" when the job is gone
	attempt int    // the attempt that holds it now
	mine    int    // the attempt that was refused
}

func (e *fencedError) Error() string {
	if e.state == "" {
		return fmt.Sprintf("job %d is gone", e.job)
	}
	return fmt.Sprintf("job %d is %s at attempt %d, not running attempt %d", e.job, e.state, e.attempt, e.mine)
}
func (e *fencedError) Unwrap() error { return errFenced }

// successorRuns reports whether another attempt runs the job now (this
// worker was taken for lost and replaced).
func (e *fencedError) successorRuns() bool { return e.state == "running" && e.attempt != e.mine }

// errNoCounties: the runner was wired without a dataset solver.
var errNoCounties = errors.New("this worker solves no county tasks (no dataset solver)")

// countyFence is the fence of job's result: inside the result's
// transaction it locks the job's row, checks that the job is still
// running this attempt (errFenced when not) and completes it.
func countyFence(job *river.Job[CountyArgs]) data.JobFence {
	return func(ctx context.Context, tx *sql.Tx) error {
		var (
			state   string
			attempt int
		)
		if err := tx.QueryRowContext(ctx, sqlJobAttempt, job.ID).Scan(&state, &attempt); errors.Is(err, sql.ErrNoRows) {
			return &fencedError{job: job.ID, mine: job.Attempt}
		} else if err != nil {
			return err
		}
		if state != "running" || attempt != job.Attempt {
			return &fencedError{job: job.ID, state: state, attempt: attempt, mine: job.Attempt}
		}
		_, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
		return err
	}
}

// countyWorker works county tasks.
type countyWorker struct {
	river.WorkerDefaults[CountyArgs]
	r *Runner
}

// Timeout implements river.Worker: none; a county solve is bounded by its
// scenario's time or node limit and stops when its job is cancelled.
func (w *countyWorker) Timeout(*river.Job[CountyArgs]) time.Duration { return -1 }

// Work solves one county task and stores its result in the transaction
// that completes the job, fenced by the attempt. A solve that fails for
// reasons of the data or the scenario (infeasible, no plan in time, the
// dataset moved on, an invalid scenario) is a result with Err; a fault
// of the worker's surroundings (the database away) is the job's error,
// and River runs the task again.
func (w *countyWorker) Work(ctx context.Context, job *river.Job[CountyArgs]) error {
	r := w.r
	a := job.Args
	log := r.log.With("province", a.Task.Province, "round", a.Task.Round, "county", a.Task.County,
		"index", a.Index, "attempt", job.Attempt, "job", job.ID)
	lock, err := holdLiveness(ctx, r.deps.DB, job.ID, r.cfg.ProgressEvery)
	if errors.Is(err, errLockHeld) {
		log.Warn("county task held by another worker; trying later", "in", r.cfg.LostAfter)
		return river.JobSnooze(r.cfg.LostAfter)
	} else if err != nil {
		return err
	}
	defer lock.release()
	log.Info("county task started")

	res, err := r.solveCounty(ctx, a.Task)
	if res != nil {
		res.CountyJobKey = data.CountyJobKey{JobID: job.ID, Attempt: job.Attempt, Batch: a.Batch, Index: a.Index}
	}
	switch {
	case ctx.Err() != nil && r.stopping.Load():
		log.Info("county task handed back to the queue")
		return river.JobSnooze(0)
	case ctx.Err() != nil:
		log.Info("county task cancelled", "reason", context.Cause(ctx))
		return river.JobCancel(context.Cause(ctx))
	case err != nil:
		log.Warn("county task failed; River runs it again", "error", err)
		return err
	}
	return w.save(ctx, job, res, log)
}

// save stores res with the job's completion, retrying while the database
// is away (data.IsUnavailable) for up to SaveTimeout; after that, or on
// any other error, the job fails and River runs the task again.
func (w *countyWorker) save(ctx context.Context, job *river.Job[CountyArgs], res *data.CountyJobResult, log *slog.Logger) error {
	r := w.r
	res.Worker = r.river.ID()
	fence := countyFence(job)
	// The work context carries River's client (JobCompleteTx needs it);
	// a cancel after the solve ended does not drop its result.
	base := context.WithoutCancel(ctx)
	deadline := time.Now().Add(r.cfg.SaveTimeout)
	wait := 250 * time.Millisecond
	for {
		sctx, cancel := context.WithDeadline(base, deadline)
		err := r.counties.SaveCountyResult(sctx, res, fence)
		cancel()
		switch {
		case err == nil:
			log.Info("county task done", "worker", res.Worker, "error", res.Result.Err)
			return nil
		case errors.Is(err, errFenced) || planner.ErrorCode(err) == planner.ECONFLICT:
			// Another attempt holds the job (this worker was taken for
			// lost) or it ended: this result is dropped. River sets the
			// state of a job still running whatever attempt runs it, so
			// while a successor runs this worker waits for it to end
			// before it reports.
			log.Warn("county task result dropped", "reason", err)
			var fe *fencedError
			if errors.As(err, &fe) && fe.successorRuns() {
				r.awaitSuccessor(ctx, fe)
			}
			return fmt.Errorf("county result of attempt %d dropped: %w", job.Attempt, err)
		case !data.IsUnavailable(err) || time.Now().Add(wait).After(deadline) || r.life.Err() != nil:
			return fmt.Errorf("saving the county result: %w", err)
		case wait == 250*time.Millisecond:
			log.Warn("saving the county result: database unreachable; retrying", "error", err, "for", r.cfg.SaveTimeout)
		}
		time.Sleep(wait)
		wait = min(2*wait, 5*time.Second)
	}
}

// awaitSuccessor waits, reading the job's row every ProgressEvery, until
// the attempt that replaced this worker's no longer runs the job, or ctx
// ends (this worker stops).
func (r *Runner) awaitSuccessor(ctx context.Context, fe *fencedError) {
	t := time.NewTicker(r.cfg.ProgressEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var (
			state   string
			attempt int
		)
		err := r.deps.DB.QueryRowContext(ctx, sqlJobState, fe.job).Scan(&state, &attempt)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (state != "running" || attempt != fe.attempt) {
			return
		}
	}
}

// solveCounty solves task on the county's part of the dataset at the
// task's revision. A failure of the data or the scenario is in the
// result; err is a fault to retry (the dataset could not be read).
func (r *Runner) solveCounty(ctx context.Context, task planner.CountyTask) (*data.CountyJobResult, error) {
	res := &data.CountyJobResult{Province: task.Province, Revision: task.DatasetRevision,
		Result: planner.CountyResult{County: task.County, Round: task.Round}}
	if r.deps.Counties == nil || r.deps.Datasets == nil {
		return nil, errNoCounties
	}
	ds, err := r.countyData.load(ctx, r.deps.Datasets, task.DatasetRevision)
	if err != nil {
		return nil, err
	}
	if ds.Revision != task.DatasetRevision {
		res.DataChanged = true
		res.Result.Err = planner.DataChangedError("county "+task.County, task.DatasetRevision, ds.Revision).Error()
		return res, nil
	}
	cds, err := countyDataset(ds, task.County)
	if err != nil {
		res.Result.Err = err.Error()
		return res, nil
	}
	sc := task.Scenario
	plan, err := r.solveOn(ctx, cds, &sc)
	res.Result.Plan = plan
	if err != nil {
		res.Result.Err = err.Error()
	}
	return res, nil
}

// solveOn calls the dataset solver, turning a panic into an error.
func (r *Runner) solveOn(ctx context.Context, ds *planner.Dataset, sc *planner.Scenario) (plan *planner.Plan, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("county solver panicked", "scenario", sc.Name, "panic", p)
			plan, err = nil, fmt.Errorf("internal error in the solver: %v", p)
		}
	}()
	return r.deps.Counties.SolveDataset(ctx, ds, sc, nil)
}
