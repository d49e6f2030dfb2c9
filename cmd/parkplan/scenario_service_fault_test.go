package main

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// sseWriteTimeout is the server write timeout in TestScenarioJobsUnderLoad,
// shorter than the event stream it reads.
const sseWriteTimeout = 4 * time.Second

// TestScenarioJobsUnderLoad runs one worker with a queue of one: a long
// solve streams progress over SSE while 100 concurrent readers hit the
// read routes without an error; a second run waits in the queue, a third
// is refused with 429 and Retry-After (and nothing of it is saved); the
// queued run and the running solve are cancelled, and the cancelled solve
// leaves no plan rows.
func TestScenarioJobsUnderLoad(t *testing.T) {
	dbURL := svcDB(t)
	planner, reviewer := svcToken(t, dbURL, "planner"), svcToken(t, dbURL, "reviewer")
	s := svcServe(t, dbURL, map[string]string{"PARKPLAN_JOB_WORKERS": "1", "PARKPLAN_JOB_QUEUE": "1",
		"PARKPLAN_JOB_RETRY_AFTER": "7s", "PARKPLAN_JOB_PROGRESS_EVERY": "200ms",
		// The event stream must outlive the server's write timeout.
		"PARKPLAN_WRITE_TIMEOUT": sseWriteTimeout.String()})

	quick := s.create(t, planner, "application/yaml", fmtScenario(quickScenario, "done-first"))
	s.waitStatus(t, reviewer, quick, 60*time.Second, "done")

	long := s.create(t, planner, "application/json", fmtScenario(longScenario, "long"))
	events := make(chan []sseEvent, 1)
	streamStart := time.Now()
	var (
		streamTime time.Duration
		streamErr  error
	)
	go func() {
		evs, err := s.streamEvents(reviewer, "/scenarios/"+long+"/events", 90*time.Second)
		streamTime, streamErr = time.Since(streamStart), err
		events <- evs
	}()
	s.waitStatus(t, reviewer, long, 30*time.Second, "running")

	queued := s.create(t, planner, "application/yaml", fmtScenario(quickScenario, "waiting"))
	m := s.waitStatus(t, reviewer, queued, time.Second, "queued")
	if m["queue_position"] != 1.0 {
		t.Errorf("queued run at position %v; want 1", m["queue_position"])
	}
	r := s.do(t, "POST", "/scenarios", planner, "application/yaml", []byte(fmtScenario(quickScenario, "refused")))
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "7" {
		t.Fatalf("queue full: %d Retry-After %q; want 429 and 7: %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	if r := s.do(t, "GET", "/scenarios/refused", reviewer, "", nil); r.status != http.StatusNotFound {
		t.Errorf("a refused run left its scenario behind: %d", r.status)
	}
	if r := s.do(t, "POST", "/scenarios/"+quick+"/run", planner, "", nil); r.status != http.StatusTooManyRequests {
		t.Errorf("re-run with the queue full: %d", r.status)
	}

	t.Run("100 readers during the solve", func(t *testing.T) {
		paths := []string{"/scenarios", "/scenarios/" + long, "/scenarios/" + quick + "?plan=full",
			"/scenarios/" + quick + "/layers/parks.geojson", "/scenarios/" + quick + "/layers/candidates.geojson",
			"/collections", "/collections/parcels/items?limit=50", "/scenarios/compare?ids=" + quick + "," + long}
		const readers, rounds = 100, 3
		var wg sync.WaitGroup
		errs := make(chan string, readers*rounds*len(paths))
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers}, Timeout: 60 * time.Second}
		for i := 0; i < readers; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for k := 0; k < rounds; k++ {
					p := paths[(i+k)%len(paths)]
					req, _ := http.NewRequest("GET", s.url+p, nil)
					req.Header.Set("Authorization", "Bearer "+reviewer)
					res, err := client.Do(req)
					if err != nil {
						errs <- p + ": " + err.Error()
						continue
					}
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						errs <- fmt.Sprintf("%s: %d %.200s", p, res.StatusCode, b)
					}
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		n := 0
		for e := range errs {
			if n < 10 {
				t.Error(e)
			}
			n++
		}
		if n > 0 {
			t.Errorf("%d of %d reads failed", n, readers*rounds)
		}
		if st := s.do(t, "GET", "/scenarios/"+long, reviewer, "", nil).json(t)["status"]; st != "running" {
			t.Errorf("the solve is %v after the readers; want still running", st)
		}
	})

	// Let the solve report progress for a moment; the status document
	// carries it live. Then cancel both runs.
	// Sleep at least 1.5 s, and until the stream has outlived the write timeout.
	time.Sleep(max(1500*time.Millisecond, time.Until(streamStart.Add(sseWriteTimeout+time.Second))))
	m = s.do(t, "GET", "/scenarios/"+long, reviewer, "", nil).json(t)
	if p, _ := m["progress"].(map[string]any); p == nil || p["elapsed_s"] == nil || p["elapsed_s"].(float64) <= 0 || p["bound"] == nil {
		t.Errorf("status document of the running solve: progress %v", m["progress"])
	}
	r = s.do(t, "POST", "/scenarios/"+queued+"/cancel", planner, "", nil)
	if r.status != http.StatusOK || r.json(t)["status"] != "cancelled" {
		t.Fatalf("cancel queued: %d %s", r.status, r.body)
	}
	start := time.Now()
	r = s.do(t, "POST", "/scenarios/"+long+"/cancel", planner, "", nil)
	if r.status != http.StatusOK || r.json(t)["status"] != "cancelled" {
		t.Fatalf("cancel running: %d %s", r.status, r.body)
	}
	t.Logf("a running solve stopped %v after its cancel", time.Since(start).Round(time.Millisecond))
	m = r.json(t)
	if m["plan"] != nil || m["error"] != "cancelled by request" {
		t.Errorf("cancelled run: plan %v error %v", m["plan"], m["error"])
	}
	if n := planRows(t, dbURL, long); n != 0 {
		t.Errorf("the cancelled solve left %d plan rows", n)
	}
	evs := <-events
	if streamErr != nil {
		t.Fatalf("event stream of the long run after %v: %v", streamTime, streamErr)
	}
	if streamTime <= sseWriteTimeout {
		t.Errorf("the event stream lasted %v, not beyond the write timeout %v: the test proves nothing", streamTime, sseWriteTimeout)
	}
	if countEvents(evs, "progress") == 0 {
		t.Errorf("no progress event during the solve: %v", evs)
	}
	for _, e := range evs {
		if e.name != "progress" {
			continue
		}
		for _, k := range []string{"incumbent", "bound", "gap", "nodes", "elapsed_s"} {
			if _, ok := e.data[k]; !ok {
				t.Errorf("progress event without %s: %v", k, e.data)
			}
		}
	}
	if last := evs[len(evs)-1]; last.name != "end" || last.data["status"] != "cancelled" {
		t.Errorf("last event %v; want end, cancelled", last)
	}
	// The stored progress (the status document's, written every 200 ms) was there.
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var hasProgress bool
	if err := db.QueryRow(`SELECT progress IS NOT NULL FROM scenario WHERE id = $1`, long).Scan(&hasProgress); err != nil || !hasProgress {
		t.Errorf("no progress stored for the long run (%v)", err)
	}
	// The worker is free again: a new run goes through.
	if r := s.do(t, "POST", "/scenarios/"+queued+"/run", planner, "", nil); r.status != http.StatusAccepted {
		t.Fatalf("run after cancel: %d %s", r.status, r.body)
	}
	s.waitStatus(t, reviewer, queued, 60*time.Second, "done")
}

// TestServeKilledDuringSolve starts `parkplan serve` as a subprocess with
// one worker, starts a long solve with a second run queued behind it,
// SIGKILLs the server, and restarts it: the killed worker's job is found
// lost (no session holds its liveness lock), the queued run finishes, and
// the interrupted run is queued again as attempt 2 and runs, with no plan
// rows from attempt 1. SIGTERM then stops the server cleanly, handing its
// running solve back to the queue, and the next start runs it again.
func TestServeKilledDuringSolve(t *testing.T) {
	t.Parallel() // a subprocess with its own environment: it may overlap other tests
	dbURL := svcDB(t)
	planner, reviewer := svcToken(t, dbURL, "planner"), svcToken(t, dbURL, "reviewer")
	bin := buildParkplan(t)
	start := func() (*svcServer, *exec.Cmd, *lockedBuffer) {
		p := startServeEnv(t, bin, []string{"PARKPLAN_JOB_WORKERS=1", "PARKPLAN_JOB_QUEUE=4", "PARKPLAN_JOB_PROGRESS_EVERY=200ms",
			"PARKPLAN_JOB_POLL_INTERVAL=100ms", "PARKPLAN_JOB_LOST_AFTER=2s"}, "--db", dbURL, "--access-log=false")
		return &svcServer{url: p.url, logs: p.logs}, p.cmd, p.logs
	}

	s, cmd, logs := start()
	long := s.create(t, planner, "application/json", fmtScenario(longScenario, "interrupted"))
	next := s.create(t, planner, "application/yaml", fmtScenario(quickScenario, "resumed"))
	s.waitStatus(t, reviewer, long, 30*time.Second, "running")
	time.Sleep(time.Second) // the solve is well under way and has saved progress
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	status := func(id string) string {
		var st string
		if err := db.QueryRow(`SELECT status FROM scenario WHERE id = $1`, id).Scan(&st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	if a, b := status(long), status(next); a != "running" || b != "queued" {
		t.Fatalf("after the kill the store says %s/%s; want running/queued", a, b)
	}

	s, cmd, logs = start()
	// The queued run goes first (the lost job is still "running" until the
	// reaper finds it), then the rescued one runs again as attempt 2.
	m := s.waitStatus(t, reviewer, next, 60*time.Second, "done", "failed")
	if m["status"] != "done" || m["plan"] == nil {
		t.Errorf("queued run after restart: status %v error %v", m["status"], m["error"])
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		m = s.do(t, "GET", "/scenarios/"+long, reviewer, "", nil).json(t)
		if m["status"] == "running" && strings.Contains(fmt.Sprint(m["error"]), "queued again as attempt 2 of 3") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("killed run after restart: status %v error %v; want running again, as attempt 2", m["status"], m["error"])
		}
	}
	var attempt int
	if err := db.QueryRow(`SELECT attempt FROM scenario WHERE id = $1`, long).Scan(&attempt); err != nil || attempt != 2 {
		t.Errorf("the re-run holds attempt %d (%v); want 2", attempt, err)
	}
	if n := planRows(t, dbURL, long); n != 0 {
		t.Errorf("the killed attempt left %d plan rows", n)
	}
	if r := s.do(t, "POST", "/scenarios/"+long+"/cancel", planner, "", nil); r.status != http.StatusOK {
		t.Fatalf("cancel the re-run: %d %s", r.status, r.body)
	}

	// A clean stop during a solve: SIGTERM, exit 0, the run handed back to
	// the queue before the process exits, no plan rows; the next start
	// runs it again.
	stopped := s.create(t, planner, "application/json", fmtScenario(longScenario, "stopped"))
	s.waitStatus(t, reviewer, stopped, 30*time.Second, "running")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Errorf("serve did not stop within 30 s of SIGTERM")
	}
	var st, stErr string
	if err := db.QueryRow(`SELECT status, error FROM scenario WHERE id = $1`, stopped).Scan(&st, &stErr); err != nil {
		t.Fatal(err)
	}
	if st != "queued" || !strings.Contains(stErr, "interrupted") {
		t.Errorf("run stopped by SIGTERM: %s (error %q); want queued again, interrupted, stored before exit", st, stErr)
	}
	if n := planRows(t, dbURL, stopped); n != 0 {
		t.Errorf("the run stopped by SIGTERM left %d plan rows", n)
	}
	s, cmd, logs = start()
	m = s.waitStatus(t, reviewer, stopped, 30*time.Second, "running", "failed", "done", "cancelled")
	if m["status"] != "running" {
		t.Errorf("run stopped by SIGTERM, after restart: status %v error %v; want running again", m["status"], m["error"])
	}
	s.do(t, "POST", "/scenarios/"+stopped+"/cancel", planner, "", nil)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if t.Failed() {
		t.Logf("server log:\n%s", logs.String())
	}
}
