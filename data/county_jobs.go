package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

// CountyJobKey names one attempt of one county task of a province round
// worked as a job (package jobs): the job, the attempt that holds it, and
// the task's place in its coordinator's call.
type CountyJobKey struct {
	JobID   int64
	Attempt int
	Batch   string // the coordinator call's id: every task of one call shares it
	Index   int    // the task's place in the call, 0…
}

// CountyJobResult is a stored county task's answer.
type CountyJobResult struct {
	CountyJobKey
	Province    string // CountyTask.Province
	Worker      string // the process that solved it (its River client id)
	Revision    int    // the dataset revision the task read
	DataChanged bool   // the dataset moved on: Result carries no plan, its Err says why
	Result      planner.CountyResult
}

// JobFence checks, inside tx, that the attempt still holds its job and
// completes the job in the same transaction (package jobs: River's tables
// are its business); an error rolls the result back.
type JobFence func(ctx context.Context, tx *sql.Tx) error

// SQL of county job results (table county_job_result, migration 00075);
// every value is a $n parameter.
const (
	sqlCountyResultInsert = `INSERT INTO county_job_result
(job_id, attempt, batch, task_index, province, round, county, worker, revision, data_changed, result)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	sqlCountyResultsPrune = `DELETE FROM county_job_result WHERE created_at < now() - make_interval(secs => $1)`
	sqlCountyResultsByJob = `SELECT job_id, attempt, batch, task_index, province, worker, revision, data_changed, result
FROM county_job_result WHERE job_id = ANY($1)`
)

// CountyJobStore keeps the results of county tasks worked as jobs.
type CountyJobStore struct{ db *sql.DB }

// NewCountyJobStore returns a store on db.
func NewCountyJobStore(db *sql.DB) *CountyJobStore { return &CountyJobStore{db: db} }

// SaveCountyResult stores r in one transaction with fence (the job's
// completion by r's attempt). When the dataset's revision is no longer
// r.Revision — an import committed after the task read it — the plan is
// not stored: the result is stored with DataChanged, no plan, and Err
// saying why (planner.ErrDataChanged's text), and the stored r is changed
// to match. A second result for the same job or task is ECONFLICT and
// nothing is written: never two results for one task.
func (s *CountyJobStore) SaveCountyResult(ctx context.Context, r *CountyJobResult, fence JobFence) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fence(ctx, tx); err != nil {
		return err
	}
	task := fmt.Sprintf("county %s (round %d of %s)", r.Result.County, r.Result.Round, r.Batch)
	if _, err := tx.ExecContext(ctx, sqlRevisionLockShared, importLockKey); err != nil {
		return fmt.Errorf("%s: waiting for an import: %w", task, err)
	}
	cur, err := currentRevision(ctx, tx)
	if err != nil {
		return err
	}
	if cur != r.Revision && !r.DataChanged {
		r.DataChanged = true
		r.Result.Plan = nil
		r.Result.Err = planner.DataChangedError(task, r.Revision, cur).Error()
	}
	doc, err := json.Marshal(r.Result)
	if err != nil {
		return planner.Errorf(planner.EINVALID, "%s: %v", task, err)
	}
	_, err = tx.ExecContext(ctx, sqlCountyResultInsert, r.JobID, r.Attempt, r.Batch, r.Index,
		r.Province, r.Result.Round, r.Result.County, r.Worker, r.Revision, r.DataChanged, doc)
	if err != nil {
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "23505" { // unique_violation
			return planner.Errorf(planner.ECONFLICT, "%s: job %d has a result already", task, r.JobID)
		}
		return err
	}
	return tx.Commit()
}

// CountyResults returns the stored results of jobIDs, by job id; a job
// without a result is absent.
func (s *CountyJobStore) CountyResults(ctx context.Context, jobIDs []int64) (map[int64]*CountyJobResult, error) {
	rows, err := s.db.QueryContext(ctx, sqlCountyResultsByJob, pq.Array(jobIDs))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]*CountyJobResult, len(jobIDs))
	for rows.Next() {
		var (
			r   CountyJobResult
			doc []byte
		)
		if err := rows.Scan(&r.JobID, &r.Attempt, &r.Batch, &r.Index, &r.Province, &r.Worker, &r.Revision, &r.DataChanged, &doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(doc, &r.Result); err != nil {
			return nil, fmt.Errorf("data: county job %d's result: %w", r.JobID, err)
		}
		out[r.JobID] = &r
	}
	return out, rows.Err()
}

// PruneCountyResults deletes the results stored more than retention ago
// (a round's coordinator reads them within the round) and returns how many
// it deleted.
func (s *CountyJobStore) PruneCountyResults(ctx context.Context, retention time.Duration) (int64, error) {
	res, err := s.db.ExecContext(ctx, sqlCountyResultsPrune, retention.Seconds())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
