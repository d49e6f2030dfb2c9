package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// The reaper runs in every process of the job queue. Every LostAfter/4 it
//
//   - finds running jobs whose liveness lock no session holds, and when one
//     stays so for LostAfter, takes its worker for lost: its run is queued
//     again as a new attempt (never two workers on one run: the row takes
//     writes only from the attempt that holds it), or failed with the
//     reason after MaxAttempts;
//   - deletes county task results older than countyRetention, every
//     countyPruneRounds rounds;
//   - finds queued or running runs whose job has ended without storing the
//     run's end (the database was away when the worker finished, or the
//     worker gave up), and fails them with the job's last error, so no run
//     stays active without a live worker (issue 10, finding 4).

// SQL of the reaper on River's job table and PostgreSQL's lock view.
const (
	// sqlRunningJobs: $2 (seconds) is the grace after a fetch in which the
	// worker reads the run and takes its lock: a loaded machine may need
	// seconds for it.
	sqlRunningJobs = `SELECT id, kind, attempt, max_attempts, attempted_at, args FROM river_job
WHERE queue = $1 AND state = 'running' AND attempted_at < now() - make_interval(secs => $2) ORDER BY id`
	sqlHeldLocks = `SELECT objid::bigint FROM pg_locks
WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objsubid = 2
AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`
)

// Messages stored with runs whose worker was lost.
const (
	msgLostRequeued     = "the worker of attempt %d was lost (killed, or cut off from the database); queued again as attempt %d of %d"
	msgLostFailed       = "the worker was lost on each of %d attempts (killed, or cut off from the database); run it again"
	msgLostCounty       = "the worker of attempt %d was lost (killed, or cut off from the database); county task queued again as attempt %d of %d"
	msgLostCountyFailed = "the worker was lost on each of %d attempts (killed, or cut off from the database); county task failed"
	msgNoJob            = "this run has no job in the queue (queued by an older parkplan); run it again"
	msgJobEnded         = "the run's job ended (%s) without storing the run's end: %s"
)

// County task results are kept countyRetention (River's own retention
// of completed jobs): a round's coordinator reads them as they come, and
// the county plans it keeps are saved as scenarios.
const (
	countyRetention   = 24 * time.Hour
	countyPruneRounds = 240 // every 10 minutes with the default lost_after
)

// reapLoop reaps until ctx ends.
func (r *Runner) reapLoop(ctx context.Context) {
	suspects := map[int64]time.Time{} // running jobs seen with no lock, since
	failing := false                  // the last round failed: log the next change only
	round := 0                        // runs with ended jobs are looked for every fourth round
	t := time.NewTicker(r.cfg.LostAfter / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := r.reapLost(ctx, suspects)
		if round++; err == nil && round%4 == 0 {
			err = r.reapEnded(ctx)
		}
		if err == nil && round%countyPruneRounds == 0 {
			var n int64
			if n, err = r.counties.PruneCountyResults(ctx, countyRetention); n > 0 {
				r.log.Info("reaper: pruned county task results", "deleted", n, "older_than", countyRetention)
			}
		}
		switch {
		case ctx.Err() != nil:
		case err != nil && !failing:
			r.log.Warn("reaper: database unreachable; retrying", "error", err)
		case err == nil && failing:
			r.log.Info("reaper: the database is back")
		}
		failing = err != nil
	}
}

// runningJob is a running River job as the reaper reads it.
type runningJob struct {
	id                   int64
	kind                 string
	attempt, maxAttempts int
	attemptedAt          time.Time
	args                 []byte
}

// reapLost rescues the running jobs whose liveness lock has been free for
// LostAfter.
func (r *Runner) reapLost(ctx context.Context, suspects map[int64]time.Time) error {
	held := map[int64]bool{}
	rows, err := r.deps.DB.QueryContext(ctx, sqlHeldLocks, int64(lockSpace))
	if err != nil {
		return err
	}
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		held[k] = true
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = r.deps.DB.QueryContext(ctx, sqlRunningJobs, queueName, r.cfg.LostAfter.Seconds())
	if err != nil {
		return err
	}
	var running []runningJob
	for rows.Next() {
		var j runningJob
		if err := rows.Scan(&j.id, &j.kind, &j.attempt, &j.maxAttempts, &j.attemptedAt, &j.args); err != nil {
			rows.Close()
			return err
		}
		running = append(running, j)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	now := time.Now()
	seen := map[int64]bool{}
	for _, j := range running {
		if held[int64(lockKey(j.id))] {
			continue
		}
		seen[j.id] = true
		since, ok := suspects[j.id]
		if !ok {
			suspects[j.id] = now
			continue
		}
		if now.Sub(since) < r.cfg.LostAfter {
			continue
		}
		delete(suspects, j.id)
		if err := r.rescue(ctx, j); err != nil {
			return fmt.Errorf("job %d: %w", j.id, err)
		}
	}
	for id := range suspects {
		if !seen[id] {
			delete(suspects, id)
		}
	}
	return nil
}

// rescue hands lost job j's run back to the queue, or fails it after its
// last attempt; then it moves the job itself (River's rescue query,
// limited to this attempt).
func (r *Runner) rescue(ctx context.Context, j runningJob) error {
	retry := j.attempt < j.maxAttempts
	log := r.log.With("job", j.id, "kind", j.kind, "attempt", j.attempt)
	var reason string
	switch j.kind {
	case kindSolve:
		var args SolveArgs
		if err := json.Unmarshal(j.args, &args); err != nil {
			return fmt.Errorf("reading its args: %w", err)
		}
		k := data.RunKey{ID: args.ScenarioID, Run: args.Run, Attempt: j.attempt}
		var err error
		if retry {
			reason = fmt.Sprintf(msgLostRequeued, j.attempt, j.attempt+1, j.maxAttempts)
			err = r.deps.Store.RequeueAttempt(ctx, k, reason)
		} else {
			reason = fmt.Sprintf(msgLostFailed, j.attempt)
			err = r.deps.Store.EndAttempt(ctx, k, planner.JobFailed, reason)
		}
		if err != nil && !errMoot(err) {
			return err
		}
		log = log.With("scenario", k.ID, "run", k.Run)
	case kindCounty:
		// A county task is a pure function of the dataset revision and its
		// scenario, and its result is stored only with its job's
		// completion: running it again is safe.
		if retry {
			reason = fmt.Sprintf(msgLostCounty, j.attempt, j.attempt+1, j.maxAttempts)
		} else {
			reason = fmt.Sprintf(msgLostCountyFailed, j.attempt)
		}
	default:
		// A check has a client waiting on it: a retry would come too late.
		retry = false
		reason = "the worker of this check was lost (killed, or cut off from the database)"
	}
	state := rivertype.JobStateAvailable
	if !retry {
		state = rivertype.JobStateDiscarded
	}
	if err := r.moveLostJob(ctx, j, state, reason); err != nil {
		return err
	}
	log.Warn("reaper: a worker was lost", "now", state, "reason", reason)
	return nil
}

// moveLostJob sets lost job j to state (available: run again now;
// discarded) with reason in its errors, only if it is still running the
// attempt the reaper saw.
func (r *Runner) moveLostJob(ctx context.Context, j runningJob, state rivertype.JobState, reason string) error {
	now := time.Now().UTC()
	errData, err := json.Marshal(rivertype.AttemptError{At: now, Attempt: j.attempt, Error: reason})
	if err != nil {
		return err
	}
	var finalized *time.Time
	if state == rivertype.JobStateDiscarded {
		finalized = &now
	}
	_, err = riverdatabasesql.New(r.deps.DB).GetExecutor().JobRescueMany(ctx, &riverdriver.JobRescueManyParams{
		ID: []int64{j.id}, Error: [][]byte{errData}, FinalizedAt: []*time.Time{finalized},
		ScheduledAt: []time.Time{now}, State: []string{string(state)},
		StuckHorizon: j.attemptedAt.Add(time.Microsecond), // this attempt only
	})
	return err
}

// reapEnded fails the active runs whose job has ended (or is gone), and
// queues again a running run whose job is waiting for a worker. Two
// queries a round, whatever the number of runs: the active runs, then
// their jobs.
func (r *Runner) reapEnded(ctx context.Context) error {
	runs, err := r.deps.Store.ActiveRuns(ctx)
	if err != nil {
		return err
	}
	var ids []int64
	for _, a := range runs {
		if a.JobID != 0 {
			ids = append(ids, a.JobID)
		}
	}
	jobs := map[int64]*rivertype.JobRow{}
	if len(ids) > 0 {
		rows, err := riverdatabasesql.New(r.deps.DB).GetExecutor().JobGetByIDMany(ctx, &riverdriver.JobGetByIDManyParams{ID: ids})
		if err != nil {
			return err
		}
		for _, j := range rows {
			jobs[j.ID] = j
		}
	}
	for _, a := range runs {
		if time.Since(a.UpdatedAt) < r.cfg.LostAfter {
			continue // just queued or started: its job is being written or fetched
		}
		msg, requeue := settlement(a, jobs[a.JobID])
		if msg == "" {
			continue
		}
		if requeue {
			err = r.deps.Store.RequeueAttempt(ctx, a.RunKey, msg)
		} else {
			err = r.deps.Store.EndAttempt(ctx, a.RunKey, planner.JobFailed, msg)
		}
		if err != nil && !errMoot(err) {
			return err
		}
		if err == nil {
			r.log.Warn("reaper: settled a run left active", "scenario", a.ID, "run", a.Run, "requeued", requeue, "reason", msg)
		}
	}
	return nil
}

// settlement says what to do with active run a whose job is job (nil:
// none, or gone): nothing (""), fail it with msg, or (requeue) queue it
// again with msg.
func settlement(a data.ActiveRun, job *rivertype.JobRow) (msg string, requeue bool) {
	switch {
	case a.JobID == 0:
		return msgNoJob, false
	case job == nil:
		return fmt.Sprintf(msgJobEnded, "removed", "no error recorded"), false
	case job.State == rivertype.JobStateCompleted || job.State == rivertype.JobStateCancelled || job.State == rivertype.JobStateDiscarded:
		last := "no error recorded"
		if n := len(job.Errors); n > 0 {
			last = job.Errors[n-1].Error
		}
		return fmt.Sprintf(msgJobEnded, job.State, last), false
	case job.State != rivertype.JobStateRunning && a.Status == planner.JobRunning:
		return fmt.Sprintf("the run's job was queued again (state %s); waiting for a worker", job.State), true
	}
	return "", false
}
