package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
)

func TestLoadServeConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "serve.yaml")
	if err := os.WriteFile(file, []byte("api:\n  addr: 0.0.0.0:9000\n  write_timeout: 45s\n  body_limit: 2048\ndb_max_conns: 8\nfeature_cache_mb: 16\nlog_format: json\n"), 0o644); err != nil {
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
				c.FeatureCacheMB != 64 || !c.Migrate || !c.API.AccessLog {
				t.Errorf("%+v", c)
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
