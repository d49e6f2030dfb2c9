package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/rules"
)

// provinceJobsCounties is the province of TestProvinceSolveOnWorker
// (issue 13: 12 counties in make test). County tasks are solved with
// province.CountyEngine (LP-dual start, no CBC root beside it): with the
// root beside every solve 12 counties took ~8 minutes here.
const provinceJobsCounties = 12

// provinceJobsScenario is the province of TestProvinceSolveOnWorker:
// node-limited county solves (reproducible to the byte on any worker)
// under a pool of 300 and 750 mu per county in 2019 and 2020, each
// county capped at that share (below what some counties' towns could
// take): the county allocation rows bind from round 0 on, and round 0's
// plans fit the pool together, so each run of the province is one solve
// per county. (With the pool alone binding, the coordinator also runs an
// allocation round and re-solves: ~30 county solves a run, and under the
// load of four sessions on two cores the test took over 10 minutes. The
// coordinator's allocation is tested in planner/province.)
func provinceJobsScenario(counties int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `name: jobs province
county: {node_limit: 40, time_limit: 120s, target_parks: 0, max_new_land_parks: -1}
pool:
  - {year: 2019, new_land_mu: %d}
  - {year: 2020, new_land_mu: %d}
shares:
`, 300*counties, 750*counties)
	for i := 1; i <= counties; i++ {
		fmt.Fprintf(&b, "  - {county: c%02d, year: 2019, cap_mu: 300}\n", i)
		fmt.Fprintf(&b, "  - {county: c%02d, year: 2020, cap_mu: 750}\n", i)
	}
	return b.String()
}

// provinceBytes is `province solve --json`'s result with what differs
// between two runs of one plan removed: the elapsed time and the saved
// scenarios' ids (a run with --no-save has none).
func provinceBytes(t *testing.T, out string) (string, *planner.ProvinceResult) {
	t.Helper()
	var res planner.ProvinceResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json: %v\n%.400s", err, out)
	}
	norm := res
	norm.Elapsed = planner.Duration{}
	norm.Counties = append([]planner.CountyOutcome(nil), res.Counties...)
	for i := range norm.Counties {
		norm.Counties[i].ScenarioID = ""
	}
	b, err := json.Marshal(norm)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), &res
}

// TestProvinceSolveOnWorker: a 2-county `parkplan demo --counties 2`
// imported into PostGIS; `parkplan province solve --jobs` with one
// `parkplan worker` process solving every county task gives the same
// result, to the byte, as the in-process solve; the run's county solves
// were the worker's jobs; the provincial record and one plan scenario per
// county are saved (read back through ProvinceStore and ScenarioStore);
// each year's allocation fits the pool and each county's use its
// allocation; and every county plan keeps planner/rules on the county's
// part of the stored dataset.
func TestProvinceSolveOnWorker(t *testing.T) {
	ctx := context.Background()
	dbURL := postgisTestDB(t, "provjobs")
	dir := t.TempDir()
	if code, _, stderr := runCLI("demo", "--out", dir, "--counties", fmt.Sprint(provinceJobsCounties)); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI("import", dir, "--db", dbURL); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	scPath := filepath.Join(t.TempDir(), "province.yaml")
	if err := os.WriteFile(scPath, []byte(provinceJobsScenario(provinceJobsCounties)), 0o644); err != nil {
		t.Fatal(err)
	}
	solve := []string{"province", "solve", "--scenario", scPath, "--db", dbURL, "--rounds", "1", "--json"}

	want, res, bin, worker := solveInProcessAndOnWorker(t, dbURL, solve)

	db, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkProvinceOnWorker(t, db, "jobs province", res, provinceJobsCounties)

	t.Run("kill -9 a worker mid-province", func(t *testing.T) {
		provinceWorkerKilled(t, db, bin, dbURL, solve, want, worker)
	})
}

// provinceWorkerKilled runs the province again with --jobs on two
// workers (first, already running, and a second) and SIGKILLs the worker
// that runs the first county task it sees: the solve still gives the
// in-process result (want) to the byte, every county task of the run
// completed with exactly one result, and the killed worker's task ran
// again (attempt 2) on the other worker.
func provinceWorkerKilled(t *testing.T, db *data.DB, bin, dbURL string, solve []string, want string, first *proc) {
	ctx := context.Background()
	var lastJob int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM river_job`).Scan(&lastJob); err != nil {
		t.Fatal(err)
	}
	workers := []*proc{first, startWorker(t, bin, dbURL)}
	type answer struct {
		code   int
		out    string
		stderr string
	}
	done := make(chan answer, 1)
	go func() {
		code, out, stderr := runCLI(append(solve, "--jobs", "--no-save", "--job-poll-interval", "100ms", "--job-lost-after", "2s")...)
		done <- answer{code, out, stderr}
	}()
	victim, job := runningCountyWorker(t, workers, 2*time.Minute, func() int64 {
		var job int64
		if err := db.SQL().QueryRowContext(ctx, `SELECT coalesce(min(id), 0) FROM river_job
WHERE kind = 'parkplan_county' AND id > $1 AND state = 'running' AND attempt = 1`, lastJob).Scan(&job); err != nil {
			t.Fatal(err)
		}
		return job
	})
	workers[victim].kill()
	killedAt := time.Now()
	var a answer
	select {
	case a = <-done:
	case <-time.After(5 * time.Minute):
		t.Fatal("the province did not finish within 5 minutes of the kill")
	}
	if a.code != 0 {
		t.Fatalf("--jobs with a worker killed: exit %d: %s", a.code, a.stderr)
	}
	t.Logf("killed worker %d on county job %d; the province finished %v later", victim, job, time.Since(killedAt).Round(time.Millisecond))
	if got, _ := provinceBytes(t, a.out); got != want {
		t.Errorf("the result with a worker killed differs from the in-process one:\n%.800s\nwant\n%.800s", got, want)
	}

	rows, err := db.SQL().QueryContext(ctx, `SELECT j.id, j.state, j.attempt, coalesce(j.attempted_by, '{}'),
j.args->'task'->>'county', (j.args->'task'->>'round')::int,
(SELECT count(*) FROM county_job_result r WHERE r.job_id = j.id)
FROM river_job j WHERE j.kind = 'parkplan_county' AND j.id > $1 ORDER BY j.id`, lastJob)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	perTask := map[string]int{}
	counties := map[string]bool{}
	sawKilled := false
	for rows.Next() {
		var (
			id             int64
			state, county  string
			attempt, round int
			by             pq.StringArray
			results        int
		)
		if err := rows.Scan(&id, &state, &attempt, &by, &county, &round, &results); err != nil {
			t.Fatal(err)
		}
		perTask[fmt.Sprintf("round %d county %s", round, county)]++
		counties[county] = true
		if state != "completed" || results != 1 {
			t.Errorf("county %s round %d: job %d %s with %d results; want completed with one", county, round, id, state, results)
		}
		if id == job {
			sawKilled = true
			if attempt != 2 || len(by) != 2 || by[0] == by[1] {
				t.Errorf("the killed worker's job %d (county %s): attempt %d by %v; want attempt 2 on the other worker", id, county, attempt, by)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for task, n := range perTask {
		if n != 1 {
			t.Errorf("%s: %d jobs; want one", task, n)
		}
	}
	if len(counties) != provinceJobsCounties || !sawKilled {
		t.Errorf("county jobs of %d counties, the killed job seen: %v; want %d counties and the killed job", len(counties), sawKilled, provinceJobsCounties)
	}
}

// checkProvinceOnWorker asserts what a `province solve --jobs` run on one
// worker leaves in the database: every completed county job has one
// result, all from the one worker (the coordinator works no jobs); the
// provincial record (name) with its counties, each year's allocation
// within the pool (some of it allocated) and each county's use within
// its allocation; and each
// county's saved plan scenario, the one the run printed (res), passing
// planner/rules on the county's part of the stored dataset.
func checkProvinceOnWorker(t *testing.T, db *data.DB, name string, res *planner.ProvinceResult, counties int) {
	t.Helper()
	ctx := context.Background()
	// The coordinator works no jobs: every county result is the one
	// worker's.
	var jobsRun, results, workers int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*), count(r.job_id), count(DISTINCT r.worker)
FROM river_job j LEFT JOIN county_job_result r ON r.job_id = j.id WHERE j.kind = 'parkplan_county' AND j.state = 'completed'`).Scan(&jobsRun, &results, &workers); err != nil {
		t.Fatal(err)
	}
	if jobsRun < counties || results != jobsRun || workers != 1 {
		t.Errorf("%d completed county jobs, %d results from %d workers; want at least %d, each with the one worker's result", jobsRun, results, workers, counties)
	}

	rec, err := data.NewProvinceStore(db.SQL()).FindProvince(ctx, data.ScenarioID(name))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Result == nil || len(rec.Result.Counties) != counties {
		t.Fatalf("saved province: %+v; want %d counties", rec.Result, counties)
	}
	pool := map[int]float64{}
	for _, p := range rec.Scenario.Pool {
		pool[p.Year] = p.NewLandMu
	}
	allocated := map[int]float64{}
	for _, a := range rec.Result.Allocation {
		allocated[a.Year] += a.AllocatedMu
		if a.UsedMu > a.AllocatedMu+1e-6 {
			t.Errorf("county %s, %d: uses %.2f mu of %.2f allocated", a.County, a.Year, a.UsedMu, a.AllocatedMu)
		}
	}
	total := 0.0
	for y, mu := range pool {
		total += allocated[y]
		if allocated[y] > mu+1e-6 {
			t.Errorf("%d: %.2f mu allocated of a %.0f mu pool", y, allocated[y], mu)
		}
	}
	if total == 0 {
		t.Errorf("nothing of the pool %v allocated", pool)
	}

	ds, err := db.LoadDataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	scenarios := data.NewScenarioStore(db.SQL())
	for i, c := range rec.Result.Counties {
		if c.ScenarioID == "" || c.ScenarioID != res.Counties[i].ScenarioID {
			t.Errorf("county %s: saved scenario %q, the run printed %q", c.County, c.ScenarioID, res.Counties[i].ScenarioID)
			continue
		}
		sr, err := scenarios.FindScenario(ctx, c.ScenarioID)
		if err != nil {
			t.Fatalf("county %s: %v", c.County, err)
		}
		if sr.Plan == nil {
			t.Errorf("county %s: scenario %s has no plan", c.County, c.ScenarioID)
			continue
		}
		if sr.Plan.KPI.FirmsPlaced != c.FirmsHoused || sr.Plan.KPI.ParksTotal != c.Parks {
			t.Errorf("county %s: saved plan houses %d firms in %d parks; the result says %d in %d",
				c.County, sr.Plan.KPI.FirmsPlaced, sr.Plan.KPI.ParksTotal, c.FirmsHoused, c.Parks)
		}
		cds, err := ds.CountyDataset(c.County)
		if err != nil {
			t.Fatal(err)
		}
		if v := rules.Check(cds, sr.Scenario, sr.Plan); len(v) > 0 {
			t.Errorf("county %s: %d rule violations, first %+v", c.County, len(v), v[0])
		}
	}

}

// solveInProcessAndOnWorker runs the province solve (args) in process
// (--no-save) and then with --jobs on one `parkplan worker` process of
// two cores, saved, and asserts the two results are the same to the byte
// (provinceBytes). It returns the in-process result's bytes, the --jobs
// run's result, the binary and the worker (still running).
func solveInProcessAndOnWorker(t *testing.T, dbURL string, solve []string) (string, *planner.ProvinceResult, string, *proc) {
	t.Helper()
	start := time.Now()
	code, inOut, stderr := runCLI(append(solve, "--no-save")...)
	if code != 0 {
		t.Fatalf("in process: exit %d: %s", code, stderr)
	}
	t.Logf("in process: %v", time.Since(start).Round(time.Millisecond))
	want, _ := provinceBytes(t, inOut)

	bin := buildParkplan(t)
	// one worker machine of two cores
	worker := startProc(t, bin, []string{"worker", "--db", dbURL, "--concurrency", "2"}, nil, "parkplan: worker ready")
	start = time.Now()
	code, jobOut, stderr := runCLI(append(solve, "--jobs", "--job-poll-interval", "100ms")...)
	if code != 0 {
		t.Fatalf("--jobs: exit %d: %s\nworker:\n%s", code, stderr, worker.logs.String())
	}
	t.Logf("--jobs on one worker: %v", time.Since(start).Round(time.Millisecond))
	got, res := provinceBytes(t, jobOut)
	if got != want {
		t.Errorf("--jobs result differs from the in-process one:\n%.800s\nwant\n%.800s", got, want)
	}
	return want, res, bin, worker
}
