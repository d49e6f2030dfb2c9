package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/compliance/report"
)

// kindCheck is the River kind of a quota check that solves.
const kindCheck = "parkplan_check"

// checkTimeout bounds a check job on its worker; the client's request
// gives up sooner and cancels it.
const checkTimeout = 15 * time.Minute

// CheckFunc runs a check that solves and renders its report (wired by
// cmd/parkplan with the compliance checker on the worker's database).
type CheckFunc func(ctx context.Context, job *compliance.Job) (*report.Rendered, error)

// CheckArgs are a check's job.
type CheckArgs struct {
	Job compliance.Job `json:"job"`
}

// Kind implements river.JobArgs.
func (CheckArgs) Kind() string { return kindCheck }

// checkOutput is a check job's recorded output: the rendered report, or
// the error that refused the check, with its code and field.
type checkOutput struct {
	Report  *report.Rendered `json:"report,omitempty"`
	Code    string           `json:"code,omitempty"`
	Field   string           `json:"field,omitempty"`
	Message string           `json:"message,omitempty"`
	NoPlan  bool             `json:"no_plan,omitempty"` // planner.ErrNoPlan
}

// checkWorker works checks.
type checkWorker struct {
	river.WorkerDefaults[CheckArgs]
	r *Runner
}

// Timeout implements river.Worker.
func (w *checkWorker) Timeout(*river.Job[CheckArgs]) time.Duration { return checkTimeout }

// Work runs the check and records its report (or its error) as the job's
// output, for the server whose client waits on it.
func (w *checkWorker) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	r := w.r
	if r.deps.Check == nil {
		return errors.New("this worker has no checker")
	}
	lock, err := holdLiveness(ctx, r.deps.DB, job.ID, r.cfg.ProgressEvery)
	if err != nil {
		return err
	}
	defer lock.release()
	rendered, err := r.deps.Check(ctx, &job.Args.Job)
	if ctx.Err() != nil {
		return river.JobCancel(context.Cause(ctx)) // the client gave up, or this worker stops
	}
	out := checkOutput{Report: rendered}
	if err != nil {
		var pe *planner.Error
		switch {
		case errors.Is(err, planner.ErrNoPlan):
			out.NoPlan, out.Message = true, err.Error()
		case errors.As(err, &pe):
			out.Code, out.Field, out.Message = pe.Code, pe.Field, pe.Message
		default:
			return river.JobCancel(err) // a fault: the client gets 500, the log the cause
		}
	}
	return river.RecordOutput(ctx, out)
}

// RunCheck queues a check that solves (bounded like scenario runs: a full
// queue is *planner.QueueFullError), waits for a worker to run it and
// returns its rendered report. When ctx ends first the job is cancelled.
func (r *Runner) RunCheck(ctx context.Context, job *compliance.Job) (*report.Rendered, error) {
	tx, err := r.deps.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	id, err := r.enqueue(ctx, tx, CheckArgs{Job: *job}, priorityCheck)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	poll := time.NewTicker(min(r.cfg.PollInterval, 250*time.Millisecond))
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_, _ = r.river.JobCancel(cctx, id)
			cancel()
			return nil, ctx.Err()
		case <-poll.C:
		}
		row, err := r.river.JobGet(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				continue // cancelled above at the next turn
			}
			return nil, err
		}
		if done, rendered, err := checkResult(row); done {
			return rendered, err
		}
	}
}

// checkResult reads a finished check job's output; done is false while
// the job waits or runs.
func checkResult(row *rivertype.JobRow) (done bool, rendered *report.Rendered, err error) {
	switch row.State {
	case rivertype.JobStateCompleted:
	case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
		msg := "no error recorded"
		if n := len(row.Errors); n > 0 {
			msg = row.Errors[n-1].Error
		}
		return true, nil, fmt.Errorf("the check's job ended %s: %s", row.State, msg)
	default:
		return false, nil, nil
	}
	var out checkOutput
	if err := json.Unmarshal(row.Output(), &out); err != nil {
		return true, nil, fmt.Errorf("the check's job output: %w", err)
	}
	switch {
	case out.NoPlan:
		return true, nil, fmt.Errorf("%s: %w", out.Message, planner.ErrNoPlan)
	case out.Code != "":
		return true, nil, &planner.Error{Code: out.Code, Field: out.Field, Message: out.Message}
	case out.Report == nil:
		return true, nil, errors.New("the check's job recorded no report")
	}
	return true, out.Report, nil
}
