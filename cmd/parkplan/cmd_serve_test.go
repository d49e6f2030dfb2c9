package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
)

func TestLoadServeConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "serve.yaml")
	if err := os.WriteFile(file, []byte("api:\n  addr: 0.0.0.0:9000\n  write_timeout: 45s\n  body_limit: 2048\ndb_max_conns: 8\nfeature_cache_mb: 16\nlog_format: json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	jobsFile := filepath.Join(dir, "jobs.yaml")
	if err := os.WriteFile(jobsFile, []byte("jobs:\n  workers: 3\n  queue: 5\n  retry_after: 10s\n  progress_every: 250ms\n  save_timeout: 1m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badJobs := filepath.Join(dir, "bad-jobs.yaml")
	if err := os.WriteFile(badJobs, []byte("jobs:\n  queue: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("api:\n  adress: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, c serveConfig)
		field string // EINVALID error expected at this field
	}{
		{name: "defaults", check: func(t *testing.T, c serveConfig) {
			if c.API.Addr != "127.0.0.1:8080" || c.API.WriteTimeout != 120*time.Second || c.DBMaxConns != 16 || c.DBMaxIdle != 16 ||
				c.FeatureCacheMB != 64 || !c.Migrate || !c.API.AccessLog || c.Jobs != jobs.DefaultConfig() {
				t.Errorf("%+v", c)
			}
		}},
		{name: "job runner from the file", args: []string{"--config", jobsFile}, check: func(t *testing.T, c serveConfig) {
			want := jobs.DefaultConfig()
			want.Workers, want.Queue, want.RetryAfter, want.ProgressEvery, want.SaveTimeout = 3, 5, 10*time.Second, 250*time.Millisecond, time.Minute
			if c.Jobs != want {
				t.Errorf("jobs %+v, want %+v", c.Jobs, want)
			}
		}},
		{name: "job runner: environment over file, flags over environment",
			args: []string{"--config", jobsFile, "--job-workers", "1", "--job-retry-after=2s"},
			env:  map[string]string{"PARKPLAN_JOB_QUEUE": "2", "PARKPLAN_JOB_WORKERS": "4", "PARKPLAN_JOB_PROGRESS_EVERY": "100ms"},
			check: func(t *testing.T, c serveConfig) {
				want := jobs.DefaultConfig()
				want.Workers, want.Queue, want.RetryAfter, want.ProgressEvery, want.SaveTimeout = 1, 2, 2*time.Second, 100*time.Millisecond, time.Minute
				if c.Jobs != want {
					t.Errorf("jobs %+v, want %+v", c.Jobs, want)
				}
			}},
		{name: "file", args: []string{"--config", file}, check: func(t *testing.T, c serveConfig) {
			if c.API.Addr != "0.0.0.0:9000" || c.API.WriteTimeout != 45*time.Second || c.API.BodyLimit != 2048 ||
				c.DBMaxConns != 8 || c.DBMaxIdle != 8 || c.FeatureCacheMB != 16 || c.LogFormat != "json" {
				t.Errorf("%+v", c)
			}
		}},
		{name: "environment over file", args: []string{"--config=" + file},
			env: map[string]string{"PARKPLAN_ADDR": "127.0.0.1:7000", "DATABASE_URL": "postgres://x/y", "PARKPLAN_ACCESS_LOG": "false"},
			check: func(t *testing.T, c serveConfig) {
				if c.API.Addr != "127.0.0.1:7000" || c.DatabaseURL != "postgres://x/y" || c.API.AccessLog || c.DBMaxConns != 8 {
					t.Errorf("%+v", c)
				}
			}},
		{name: "standbys", args: []string{"--read-db", "postgres://s1/db", "--read-db=postgres://s2/db", "--read-max-lag", "2s", "--map-tiles-above", "0"},
			check: func(t *testing.T, c serveConfig) {
				if strings.Join(c.ReadDBs, " ") != "postgres://s1/db postgres://s2/db" || c.ReadMaxLag != 2*time.Second ||
					c.ReadCheckEvery != time.Second || c.API.Web.TilesAbove != 0 {
					t.Errorf("%+v", c)
				}
			}},
		{name: "no standbys by default, parcels tiled above 20,000", check: func(t *testing.T, c serveConfig) {
			if len(c.ReadDBs) != 0 || c.API.Web.TilesAbove != 20000 {
				t.Errorf("%+v", c)
			}
		}},
		{name: "lag limit must be positive", args: []string{"--read-max-lag", "0s"}, field: "read-max-lag"},
		{name: "empty standby URL", args: []string{"--read-db", " "}, field: "read-db"},
		{name: "CORS origins", args: []string{"--cors-origins", "https://a.example, https://b.example"},
			check: func(t *testing.T, c serveConfig) {
				if strings.Join(c.API.CORSOrigins, " ") != "https://a.example https://b.example" {
					t.Errorf("%q", c.API.CORSOrigins)
				}
			}},
		{name: "no CORS", env: map[string]string{"PARKPLAN_CORS_ORIGINS": " "},
			check: func(t *testing.T, c serveConfig) {
				if len(c.API.CORSOrigins) != 0 {
					t.Errorf("%q", c.API.CORSOrigins)
				}
			}},
		{name: "flags over environment", args: []string{"--addr", "127.0.0.1:0", "--access-log=true"},
			env: map[string]string{"PARKPLAN_ADDR": "127.0.0.1:7000", "PARKPLAN_ACCESS_LOG": "false"},
			check: func(t *testing.T, c serveConfig) {
				if c.API.Addr != "127.0.0.1:0" || !c.API.AccessLog {
					t.Errorf("%+v", c)
				}
			}},
		{name: "unknown file key", args: []string{"--config", bad}, field: bad},
		{name: "missing file", args: []string{"--config", filepath.Join(dir, "none.yaml")}, field: "--config"},
		{name: "bad environment value", env: map[string]string{"PARKPLAN_WRITE_TIMEOUT": "soon"}, field: "PARKPLAN_WRITE_TIMEOUT"},
		{name: "unknown flag", args: []string{"--colour"}, field: "serve"},
		{name: "stray argument", args: []string{"extra"}, field: "serve"},
		{name: "no connections", args: []string{"--db-max-conns", "0"}, field: "db-max-conns"},
		{name: "negative workers", args: []string{"--workers", "-1"}, field: "workers"},
		{name: "API only", args: []string{"--workers", "0"}, check: func(t *testing.T, c serveConfig) {
			if c.Jobs.Workers != 0 {
				t.Errorf("workers %d", c.Jobs.Workers)
			}
		}},
		{name: "lost-worker interval too short", env: map[string]string{"PARKPLAN_JOB_LOST_AFTER": "10ms"}, field: "job-lost-after"},
		{name: "no queue in the file", args: []string{"--config", badJobs}, field: "job-queue"},
		{name: "bad Retry-After variable", env: map[string]string{"PARKPLAN_JOB_RETRY_AFTER": "soon"}, field: "PARKPLAN_JOB_RETRY_AFTER"},
		{name: "zero progress interval", args: []string{"--job-progress-every", "0s"}, field: "job-progress-every"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return tc.env[k] }
			c, err := loadServeConfig(tc.args, getenv, io.Discard)
			if tc.field != "" {
				pe, ok := err.(*planner.Error)
				if !ok || pe.Code != planner.EINVALID || pe.Field != tc.field {
					t.Fatalf("err %v, want EINVALID at %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
	if _, err := newLogger(serveConfig{LogLevel: "loud", LogFormat: "text"}, io.Discard); err == nil || !strings.Contains(err.Error(), "loud") {
		t.Errorf("bad log level: %v", err)
	}
}
