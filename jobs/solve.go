package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// kindSolve is the River kind of a scenario run.
const kindSolve = "parkplan_solve"

// SolveArgs are a scenario run's job: which run of which scenario. The
// scenario itself is read from its row when the job starts.
type SolveArgs struct {
	ScenarioID string `json:"scenario_id"`
	Run        int    `json:"run"`
}

// Kind implements river.JobArgs.
func (SolveArgs) Kind() string { return kindSolve }

// Messages stored with runs that did not end by themselves.
const (
	msgRequeued = "interrupted: the worker stopped during attempt %d; queued again"
	msgSaveFail = "saving the plan failed: %v; run it again"
)

// errSuperseded cancels a solve whose run was cancelled, deleted or
// taken over (the scenario row no longer names this attempt).
var errSuperseded = errors.New("the run was cancelled or moved on")

// solveWorker works scenario runs.
type solveWorker struct {
	river.WorkerDefaults[SolveArgs]
	r *Runner
}

// Timeout implements river.Worker: no River timeout; the solve is bounded
// by its scenario's time limit and stops on cancel at a heartbeat.
func (w *solveWorker) Timeout(*river.Job[SolveArgs]) time.Duration { return -1 }

// Work runs one attempt of a scenario run: it takes the job's liveness
// lock, moves the run from queued to running under this attempt, solves
// with a heartbeat that stores progress and notices a cancel, and stores
// the end — the plan in one transaction, or the failure with its reason.
func (w *solveWorker) Work(ctx context.Context, job *river.Job[SolveArgs]) error {
	r := w.r
	k := data.RunKey{ID: job.Args.ScenarioID, Run: job.Args.Run, Attempt: job.Attempt}
	log := r.log.With("scenario", k.ID, "run", k.Run, "attempt", k.Attempt, "job", job.ID)
	rec, err := r.deps.Store.FindScenarioRun(ctx, k.ID)
	if errMoot(err) {
		log.Info("scenario run skipped", "reason", err)
		return nil
	} else if err != nil {
		return err // River retries the job later
	}
	if rec.Run != k.Run || planner.JobStatus(rec.Status) != planner.JobQueued {
		log.Info("scenario run skipped", "reason", fmt.Sprintf("the scenario is at run %d, %s", rec.Run, rec.Status))
		return nil
	}
	lock, err := holdLiveness(ctx, r.deps.DB, job.ID, r.cfg.ProgressEvery)
	if errors.Is(err, errLockHeld) {
		// A worker taken for lost is alive after all: let it finish (or be
		// lost for real) without spending an attempt here.
		log.Warn("scenario run held by another worker; trying later", "in", r.cfg.LostAfter)
		return river.JobSnooze(r.cfg.LostAfter)
	} else if err != nil {
		return err
	}
	defer lock.release()
	if err := r.deps.Store.StartAttempt(ctx, k); errMoot(err) {
		log.Info("scenario run skipped", "reason", err)
		return nil
	} else if err != nil {
		return err
	}
	log.Info("scenario run started")

	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	hb := startHeartbeat(r, cancel, k, log)
	sc := rec.Scenario
	plan, err := r.solve(sctx, &sc, hb.report)
	hb.stop()

	cause := context.Cause(sctx)
	switch {
	case errors.Is(cause, errSuperseded):
		log.Info("scenario run stopped", "reason", cause)
		return river.JobCancel(cause)
	case ctx.Err() != nil && r.stopping.Load():
		// This process is stopping: hand the run back to the queue.
		msg := fmt.Sprintf(msgRequeued, k.Attempt)
		if err := r.settle("re-queueing "+k.ID, func(ctx context.Context) error { return r.deps.Store.RequeueAttempt(ctx, k, msg) }); err != nil && !errMoot(err) {
			log.Error("re-queueing an interrupted run", "error", err)
			return err
		}
		log.Info("scenario run handed back to the queue")
		return river.JobSnooze(0)
	case ctx.Err() != nil:
		// River cancelled the job (CancelRun cancels it with the run).
		return river.JobCancel(context.Cause(ctx))
	case plan != nil && (err == nil || errors.Is(err, planner.ErrInfeasible)):
		// An infeasible scenario's plan carries the explanation: it is a
		// result. A solve that found no plan in time (ErrNoPlan) is not.
		return w.save(k, plan, log)
	default:
		if err == nil {
			err = errors.New("the plan service returned no plan")
		}
		log.Info("scenario run failed", "error", err)
		return w.fail(k, err.Error(), log)
	}
}

// save stores the plan, retrying while the database is away for up to
// SaveTimeout; after that the run is failed with the reason.
func (w *solveWorker) save(k data.RunKey, plan *planner.Plan, log *slog.Logger) error {
	r := w.r
	deadline := time.Now().Add(r.cfg.SaveTimeout)
	wait := 250 * time.Millisecond
	for {
		ctx, cancel := context.WithDeadline(r.life, deadline)
		err := r.deps.Store.FinishAttempt(ctx, k, plan)
		cancel()
		switch {
		case err == nil:
			log.Info("scenario run done", "status", plan.Solve.Status, "objective", plan.Solve.Objective, "gap", plan.Solve.Gap)
			return nil
		case errMoot(err):
			log.Info("scenario run result dropped", "reason", err)
			return river.JobCancel(err)
		case time.Now().Add(wait).After(deadline) || r.life.Err() != nil:
			return w.fail(k, fmt.Sprintf(msgSaveFail, err), log)
		case wait == 250*time.Millisecond:
			log.Warn("saving the plan: database unreachable; retrying", "error", err, "for", r.cfg.SaveTimeout)
		}
		time.Sleep(wait)
		wait = min(2*wait, 5*time.Second)
	}
}

// fail stores the run failed with msg, retrying until the database takes
// it; the job ends cancelled with msg, never retried by River.
func (w *solveWorker) fail(k data.RunKey, msg string, log *slog.Logger) error {
	err := w.r.settle("failing "+k.ID, func(ctx context.Context) error {
		return w.r.deps.Store.EndAttempt(ctx, k, planner.JobFailed, msg)
	})
	if err != nil && !errMoot(err) {
		// The reaper of a live process fails the run with this job's error
		// once the database is back.
		return river.JobCancel(fmt.Errorf("%s (and storing that failed: %v)", msg, err))
	}
	return river.JobCancel(errors.New(msg))
}

// solve calls the plan service, turning a panic into an error.
func (r *Runner) solve(ctx context.Context, sc *planner.Scenario, progress func(planner.Progress)) (plan *planner.Plan, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("plan service panicked", "scenario", sc.Name, "panic", p)
			plan, err = nil, fmt.Errorf("internal error in the solver: %v", p)
		}
	}()
	return r.deps.Plans.Solve(ctx, sc, progress)
}

// heartbeat writes a running solve's latest progress every ProgressEvery
// and cancels the solve when the run is no longer this attempt's.
type heartbeat struct {
	mu     sync.Mutex
	latest *planner.Progress
	quit   chan struct{}
	done   chan struct{}
}

func startHeartbeat(r *Runner, cancel context.CancelCauseFunc, k data.RunKey, log *slog.Logger) *heartbeat {
	h := &heartbeat{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		t := time.NewTicker(r.cfg.ProgressEvery)
		defer t.Stop()
		failing := false
		for {
			select {
			case <-h.quit:
				return
			case <-t.C:
			}
			h.mu.Lock()
			p := h.latest
			h.latest = nil
			h.mu.Unlock()
			ctx, c := context.WithTimeout(r.life, r.cfg.ProgressEvery*5)
			err := r.deps.Store.Heartbeat(ctx, k, p)
			c()
			switch {
			case errMoot(err):
				cancel(errSuperseded)
				return
			case err != nil:
				// The database is away: keep solving; the end is stored when it is back.
				if !failing {
					log.Warn("heartbeat: database unreachable; solving on", "error", err)
				}
				h.mu.Lock()
				if h.latest == nil {
					h.latest = p
				}
				h.mu.Unlock()
			case failing:
				log.Info("heartbeat: the database is back")
			}
			failing = err != nil
		}
	}()
	return h
}

// report records p as the latest progress (the solver's goroutine).
func (h *heartbeat) report(p planner.Progress) {
	h.mu.Lock()
	h.latest = &p
	h.mu.Unlock()
}

func (h *heartbeat) stop() {
	close(h.quit)
	<-h.done
}
