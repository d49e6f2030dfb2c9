package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// TestCountyFence stores county results through the attempt fence on a
// real River job: a worker taken for lost (attempt 1) whose job now runs
// attempt 2 on another worker can neither store its result nor complete
// the job; once the job has ended no attempt stores a result. (Attempt 2
// storing and completing needs River's client in a worker's context:
// TestCountyJobsOnWorkers covers it with real workers.)
func TestCountyFence(t *testing.T) {
	db := benchCountyDB(t)
	r := newBenchRunner(t, db, 0) // not started: no reaper rescues the job the test sets running
	ctx := context.Background()
	ids, err := NewCountySolver(r).enqueue(ctx, benchTasks(t, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	id := ids[0]
	// The job as the reaper and a second worker leave it: running attempt 2.
	if _, err := db.SQL().ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 2, attempted_at = now() WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	attempt := func(n int) *river.Job[CountyArgs] {
		return &river.Job[CountyArgs]{JobRow: &rivertype.JobRow{ID: id, Attempt: n, State: rivertype.JobStateRunning}}
	}
	result := func(n int) *data.CountyJobResult {
		return &data.CountyJobResult{CountyJobKey: data.CountyJobKey{JobID: id, Attempt: n, Batch: "b", Index: 0},
			Province: "bench", Worker: "w", Revision: 1, Result: planner.CountyResult{County: "tiny", Round: 1}}
	}
	state := func() (string, int, int) {
		var st string
		var at, n int
		if err := db.SQL().QueryRowContext(ctx, `SELECT state, attempt, (SELECT count(*) FROM county_job_result WHERE job_id = $1)
FROM river_job WHERE id = $1`, id).Scan(&st, &at, &n); err != nil {
			t.Fatal(err)
		}
		return st, at, n
	}
	for _, tc := range []struct {
		name      string
		attempt   int
		fenced    bool
		wantState string
		wantRows  int
	}{
		{"the lost worker's attempt 1 is fenced off", 1, true, "running", 0},
		{"the holder's attempt 2 after its job was cancelled", 2, true, "cancelled", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.wantState != "running" {
				if _, err := db.SQL().ExecContext(ctx, `UPDATE river_job SET state = $2, finalized_at = now() WHERE id = $1`, id, tc.wantState); err != nil {
					t.Fatal(err)
				}
			}
			err := r.counties.SaveCountyResult(ctx, result(tc.attempt), countyFence(attempt(tc.attempt)))
			if errors.Is(err, errFenced) != tc.fenced || !tc.fenced && err != nil {
				t.Fatalf("SaveCountyResult = %v; fenced off: want %v", err, tc.fenced)
			}
			if st, at, n := state(); st != tc.wantState || at != 2 || n != tc.wantRows {
				t.Errorf("job %s at attempt %d with %d result(s); want %s at attempt 2 with %d", st, at, n, tc.wantState, tc.wantRows)
			}
		})
	}

	t.Run("a replaced worker reports only after its successor", func(t *testing.T) {
		// River sets the state of a running job whatever attempt runs it:
		// the replaced worker's save returns (and River records its end)
		// only once attempt 2 no longer runs.
		if _, err := db.SQL().ExecContext(ctx, `UPDATE river_job SET state = 'running', finalized_at = NULL WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		w := &countyWorker{r: r}
		done := make(chan error, 1)
		go func() { done <- w.save(ctx, attempt(1), result(1), r.log) }()
		select {
		case err := <-done:
			t.Fatalf("save returned while attempt 2 runs: %v", err)
		case <-time.After(time.Second):
		}
		if _, err := db.SQL().ExecContext(ctx, `UPDATE river_job SET state = 'completed', finalized_at = now() WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if !errors.Is(err, errFenced) {
				t.Errorf("save = %v; want the fence's refusal", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("save did not return within 5 s of attempt 2's end")
		}
		if _, _, n := state(); n != 0 {
			t.Errorf("%d result(s) stored; want none", n)
		}
	})
}
