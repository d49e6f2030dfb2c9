package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/parkplan/parkplan/api"
	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
)

// serveConfig is `parkplan serve`'s configuration: defaults, then the
// YAML file (--config), then PARKPLAN_* environment variables, then flags
// (docs/api.md lists every key).
type serveConfig struct {
	API api.Config `yaml:"api"`
	// DatabaseURL is the PostGIS URL (env DATABASE_URL).
	DatabaseURL string `yaml:"database_url"`
	// DBMaxConns and DBMaxIdle size the connection pool; keep DBMaxIdle
	// equal to DBMaxConns so a burst does not close and reopen connections.
	DBMaxConns int `yaml:"db_max_conns"`
	DBMaxIdle  int `yaml:"db_max_idle"`
	// ReadDBs are hot standbys (streaming replicas) of DatabaseURL that
	// serve GET requests (--read-db, repeatable); writes and a client's
	// reads after its own writes, until a standby has replayed them, go to
	// the primary (docs/scale.md).
	ReadDBs []string `yaml:"read_database_urls"`
	// ReadMaxLag takes a standby out of rotation once it has not replayed
	// what the primary had written this long ago; ReadCheckEvery is how
	// often each standby is checked.
	ReadMaxLag     time.Duration `yaml:"read_max_lag"`
	ReadCheckEvery time.Duration `yaml:"read_check_every"`
	// FeatureCacheMB sizes the feature cache (MiB; 0 turns it off). It is
	// exact: PostgreSQL notifications (migration 00030) drop it on every
	// committed change.
	FeatureCacheMB int `yaml:"feature_cache_mb"`
	// MaxPageVertices bounds the geometry of one feature answer (a page,
	// a feature, a chunk of a layer download), and so its memory: pages
	// end early at it, a single larger feature is refused with 413; 0
	// lifts the bound.
	MaxPageVertices int `yaml:"max_page_vertices"`
	// Migrate applies pending migrations at start.
	Migrate bool `yaml:"migrate"`
	// LogLevel is debug, info, warn or error; LogFormat text or json.
	LogLevel  string `yaml:"log_level"`
	LogFormat string `yaml:"log_format"`
	// Jobs configures the job runner (workers, queue, Retry-After,
	// progress interval, plan save timeout, polling, lost workers); Workers
	// 0 only queues jobs, for `parkplan worker` processes.
	Jobs jobs.Config `yaml:"jobs"`
}

// defaultServeConfig returns the documented defaults.
func defaultServeConfig() serveConfig {
	return serveConfig{API: api.DefaultConfig(), DBMaxConns: 16, DBMaxIdle: 16, Migrate: true, FeatureCacheMB: 64,
		MaxPageVertices: data.DefaultMaxVertices,
		LogLevel:        "info", LogFormat: "text", Jobs: jobs.DefaultConfig(),
		ReadMaxLag: data.DefaultReadMaxLag, ReadCheckEvery: data.DefaultReadCheckEvery}
}

// serveEnv maps PARKPLAN_* environment variables to flag names; flags and
// variables share parsing.
var serveEnv = map[string]string{
	"PARKPLAN_ADDR":               "addr",
	"PARKPLAN_BASE_URL":           "base-url",
	"PARKPLAN_READ_TIMEOUT":       "read-timeout",
	"PARKPLAN_WRITE_TIMEOUT":      "write-timeout",
	"PARKPLAN_IDLE_TIMEOUT":       "idle-timeout",
	"PARKPLAN_REQUEST_TIMEOUT":    "request-timeout",
	"PARKPLAN_BODY_LIMIT":         "body-limit",
	"PARKPLAN_ACCESS_LOG":         "access-log",
	"PARKPLAN_DB_MAX_CONNS":       "db-max-conns",
	"PARKPLAN_LOG_LEVEL":          "log-level",
	"PARKPLAN_LOG_FORMAT":         "log-format",
	"PARKPLAN_MIGRATE":            "migrate",
	"PARKPLAN_FEATURE_CACHE_MB":   "feature-cache-mb",
	"PARKPLAN_MAX_PAGE_VERTICES":  "max-page-vertices",
	"PARKPLAN_BASE_MAP_URL":       "base-map-url",
	"PARKPLAN_CORS_ORIGINS":       "cors-origins",
	"PARKPLAN_MAP_TILES_ABOVE":    "map-tiles-above",
	"PARKPLAN_JOB_WORKERS":        "job-workers",
	"PARKPLAN_JOB_QUEUE":          "job-queue",
	"PARKPLAN_JOB_RETRY_AFTER":    "job-retry-after",
	"PARKPLAN_JOB_PROGRESS_EVERY": "job-progress-every",
	"PARKPLAN_JOB_POLL_INTERVAL":  "job-poll-interval",
	"PARKPLAN_JOB_LOST_AFTER":     "job-lost-after",
	"DATABASE_URL":                "db",
}

// serveFlags binds cfg's fields to a flag set.
func serveFlags(cfg *serveConfig, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.String("config", "", "YAML configuration file (docs/api.md)")
	fs.StringVar(&cfg.API.Addr, "addr", cfg.API.Addr, "listen address HOST:PORT (port 0: any free port)")
	fs.StringVar(&cfg.API.BaseURL, "base-url", cfg.API.BaseURL, "external URL prefix for links (default: from the request)")
	fs.DurationVar(&cfg.API.ReadTimeout, "read-timeout", cfg.API.ReadTimeout, "read timeout of a request")
	fs.DurationVar(&cfg.API.WriteTimeout, "write-timeout", cfg.API.WriteTimeout, "write timeout of a response")
	fs.DurationVar(&cfg.API.IdleTimeout, "idle-timeout", cfg.API.IdleTimeout, "keep-alive idle timeout")
	fs.DurationVar(&cfg.API.RequestTimeout, "request-timeout", cfg.API.RequestTimeout, "database time limit of a request")
	fs.Int64Var(&cfg.API.BodyLimit, "body-limit", cfg.API.BodyLimit, "largest request body, bytes")
	fs.BoolVar(&cfg.API.AccessLog, "access-log", cfg.API.AccessLog, "log every request")
	fs.Func("cors-origins", `web origins allowed to read from the browser, comma-separated ("*": any; "": none) (default "*")`, func(v string) error {
		cfg.API.CORSOrigins = nil
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				cfg.API.CORSOrigins = append(cfg.API.CORSOrigins, o)
			}
		}
		return nil
	})
	fs.StringVar(&cfg.API.Web.BaseMapURL, "base-map-url", cfg.API.Web.BaseMapURL, "XYZ tile URL template under the map page's layers")
	fs.IntVar(&cfg.API.Web.TilesAbove, "map-tiles-above", cfg.API.Web.TilesAbove, "the map page draws parcels from vector tiles above this many (0: always)")
	fs.StringVar(&cfg.DatabaseURL, "db", cfg.DatabaseURL, "PostGIS URL (default $DATABASE_URL)")
	fs.Func("read-db", "PostGIS URL of a hot standby serving reads (repeatable)", func(v string) error {
		cfg.ReadDBs = append(cfg.ReadDBs, v)
		return nil
	})
	fs.DurationVar(&cfg.ReadMaxLag, "read-max-lag", cfg.ReadMaxLag, "a standby further behind the primary is out of rotation")
	fs.DurationVar(&cfg.ReadCheckEvery, "read-check-every", cfg.ReadCheckEvery, "how often each standby's health and lag are checked")
	fs.IntVar(&cfg.DBMaxConns, "db-max-conns", cfg.DBMaxConns, "database connections, at most")
	fs.BoolVar(&cfg.Migrate, "migrate", cfg.Migrate, "apply pending migrations at start")
	fs.IntVar(&cfg.FeatureCacheMB, "feature-cache-mb", cfg.FeatureCacheMB, "feature cache size, MiB (0: off); dropped on every committed change")
	fs.IntVar(&cfg.MaxPageVertices, "max-page-vertices", cfg.MaxPageVertices, "vertices one feature answer may carry (pages end early; a larger feature is 413; 0: no bound)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "text or json")
	fs.IntVar(&cfg.Jobs.Workers, "workers", cfg.Jobs.Workers, "jobs (solves) this process works at once (0: none, only `parkplan worker`s)")
	fs.IntVar(&cfg.Jobs.Workers, "job-workers", cfg.Jobs.Workers, "the same as --workers")
	jobFlags(fs, &cfg.Jobs)
	return fs
}

// loadServeConfig reads the configuration from file, environment and args.
func loadServeConfig(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	cfg := defaultServeConfig()
	// The file comes first, so find --config before parsing the rest.
	file := configArg(args, getenv("PARKPLAN_CONFIG"))
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return cfg, planner.FieldErrorf("--config", "reading the configuration: %v", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			return cfg, planner.FieldErrorf(file, "%v", err)
		}
	}
	fs := serveFlags(&cfg, stderr)
	for env, name := range serveEnv {
		if v := getenv(env); v != "" {
			if err := fs.Set(name, v); err != nil {
				return cfg, planner.FieldErrorf(env, "%v", err)
			}
		}
	}
	if err := fs.Parse(args); err != nil {
		return cfg, planner.FieldErrorf("serve", "%v", err)
	}
	if fs.NArg() > 0 {
		return cfg, planner.FieldErrorf("serve", "unexpected argument %q", fs.Arg(0))
	}
	if cfg.DBMaxIdle > cfg.DBMaxConns || cfg.DBMaxIdle == 0 {
		cfg.DBMaxIdle = cfg.DBMaxConns
	}
	if cfg.DBMaxConns < 1 {
		return cfg, planner.FieldErrorf("db-max-conns", "%d must be at least 1", cfg.DBMaxConns)
	}
	if cfg.MaxPageVertices < 0 {
		return cfg, planner.FieldErrorf("max-page-vertices", "%d must be ≥ 0 (0: no bound)", cfg.MaxPageVertices)
	}
	if err := cfg.Jobs.Check(); err != nil {
		return cfg, err
	}
	switch {
	case cfg.ReadMaxLag <= 0:
		return cfg, planner.FieldErrorf("read-max-lag", "%v must be > 0", cfg.ReadMaxLag)
	case cfg.ReadCheckEvery <= 0:
		return cfg, planner.FieldErrorf("read-check-every", "%v must be > 0", cfg.ReadCheckEvery)
	}
	for i, u := range cfg.ReadDBs {
		if strings.TrimSpace(u) == "" {
			return cfg, planner.FieldErrorf("read-db", "standby %d: empty URL", i+1)
		}
	}
	return cfg, nil
}

// jobFlags binds the job queue's settings shared by serve and worker.
func jobFlags(fs *flag.FlagSet, c *jobs.Config) {
	fs.IntVar(&c.Queue, "job-queue", c.Queue, "jobs that may wait for a worker, over all processes; more are refused with 429")
	fs.DurationVar(&c.RetryAfter, "job-retry-after", c.RetryAfter, "Retry-After of a 429 when the job queue is full")
	fs.DurationVar(&c.ProgressEvery, "job-progress-every", c.ProgressEvery, "how often a running solve's progress is stored (and a cancel seen)")
	fs.DurationVar(&c.PollInterval, "job-poll-interval", c.PollInterval, "how often an idle worker asks the database for jobs")
	fs.DurationVar(&c.LostAfter, "job-lost-after", c.LostAfter, "a running job whose worker holds no liveness lock this long is queued again")
}

// configArg returns the value of --config (or -config) in args, else def.
func configArg(args []string, def string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasVal {
			def = val
		} else if i+1 < len(args) {
			def = args[i+1]
		}
	}
	return def
}

// newLogger builds the slog logger cfg asks for.
func newLogger(cfg serveConfig, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, planner.FieldErrorf("log-level", "%q is not debug, info, warn or error", cfg.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, planner.FieldErrorf("log-format", "%q is not text or json", cfg.LogFormat)
}

// runServe implements `parkplan serve --addr HOST:PORT [--config FILE]`:
// it opens the database, applies migrations, prints the URL and serves
// until ctx ends (SIGINT/SIGTERM), then shuts down gracefully.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := loadServeConfig(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	db, err := data.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	pool := db.SQL()
	pool.SetMaxOpenConns(cfg.DBMaxConns)
	pool.SetMaxIdleConns(cfg.DBMaxIdle)
	if cfg.Migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, m := range applied {
			log.Info("migration applied", "version", m.Version, "file", m.Source)
		}
		river, err := jobs.Migrate(ctx, pool)
		if err != nil {
			return err
		}
		for _, m := range river {
			log.Info("River migration applied", "version", m.Version, "name", m.Name)
		}
	}
	deps := api.Deps{Features: data.NewFeatureStore(pool), Provinces: data.NewProvinceStore(pool), Logger: log,
		Unavailable: data.IsUnavailable, Ready: db.Ready}
	checker, chart := newCheckDeps(db, log)
	runner, stopScenarios, err := wireScenarios(ctx, &deps, db, cfg, checkFunc(checker, chart), log)
	if err != nil {
		return err
	}
	// Deferred after db.Close, so it runs before it: the job runner hands
	// its interrupted runs back to the queue while the pool is still open.
	defer stopScenarios()
	if fs, ok := deps.Features.(*data.FeatureStore); ok {
		fs.MaxVertices = cfg.MaxPageVertices
		deps.Tiles = fs // the same layers as vector tiles
		if cfg.FeatureCacheMB > 0 {
			if err := fs.StartCache(ctx, cfg.DatabaseURL, int64(cfg.FeatureCacheMB)<<20, log); err != nil {
				log.Warn("serving features without a cache", "error", err)
			}
		}
	}
	srv, err := api.New(cfg.API, deps)
	if err != nil {
		return err
	}
	srv.RegisterChecks(checker, chart, runner) // POST /checks (serve_checks.go)
	srv.RegisterReports(newReportBuilder(db))  // GET /scenarios/{id}/report (cmd_report.go)
	start := time.Now()
	err = srv.ListenAndServe(ctx, func(url string) {
		fmt.Fprintln(stdout, "parkplan: serving on "+url)
		log.Info("serving", "url", url, "db_max_conns", strconv.Itoa(cfg.DBMaxConns))
	})
	log.Info("stopped", "uptime", time.Since(start).Round(time.Millisecond))
	return err
}
