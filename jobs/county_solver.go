package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// priorityCounty: a province round's county solves come after checks and
// scenario runs, which people wait on; a round waits on its slowest
// county anyway.
const priorityCounty = 3

// CountySolver is planner.CountySolver on the job engine: each task of a
// round is a River job (kind parkplan_county) on whichever worker — `parkplan
// worker`, `serve --workers N` — takes it, and a task whose worker dies is
// rescued and runs again (docs/scale-jobs.md). The coordinator (the
// process calling SolveCounties) needs no worker of its own: it learns
// the results from the database.
type CountySolver struct {
	r *Runner
}

var _ planner.CountySolver = (*CountySolver)(nil)

// NewCountySolver returns the county solver that queues on r's job
// engine; r need not work jobs itself (Config.Workers 0), but r.Start
// must have been called so that its reaper rescues the tasks of lost
// workers (any live process's reaper does).
func NewCountySolver(r *Runner) *CountySolver { return &CountySolver{r: r} }

// SolveCounties implements planner.CountySolver. It queues one job per
// task in one transaction, waits for every task's result (reading the
// results table and River's job rows every min(PollInterval, 250 ms)) and
// returns them in the tasks' order. A task that failed for reasons of its
// data or scenario is a result with Err. When a task found the dataset
// moved on, the error wraps planner.ErrDataChanged (the round is void).
// When a task's job ends without a result (discarded after MaxAttempts
// lost workers, or cancelled from elsewhere) the error names the county.
// When ctx ends, or on any error, the round's unfinished jobs are
// cancelled: a running task stops within River's cancel poll (2 s).
func (s *CountySolver) SolveCounties(ctx context.Context, tasks []planner.CountyTask) ([]planner.CountyResult, error) {
	if len(tasks) == 0 {
		return nil, nil
	}
	ids, err := s.enqueue(ctx, tasks)
	if err != nil {
		return nil, err
	}
	results, err := s.wait(ctx, tasks, ids)
	if err != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.r.cfg.SaveTimeout)
		defer cancel()
		if cerr := s.cancel(cctx, ids, results); cerr != nil {
			s.r.log.Error("cancelling a county round's jobs", "error", cerr)
		}
		return nil, err
	}
	out := make([]planner.CountyResult, len(tasks))
	for i, res := range results {
		out[i] = res.Result
	}
	return out, nil
}

// enqueue inserts the tasks' jobs in one transaction and returns their
// ids in the tasks' order. County jobs do not count against the queue
// bound (Config.Queue): that bound refuses people's requests, and a
// round is bounded by its counties.
func (s *CountySolver) enqueue(ctx context.Context, tasks []planner.CountyTask) ([]int64, error) {
	batch, err := newBatchID()
	if err != nil {
		return nil, err
	}
	opts := &river.InsertOpts{Queue: queueName, Priority: priorityCounty, MaxAttempts: s.r.cfg.MaxAttempts}
	params := make([]river.InsertManyParams, len(tasks))
	for i, t := range tasks {
		params[i] = river.InsertManyParams{Args: CountyArgs{Batch: batch, Index: i, Task: t}, InsertOpts: opts}
	}
	tx, err := s.r.deps.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := s.r.river.InsertManyTx(ctx, tx, params)
	if err != nil {
		return nil, fmt.Errorf("jobs: queueing %d county tasks: %w", len(tasks), err)
	}
	ids := make([]int64, len(tasks))
	for _, r := range res {
		var a CountyArgs
		if err := json.Unmarshal(r.Job.EncodedArgs, &a); err != nil || a.Batch != batch || a.Index < 0 || a.Index >= len(ids) {
			return nil, fmt.Errorf("jobs: county job %d's args do not name a task of this round (%v)", r.Job.ID, err)
		}
		ids[a.Index] = r.Job.ID
	}
	return ids, tx.Commit()
}

// wait polls until every task has its result; results[i] stays nil for
// a task without one when it returns an error.
func (s *CountySolver) wait(ctx context.Context, tasks []planner.CountyTask, ids []int64) ([]*data.CountyJobResult, error) {
	results := make([]*data.CountyJobResult, len(ids))
	exec := riverdatabasesql.New(s.r.deps.DB).GetExecutor()
	poll := time.NewTicker(min(s.r.cfg.PollInterval, 250*time.Millisecond))
	defer poll.Stop()
	for left := len(ids); ; {
		select {
		case <-ctx.Done():
			return results, fmt.Errorf("county round cancelled with %d of %d tasks unfinished: %w", left, len(ids), context.Cause(ctx))
		case <-poll.C:
		}
		var pending []int64
		at := map[int64]int{}
		for i, id := range ids {
			if results[i] == nil {
				pending = append(pending, id)
				at[id] = i
			}
		}
		// Jobs first, then results: a job read as ended has its result
		// (stored in the transaction that ended it) in the second read.
		jobs, err := exec.JobGetByIDMany(ctx, &riverdriver.JobGetByIDManyParams{ID: pending})
		if err != nil {
			if ctx.Err() != nil {
				continue
			}
			return results, err
		}
		got, err := s.r.counties.CountyResults(ctx, pending)
		if err != nil {
			if ctx.Err() != nil {
				continue
			}
			return results, err
		}
		for id, res := range got {
			results[at[id]] = res
			left--
		}
		for _, i := range at {
			if res := results[i]; res != nil && res.DataChanged {
				return results, fmt.Errorf("county %s: %s: %w", tasks[i].County, res.Result.Err, planner.ErrDataChanged)
			}
		}
		ended := map[int64]*rivertype.JobRow{}
		for _, j := range jobs {
			ended[j.ID] = j
		}
		for _, id := range pending {
			i := at[id]
			if results[i] != nil {
				continue
			}
			j := ended[id]
			if j == nil {
				return results, fmt.Errorf("county %s (task %d): its job %d is gone", tasks[i].County, i, id)
			}
			if j.State == rivertype.JobStateCompleted || j.State == rivertype.JobStateCancelled || j.State == rivertype.JobStateDiscarded {
				return results, fmt.Errorf("county %s (task %d): its job %d ended %s without a result: %s",
					tasks[i].County, i, id, j.State, lastError(j))
			}
		}
		if left == 0 {
			return results, nil
		}
	}
}

// cancel cancels, in one transaction, the jobs of the tasks without a
// result.
func (s *CountySolver) cancel(ctx context.Context, ids []int64, results []*data.CountyJobResult) error {
	tx, err := s.r.deps.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, id := range ids {
		if i < len(results) && results[i] != nil {
			continue
		}
		if _, err := s.r.river.JobCancelTx(ctx, tx, id); err != nil && !riverNotFound(err) {
			return fmt.Errorf("job %d: %w", id, err)
		}
	}
	return tx.Commit()
}

// lastError is a job's last recorded error.
func lastError(j *rivertype.JobRow) string {
	if n := len(j.Errors); n > 0 {
		return j.Errors[n-1].Error
	}
	return "no error recorded"
}

// newBatchID returns a fresh id for one SolveCounties call.
func newBatchID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("jobs: a batch id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
