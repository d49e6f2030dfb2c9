package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/province"
)

// The county-task tests (issue 13, item 3: a province's county solves are
// jobs, and a worker killed mid-province loses no county) run a
// coordinator in the test process (jobs.CountySolver on a runner that
// works no jobs) and three `parkplan worker` processes of the built
// binary on one PostgreSQL.
//
// The service tests' dataset holds one county (the implied default,
// planner.DefaultCountyCode): a round's tasks are that county under
// differently parametrised node-limited scenarios — the same shape of
// work, a plan per task, reproducible to the byte on any worker.

// countyScenario is a node-limited county scenario: %q name, %d target
// parks, %d node limit.
const countyScenario = `{"name": %q, "target_parks": %d, "every_town": false, "max_new_land_parks": -1,
"time_limit": "120s", "gap_target": 0, "node_limit": %d}`

// countyTasks returns n tasks of province prov, round 1, at revision rev:
// task i's scenario has target 1+i%3 parks and node limit base+40i.
func countyTasks(t *testing.T, prov string, n, base, rev int) []planner.CountyTask {
	t.Helper()
	tasks := make([]planner.CountyTask, n)
	for i := range tasks {
		sc, err := planner.LoadScenario(strings.NewReader(fmt.Sprintf(countyScenario, fmt.Sprintf("%s county %d", prov, i), 1+i%3, base+40*i)))
		if err != nil {
			t.Fatal(err)
		}
		tasks[i] = planner.CountyTask{Province: prov, Round: 1, County: planner.DefaultCountyCode, Scenario: *sc, DatasetRevision: rev}
	}
	return tasks
}

// countyBytes is a result as JSON with the plan's solve time removed: the
// bytes two solves of a node-limited task must share.
func countyBytes(t *testing.T, r planner.CountyResult) string {
	t.Helper()
	if r.Plan != nil {
		p := *r.Plan
		p.Solve.Elapsed = 0
		r.Plan = &p
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// inProcessCounty solves tasks here, one after another, on the stored
// dataset: the reference a round on workers must equal.
func inProcessCounty(t *testing.T, db *data.DB, tasks []planner.CountyTask) []string {
	t.Helper()
	ctx := context.Background()
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eng := province.CountyEngine() // the workers' county solver
	out := make([]string, len(tasks))
	for i, task := range tasks {
		cds, err := ds.CountyDataset(task.County)
		if err != nil {
			t.Fatal(err)
		}
		sc := task.Scenario
		plan, err := eng.SolveDataset(ctx, cds, &sc, nil)
		res := planner.CountyResult{County: task.County, Round: task.Round, Plan: plan}
		if err != nil {
			res.Err = err.Error()
		}
		out[i] = countyBytes(t, res)
	}
	return out
}

// countyCoordinator starts a job runner that works no jobs (its reaper
// runs) and returns its county solver.
func countyCoordinator(t *testing.T, db *data.DB) *jobs.CountySolver {
	t.Helper()
	cfg := jobs.DefaultConfig()
	cfg.Workers = 0
	cfg.PollInterval, cfg.ProgressEvery, cfg.LostAfter = 100*time.Millisecond, 200*time.Millisecond, 2*time.Second
	r, err := jobs.New(cfg, jobs.Deps{DB: db.SQL(), Store: data.NewScenarioStore(db.SQL()),
		Logger: slog.New(slog.NewTextHandler(&lockedBuffer{}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Stop(ctx)
	})
	return jobs.NewCountySolver(r)
}

// countyJob is a county task's River job and stored result as the tests
// read them.
type countyJob struct {
	id        int64
	state     string
	attempt   int
	attempted []string
	lastError string
	results   int    // result rows of the job
	worker    string // the result's worker
	resultAt  int    // the result's attempt
}

// countyJobs reads the county jobs of province prov, by task index.
func countyJobs(t *testing.T, db *sql.DB, prov string) []countyJob {
	t.Helper()
	rows, err := db.Query(`SELECT j.id, j.state, j.attempt, coalesce(j.attempted_by, '{}'), coalesce(to_jsonb(j.errors), '[]'),
(SELECT count(*) FROM county_job_result r WHERE r.job_id = j.id),
coalesce((SELECT worker FROM county_job_result r WHERE r.job_id = j.id), ''),
coalesce((SELECT attempt FROM county_job_result r WHERE r.job_id = j.id), 0)
FROM river_job j WHERE j.kind = 'parkplan_county' AND j.args->'task'->>'province' = $1
ORDER BY (j.args->>'index')::int, j.id`, prov)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []countyJob
	for rows.Next() {
		var (
			j    countyJob
			by   pq.StringArray
			errs []byte
		)
		if err := rows.Scan(&j.id, &j.state, &j.attempt, &by, &errs, &j.results, &j.worker, &j.resultAt); err != nil {
			t.Fatal(err)
		}
		j.attempted = by
		var list []struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(errs, &list) == nil && len(list) > 0 {
			j.lastError = list[len(list)-1].Error
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitCountyJobsEnded waits (up to 10 s) until no county job of prov is
// running — River records a job's end just after the worker's — and
// returns them.
func waitCountyJobsEnded(t *testing.T, db *sql.DB, prov string) []countyJob {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		js := countyJobs(t, db, prov)
		running := false
		for _, j := range js {
			running = running || j.state == "running" || j.state == "available"
		}
		if !running || time.Now().After(deadline) {
			return js
		}
	}
}

// assertRound checks a finished round: every task's result is the
// reference's to the byte, and each task's job completed with exactly one
// result, written by the attempt that completed it on the worker that ran
// that attempt. It returns the jobs.
func assertRound(t *testing.T, db *sql.DB, prov string, got []planner.CountyResult, ref []string) []countyJob {
	t.Helper()
	if len(got) != len(ref) {
		t.Fatalf("%d results for %d tasks", len(got), len(ref))
	}
	for i := range got {
		if b := countyBytes(t, got[i]); b != ref[i] {
			t.Errorf("task %d: the workers' result differs from the in-process solve:\n%.600s\n%.600s", i, b, ref[i])
		}
	}
	js := waitCountyJobsEnded(t, db, prov)
	if len(js) != len(ref) {
		t.Fatalf("%d county jobs for %d tasks", len(js), len(ref))
	}
	for i, j := range js {
		if j.state != "completed" || j.results != 1 || j.resultAt != j.attempt ||
			len(j.attempted) != j.attempt || j.worker != j.attempted[len(j.attempted)-1] {
			t.Errorf("task %d's job %d: %s, attempt %d by %v, %d result(s) by %q at attempt %d; want completed with one result of its last attempt's worker",
				i, j.id, j.state, j.attempt, j.attempted, j.results, j.worker, j.resultAt)
		}
	}
	return js
}

// runningCountyWorker polls (every 20 ms, up to wait) for a county job
// that running returns (0: none yet) and the worker among workers whose
// log says it started that job's first attempt; it fails the test when
// none is seen.
func runningCountyWorker(t *testing.T, workers []*proc, wait time.Duration, running func() int64) (victim int, job int64) {
	t.Helper()
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		job = running()
		if job == 0 {
			continue
		}
		started := regexp.MustCompile(fmt.Sprintf(`msg="county task started".* attempt=1 job=%d\b`, job))
		for i, w := range workers {
			if started.MatchString(w.logs.String()) {
				return i, job
			}
		}
	}
	t.Fatal("no worker was seen running a county task")
	return -1, 0
}

// TestCountyJobsOnWorkers runs province rounds of six county tasks on
// three `parkplan worker` processes: every task finishes on one worker in
// one attempt and its result is the in-process solve's to the byte; a
// worker SIGKILLed mid-round loses no county (its task runs again on
// another worker, one result stored); a cancelled round leaves no job
// running or waiting.
func TestCountyJobsOnWorkers(t *testing.T) {
	dbURL := svcDB(t)
	bin := buildParkplan(t)
	ctx := context.Background()
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rev, err := db.DatasetRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}

	const n = 6
	tasks := countyTasks(t, "zj", n, 100, rev.Revision)
	start := time.Now()
	ref := inProcessCounty(t, db, tasks)
	t.Logf("%d county tasks in process in %v", n, time.Since(start).Round(time.Millisecond))

	workers := []*proc{startWorker(t, bin, dbURL), startWorker(t, bin, dbURL), startWorker(t, bin, dbURL)}
	cs := countyCoordinator(t, db)
	defer func() {
		if t.Failed() {
			for i, w := range workers {
				t.Logf("worker %d log:\n%s", i, w.logs.String())
			}
		}
	}()

	start = time.Now()
	rctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	got, err := cs.SolveCounties(rctx, tasks)
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d county tasks on three workers in %v", n, time.Since(start).Round(time.Millisecond))
	js := assertRound(t, db.SQL(), "zj", got, ref)
	perWorker := map[string]int{}
	for i, j := range js {
		if j.attempt != 1 {
			t.Errorf("task %d ran %d attempts; want 1 (no worker was lost)", i, j.attempt)
		}
		perWorker[j.worker]++
	}
	t.Logf("tasks per worker: %v", perWorker)
	if len(perWorker) < 2 {
		t.Errorf("the %d tasks went to %d worker(s); want them spread", n, len(perWorker))
	}
	assertNothingActive(t, db.SQL())

	t.Run("kill -9 a worker mid-round", func(t *testing.T) {
		// The same tasks in a new round: task 0's worker is killed as soon
		// as it runs it.
		kt := make([]planner.CountyTask, n)
		for i, task := range tasks {
			task.Province = "zj-kill"
			kt[i] = task
		}
		type answer struct {
			res []planner.CountyResult
			err error
		}
		done := make(chan answer, 1)
		go func() {
			res, err := cs.SolveCounties(ctx, kt)
			done <- answer{res, err}
		}()
		victim, job := runningCountyWorker(t, workers, 60*time.Second, func() int64 {
			for _, j := range countyJobs(t, db.SQL(), "zj-kill") {
				if j.state == "running" && j.results == 0 {
					return j.id
				}
			}
			return 0
		})
		workers[victim].kill()
		killedAt := time.Now()
		var a answer
		select {
		case a = <-done:
		case <-time.After(3 * time.Minute):
			t.Fatal("the round did not finish within 3 minutes of the kill")
		}
		if a.err != nil {
			t.Fatal(a.err)
		}
		t.Logf("killed worker %d on job %d; the round finished %v later", victim, job, time.Since(killedAt).Round(time.Millisecond))
		js := assertRound(t, db.SQL(), "zj-kill", a.res, ref)
		for i, j := range js {
			if j.id != job {
				continue
			}
			if j.attempt != 2 || len(j.attempted) != 2 || j.attempted[0] == j.attempted[1] {
				t.Errorf("task %d (the killed worker's): attempt %d by %v; want attempt 2 on another worker", i, j.attempt, j.attempted)
			}
			// The reaper's rescue records its time in the job's error; the
			// restart waits for a free worker slot (the others work the
			// round's other tasks).
			var rescued, restarted time.Time
			if err := db.SQL().QueryRow(`SELECT (errors[array_length(errors, 1)]->>'at')::timestamptz, attempted_at
FROM river_job WHERE id = $1`, j.id).Scan(&rescued, &restarted); err != nil {
				t.Fatal(err)
			}
			t.Logf("the killed worker's task was rescued %v and restarted on another worker %v after the kill (lost after 2 s, polls every 100 ms)",
				rescued.Sub(killedAt).Round(time.Millisecond), restarted.Sub(killedAt).Round(time.Millisecond))
			if !strings.Contains(j.lastError, "was lost") {
				t.Errorf("task %d's job error %q does not say the worker was lost", i, j.lastError)
			}
		}
		assertNothingActive(t, db.SQL())
	})

	t.Run("cancel a round", func(t *testing.T) {
		// Long tasks (60 s time limits, gap target 0), cancelled once one runs.
		long := countyTasks(t, "zj-cancel", n, 0, rev.Revision)
		for i := range long {
			sc, err := planner.LoadScenario(strings.NewReader(fmt.Sprintf(timedScenario, fmt.Sprintf("cancelled county %d", i), "60s")))
			if err != nil {
				t.Fatal(err)
			}
			long[i].Scenario = *sc
		}
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		done := make(chan error, 1)
		go func() {
			_, err := cs.SolveCounties(cctx, long)
			done <- err
		}()
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			running := 0
			for _, j := range countyJobs(t, db.SQL(), "zj-cancel") {
				if j.state == "running" {
					running++
				}
			}
			if running > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no task of the round started within 60 s")
			}
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("SolveCounties after cancel: %v; want context.Canceled", err)
		}
		cancelledAt := time.Now()
		js := waitCountyJobsEnded(t, db.SQL(), "zj-cancel")
		t.Logf("round cancelled: its jobs ended within %v", time.Since(cancelledAt).Round(time.Millisecond))
		for i, j := range js {
			if j.state != "cancelled" && j.state != "completed" {
				t.Errorf("task %d's job %d is %s after the round was cancelled; want cancelled (or completed before)", i, j.id, j.state)
			}
			if j.state == "cancelled" && j.results != 0 {
				t.Errorf("task %d's cancelled job %d has %d result(s)", i, j.id, j.results)
			}
		}
		assertNothingActive(t, db.SQL())
	})
	t.Run("a task on another dataset revision voids the round", func(t *testing.T) {
		stale := countyTasks(t, "zj-stale", 2, 100, rev.Revision+1)
		_, err := cs.SolveCounties(ctx, stale)
		if !errors.Is(err, planner.ErrDataChanged) {
			t.Fatalf("SolveCounties on revision %d (the data is at %d): %v; want ErrDataChanged", rev.Revision+1, rev.Revision, err)
		}
		waitCountyJobsEnded(t, db.SQL(), "zj-stale")
		assertNothingActive(t, db.SQL())
	})

	t.Run("serve --workers 1 works county tasks", func(t *testing.T) {
		for _, w := range workers {
			w.kill()
		}
		startServeWorkers(t, bin, dbURL, 1)
		st := make([]planner.CountyTask, 2)
		for i := range st {
			st[i] = tasks[i]
			st[i].Province = "zj-serve"
		}
		got, err := cs.SolveCounties(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		assertRound(t, db.SQL(), "zj-serve", got, ref[:2])
		assertNothingActive(t, db.SQL())
	})
}

// TestCountyJobsProvince runs a round of six tasks — the three counties
// of a demo province (demo.Province), two node-limited scenarios each —
// on three `parkplan worker` processes: each task solves its county's part
// of the dataset (its plan's parks are in that county's towns), and every
// result equals the in-process solve of the same task to the byte.
func TestCountyJobsProvince(t *testing.T) {
	ds, err := demo.Province(demo.Options{Seed: demo.DefaultSeed}, 3)
	if err != nil {
		t.Fatal(err)
	}
	dbURL := importedTestDB(t, "prov", ds)
	bin := buildParkplan(t)
	ctx := context.Background()
	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rev, err := db.DatasetRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	codes := ds.CountyCodes()
	var tasks []planner.CountyTask
	for _, nodes := range []int{30, 60} {
		for _, code := range codes {
			sc, err := planner.LoadScenario(strings.NewReader(fmt.Sprintf(countyScenario, fmt.Sprintf("province %s %d", code, nodes), 1, nodes)))
			if err != nil {
				t.Fatal(err)
			}
			tasks = append(tasks, planner.CountyTask{Province: "zj-demo", Round: 1, County: code, Scenario: *sc, DatasetRevision: rev.Revision})
		}
	}
	start := time.Now()
	ref := inProcessCounty(t, db, tasks)
	t.Logf("%d county tasks (%v) in process in %v", len(tasks), codes, time.Since(start).Round(time.Millisecond))
	for range 3 {
		startWorker(t, bin, dbURL)
	}
	cs := countyCoordinator(t, db)
	start = time.Now()
	got, err := cs.SolveCounties(ctx, tasks)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("on three workers in %v", time.Since(start).Round(time.Millisecond))
	assertRound(t, db.SQL(), "zj-demo", got, ref)
	// Each county's plan is of its own towns.
	for i, res := range got {
		cds, err := ds.CountyDataset(tasks[i].County)
		if err != nil {
			t.Fatal(err)
		}
		towns := map[string]bool{}
		for _, tw := range cds.Towns {
			towns[tw.Code] = true
		}
		if res.Plan == nil || len(res.Plan.Parks) == 0 {
			t.Fatalf("county %s: no parks in its plan (%s)", res.County, res.Err)
		}
		for _, p := range res.Plan.Parks {
			if !towns[p.Town] {
				t.Errorf("county %s's plan has park %s in town %s, not one of its towns", res.County, p.ParcelID, p.Town)
			}
		}
	}
	assertNothingActive(t, db.SQL())
}
