package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
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

// Environment of the scenario service (docs/scenario-service.md); the job
// runner's settings are part of serve's configuration (cmd_serve.go).
const (
	envReadURL        = "DATABASE_READ_URL"        // URL of the read-only pool; default: DATABASE_URL as parkplan_reader
	envReaderPassword = "PARKPLAN_READER_PASSWORD" // password of parkplan_reader when the default URL is used
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
	features := data.NewFeatureStore(rpool)
	deps.Features = features
	var router *data.ReadRouter
	if len(cfg.ReadDBs) > 0 {
		router, err = data.OpenReadRouter(rpool, cfg.ReadDBs, cfg.DBMaxConns,
			data.ReadRouterConfig{MaxLag: cfg.ReadMaxLag, CheckEvery: cfg.ReadCheckEvery}, log)
		if err != nil {
			reader.Close()
			return nil, err
		}
		readStore.RouteReads(router)
		features.RouteReads(router)
		deps.Reads = router
		router.Start(ctx)
		log.Info("reads from hot standbys", "standbys", len(cfg.ReadDBs), "max_lag", cfg.ReadMaxLag)
	}

	var plans planner.PlanService = &engine.Engine{Store: db}
	jobs := api.NewJobs(cfg.Jobs, store, plans, log)
	if err := jobs.Start(ctx); err != nil {
		if router != nil {
			router.Close()
		}
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
		if router != nil {
			router.Close()
		}
		reader.Close()
	}, nil
}
