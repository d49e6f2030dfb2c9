package jobs

import (
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

func TestSettlement(t *testing.T) {
	running := data.ActiveRun{RunKey: data.RunKey{ID: "a", Run: 1, Attempt: 1}, Status: planner.JobRunning, JobID: 7}
	queued := running
	queued.Status = planner.JobQueued
	job := func(state rivertype.JobState, errs ...string) *rivertype.JobRow {
		j := &rivertype.JobRow{ID: 7, State: state}
		for _, e := range errs {
			j.Errors = append(j.Errors, rivertype.AttemptError{At: time.Now(), Error: e})
		}
		return j
	}
	noJob := running
	noJob.JobID = 0
	for _, tc := range []struct {
		name    string
		run     data.ActiveRun
		job     *rivertype.JobRow
		want    string // part of the message; "" when nothing is to be done
		requeue bool
	}{
		{"running on a live job", running, job(rivertype.JobStateRunning), "", false},
		{"queued, job waiting", queued, job(rivertype.JobStateAvailable), "", false},
		{"queued, job retrying", queued, job(rivertype.JobStateRetryable), "", false},
		{"end never stored, job cancelled with the reason", running,
			job(rivertype.JobStateCancelled, "saving the plan failed: connection refused; run it again"), "saving the plan failed", false},
		{"job completed, run still running", running, job(rivertype.JobStateCompleted), "ended (completed)", false},
		{"job discarded after its last attempt", queued, job(rivertype.JobStateDiscarded, "x", "lost"), ": lost", false},
		{"job removed", running, nil, "removed", false},
		{"no job at all", noJob, nil, "no job in the queue", false},
		{"running run, job back in the queue", running, job(rivertype.JobStateAvailable), "queued again", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, requeue := settlement(tc.run, tc.job)
			if (tc.want == "") != (msg == "") || !strings.Contains(msg, tc.want) || requeue != tc.requeue {
				t.Errorf("settlement = %q, requeue %v; want %q, requeue %v", msg, requeue, tc.want, tc.requeue)
			}
		})
	}
}
