package main

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner/plantest"
)

// TestJobEndsAcrossDatabaseRestart stops PostgreSQL in the middle of a
// run and keeps it down past the solve's end, so the worker cannot store
// the end when the solve finishes (issue 10, finding 4); then starts it
// again. The run ends in a terminal state — its plan saved whole, or
// failed with the reason — and no run or job is left running.
func TestJobEndsAcrossDatabaseRestart(t *testing.T) {
	cluster := newPGCluster(t) // a cluster of its own (pgcluster_test.go): the other tests' database never goes away
	storeTestDataset(t, cluster.URL(), plantest.Dataset(svcDatasetSeed, plantest.Small()))
	planner, reviewer := svcToken(t, cluster.URL(), "planner"), svcToken(t, cluster.URL(), "reviewer")
	bin := buildParkplan(t)
	s, serve := startServeWorkers(t, bin, cluster.URL(), 1)

	id := s.create(t, planner, "application/json", fmt.Sprintf(timedScenario, "outage", "6s"))
	s.waitStatus(t, reviewer, id, 30*time.Second, "running")
	time.Sleep(2 * time.Second)
	cluster.Stop()
	down := time.Now()
	time.Sleep(7 * time.Second) // the solve ends about 4 s into the outage
	cluster.Start()
	t.Logf("PostgreSQL was down for %v", time.Since(down).Round(time.Millisecond))

	db, err := sql.Open("postgres", cluster.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var status, msg string
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		err := db.QueryRow(`SELECT status, error FROM scenario WHERE id = $1`, id).Scan(&status, &msg)
		if err == nil && status != "queued" && status != "running" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run is still %s (%v) 90 s after the database came back:\n%s", status, err, serve.logs.String())
		}
	}
	t.Logf("the run ended %s (%q)", status, msg)
	switch status {
	case "done":
		var parks, rows int
		if err := db.QueryRow(`SELECT (plan->'kpi'->>'parks_total')::int, (SELECT count(*) FROM plan_park WHERE scenario_id = $1)
FROM scenario WHERE id = $1`, id).Scan(&parks, &rows); err != nil {
			t.Fatal(err)
		}
		if parks == 0 || rows != parks {
			t.Errorf("saved plan: %d park rows for %d parks", rows, parks)
		}
	case "failed":
		if msg == "" {
			t.Errorf("the run failed without a reason")
		}
	default:
		t.Errorf("the run ended %s; want done or failed", status)
	}
	waitJobEnded(t, db, id)
	assertNothingActive(t, db)
	if !strings.Contains(serve.logs.String(), "database unreachable") {
		t.Errorf("the worker never met the outage (no retry, no failed heartbeat): the test proves nothing\n%s", serve.logs.String())
	}
	serve.stop(t)
	if t.Failed() {
		t.Logf("serve log:\n%s", serve.logs.String())
	}
}
