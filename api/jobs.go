package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// JobConfig bounds the scenario job runner (docs/scenario-service.md).
type JobConfig struct {
	// Workers is the number of scenarios solved at once; 0 means one per
	// two CPU cores, at least one. Each solve is CPU-bound.
	Workers int `yaml:"workers"`
	// Queue is the number of runs that may wait for a worker; a run asked
	// for beyond it is refused with 429 and Retry-After, never dropped.
	Queue int `yaml:"queue"`
	// RetryAfter is the Retry-After sent with 429 when the queue is full.
	RetryAfter time.Duration `yaml:"retry_after"`
	// ProgressEvery is how often a running solve's progress is written to
	// the scenario row (SSE subscribers see every report at once).
	ProgressEvery time.Duration `yaml:"progress_every"`
	// SaveTimeout bounds the transaction that saves a finished plan.
	SaveTimeout time.Duration `yaml:"save_timeout"`
}

// DefaultJobConfig returns the documented defaults: one worker per two
// cores (one on the 2-core machine), 8 queued runs, Retry-After 30 s,
// progress saved every second, 2 minutes to save a plan.
func DefaultJobConfig() JobConfig {
	return JobConfig{Queue: 8, RetryAfter: 30 * time.Second, ProgressEvery: time.Second, SaveTimeout: 2 * time.Minute}
}

// msgInterrupted is the error of runs that were running when the server stopped.
const msgInterrupted = "interrupted: the server stopped during this run; run it again"

// Jobs runs scenario solves in a bounded worker pool fed by a bounded
// FIFO queue. The scenario row is the job's durable record: a run is
// queued in the store before it enters the queue, so a crash loses no
// run (Start takes queued runs up again and fails those that were
// running); its plan is written by the store in the transaction that marks
// it done, so a crash or cancel leaves no half plan.
type Jobs struct {
	cfg   JobConfig
	store planner.ScenarioRunStore
	plans planner.PlanService
	log   *slog.Logger

	mu       sync.Mutex
	queue    []*job          // waiting, oldest first
	active   map[string]*job // queued or running, by scenario id
	reserved int             // queue slots promised to requests still writing their row
	closed   bool
	wake     chan struct{} // a worker should look at the queue
	stop     context.CancelFunc
	wg       sync.WaitGroup
}

// job is one run of a scenario, while it is active and for the SSE
// subscribers that hold it after.
type job struct {
	id  string
	run int

	// Guarded by Jobs.mu.
	finished  bool
	status    planner.JobStatus
	progress  *planner.Progress
	errMsg    string
	cancel    context.CancelCauseFunc // set while running
	cancelled bool                    // a client asked to cancel
	seq       uint64                  // bumped on every change, for subscribers
	subs      map[chan struct{}]struct{}
	done      chan struct{} // closed when the run has ended and its end is stored
}

// errCancelled is the cause of a solve's context when a client cancels it;
// errShutdown when the server stops.
var (
	errCancelled = errors.New("cancelled by request")
	errShutdown  = errors.New("server shutting down")
)

// NewJobs returns a job runner; call Start before use and Close at the end.
func NewJobs(cfg JobConfig, store planner.ScenarioRunStore, plans planner.PlanService, log *slog.Logger) *Jobs {
	def := DefaultJobConfig()
	if cfg.Workers <= 0 {
		cfg.Workers = max(1, runtime.NumCPU()/2)
	}
	if cfg.Queue <= 0 {
		cfg.Queue = def.Queue
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = def.RetryAfter
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = def.ProgressEvery
	}
	if cfg.SaveTimeout <= 0 {
		cfg.SaveTimeout = def.SaveTimeout
	}
	if log == nil {
		log = slog.Default()
	}
	return &Jobs{cfg: cfg, store: store, plans: plans, log: log,
		active: map[string]*job{}, wake: make(chan struct{}, 1)}
}

// Config returns the runner's configuration with defaults filled in.
func (j *Jobs) Config() JobConfig { return j.cfg }

// Start recovers the store's runs — those that were running when the
// server stopped are marked failed, queued ones are queued again (beyond
// the queue bound if need be: they were accepted) — and starts the workers.
func (j *Jobs) Start(ctx context.Context) error {
	queued, err := j.store.RecoverRuns(ctx, msgInterrupted)
	if err != nil {
		return fmt.Errorf("recovering scenario runs: %w", err)
	}
	wctx, stop := context.WithCancel(context.Background())
	j.mu.Lock()
	j.stop = stop
	for _, q := range queued {
		jb := newJob(q.ID, q.Run)
		j.active[q.ID] = jb
		j.queue = append(j.queue, jb)
	}
	j.mu.Unlock()
	if len(queued) > 0 {
		j.log.Info("scenario runs queued again after restart", "runs", len(queued))
	}
	for i := 0; i < j.cfg.Workers; i++ {
		j.wg.Add(1)
		go j.worker(wctx)
	}
	j.signal()
	return nil
}

func newJob(id string, run int) *job {
	return &job{id: id, run: run, status: planner.JobQueued, subs: map[chan struct{}]struct{}{}, done: make(chan struct{})}
}

// Close stops taking runs, cancels the running solves (they end failed,
// as interrupted) and waits for the workers until ctx ends. Queued runs
// stay queued in the store and are taken up by the next Start.
func (j *Jobs) Close(ctx context.Context) error {
	j.mu.Lock()
	j.closed = true
	var running []*job
	for _, jb := range j.active {
		if jb.status == planner.JobRunning {
			running = append(running, jb)
		}
	}
	stop := j.stop
	j.mu.Unlock()
	// Store the end first, then stop the solves: the process may exit (and
	// its database pool close) soon after, and a run left "running" would
	// wait for the next start to be settled. A solve that finishes in
	// between finds its run ended and saves nothing.
	for _, jb := range running {
		if err := j.store.EndRun(ctx, jb.id, jb.run, planner.JobFailed, msgInterrupted); err != nil && planner.ErrorCode(err) == planner.EINTERNAL {
			j.log.Warn("storing an interrupted run", "scenario", jb.id, "error", err)
		}
	}
	j.mu.Lock()
	for _, jb := range j.active {
		if jb.cancel != nil {
			jb.cancel(errShutdown)
		}
	}
	j.mu.Unlock()
	if stop != nil {
		stop()
	}
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errQueueFull is returned by reserve when no run can be queued now.
func (j *Jobs) errQueueFull() error {
	secs := strconv.Itoa(int((j.cfg.RetryAfter + time.Second - 1) / time.Second))
	return WithStatus(http.StatusTooManyRequests, secs, planner.Errorf(planner.EINVALID,
		"the run queue is full (%d runs waiting for %d workers); try again later", j.cfg.Queue, j.cfg.Workers))
}

// errClosed is returned when the runner is stopping.
func errClosed() error {
	return WithStatus(http.StatusServiceUnavailable, "5", errors.New("the server is shutting down; try again shortly"))
}

// reserve promises one queue slot to a request about to queue a run in
// the store; release or enqueue must follow.
func (j *Jobs) reserve() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return errClosed()
	}
	if len(j.queue)+j.reserved >= j.cfg.Queue {
		return j.errQueueFull()
	}
	j.reserved++
	return nil
}

// release gives back a reserved slot that was not used.
func (j *Jobs) release() {
	j.mu.Lock()
	j.reserved--
	j.mu.Unlock()
}

// enqueue puts run of scenario id, already queued in the store, into a
// reserved slot.
func (j *Jobs) enqueue(id string, run int) {
	jb := newJob(id, run)
	j.mu.Lock()
	j.reserved--
	if old := j.active[id]; old != nil {
		// The store let this run be queued, so old has ended in the store;
		// its worker is only finishing up.
		delete(j.active, id)
	}
	j.active[id] = jb
	j.queue = append(j.queue, jb)
	j.mu.Unlock()
	j.signal()
}

// signal wakes a worker.
func (j *Jobs) signal() {
	select {
	case j.wake <- struct{}{}:
	default:
	}
}

// JobState is a run's live state, as the status document and the SSE
// stream show it.
type JobState struct {
	Status planner.JobStatus
	// Position is the run's place in the queue, 1 first; 0 when not queued.
	Position int
	Progress *planner.Progress
	Error    string
	seq      uint64
}

// state returns the live state of scenario id's active run, if any.
func (j *Jobs) state(id string) (JobState, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	jb := j.active[id]
	if jb == nil {
		return JobState{}, false
	}
	return j.stateLocked(jb), true
}

func (j *Jobs) stateLocked(jb *job) JobState {
	st := JobState{Status: jb.status, Error: jb.errMsg, seq: jb.seq}
	if jb.progress != nil {
		p := *jb.progress
		st.Progress = &p
	}
	if jb.status == planner.JobQueued {
		for i, q := range j.queue {
			if q == jb {
				st.Position = i + 1
			}
		}
	}
	return st
}

// cancel asks scenario id's active run to stop: a queued run leaves the
// queue and is stored cancelled at once; a running solve is cancelled and
// its worker stores the end. It returns the job (to wait on), or nil when
// no run is active in this server.
func (j *Jobs) cancel(ctx context.Context, id string) (*job, error) {
	j.mu.Lock()
	jb := j.active[id]
	if jb == nil {
		j.mu.Unlock()
		return nil, nil
	}
	jb.cancelled = true
	queued := false
	for i, q := range j.queue {
		if q == jb {
			// Still waiting: take it out of the queue; no worker will see it.
			j.queue = append(j.queue[:i:i], j.queue[i+1:]...)
			queued = true
			break
		}
	}
	if !queued {
		// A worker has it: it stops the solve (or does not start it) and
		// stores the end.
		if jb.cancel != nil {
			jb.cancel(errCancelled)
		}
		j.mu.Unlock()
		return jb, nil
	}
	j.mu.Unlock()
	err := j.store.EndRun(ctx, id, jb.run, planner.JobCancelled, errCancelled.Error())
	// Out of the queue either way; if the store could not record it, the
	// run still reads queued there and a later cancel (or Start) settles it.
	j.finish(jb, planner.JobCancelled, errCancelled.Error())
	if err != nil && planner.ErrorCode(err) != planner.ECONFLICT {
		return nil, err
	}
	return jb, nil
}

// finish records jb's end in memory and tells its subscribers.
func (j *Jobs) finish(jb *job, status planner.JobStatus, msg string) {
	j.mu.Lock()
	if jb.finished {
		j.mu.Unlock()
		return
	}
	jb.finished = true
	jb.status, jb.errMsg = status, msg
	jb.cancel = nil
	if j.active[jb.id] == jb {
		delete(j.active, jb.id)
	}
	j.notifyLocked(jb)
	j.mu.Unlock()
	close(jb.done)
}

// notifyLocked bumps jb's change counter and wakes its subscribers.
func (j *Jobs) notifyLocked(jb *job) {
	jb.seq++
	for ch := range jb.subs {
		select {
		case ch <- struct{}{}:
		default: // a wake-up is pending already; it will read the latest state
		}
	}
}

// subscribe returns scenario id's active job with a channel that receives
// a wake-up after each change, and a function to unsubscribe; nil when no
// run is active.
func (j *Jobs) subscribe(id string) (*job, chan struct{}, func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	jb := j.active[id]
	if jb == nil {
		return nil, nil, nil
	}
	ch := make(chan struct{}, 1)
	jb.subs[ch] = struct{}{}
	return jb, ch, func() {
		j.mu.Lock()
		delete(jb.subs, ch)
		j.mu.Unlock()
	}
}

// snapshot returns jb's state.
func (j *Jobs) snapshot(jb *job) JobState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.stateLocked(jb)
}

// worker takes runs from the queue until ctx ends.
func (j *Jobs) worker(ctx context.Context) {
	defer j.wg.Done()
	for {
		jb := j.next()
		if jb == nil {
			select {
			case <-ctx.Done():
				return
			case <-j.wake:
				continue
			}
		}
		j.signal() // more may be waiting for another worker
		j.runJob(ctx, jb)
	}
}

// next pops the oldest queued run, or nil.
func (j *Jobs) next() *job {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed || len(j.queue) == 0 {
		return nil
	}
	jb := j.queue[0]
	j.queue = j.queue[1:]
	for _, q := range j.queue {
		j.notifyLocked(q) // their queue positions moved up
	}
	return jb
}

// runJob solves one run and stores its end.
func (j *Jobs) runJob(wctx context.Context, jb *job) {
	log := j.log.With("scenario", jb.id, "run", jb.run)
	// The store calls use a context that outlives a cancelled solve, so
	// the run's end is always written.
	bg := context.WithoutCancel(wctx)
	rec, err := j.store.FindScenarioRun(bg, jb.id)
	if err == nil {
		err = j.store.StartRun(bg, jb.id, jb.run)
	}
	if err != nil {
		// Deleted, cancelled or re-queued meanwhile: nothing to run.
		if planner.ErrorCode(err) == planner.ENOTFOUND || planner.ErrorCode(err) == planner.ECONFLICT {
			log.Info("scenario run skipped", "reason", err)
			j.finish(jb, planner.JobCancelled, err.Error())
			return
		}
		log.Error("starting scenario run", "error", err)
		j.endRun(bg, jb, planner.JobFailed, "starting the run: "+err.Error())
		return
	}
	sctx, cancel := context.WithCancelCause(wctx)
	defer cancel(nil)
	j.mu.Lock()
	jb.status = planner.JobRunning
	jb.cancel = cancel
	if jb.cancelled {
		cancel(errCancelled)
	} else if j.closed {
		cancel(errShutdown)
	}
	j.notifyLocked(jb)
	j.mu.Unlock()
	log.Info("scenario run started")

	stopSaver := j.saveProgressEvery(bg, jb)
	sc := rec.Scenario
	var plan *planner.Plan
	if sctx.Err() == nil {
		plan, err = j.solve(sctx, &sc, jb)
	}
	stopSaver()

	cause := context.Cause(sctx)
	switch {
	case errors.Is(cause, errCancelled):
		j.endRun(bg, jb, planner.JobCancelled, errCancelled.Error())
	case errors.Is(cause, errShutdown) || wctx.Err() != nil:
		j.endRun(bg, jb, planner.JobFailed, msgInterrupted)
	case plan != nil && (err == nil || errors.Is(err, planner.ErrInfeasible)):
		// An infeasible scenario's plan carries the explanation: it is a
		// result. A solve that found no plan in time (ErrNoPlan) is not: it
		// fails and the previous plan stays.
		saveCtx, done := context.WithTimeout(bg, j.cfg.SaveTimeout)
		err := j.store.FinishRun(saveCtx, jb.id, jb.run, plan)
		done()
		switch {
		case err == nil:
			log.Info("scenario run done", "status", plan.Solve.Status, "objective", plan.Solve.Objective, "gap", plan.Solve.Gap)
			j.finish(jb, planner.JobDone, "")
		case planner.ErrorCode(err) == planner.ENOTFOUND || planner.ErrorCode(err) == planner.ECONFLICT:
			log.Info("scenario run result dropped", "reason", err)
			j.finish(jb, planner.JobCancelled, err.Error())
		default:
			log.Error("saving plan", "error", err)
			j.endRun(bg, jb, planner.JobFailed, "saving the plan failed; see the server log")
		}
	default:
		if err == nil {
			err = errors.New("the plan service returned no plan")
		}
		log.Info("scenario run failed", "error", err)
		j.endRun(bg, jb, planner.JobFailed, err.Error())
	}
}

// solve calls the plan service, turning a panic into an error and feeding
// progress to the job.
func (j *Jobs) solve(ctx context.Context, sc *planner.Scenario, jb *job) (plan *planner.Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			j.log.Error("plan service panicked", "scenario", jb.id, "panic", r)
			plan, err = nil, fmt.Errorf("internal error in the solver: %v", r)
		}
	}()
	return j.plans.Solve(ctx, sc, func(p planner.Progress) {
		j.mu.Lock()
		jb.progress = &p
		j.notifyLocked(jb)
		j.mu.Unlock()
	})
}

// saveProgressEvery writes jb's latest progress to the store every
// ProgressEvery until the returned stop function is called.
func (j *Jobs) saveProgressEvery(ctx context.Context, jb *job) (stop func()) {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(j.cfg.ProgressEvery)
		defer t.Stop()
		var saved uint64
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			j.mu.Lock()
			p, seq := jb.progress, jb.seq
			j.mu.Unlock()
			if p == nil || seq == saved {
				continue
			}
			if err := j.store.SaveProgress(ctx, jb.id, jb.run, *p); err != nil && planner.ErrorCode(err) == planner.EINTERNAL {
				j.log.Warn("saving progress", "scenario", jb.id, "error", err)
			}
			saved = seq
		}
	}()
	return func() { close(quit); wg.Wait() }
}

// endRun stores jb's end as failed or cancelled and finishes it.
func (j *Jobs) endRun(ctx context.Context, jb *job, status planner.JobStatus, msg string) {
	if err := j.store.EndRun(ctx, jb.id, jb.run, status, msg); err != nil && planner.ErrorCode(err) == planner.EINTERNAL {
		j.log.Error("storing the end of a run", "scenario", jb.id, "error", err)
	}
	j.finish(jb, status, msg)
}
