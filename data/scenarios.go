package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

// ScenarioStore keeps scenarios, their runs and their plans in PostGIS
// (tables scenario, plan_park, plan_assignment, plan_unplaced, plan_town;
// migrations 00010 and 00045). Every public method is one transaction; a
// plan's rows, with the geometry and figures they are served with, are
// written inside the transaction that marks it done, so a crash or a
// cancel never leaves half a plan, and only onto the dataset revision the
// plan was built on (planner.ErrDataChanged otherwise).
type ScenarioStore struct {
	db    *sql.DB
	route *ReadRouter // reads through a router (RouteReads); nil: db
}

var _ planner.ScenarioRunStore = (*ScenarioStore)(nil)

// NewScenarioStore returns a store on db. A store on a read-only pool
// (the parkplan_reader role) serves the Find and List methods only.
func NewScenarioStore(db *sql.DB) *ScenarioStore { return &ScenarioStore{db: db} }

// scenarioIDMaxLen is the longest scenario id (the table's check constraint).
const scenarioIDMaxLen = 80

// ScenarioID returns the stable id of a scenario named name: its lower-case
// ASCII letters and digits, other runs of characters made one '-'. A name
// with no ASCII letter or digit (e.g. all Chinese) gets "s-" and the first
// 12 hex digits of the name's sha256.
func ScenarioID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	id := b.String()
	if id == "" || id[0] == '_' {
		sum := sha256.Sum256([]byte(name))
		id = "s-" + hex.EncodeToString(sum[:6]) + id
	}
	if len(id) > scenarioIDMaxLen {
		sum := sha256.Sum256([]byte(name))
		id = strings.TrimRight(id[:scenarioIDMaxLen-13], "-") + "-" + hex.EncodeToString(sum[:6])
	}
	return id
}

// SQL of the scenario store; every value is a $n parameter.
const (
	sqlScenarioInsert = `INSERT INTO scenario (id, name, spec, status, published, run, queued_at, created_by)
VALUES ($1, $2, $3, 'queued', $4, 1, now(), $5)`
	sqlScenarioColumns = `id, spec, status, published, created_by, created_at, updated_at, run,
queued_at, started_at, finished_at, error, plan, progress, coalesce(dataset_revision, 0),
(` + sqlCurrentRevision + `)`
	sqlScenarioByID   = `SELECT ` + sqlScenarioColumns + ` FROM scenario WHERE id = $1`
	sqlScenarioList   = `SELECT ` + sqlScenarioColumns + ` FROM scenario ORDER BY id`
	sqlScenarioLock   = `SELECT status, run, attempt, coalesce(job_id, 0) FROM scenario WHERE id = $1 FOR UPDATE`
	sqlScenarioDelete = `DELETE FROM scenario WHERE id = $1`
	sqlScenarioQueue  = `UPDATE scenario SET status = 'queued', run = run + 1, queued_at = now(),
started_at = NULL, finished_at = NULL, error = '', progress = NULL, updated_at = now(),
job_id = NULL, attempt = 0
WHERE id = $1 RETURNING run`
	sqlScenarioStart = `UPDATE scenario SET status = 'running', attempt = $3, started_at = now(), updated_at = now()
WHERE id = $1 AND run = $2 AND status = 'queued'`
	sqlScenarioProgress = `UPDATE scenario SET progress = coalesce($4, progress)
WHERE id = $1 AND run = $2 AND attempt = $3 AND status = 'running'`
	sqlScenarioDone = `UPDATE scenario SET status = 'done', plan = $2, dataset_revision = $3, finished_at = now(),
updated_at = now(), error = ''
WHERE id = $1`
	sqlScenarioEnd = `UPDATE scenario SET status = $4, error = $5, finished_at = now(), updated_at = now()
WHERE id = $1 AND run = $2 AND (status = 'queued' OR (status = 'running' AND attempt = $3))`
	sqlScenarioPublish = `UPDATE scenario SET published = $2, updated_at = now() WHERE id = $1`
	sqlScenarioUpsert  = `INSERT INTO scenario (id, name, spec, status, run, finished_at)
VALUES ($1, $2, $3, 'done', 0, now())
ON CONFLICT (id) DO UPDATE SET spec = EXCLUDED.spec, name = EXCLUDED.name, status = 'done',
error = '', progress = NULL, finished_at = now(), updated_at = now()
WHERE scenario.status NOT IN ('queued', 'running')
RETURNING id`

	sqlPlanParks = `SELECT parcel_id, town, kind, specialty, open_year, tier, locked, area_mu, far,
capacity_m2, floor_used_m2, firms, small_micro_share, specialty_firm_share, specialty_floor_share,
output_wan, cost_wan FROM plan_park WHERE scenario_id = $1 ORDER BY parcel_id`
	sqlPlanAssignments = `SELECT enterprise_id, parcel_id, distance_m FROM plan_assignment
WHERE scenario_id = $1 ORDER BY enterprise_id`
	sqlPlanUnplaced = `SELECT enterprise_id, reason, detail FROM plan_unplaced
WHERE scenario_id = $1 ORDER BY enterprise_id`
)

// planTables lists the plan row tables, deleted before a plan is rewritten.
var planTables = [...]string{"plan_park", "plan_assignment", "plan_unplaced", "plan_town"}

// CreateScenario implements planner.ScenarioRunStore: CreateScenarioJob
// with no job.
func (s *ScenarioStore) CreateScenario(ctx context.Context, sc *planner.Scenario, createdBy string, published bool) (*planner.ScenarioRun, error) {
	return s.CreateScenarioJob(ctx, sc, createdBy, published, nil)
}

// conflictError turns a unique violation on scenario into ECONFLICT, and
// text the database cannot store (a NUL character) into EINVALID.
func conflictError(err error, id, name string) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505": // unique_violation
			return &planner.Error{Code: planner.ECONFLICT, Field: "name",
				Message: fmt.Sprintf("a scenario named %q (id %q) exists already", name, id)}
		case "22021", "22P05": // character_not_in_repertoire, untranslatable_character
			return planner.Errorf(planner.EINVALID, "scenario %q: text PostgreSQL cannot store: %s", id, pqErr.Message)
		}
	}
	return err
}

// SavePlan implements planner.ScenarioStore: it saves sc and its whole plan
// under sc's id in one transaction, replacing an earlier plan of that id
// (the CLI's `solve`). A scenario whose run is active is ECONFLICT.
func (s *ScenarioStore) SavePlan(ctx context.Context, sc *planner.Scenario, plan *planner.Plan) (string, error) {
	id := ScenarioID(sc.Name)
	spec, err := json.Marshal(sc)
	if err != nil {
		return "", planner.Errorf(planner.EINVALID, "scenario %q: %v", sc.Name, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var got string
	err = tx.QueryRowContext(ctx, sqlScenarioUpsert, id, sc.Name, spec).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return "", planner.Errorf(planner.ECONFLICT, "scenario %q is being run; cancel it first", id)
	} else if err != nil {
		return "", conflictError(err, id, sc.Name)
	}
	if err := writePlan(ctx, tx, id, plan); err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", err
	}
	s.analyzePlanTables(ctx)
	return id, nil
}

// writePlan replaces scenario id's plan: its layers' rows with their
// geometry and figures (writePlanLayers, by COPY) and its summary. A plan built on
// another dataset revision than the stored one is refused with
// planner.ErrDataChanged before anything is written.
func writePlan(ctx context.Context, tx *sql.Tx, id string, plan *planner.Plan) error {
	if err := checkRevision(ctx, tx, id, plan.DatasetRevision); err != nil {
		return err
	}
	for _, t := range planTables {
		// t comes from the fixed list planTables, never from input.
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE scenario_id = $1", id); err != nil {
			return fmt.Errorf("scenario %s: clearing %s: %w", id, t, err)
		}
	}
	if err := writePlanLayers(ctx, tx, id, plan); err != nil {
		return err
	}
	doc, err := json.Marshal(newPlanDoc(plan))
	if err != nil {
		return fmt.Errorf("scenario %s: encoding plan: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, sqlScenarioDone, id, doc, plan.DatasetRevision); err != nil {
		return fmt.Errorf("scenario %s: saving plan: %w", id, err)
	}
	return nil
}

// copyRows streams n rows into table with COPY inside tx; row(i) gives row i.
func copyRows(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, cols...))
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	defer stmt.Close()
	for i := 0; i < n; i++ {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return fmt.Errorf("copy into %s, row %d: %w", table, i, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return stmt.Close()
}

// FindScenario implements planner.ScenarioStore: the scenario with its
// whole plan (row tables included), read in one snapshot.
func (s *ScenarioStore) FindScenario(ctx context.Context, id string) (*planner.ScenarioRecord, error) {
	tx, err := s.pool(ctx).BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	run, err := scanScenario(tx.QueryRowContext(ctx, sqlScenarioByID, id), id)
	if err != nil {
		return nil, err
	}
	if run.Plan != nil {
		if err := readPlanRows(ctx, tx, id, run.Plan); err != nil {
			return nil, err
		}
	}
	return &run.ScenarioRecord, tx.Commit()
}

// readPlanRows fills plan's parks, assignments and unplaced firms.
func readPlanRows(ctx context.Context, tx *sql.Tx, id string, plan *planner.Plan) error {
	var err error
	plan.Parks, err = queryAll(ctx, tx, sqlPlanParks, id, func(rows *sql.Rows, p *planner.Park) error {
		return rows.Scan(&p.ParcelID, &p.Town, &p.Kind, &p.Specialty, &p.OpenYear, &p.Tier, &p.Locked,
			&p.AreaMu, &p.FAR, &p.CapacityM2, &p.FloorUsedM2, &p.Firms, &p.SmallMicroShare,
			&p.SpecialtyFirmShare, &p.SpecialtyFloorShare, &p.OutputWan, &p.CostWan)
	})
	if err != nil {
		return err
	}
	plan.Assignments, err = queryAll(ctx, tx, sqlPlanAssignments, id, func(rows *sql.Rows, a *planner.Assignment) error {
		return rows.Scan(&a.EnterpriseID, &a.ParcelID, &a.DistanceM)
	})
	if err != nil {
		return err
	}
	plan.Unplaced, err = queryAll(ctx, tx, sqlPlanUnplaced, id, func(rows *sql.Rows, u *planner.Unplaced) error {
		return rows.Scan(&u.EnterpriseID, &u.Reason, &u.Detail)
	})
	return err
}

// queryAll runs query with the scenario id and scans every row into a new
// T. The result is empty, never nil, when no row matches.
func queryAll[T any](ctx context.Context, tx *sql.Tx, query, id string, scan func(*sql.Rows, *T) error) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, id)
	if err != nil {
		return nil, err
	}
	out := []T{}
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	return out, closeRows(rows)
}

// closeRows closes rows and returns the error that ended the iteration.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// FindScenarioRun implements planner.ScenarioRunStore.
func (s *ScenarioStore) FindScenarioRun(ctx context.Context, id string) (*planner.ScenarioRun, error) {
	return scanScenario(s.pool(ctx).QueryRowContext(ctx, sqlScenarioByID, id), id)
}

// ListScenarios implements planner.ScenarioStore. Plans come without their
// row tables (Parks, Assignments and Unplaced are nil); FindScenario reads them.
func (s *ScenarioStore) ListScenarios(ctx context.Context) ([]planner.ScenarioRecord, error) {
	runs, err := s.ListScenarioRuns(ctx, planner.ScenarioFilter{})
	if err != nil {
		return nil, err
	}
	recs := make([]planner.ScenarioRecord, len(runs))
	for i := range runs {
		recs[i] = runs[i].ScenarioRecord
	}
	return recs, nil
}

// ListScenarioRuns implements planner.ScenarioRunStore.
func (s *ScenarioStore) ListScenarioRuns(ctx context.Context, f planner.ScenarioFilter) ([]planner.ScenarioRun, error) {
	rows, err := s.pool(ctx).QueryContext(ctx, sqlScenarioList)
	if err != nil {
		return nil, err
	}
	runs := []planner.ScenarioRun{}
	for rows.Next() {
		r, err := scanScenario(rows, "")
		if err != nil {
			rows.Close()
			return nil, err
		}
		if f.Status != nil && planner.JobStatus(r.Status) != *f.Status {
			continue
		}
		if f.Published != nil && r.Published != *f.Published {
			continue
		}
		runs = append(runs, *r)
	}
	return runs, closeRows(rows)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanScenario reads one row of sqlScenarioColumns; id names the
// scenario in the not-found error.
func scanScenario(row scanner, id string) (*planner.ScenarioRun, error) {
	var (
		r                         planner.ScenarioRun
		spec                      []byte
		plan, progress            []byte
		queued, started, finished sql.NullTime
		createdAt, updatedAt      time.Time
		builtOn                   int
	)
	err := row.Scan(&r.ID, &spec, &r.Status, &r.Published, &r.CreatedBy, &createdAt, &updatedAt, &r.Run,
		&queued, &started, &finished, &r.Error, &plan, &progress, &builtOn, &r.DataRevision)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, planner.Errorf(planner.ENOTFOUND, "no scenario with id %q", id)
	} else if err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = createdAt.UTC(), updatedAt.UTC()
	r.QueuedAt, r.StartedAt, r.FinishedAt = utcOrZero(queued), utcOrZero(started), utcOrZero(finished)
	if err := json.Unmarshal(spec, &r.Scenario); err != nil {
		return nil, fmt.Errorf("scenario %s: stored spec: %w", r.ID, err)
	}
	if plan != nil {
		var d planDoc
		if err := json.Unmarshal(plan, &d); err != nil {
			return nil, fmt.Errorf("scenario %s: stored plan: %w", r.ID, err)
		}
		r.Plan = d.plan()
		r.Plan.DatasetRevision = builtOn
	}
	if progress != nil {
		var d progressDoc
		if err := json.Unmarshal(progress, &d); err != nil {
			return nil, fmt.Errorf("scenario %s: stored progress: %w", r.ID, err)
		}
		p := d.progress()
		r.Progress = &p
	}
	return &r, nil
}

func utcOrZero(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// DeleteScenario implements planner.ScenarioStore; the plan rows go with
// the scenario (ON DELETE CASCADE). An unknown id is ENOTFOUND.
func (s *ScenarioStore) DeleteScenario(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, sqlScenarioDelete, id)
	if err != nil {
		return err
	}
	return oneRow(res, id)
}

// oneRow turns "no row affected" into ENOTFOUND.
func oneRow(res sql.Result, id string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return planner.Errorf(planner.ENOTFOUND, "no scenario with id %q", id)
	}
	return nil
}

// QueueRun implements planner.ScenarioRunStore: QueueRunJob with no job.
func (s *ScenarioStore) QueueRun(ctx context.Context, id string) (int, error) {
	return s.QueueRunJob(ctx, id, nil)
}

// lockedRun is a scenario's run state, read with its row locked.
type lockedRun struct {
	Status  planner.JobStatus
	Run     int
	Attempt int
	JobID   int64 // 0: none
}

// lockScenario locks scenario id's row for the rest of tx.
func lockScenario(ctx context.Context, tx *sql.Tx, id string) (lockedRun, error) {
	var (
		r      lockedRun
		status string
	)
	err := tx.QueryRowContext(ctx, sqlScenarioLock, id).Scan(&status, &r.Run, &r.Attempt, &r.JobID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, planner.Errorf(planner.ENOTFOUND, "no scenario with id %q", id)
	}
	r.Status = planner.JobStatus(status)
	return r, err
}

// staleRun is the error for a write by a run that is no longer current.
func staleRun(id string, run int) error {
	return planner.Errorf(planner.ECONFLICT, "scenario %q: run %d is no longer current", id, run)
}

// StartRun implements planner.ScenarioRunStore: StartAttempt with attempt 0.
func (s *ScenarioStore) StartRun(ctx context.Context, id string, run int) error {
	return s.StartAttempt(ctx, RunKey{ID: id, Run: run})
}

// SaveProgress implements planner.ScenarioRunStore: Heartbeat of attempt 0.
func (s *ScenarioStore) SaveProgress(ctx context.Context, id string, run int, p planner.Progress) error {
	return s.Heartbeat(ctx, RunKey{ID: id, Run: run}, &p)
}

// FinishRun implements planner.ScenarioRunStore: FinishAttempt of attempt 0.
func (s *ScenarioStore) FinishRun(ctx context.Context, id string, run int, plan *planner.Plan) error {
	return s.FinishAttempt(ctx, RunKey{ID: id, Run: run}, plan)
}

// analyzePlanTables refreshes the planner statistics of the plan tables
// after a save, so the first layer and difference queries on freshly
// copied rows get index plans instead of guesses. It is best-effort: the
// plan is committed already, and autovacuum would catch up later.
func (s *ScenarioStore) analyzePlanTables(ctx context.Context) {
	// The table names come from the fixed list planTables.
	_, _ = s.db.ExecContext(ctx, "ANALYZE "+strings.Join(planTables[:], ", "))
}

// EndRun implements planner.ScenarioRunStore: EndAttempt of attempt 0.
func (s *ScenarioStore) EndRun(ctx context.Context, id string, run int, status planner.JobStatus, msg string) error {
	return s.EndAttempt(ctx, RunKey{ID: id, Run: run}, status, msg)
}

// SetPublished implements planner.ScenarioRunStore.
func (s *ScenarioStore) SetPublished(ctx context.Context, id string, published bool) error {
	res, err := s.db.ExecContext(ctx, sqlScenarioPublish, id, published)
	if err != nil {
		return err
	}
	return oneRow(res, id)
}
