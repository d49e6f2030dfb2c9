package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/parkplan/parkplan/api"
	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
)

// tokenCacheTTL is how long a verified token is trusted without asking the
// database again; a revoked token stops working within it.
const tokenCacheTTL = 30 * time.Second

// jobCloseTimeout is how long shutdown waits for cancelled solves to store
// their end (they are marked failed, as interrupted).
const jobCloseTimeout = 10 * time.Second

// Environment of the scenario service (docs/scenario-service.md).
const (
	envReadURL        = "DATABASE_READ_URL"           // URL of the read-only pool; default: DATABASE_URL as parkplan_reader
	envReaderPassword = "PARKPLAN_READER_PASSWORD"    // password of parkplan_reader when the default URL is used
	envJobWorkers     = "PARKPLAN_JOB_WORKERS"        // solves at once (default: one per two cores)
	envJobQueue       = "PARKPLAN_JOB_QUEUE"          // runs that may wait (default 8)
	envJobRetryAfter  = "PARKPLAN_JOB_RETRY_AFTER"    // Retry-After when the queue is full (default 30s)
	envJobProgress    = "PARKPLAN_JOB_PROGRESS_EVERY" // how often progress is stored (default 1s)
)

// wireScenarios gives the server the scenario service: the scenario store
// on the read-write pool, a second pool connected as the read-only role
// parkplan_reader for every GET (scenarios, layers, OGC features), token
// authentication, and the job runner solving with planner/engine on the
// stored dataset. The runner starts closing when ctx ends (its running
// solves are cancelled and stored failed, as interrupted), alongside the
// server's graceful shutdown. The caller must call stop before the
// read-write pool closes: stop waits for the runner to store its runs'
// ends (at most jobCloseTimeout), then closes the read-only pool.
func wireScenarios(ctx context.Context, deps *api.Deps, db *data.DB, cfg serveConfig, log *slog.Logger) (stop func(), err error) {
	store := data.NewScenarioStore(db.SQL())
	deps.Scenarios = store
	deps.Scenario.Store = store
	deps.Auth = api.NewTokenAuth(data.NewTokenStore(db.SQL()), tokenCacheTTL)

	readURL := os.Getenv(envReadURL)
	if readURL == "" {
		u, err := data.ReaderURL(cfg.DatabaseURL, os.Getenv(envReaderPassword))
		if err != nil {
			return nil, err
		}
		readURL = u
	}
	reader, err := data.Open(ctx, readURL)
	if err != nil {
		return nil, fmt.Errorf("the read-only pool (role %s; set %s): %w", data.ReaderRole, envReadURL, err)
	}
	rpool := reader.SQL()
	rpool.SetMaxOpenConns(cfg.DBMaxConns)
	rpool.SetMaxIdleConns(cfg.DBMaxIdle)
	readStore := data.NewScenarioStore(rpool)
	deps.Scenario.Read = readStore
	deps.Scenario.Layers = data.NewScenarioLayerStore(readStore)
	deps.Features = data.NewFeatureStore(rpool)

	jcfg, err := jobConfigFromEnv()
	if err != nil {
		reader.Close()
		return nil, err
	}
	var plans planner.PlanService = &engine.Engine{Store: db}
	jobs := api.NewJobs(jcfg, store, plans, log)
	if err := jobs.Start(ctx); err != nil {
		reader.Close()
		return nil, err
	}
	deps.Scenario.Jobs = jobs
	jc := jobs.Config()
	log.Info("scenario jobs", "workers", jc.Workers, "queue", jc.Queue, "read_role", data.ReaderRole)
	// closeJobs runs once: from ctx's end, so solves stop while the server
	// drains its requests, or from stop, whichever comes first; a second
	// caller waits for the first to finish.
	closeJobs := sync.OnceFunc(func() {
		cctx, cancel := context.WithTimeout(context.Background(), jobCloseTimeout)
		defer cancel()
		if err := jobs.Close(cctx); err != nil {
			log.Warn("scenario jobs did not stop in time", "error", err)
		}
	})
	context.AfterFunc(ctx, closeJobs)
	return func() {
		closeJobs()
		reader.Close()
	}, nil
}

// jobConfigFromEnv reads the job runner's settings from the environment.
func jobConfigFromEnv() (api.JobConfig, error) {
	c := api.DefaultJobConfig()
	for _, v := range []struct {
		env string
		dst *int
	}{{envJobWorkers, &c.Workers}, {envJobQueue, &c.Queue}} {
		if s := os.Getenv(v.env); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return c, planner.FieldErrorf(v.env, "want a positive integer, got %q", s)
			}
			*v.dst = n
		}
	}
	for _, v := range []struct {
		env string
		dst *time.Duration
	}{{envJobRetryAfter, &c.RetryAfter}, {envJobProgress, &c.ProgressEvery}} {
		if s := os.Getenv(v.env); s != "" {
			d, err := time.ParseDuration(s)
			if err != nil || d <= 0 {
				return c, planner.FieldErrorf(v.env, "want a positive duration such as 30s, got %q", s)
			}
			*v.dst = d
		}
	}
	return c, nil
}
