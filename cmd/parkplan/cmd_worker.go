package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/parkplan/parkplan/planner"
)

// workerEnv maps PARKPLAN_* environment variables to worker flag names.
var workerEnv = map[string]string{
	"PARKPLAN_JOB_QUEUE":          "job-queue",
	"PARKPLAN_JOB_RETRY_AFTER":    "job-retry-after",
	"PARKPLAN_JOB_PROGRESS_EVERY": "job-progress-every",
	"PARKPLAN_JOB_POLL_INTERVAL":  "job-poll-interval",
	"PARKPLAN_JOB_LOST_AFTER":     "job-lost-after",
	"PARKPLAN_LOG_LEVEL":          "log-level",
	"PARKPLAN_LOG_FORMAT":         "log-format",
}

// runWorker implements `parkplan worker --db URL [--concurrency N]`: it
// works the job queue — scenario runs, checks that solve and county tasks
// of province rounds — on any machine that reaches the database, until
// SIGINT/SIGTERM; its running solves are then handed back to the queue. It applies pending migrations
// first (so a worker can come up before any server).
func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := defaultServeConfig()
	cfg.Jobs.Workers = 1
	fs := newFlagSet("worker", "usage: parkplan worker --db URL [--concurrency N]", stderr)
	dbURL := dbFlag(fs)
	fs.IntVar(&cfg.Jobs.Workers, "concurrency", cfg.Jobs.Workers, "jobs (solves) worked at once; one per core at most pays")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "text or json")
	jobFlags(fs, &cfg.Jobs)
	for env, name := range workerEnv {
		if v := os.Getenv(env); v != "" {
			if err := fs.Set(name, v); err != nil {
				return planner.FieldErrorf(env, "%v", err)
			}
		}
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return planner.FieldErrorf("worker", "%v", err)
	}
	if fs.NArg() > 0 {
		return planner.FieldErrorf("worker", "unexpected argument %q", fs.Arg(0))
	}
	if cfg.Jobs.Workers < 1 {
		return planner.FieldErrorf("concurrency", "%d must be at least 1", cfg.Jobs.Workers)
	}
	if err := cfg.Jobs.Check(); err != nil {
		return err
	}
	log, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	// The pool: a liveness lock and a heartbeat per running job, River's
	// fetches and the reaper.
	db.SQL().SetMaxOpenConns(2*cfg.Jobs.Workers + 6)
	checker, chart := newCheckDeps(db, log)
	_, stop, err := startRunner(ctx, db, cfg.Jobs, checkFunc(checker, chart), log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "parkplan: worker ready (concurrency %d, pid %d)\n", cfg.Jobs.Workers, os.Getpid())
	log.Info("worker ready", "concurrency", cfg.Jobs.Workers, "poll", cfg.Jobs.PollInterval, "lost_after", cfg.Jobs.LostAfter)
	<-ctx.Done()
	stop()
	log.Info("worker stopped")
	return nil
}
