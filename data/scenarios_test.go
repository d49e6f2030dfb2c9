package data_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// testPlan returns a small plan with every row table filled; gap is +Inf
// and the first park's output NaN-free, so the JSON round trip of
// non-finite numbers is exercised.
func testPlan(name string, parks int) *planner.Plan {
	p := &planner.Plan{Scenario: name, ScenarioHash: "abc123",
		KPI: planner.KPIs{ParksByTarget: parks, ParksTotal: parks, TownsCovered: 1, NewLandMu: 12.5,
			FirmsPlaced: 2, MeanRelocationKm: math.NaN(), MaxRelocationKm: 3.25},
		Solve: planner.SolveInfo{Solver: "parkplan", Status: planner.StatusFeasible, Objective: 10,
			Bound: math.Inf(1), Gap: math.Inf(1), Elapsed: 1500 * time.Millisecond, Nodes: 7, Binding: []string{"quota zhouxiang 2020"}},
		Warnings: []string{"P-0001 overlaps farmland by 0.02 mu"},
		Towns: []planner.TownSummary{{Town: "t1", Parks: parks, NewParks: 1,
			QuotaMu: map[int]float64{2019: 10, 2020: 12}, NewLandUsedMu: map[int]float64{2020: 12.5},
			OldFactoryMu: map[int]float64{2019: 0, 2020: 0}, FirmsPlaced: 2}},
	}
	for i := 0; i < parks; i++ {
		p.Parks = append(p.Parks, planner.Park{ParcelID: "P-" + string(rune('a'+i)), Town: "t1", Kind: planner.KindNewLand,
			Specialty: "ind00", OpenYear: 2020, Tier: planner.TierBasic, AreaMu: 12.5, FAR: 2, CapacityM2: 10000,
			FloorUsedM2: 1500, Firms: 2, SmallMicroShare: 1, SpecialtyFirmShare: 0.5, SpecialtyFloorShare: 0.75,
			OutputWan: 320, CostWan: 100})
	}
	p.Assignments = []planner.Assignment{{EnterpriseID: "E-1", ParcelID: "P-a", DistanceM: 1200}, {EnterpriseID: "E-2", ParcelID: "P-a", DistanceM: 3250}}
	p.Unplaced = []planner.Unplaced{{EnterpriseID: "E-3", Reason: planner.ReasonBarredPollution}}
	return p
}

func testScenario(name string) *planner.Scenario {
	sc := planner.Defaults()
	sc.Name = name
	return &sc
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := planner.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q); want code %q", what, err, got, code)
	}
}

func countRows(t *testing.T, db *sql.DB, table, id string) int {
	t.Helper()
	var n int
	// table comes from the tests' own constant list.
	if err := db.QueryRow("SELECT count(*) FROM "+table+" WHERE scenario_id = $1", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestScenarioStore runs the scenario, token and layer store tests on one
// migrated database (each subtest uses its own scenario names).
func TestScenarioStore(t *testing.T) {
	db, dbURL := newTestDB(t)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Run("run lifecycle", func(t *testing.T) { testScenarioRunLifecycle(t, db) })
	t.Run("save plan is atomic", func(t *testing.T) { testSavePlanIsAtomic(t, db) })
	t.Run("cancelled save leaves nothing", func(t *testing.T) { testFinishRunCancelledContext(t, db) })
	t.Run("run attempts", func(t *testing.T) { testRunAttempts(t, db) })
	t.Run("tokens", func(t *testing.T) { testTokens(t, db) })
	t.Run("reader role cannot write", func(t *testing.T) { testReaderRoleCannotWrite(t, db, dbURL) })
	t.Run("scenario diff", func(t *testing.T) { testScenarioDiff(t, db) })
}

// testScenarioRunLifecycle walks a scenario through create, queue, start,
// progress, finish, re-run and cancel, checking the run guard at each step.
func testScenarioRunLifecycle(t *testing.T, db *data.DB) {
	ctx := context.Background()
	st := data.NewScenarioStore(db.SQL())

	run, err := st.CreateScenario(ctx, testScenario("Baseline 2020"), "alice", false)
	if err != nil {
		t.Fatal(err)
	}
	if run.ID != "baseline-2020" || run.Status != string(planner.JobQueued) || run.Run != 1 || run.CreatedBy != "alice" {
		t.Fatalf("created %+v", run)
	}
	_, err = st.CreateScenario(ctx, testScenario("Baseline 2020"), "", false)
	wantCode(t, "same name again", err, planner.ECONFLICT)
	_, err = st.CreateScenario(ctx, testScenario("nul\x00name"), "", false)
	wantCode(t, "NUL in the name", err, planner.EINVALID)
	_, err = st.QueueRun(ctx, "baseline-2020")
	wantCode(t, "queue while queued", err, planner.ECONFLICT)
	wantCode(t, "start a stale run", st.StartRun(ctx, "baseline-2020", 2), planner.ECONFLICT)
	if err := st.StartRun(ctx, "baseline-2020", 1); err != nil {
		t.Fatal(err)
	}
	prog := planner.Progress{Incumbent: math.NaN(), Bound: 99, Gap: math.Inf(1), Nodes: 3, Elapsed: time.Second}
	if err := st.SaveProgress(ctx, "baseline-2020", 1, prog); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindScenarioRun(ctx, "baseline-2020")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "running" || got.Progress == nil || !math.IsNaN(got.Progress.Incumbent) || !math.IsInf(got.Progress.Gap, 1) || got.Progress.Bound != 99 {
		t.Fatalf("running: %+v progress %+v", got.ScenarioRecord, got.Progress)
	}
	plan := testPlan("Baseline 2020", 2)
	wantCode(t, "finish a stale run", st.FinishRun(ctx, "baseline-2020", 7, plan), planner.ECONFLICT)
	if err := st.FinishRun(ctx, "baseline-2020", 1, plan); err != nil {
		t.Fatal(err)
	}
	rec, err := st.FindScenario(ctx, "baseline-2020")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != "done" || rec.Plan == nil {
		t.Fatalf("after finish: %+v", rec)
	}
	checkPlanEqual(t, rec.Plan, plan)

	// A re-run that is cancelled keeps the previous plan.
	n, err := st.QueueRun(ctx, "baseline-2020")
	if err != nil || n != 2 {
		t.Fatalf("re-run: run %d, %v", n, err)
	}
	if err := st.EndRun(ctx, "baseline-2020", 2, planner.JobCancelled, "cancelled by request"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "end twice", st.EndRun(ctx, "baseline-2020", 2, planner.JobFailed, "x"), planner.ECONFLICT)
	rec, err = st.FindScenario(ctx, "baseline-2020")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != "cancelled" || rec.Plan == nil || len(rec.Plan.Parks) != 2 {
		t.Fatalf("after cancelled re-run: status %s plan %v", rec.Status, rec.Plan)
	}

	if err := st.SetPublished(ctx, "baseline-2020", true); err != nil {
		t.Fatal(err)
	}
	yes := true
	list, err := st.ListScenarioRuns(ctx, planner.ScenarioFilter{Published: &yes})
	if err != nil || len(list) != 1 || !list[0].Published || list[0].Plan == nil || list[0].Plan.Parks != nil {
		t.Fatalf("published list: %+v, %v", list, err)
	}
	wantCode(t, "publish unknown", st.SetPublished(ctx, "nope", true), planner.ENOTFOUND)
	_, err = st.FindScenario(ctx, "nope")
	wantCode(t, "find unknown", err, planner.ENOTFOUND)

	if err := st.DeleteScenario(ctx, "baseline-2020"); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"plan_park", "plan_assignment", "plan_unplaced", "plan_town"} {
		if n := countRows(t, db.SQL(), table, "baseline-2020"); n != 0 {
			t.Errorf("after delete: %d rows left in %s", n, table)
		}
	}
	wantCode(t, "delete twice", st.DeleteScenario(ctx, "baseline-2020"), planner.ENOTFOUND)
}

// checkPlanEqual compares plans, treating NaN as equal to NaN.
func checkPlanEqual(t *testing.T, got, want *planner.Plan) {
	t.Helper()
	if !reflect.DeepEqual(got.Parks, want.Parks) {
		t.Errorf("parks:\n got %+v\nwant %+v", got.Parks, want.Parks)
	}
	if !reflect.DeepEqual(got.Assignments, want.Assignments) {
		t.Errorf("assignments:\n got %+v\nwant %+v", got.Assignments, want.Assignments)
	}
	if !reflect.DeepEqual(got.Unplaced, want.Unplaced) {
		t.Errorf("unplaced:\n got %+v\nwant %+v", got.Unplaced, want.Unplaced)
	}
	if !reflect.DeepEqual(got.Towns, want.Towns) {
		t.Errorf("towns:\n got %+v\nwant %+v", got.Towns, want.Towns)
	}
	gk, wk := got.KPI, want.KPI
	if !math.IsNaN(gk.MeanRelocationKm) {
		t.Errorf("mean relocation %v; want NaN kept", gk.MeanRelocationKm)
	}
	gk.MeanRelocationKm, wk.MeanRelocationKm = 0, 0
	if gk != wk {
		t.Errorf("kpi:\n got %+v\nwant %+v", gk, wk)
	}
	if !reflect.DeepEqual(got.Solve, want.Solve) {
		t.Errorf("solve:\n got %+v\nwant %+v", got.Solve, want.Solve)
	}
	if !reflect.DeepEqual(got.Warnings, want.Warnings) || got.ScenarioHash != want.ScenarioHash {
		t.Errorf("warnings/hash: got %v %q", got.Warnings, got.ScenarioHash)
	}
}

// testSavePlanIsAtomic saves a plan whose last table breaks a key: the
// whole save rolls back and the earlier plan stays whole.
func testSavePlanIsAtomic(t *testing.T, db *data.DB) {
	ctx := context.Background()
	st := data.NewScenarioStore(db.SQL())
	good := testPlan("Atomic", 3)
	id, err := st.SavePlan(ctx, testScenario("Atomic"), good)
	if err != nil {
		t.Fatal(err)
	}
	bad := testPlan("Atomic", 5)
	bad.Unplaced = append(bad.Unplaced, bad.Unplaced[0]) // duplicate key in the last COPY
	if _, err := st.SavePlan(ctx, testScenario("Atomic"), bad); err == nil {
		t.Fatal("saving a plan with a duplicate unplaced firm succeeded")
	}
	rec, err := st.FindScenario(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	checkPlanEqual(t, rec.Plan, good)
	if n := countRows(t, db.SQL(), "plan_park", id); n != 3 {
		t.Errorf("plan_park has %d rows; want the first plan's 3", n)
	}
}

// testFinishRunCancelledContext cancels a plan save midway — after the
// parks, assignments and unplaced firms are copied, while a trigger holds
// the copy into plan_town — and checks that nothing of the plan is left.
func testFinishRunCancelledContext(t *testing.T, db *data.DB) {
	st := data.NewScenarioStore(db.SQL())
	ctx := context.Background()
	run, err := st.CreateScenario(ctx, testScenario("Big"), "", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.StartRun(ctx, run.ID, 1); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE FUNCTION slow_plan_town() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(10); RETURN NULL; END $$`,
		`CREATE TRIGGER slow_plan_town BEFORE INSERT ON plan_town FOR EACH STATEMENT EXECUTE FUNCTION slow_plan_town()`,
	} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		if _, err := db.SQL().ExecContext(ctx, `DROP TRIGGER slow_plan_town ON plan_town`); err != nil {
			t.Fatal(err)
		}
	}()
	big := testPlan("Big", 1)
	for i := 0; i < 20000; i++ {
		big.Unplaced = append(big.Unplaced, planner.Unplaced{EnterpriseID: fmt.Sprintf("X-%06d", i), Reason: planner.ReasonNoCapacity})
	}
	cctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = st.FinishRun(cctx, run.ID, 1, big)
	if err == nil {
		t.Fatal("the save went through although its context was cancelled during the plan_town copy")
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("the cancelled save took %v: the cancel did not reach the server", d)
	}
	for _, table := range []string{"plan_park", "plan_assignment", "plan_unplaced", "plan_town"} {
		if n := countRows(t, db.SQL(), table, run.ID); n != 0 {
			t.Errorf("after a cancelled save: %d rows in %s", n, table)
		}
	}
	got, err := st.FindScenarioRun(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "running" || got.Plan != nil {
		t.Errorf("after a cancelled save: status %s, plan %v; want running, none", got.Status, got.Plan)
	}
}

// testRunAttempts walks a run through the job side of the store: queued
// with its job in one transaction (an enqueue error saves nothing),
// started by attempt 1, re-queued when that worker is lost, taken over by
// attempt 2; attempt 1's late writes are refused; cancel takes the job.
func testRunAttempts(t *testing.T, db *data.DB) {
	ctx := context.Background()
	st := data.NewScenarioStore(db.SQL())
	refuse := errors.New("queue full")
	_, err := st.CreateScenarioJob(ctx, testScenario("attempts-refused"), "", false,
		func(context.Context, *sql.Tx, string, int) (int64, error) { return 0, refuse })
	if !errors.Is(err, refuse) {
		t.Fatalf("refused enqueue: %v", err)
	}
	wantCode(t, "a refused run leaves no scenario", func() error { _, err := st.FindScenarioRun(ctx, "attempts-refused"); return err }(), planner.ENOTFOUND)
	enq := func(_ context.Context, _ *sql.Tx, id string, run int) (int64, error) { return int64(100 + run), nil }
	if _, err := st.CreateScenarioJob(ctx, testScenario("attempts"), "", false, enq); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateScenarioJob(ctx, testScenario("attempts-later"), "", false, enq); err != nil {
		t.Fatal(err)
	}
	if n, err := st.QueuePosition(ctx, "attempts-later"); err != nil || n < 2 {
		t.Errorf("queue position of the later run: %d (%v); want behind the first", n, err)
	}
	a1 := data.RunKey{ID: "attempts", Run: 1, Attempt: 1}
	a2 := data.RunKey{ID: "attempts", Run: 1, Attempt: 2}
	if err := st.StartAttempt(ctx, a1); err != nil {
		t.Fatal(err)
	}
	if n, err := st.QueuePosition(ctx, "attempts"); err != nil || n != 0 {
		t.Errorf("queue position of a running run: %d (%v)", n, err)
	}
	wantCode(t, "start twice", st.StartAttempt(ctx, a2), planner.ECONFLICT)
	wantCode(t, "heartbeat of an attempt that does not hold the run", st.Heartbeat(ctx, a2, nil), planner.ECONFLICT)
	if err := st.Heartbeat(ctx, a1, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.RequeueAttempt(ctx, a1, "lost"); err != nil {
		t.Fatal(err)
	}
	if err := st.StartAttempt(ctx, a2); err != nil {
		t.Fatal(err)
	}
	plan := testPlan("attempts", 2)
	wantCode(t, "the lost attempt's plan", st.FinishAttempt(ctx, a1, plan), planner.ECONFLICT)
	wantCode(t, "the lost attempt's end", st.EndAttempt(ctx, a1, planner.JobFailed, "x"), planner.ECONFLICT)
	active, err := st.ActiveRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range active {
		if a.ID == "attempts" {
			found = a.RunKey == a2 && a.Status == planner.JobRunning && a.JobID == 101
		}
	}
	if !found {
		t.Errorf("active runs %+v; want attempts as attempt 2, running, job 101", active)
	}
	if err := st.FinishAttempt(ctx, a2, plan); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindScenarioRun(ctx, "attempts")
	if err != nil || got.Status != "done" || got.Error != "" {
		t.Fatalf("after attempt 2's plan: %+v (%v)", got, err)
	}
	var cancelled int64
	cancel := func(_ context.Context, _ *sql.Tx, jobID int64) error { cancelled = jobID; return nil }
	wantCode(t, "cancel with nothing active", st.CancelRun(ctx, "attempts", planner.MsgCancelled, cancel), planner.ECONFLICT)
	if _, err := st.QueueRunJob(ctx, "attempts", enq); err != nil {
		t.Fatal(err)
	}
	if err := st.CancelRun(ctx, "attempts", planner.MsgCancelled, cancel); err != nil || cancelled != 102 {
		t.Fatalf("cancel: job %d cancelled (%v); want 102", cancelled, err)
	}
	got, err = st.FindScenarioRun(ctx, "attempts")
	if err != nil || got.Status != "cancelled" || got.Plan == nil {
		t.Errorf("after cancel: %+v (%v); want cancelled, the plan kept", got, err)
	}
}

func TestScenarioID(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Baseline", "baseline"},
		{"Baseline 2020 (quota +10%)", "baseline-2020-quota-10"},
		{"  six new-land parks ", "six-new-land-parks"},
		{"under_score", "under_score"},
		{"基准方案", "s-"},
		{strings.Repeat("long name ", 20), "long-name-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := data.ScenarioID(tc.name)
			if !strings.HasPrefix(got, tc.want) || len(got) > 80 {
				t.Errorf("ScenarioID(%q) = %q; want prefix %q, at most 80 bytes", tc.name, got, tc.want)
			}
			if got != data.ScenarioID(tc.name) {
				t.Errorf("not stable")
			}
		})
	}
}
