// Package jobs works parkplan's jobs — scenario solves and quota checks
// that solve — on River (github.com/riverqueue/river), a job engine on
// PostgreSQL, through its database/sql driver over lib/pq. Any number of
// processes (`parkplan serve --workers N`, `parkplan worker`) on any
// number of machines work the same queue; a job is queued in the
// transaction that writes its scenario's status row, a worker holds a
// liveness lock while it works a job, and a job whose worker is lost is
// queued again (or failed after Config.MaxAttempts) by the other
// processes. docs/scale-jobs.md has the design and its measurements.
//
// jobs imports planner and data (the scenario rows); api never imports
// jobs: it sees planner.RunQueue and the check queue, and cmd/parkplan
// wires them.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// queueName is the River queue of every parkplan job: solves and checks
// share its workers, so Config.Workers bounds the cores a process spends.
const queueName = "parkplan"

// Priorities (River: 1 first): a check has a client waiting on its HTTP
// request, a scenario run is watched from afar.
const (
	priorityCheck = 1
	prioritySolve = 2
)

// Deps are the runner's services.
type Deps struct {
	// DB is the read-write pool: River's tables and the scenario rows.
	DB *sql.DB
	// Store writes the scenario rows (on DB).
	Store *data.ScenarioStore
	// Plans solves scenarios on the stored dataset.
	Plans planner.PlanService
	// Datasets and Counties solve county tasks of province rounds: the
	// dataset at the task's revision, the county's part of it, solved by
	// Counties (the engine). nil: this process works no county tasks.
	Datasets planner.DatasetStore
	Counties DatasetSolver
	// Check runs a quota check that solves (nil: checks are not worked here).
	Check CheckFunc
	// Logger receives structured logs; nil uses slog.Default().
	Logger *slog.Logger
}

// Runner queues jobs and, with Config.Workers > 0, works them. Create it
// with New, call Start, and Stop at the end.
type Runner struct {
	cfg   Config
	deps  Deps
	log   *slog.Logger
	river *river.Client[*sql.Tx]

	counties   *data.CountyJobStore // county tasks' results
	countyData datasetCache         // the last dataset county tasks read

	stopping atomic.Bool        // Stop was called: a cancelled job hands its run back
	life     context.Context    // ends when Stop gives up: no more retries of a run's end
	endLife  context.CancelFunc //
	reaper   sync.WaitGroup
	stopReap context.CancelFunc
}

// New returns a runner on deps.DB; it does not work jobs before Start.
func New(cfg Config, deps Deps) (*Runner, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	r := &Runner{cfg: cfg, deps: deps, log: deps.Logger, counties: data.NewCountyJobStore(deps.DB)}
	r.life, r.endLife = context.WithCancel(context.Background())
	workers := river.NewWorkers()
	river.AddWorker(workers, &solveWorker{r: r})
	river.AddWorker(workers, &checkWorker{r: r})
	river.AddWorker(workers, &countyWorker{r: r})
	rc := &river.Config{
		Logger:               slog.New(quietHandler{deps.Logger.Handler()}).With("component", "river"),
		Workers:              workers,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(cfg.PollInterval, 100*time.Millisecond),
		PollOnly:             true, // lib/pq through database/sql: River has no LISTEN here
		JobTimeout:           -1,   // a solve is bounded by its scenario's time limit
		RescueStuckJobsAfter: 24 * time.Hour,
		MaxAttempts:          cfg.MaxAttempts,
	}
	if cfg.Workers > 0 {
		rc.Queues = map[string]river.QueueConfig{queueName: {MaxWorkers: cfg.Workers}}
	}
	c, err := river.NewClient(riverdatabasesql.New(deps.DB), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	r.river = c
	return r, nil
}

// Config returns the runner's configuration.
func (r *Runner) Config() Config { return r.cfg }

// Start works jobs (with Config.Workers > 0) and starts the reaper, which
// every process runs: it queues again the runs of lost workers and fails
// runs whose end was never stored.
func (r *Runner) Start(ctx context.Context) error {
	if r.cfg.Workers > 0 {
		if err := r.river.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("jobs: starting River: %w", err)
		}
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.stopReap = cancel
	r.reaper.Add(1)
	go func() {
		defer r.reaper.Done()
		r.reapLoop(rctx)
	}()
	return nil
}

// Stop stops taking jobs and cancels the running ones: each hands its run
// back to the queue (a worker elsewhere, or this one's next start, runs it
// again). It waits for them until ctx ends.
func (r *Runner) Stop(ctx context.Context) error {
	r.stopping.Store(true)
	defer context.AfterFunc(ctx, r.endLife)()
	var err error
	if r.cfg.Workers > 0 {
		err = r.river.StopAndCancel(ctx)
	}
	if r.stopReap != nil {
		r.stopReap()
		r.reaper.Wait()
	}
	r.endLife()
	return err
}

// settle retries store, the write of a job's end, until it is stored,
// refused as moot (the run moved on: ECONFLICT, ENOTFOUND), or the runner
// gives up at its stop. The database may be away for a while: the end is
// stored once it is back (issue 10, finding 4).
func (r *Runner) settle(what string, store func(ctx context.Context) error) error {
	wait := 250 * time.Millisecond
	for {
		ctx, cancel := context.WithTimeout(r.life, r.cfg.SaveTimeout)
		err := store(ctx)
		cancel()
		switch code := planner.ErrorCode(err); {
		case err == nil, code == planner.ECONFLICT, code == planner.ENOTFOUND:
			return err
		case r.life.Err() != nil:
			return fmt.Errorf("%s: the worker stopped before the database took it: %w", what, err)
		}
		r.log.Warn("storing a job's end; retrying", "what", what, "error", err, "in", wait)
		select {
		case <-r.life.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// errMoot reports whether err says the run moved on without this job.
func errMoot(err error) bool {
	code := planner.ErrorCode(err)
	return code == planner.ECONFLICT || code == planner.ENOTFOUND
}

// riverNotFound reports whether err is River's "no such job".
func riverNotFound(err error) bool { return errors.Is(err, river.ErrNotFound) }

// quietHandler passes River's records of level Warn and above only: its
// Info records (producer job counts every few seconds, leadership) would
// drown parkplan's own.
type quietHandler struct{ slog.Handler }

func (h quietHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}
func (h quietHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return quietHandler{h.Handler.WithAttrs(as)}
}
func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{h.Handler.WithGroup(name)}
}
