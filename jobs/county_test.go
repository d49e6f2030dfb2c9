package jobs

import (
	"context"
	"errors"
	"testing"

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
	r := benchRunner(t, db, 0)
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
}
