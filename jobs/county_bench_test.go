package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/plantest"
)

// benchCountySeed names the seeded tiny dataset (plantest.Tiny) the
// county benchmarks solve: tasks of a few milliseconds, so the figures are
// the job engine's own cost.
const benchCountySeed = 13

// benchPoll is the workers' poll interval in the benchmarks (the tests'
// setting; the default, 1 s, adds up to 1 s of pick-up latency a task).
const benchPoll = 100 * time.Millisecond

// benchCountyDB (benchmarks and tests) returns a throwaway database on DATABASE_URL's server with
// parkplan's and River's migrations and the seeded tiny dataset imported.
func benchCountyDB(b testing.TB) *data.DB {
	b.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		b.Fatal("DATABASE_URL is unset; run `make test` or export DATABASE_URL=$(scripts/db.sh)")
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	name := "parkplan_bench_jobs_" + hex.EncodeToString(rnd[:])
	admin, err := sql.Open("postgres", base)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u.Path = "/" + name
	ctx := context.Background()
	db, err := data.Open(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.SQL().ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := Migrate(ctx, db.SQL()); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := dataset.WriteDir(plantest.Dataset(benchCountySeed, plantest.Tiny()), dir); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Import(ctx, dir, data.ImportOptions{By: "bench"}); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchRunner starts a runner on db working workers jobs at once (0: it
// only queues) and stops it when the benchmark ends.
func benchRunner(b testing.TB, db *data.DB, workers int) *Runner {
	b.Helper()
	r := newBenchRunner(b, db, workers)
	if err := r.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Stop(ctx)
	})
	return r
}

// newBenchRunner returns benchRunner's runner, not started (no reaper).
func newBenchRunner(b testing.TB, db *data.DB, workers int) *Runner {
	b.Helper()
	cfg := DefaultConfig()
	cfg.Workers, cfg.PollInterval, cfg.ProgressEvery, cfg.LostAfter = workers, benchPoll, 200*time.Millisecond, 2*time.Second
	eng := &engine.Engine{Store: db}
	r, err := New(cfg, Deps{DB: db.SQL(), Store: data.NewScenarioStore(db.SQL()), Plans: eng,
		Datasets: db, Counties: eng, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// benchTasks returns n node-limited county tasks at revision rev.
func benchTasks(b testing.TB, n, rev int) []planner.CountyTask {
	b.Helper()
	tasks := make([]planner.CountyTask, n)
	for i := range tasks {
		sc, err := planner.LoadScenario(strings.NewReader(fmt.Sprintf(`{"name": "bench %d", "target_parks": 1,
"every_town": false, "max_new_land_parks": -1, "time_limit": "60s", "gap_target": 0, "node_limit": %d}`, i, 1+i%5)))
		if err != nil {
			b.Fatal(err)
		}
		tasks[i] = planner.CountyTask{Province: "bench", Round: 1, County: planner.DefaultCountyCode, Scenario: *sc, DatasetRevision: rev}
	}
	return tasks
}

// BenchmarkCountyEnqueue queues a round of n county tasks (one
// transaction, one job per task) with no worker to take them: the
// coordinator's cost per task. The jobs are deleted between rounds,
// off the clock.
func BenchmarkCountyEnqueue(b *testing.B) {
	db := benchCountyDB(b)
	r := benchRunner(b, db, 0)
	s := NewCountySolver(r)
	for _, n := range []int{12, 90} {
		b.Run(fmt.Sprintf("tasks=%d", n), func(b *testing.B) {
			tasks := benchTasks(b, n, 1)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.enqueue(ctx, tasks); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if _, err := db.SQL().ExecContext(ctx, `DELETE FROM river_job`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/task")
		})
	}
}

// BenchmarkCountyRoundTrip solves rounds of n tiny county tasks on 1, 2
// and 3 workers (runners in this process, each its own River client:
// polling, fetch, liveness lock, result saved with the completion) and
// reports the time per task, the mean latency from the round's enqueue
// to each task's start (River's attempted_at − created_at: queueing
// behind the round's other tasks included) and the first task's (the
// pick-up latency).
func BenchmarkCountyRoundTrip(b *testing.B) {
	db := benchCountyDB(b)
	coord := benchRunner(b, db, 0)
	s := NewCountySolver(coord)
	rev, err := db.DatasetRevision(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var started int
	for _, workers := range []int{1, 2, 3} {
		for ; started < workers; started++ {
			benchRunner(b, db, 1)
		}
		for _, n := range []int{12, 90} {
			b.Run(fmt.Sprintf("workers=%d/tasks=%d", workers, n), func(b *testing.B) {
				tasks := benchTasks(b, n, rev.Revision)
				ctx := context.Background()
				var mean, first time.Duration
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					res, err := s.SolveCounties(ctx, tasks)
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					for j, r := range res {
						if r.Err != "" || r.Plan == nil {
							b.Fatalf("task %d: no plan: %s", j, r.Err)
						}
					}
					var avgMs, minMs float64
					if err := db.SQL().QueryRowContext(ctx, `SELECT avg(extract(epoch FROM attempted_at - created_at)) * 1000,
min(extract(epoch FROM attempted_at - created_at)) * 1000
FROM river_job WHERE kind = $1 AND state = 'completed'`, kindCounty).Scan(&avgMs, &minMs); err != nil {
						b.Fatal(err)
					}
					mean += time.Duration(avgMs * float64(time.Millisecond))
					first += time.Duration(minMs * float64(time.Millisecond))
					if _, err := db.SQL().ExecContext(ctx, `DELETE FROM river_job`); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/task")
				b.ReportMetric(float64(mean.Milliseconds())/float64(b.N), "ms-to-start")
				b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "ms-to-first-start")
			})
		}
	}
}
