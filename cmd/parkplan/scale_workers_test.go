package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
)

// The scale-out tests (issue 12, item 1; issue 10, finding 4) run the
// built binary as real processes on one machine: `parkplan serve` for the
// API and several `parkplan worker`s on the same PostgreSQL, killed and
// restarted, with the database itself stopped and started under a job.

// jobTestEnv makes the job queue quick to react in tests: idle workers
// poll every 100 ms, a worker without its liveness lock for 2 s is lost.
var jobTestEnv = []string{"PARKPLAN_JOB_POLL_INTERVAL=100ms", "PARKPLAN_JOB_PROGRESS_EVERY=200ms",
	"PARKPLAN_JOB_LOST_AFTER=2s", "PARKPLAN_JOB_QUEUE=20"}

// nodeScenario ends on its node limit (or proven optimal): the same plan,
// to the byte, on any worker. %q name, %d target parks, %d node limit.
const nodeScenario = `{"name": %q, "target_parks": %d, "every_town": false, "max_new_land_parks": -1,
"time_limit": "120s", "gap_target": 0, "node_limit": %d}`

// timedScenario runs until its time limit (gap target 0): a solve of a
// known length, to kill or to cut the database under. %q name, %s limit.
const timedScenario = `{"name": %q, "target_parks": 1, "every_town": false, "max_new_land_parks": -1,
"time_limit": %q, "gap_target": 0}`

// proc is a parkplan process started by a test.
type proc struct {
	cmd  *exec.Cmd
	logs *lockedBuffer
	line string // the stdout line that said it was ready
}

// startProc runs bin with args and env and waits for a stdout line
// starting with ready; the process is killed when the test ends.
func startProc(t *testing.T, bin string, args, env []string, ready string) *proc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), jobTestEnv...), env...)
	p := &proc{cmd: cmd, logs: &lockedBuffer{}}
	cmd.Stderr = p.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), ready) {
				lines <- sc.Text()
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case p.line = <-lines:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s %s did not start: %s", bin, args[0], p.logs.String())
	}
	return p
}

// kill SIGKILLs the process if it still runs, and reaps it.
func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}
}

// stop SIGTERMs the process and waits for it to exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("%s after SIGTERM: %v\n%s", p.cmd.Args[1], err, p.logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Errorf("%s did not stop within 30 s of SIGTERM", p.cmd.Args[1])
		p.kill()
	}
}

// startServeWorkers starts `parkplan serve` with workers local workers
// (0: API only) and any further flags.
func startServeWorkers(t *testing.T, bin, dbURL string, workers int, flags ...string) (*svcServer, *proc) {
	t.Helper()
	p := startProc(t, bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbURL, "--access-log=false",
		"--workers", fmt.Sprint(workers)}, flags...), nil, "parkplan: serving on ")
	return &svcServer{url: strings.TrimPrefix(p.line, "parkplan: serving on "), logs: p.logs}, p
}

// startWorker starts `parkplan worker --concurrency 1`.
func startWorker(t *testing.T, bin, dbURL string) *proc {
	t.Helper()
	return startProc(t, bin, []string{"worker", "--db", dbURL, "--concurrency", "1"}, nil, "parkplan: worker ready")
}

// jobRow is a scenario's River job as the tests read it.
type jobRow struct {
	state      string
	attempt    int
	attempted  []string // client ids, one per attempt
	lastError  string
	scenarioSt string
}

// scenarioJob reads scenario id's status and its current River job.
func scenarioJob(t *testing.T, db *sql.DB, id string) jobRow {
	t.Helper()
	var (
		r      jobRow
		errs   []byte
		client pq.StringArray
	)
	err := db.QueryRow(`SELECT s.status, j.state, j.attempt, coalesce(j.attempted_by, '{}'), coalesce(to_jsonb(j.errors), '[]')
FROM scenario s JOIN river_job j ON j.id = s.job_id WHERE s.id = $1`, id).Scan(&r.scenarioSt, &r.state, &r.attempt, &client, &errs)
	if err != nil {
		t.Fatalf("scenario %s's job: %v", id, err)
	}
	r.attempted = client
	var list []struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(errs, &list) == nil && len(list) > 0 {
		r.lastError = list[len(list)-1].Error
	}
	return r
}

// waitJobEnded waits (up to 10 s) for scenario id's job to leave the
// running state — River records a job's end shortly after the worker
// stored the run's — and returns it.
func waitJobEnded(t *testing.T, db *sql.DB, id string) jobRow {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		j := scenarioJob(t, db, id)
		if j.state != "running" || time.Now().After(deadline) {
			return j
		}
	}
}

// assertNothingActive fails when a run is queued or running, or a job running.
func assertNothingActive(t *testing.T, db *sql.DB) {
	t.Helper()
	var runs, jobs int
	if err := db.QueryRow(`SELECT count(*) FROM scenario WHERE status IN ('queued', 'running')`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM river_job WHERE state = 'running'`).Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if runs != 0 || jobs != 0 {
		t.Errorf("%d runs and %d jobs left active; want none", runs, jobs)
	}
}

// fullPlan returns scenario id's saved plan as JSON with its solve time
// removed: the bytes two runs of a node-limited scenario must share.
func fullPlan(t *testing.T, s *svcServer, token, id string) string {
	t.Helper()
	m := s.do(t, "GET", "/scenarios/"+id+"?plan=full", token, "", nil).json(t)
	plan, _ := m["plan"].(map[string]any)
	if plan == nil {
		t.Fatalf("scenario %s has no plan: %v", id, m)
	}
	if solve, ok := plan["solve"].(map[string]any); ok {
		delete(solve, "elapsed_s")
		delete(solve, "elapsed_ns")
	}
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWorkersScaleOut queues ten node-limited scenarios at once, first on
// one `parkplan serve --workers 1` (the one-process reference), then again
// on `serve --workers 0 --read-db` a hot standby of the primary (a second
// private cluster) with three `parkplan worker` processes: every run
// finishes, each on one worker in one attempt, the work spreads over the
// workers, and every plan, read from the standby, is the reference's to
// the byte. Then one worker
// is SIGKILLed mid-solve: its run is found lost and finishes on another
// worker as attempt 2, with one whole plan, and nothing is left running.
func TestWorkersScaleOut(t *testing.T) {
	dbURL := svcDB(t)
	planner, reviewer := svcToken(t, dbURL, "planner"), svcToken(t, dbURL, "reviewer")
	bin := buildParkplan(t)
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	const n = 10
	ids := make([]string, n)
	ref := make([]string, n)
	one, oneProc := startServeWorkers(t, bin, dbURL, 1)
	for i := range ids {
		ids[i] = one.create(t, planner, "application/json", fmt.Sprintf(nodeScenario, fmt.Sprintf("scale %d", i), 1+i%3, 100+40*i))
	}
	for i, id := range ids {
		m := one.waitStatus(t, reviewer, id, 3*time.Minute, "done", "failed", "cancelled")
		if m["status"] != "done" {
			t.Fatalf("one-process run of %s: %v %v", id, m["status"], m["error"])
		}
		ref[i] = fullPlan(t, one, reviewer, id)
	}
	oneProc.stop(t)

	standby := newStandby(t)
	s, _ := startServeWorkers(t, bin, dbURL, 0, "--read-db", standby.url(t, dbURL))
	workers := []*proc{startWorker(t, bin, dbURL), startWorker(t, bin, dbURL), startWorker(t, bin, dbURL)}
	start := time.Now()
	for _, id := range ids {
		if r := s.do(t, "POST", "/scenarios/"+id+"/run", planner, "", nil); r.status != 202 {
			t.Fatalf("run %s: %d %s", id, r.status, r.body)
		}
	}
	clients := map[string]int{}
	fromStandby := 0
	for i, id := range ids {
		m := s.waitStatus(t, reviewer, id, 3*time.Minute, "done", "failed", "cancelled")
		if m["status"] != "done" {
			t.Fatalf("three-worker run of %s: %v %v", id, m["status"], m["error"])
		}
		if s.do(t, "GET", "/scenarios/"+id, reviewer, "", nil).header.Get("Parkplan-Read-Server") == "standby-1" {
			fromStandby++
		}
		if got := fullPlan(t, s, reviewer, id); got != ref[i] {
			t.Errorf("scenario %s: the three-worker plan differs from the one-process plan:\n%.600s\n%.600s", id, got, ref[i])
		}
		j := waitJobEnded(t, db, id)
		if j.state != "completed" || j.attempt != 1 || len(j.attempted) != 1 {
			t.Errorf("scenario %s's job: %s, attempt %d, worked by %v; want completed by one worker in one attempt", id, j.state, j.attempt, j.attempted)
		} else {
			clients[j.attempted[0]]++
		}
	}
	t.Logf("ten runs on three workers in %v; runs per worker: %v; %d of the ten read from the standby", time.Since(start).Round(time.Millisecond), clients, fromStandby)
	if fromStandby == 0 {
		t.Errorf("no finished run was read from the standby (Parkplan-Read-Server); want the reads on it")
	}
	if len(clients) < 2 {
		t.Errorf("the ten runs went to %d worker(s): %v; want them spread", len(clients), clients)
	}
	for i, w := range workers {
		if c := strings.Count(w.logs.String(), `msg="scenario run started"`); c > n {
			t.Errorf("worker %d started %d runs", i, c)
		}
	}
	assertNothingActive(t, db)

	t.Run("kill -9 a worker mid-solve", func(t *testing.T) {
		id := s.create(t, planner, "application/json", fmt.Sprintf(timedScenario, "killed worker", "6s"))
		s.waitStatus(t, reviewer, id, 30*time.Second, "running")
		time.Sleep(1500 * time.Millisecond) // well into the solve, progress stored
		j := scenarioJob(t, db, id)
		victim := -1
		for i, w := range workers {
			if strings.Contains(w.logs.String(), "scenario=killed-worker run=1 attempt=1") {
				victim = i
			}
		}
		if victim < 0 || j.state != "running" {
			t.Fatalf("no worker is running %s (job %s)", id, j.state)
		}
		workers[victim].kill()
		m := s.waitStatus(t, reviewer, id, 60*time.Second, "done", "failed", "cancelled")
		if m["status"] != "done" {
			t.Fatalf("the killed worker's run: %v %v", m["status"], m["error"])
		}
		j = waitJobEnded(t, db, id)
		if j.attempt != 2 || len(j.attempted) != 2 || j.attempted[0] == j.attempted[1] {
			t.Errorf("job of the killed worker's run: attempt %d by %v; want attempt 2 on another worker", j.attempt, j.attempted)
		}
		if !strings.Contains(j.lastError, "was lost") {
			t.Errorf("the job's error %q does not say the worker was lost", j.lastError)
		}
		// One whole plan: the plan rows are exactly the saved plan's.
		var parks, rows int
		if err := db.QueryRow(`SELECT (plan->'kpi'->>'parks_total')::int FROM scenario WHERE id = $1`, id).Scan(&parks); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT count(*) FROM plan_park WHERE scenario_id = $1`, id).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if parks == 0 || rows != parks {
			t.Errorf("plan of the rescued run: %d park rows for %d parks", rows, parks)
		}
		assertNothingActive(t, db)
	})
	if t.Failed() {
		for i, w := range workers {
			t.Logf("worker %d log:\n%s", i, w.logs.String())
		}
	}
}
