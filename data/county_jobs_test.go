package data_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// TestCountyJobStore stores county task results the way package jobs
// does: with a fence in the same transaction, one result per job and per
// task, and no plan when the dataset moved on since the task read it.
func TestCountyJobStore(t *testing.T) {
	db := migrated(t)
	ctx := context.Background()
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO dataset_revision (revision, content_hash) VALUES (1, '')`); err != nil {
		t.Fatal(err)
	}
	s := data.NewCountyJobStore(db.SQL())
	pass := func(context.Context, *sql.Tx) error { return nil }
	errFence := errors.New("the job is no longer this attempt's")
	refuse := func(context.Context, *sql.Tx) error { return errFence }
	plan := &planner.Plan{Scenario: "c1", DatasetRevision: 1}
	result := func(job int64, batch string, index int) *data.CountyJobResult {
		return &data.CountyJobResult{
			CountyJobKey: data.CountyJobKey{JobID: job, Attempt: 1, Batch: batch, Index: index},
			Province:     "zj", Worker: "w1", Revision: 1,
			Result: planner.CountyResult{County: "cixi", Round: 2, Plan: plan},
		}
	}
	for _, tc := range []struct {
		name    string
		r       *data.CountyJobResult
		fence   data.JobFence
		wantErr string // "" when stored
	}{
		{"first result of job 1", result(1, "b1", 0), pass, ""},
		{"second result of job 1 (another attempt)", result(1, "b1", 0), pass, "has a result already"},
		{"another job for the same task", result(2, "b1", 0), pass, "has a result already"},
		{"fence refuses: nothing written", result(3, "b1", 1), refuse, errFence.Error()},
		{"next task of the batch", result(4, "b1", 1), pass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.SaveCountyResult(ctx, tc.r, tc.fence)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("SaveCountyResult = %v; want %q", err, tc.wantErr)
			}
		})
	}
	got, err := s.CountyResults(ctx, []int64{1, 2, 3, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1] == nil || got[4] == nil {
		t.Fatalf("results of jobs 1–5: %v; want jobs 1 and 4 only", got)
	}
	if r := got[1]; r.Province != "zj" || r.Worker != "w1" || r.Attempt != 1 || r.Result.Plan == nil || r.Result.Plan.Scenario != "c1" || r.DataChanged {
		t.Errorf("job 1's result read back as %+v", r)
	}

	t.Run("an import since the task read the dataset", func(t *testing.T) {
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO dataset_revision (revision, content_hash) VALUES (2, '')`); err != nil {
			t.Fatal(err)
		}
		r := result(6, "b2", 0)
		if err := s.SaveCountyResult(ctx, r, pass); err != nil {
			t.Fatal(err)
		}
		got, err := s.CountyResults(ctx, []int64{6})
		if err != nil {
			t.Fatal(err)
		}
		st := got[6]
		if st == nil || !st.DataChanged || st.Result.Plan != nil || !strings.Contains(st.Result.Err, planner.ErrDataChanged.Error()) {
			t.Errorf("stored %+v; want data changed, no plan, the reason", st)
		}
	})

	t.Run("prune by age", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			retention time.Duration
			want      int64
		}{
			{"kept for an hour", time.Hour, 0},
			{"kept for no time", 0, 3},
		} {
			n, err := s.PruneCountyResults(ctx, tc.retention)
			if err != nil || n != tc.want {
				t.Errorf("%s: pruned %d (%v); want %d", tc.name, n, err, tc.want)
			}
		}
	})
}
