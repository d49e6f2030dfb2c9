package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/parkplan/parkplan/api"
	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/province"
)

// tokenCacheTTL is how long a verified token is trusted without asking the
// database again; a revoked token stops working within it.
const tokenCacheTTL = 30 * time.Second

// jobCloseTimeout is how long shutdown waits for cancelled solves to hand
// their runs back to the queue.
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
// authentication, and the job runner (package jobs): it queues runs and
// checks that solve for every worker on the database, and works
// cfg.Jobs.Workers of them here, solving with planner/engine on the
// stored dataset. The runner stops when ctx ends (its running solves are
// handed back to the queue), alongside the server's graceful shutdown.
// The caller must call stop before the read-write pool closes: stop waits
// for the runner (at most jobCloseTimeout), then closes the read-only pool.
func wireScenarios(ctx context.Context, deps *api.Deps, db *data.DB, cfg serveConfig, check jobs.CheckFunc, log *slog.Logger) (runner *jobs.Runner, stop func(), err error) {
	store := data.NewScenarioStore(db.SQL())
	deps.Scenarios = store
	deps.Scenario.Store = store
	deps.Auth = api.NewTokenAuth(data.NewTokenStore(db.SQL()), tokenCacheTTL)

	readURL := os.Getenv(envReadURL)
	if readURL == "" {
		u, err := data.ReaderURL(cfg.DatabaseURL, os.Getenv(envReaderPassword))
		if err != nil {
			return nil, nil, err
		}
		readURL = u
	}
	reader, err := data.Open(ctx, readURL)
	if err != nil {
		return nil, nil, fmt.Errorf("the read-only pool (role %s; set %s): %w", data.ReaderRole, envReadURL, err)
	}
	rpool := reader.SQL()
	rpool.SetMaxOpenConns(cfg.DBMaxConns)
	rpool.SetMaxIdleConns(cfg.DBMaxIdle)
	readStore := data.NewScenarioStore(rpool)
	deps.Scenario.Read = readStore
	diffs := data.NewScenarioLayerStore(readStore)
	diffs.MaxVertices = cfg.MaxPageVertices // bounded as every collection's pages
	deps.Scenario.Layers = diffs
	features := data.NewFeatureStore(rpool)
	deps.Features = features
	if _, err := exec.LookPath("ogr2ogr"); err == nil {
		deps.Scenario.Export = &ogr.PlanExport{Features: features, Plans: readStore}
	} else {
		log.Warn("no plan export: GDAL's ogr2ogr is not installed (Debian gdal-bin)")
	}
	var router *data.ReadRouter
	if len(cfg.ReadDBs) > 0 {
		router, err = data.OpenReadRouter(rpool, cfg.ReadDBs, cfg.DBMaxConns,
			data.ReadRouterConfig{MaxLag: cfg.ReadMaxLag, CheckEvery: cfg.ReadCheckEvery}, log)
		if err != nil {
			reader.Close()
			return nil, nil, err
		}
		readStore.RouteReads(router)
		features.RouteReads(router)
		deps.Reads = router
		router.Start(ctx)
		log.Info("reads from hot standbys", "standbys", len(cfg.ReadDBs), "max_lag", cfg.ReadMaxLag)
	}

	runner, stopJobs, err := startRunner(ctx, db, cfg.Jobs, check, log)
	if err != nil {
		if router != nil {
			router.Close()
		}
		reader.Close()
		return nil, nil, err
	}
	deps.Scenario.Queue = runner
	log.Info("scenario jobs", "workers", cfg.Jobs.Workers, "queue", cfg.Jobs.Queue, "read_role", data.ReaderRole)
	return runner, func() {
		stopJobs()
		if router != nil {
			router.Close()
		}
		reader.Close()
	}, nil
}

// startRunner starts the job runner on db: it works cfg.Workers jobs at
// once, solving with planner/engine on the stored dataset and running
// checks with check; county tasks with province.CountyEngine. It stops when ctx ends or stop is called, whichever
// comes first; a second caller waits for the first to finish.
func startRunner(ctx context.Context, db *data.DB, cfg jobs.Config, check jobs.CheckFunc, log *slog.Logger) (*jobs.Runner, func(), error) {
	plans := &engine.Engine{Store: db}
	runner, err := jobs.New(cfg, jobs.Deps{DB: db.SQL(), Store: data.NewScenarioStore(db.SQL()),
		Plans: plans, Datasets: db, Counties: province.CountyEngine(), Check: check, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	if err := runner.Start(ctx); err != nil {
		return nil, nil, err
	}
	stop := sync.OnceFunc(func() {
		cctx, cancel := context.WithTimeout(context.Background(), jobCloseTimeout)
		defer cancel()
		if err := runner.Stop(cctx); err != nil {
			log.Warn("jobs did not stop in time", "error", err)
		}
	})
	context.AfterFunc(ctx, stop)
	return runner, stop, nil
}
