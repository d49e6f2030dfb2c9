package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/rules"
)

func solveDataset() *planner.Dataset {
	sz := plantest.Small()
	sz.Towns = 4
	return plantest.Dataset(7, sz)
}

// TestSolveCLI drives `parkplan solve` and `parkplan model` as a user
// would: plan files byte-identical across runs, readable by ogrinfo, the
// plan passing the rule checker on the stored dataset, saved in PostGIS;
// an infeasible scenario exits 1 with its explanation.
func TestSolveCLI(t *testing.T) {
	ds := solveDataset()
	dbURL := importedTestDB(t, "solve", ds)
	dir := t.TempDir()
	// A limit long enough for either solver to prove the optimum even on a
	// loaded machine: byte-identical runs need a solve that ends on its
	// gap, not on the clock.
	scPath := writeFile(t, dir, "small.yaml", "name: small-four\ntarget_parks: 4\nmax_new_land_parks: 3\ntime_limit: 60s\n")

	var outs []string
	for i, solver := range []string{"cbc", "cbc", "parkplan"} {
		out := filepath.Join(dir, "out"+string(rune('a'+i)))
		args := []string{"solve", "--scenario", scPath, "--out", out, "--db", dbURL, "--solver", solver, "--no-timing"}
		if i > 0 {
			args = append(args, "--no-save")
		}
		code, stdout, stderr := runCLI(args...)
		if code != 0 {
			t.Fatalf("solve %s: exit %d\n%s%s", solver, code, stdout, stderr)
		}
		if !strings.Contains(stdout, "rule check: every rule holds") {
			t.Errorf("solve %s: no rule check line:\n%s", solver, stdout)
		}
		outs = append(outs, out)
	}
	for _, f := range []string{"parks.geojson", "assignments.geojson", "unplaced.geojson", "towns.geojson", "plan.json"} {
		a, err := os.ReadFile(filepath.Join(outs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(outs[1], f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs on the same input", f)
		}
		if strings.HasSuffix(f, ".geojson") {
			out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", filepath.Join(outs[0], f)).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "Feature Count:") {
				t.Errorf("ogrinfo %s: %v\n%s", f, err, out)
			}
		}
	}

	// Each plan keeps every rule, checked on the dataset as stored.
	db, err := data.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored, err := db.LoadDataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := planner.LoadScenarioFile(scPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{outs[0], outs[2]} {
		var plan planner.Plan
		b, _ := os.ReadFile(filepath.Join(out, "plan.json"))
		if err := json.Unmarshal(b, &plan); err != nil {
			t.Fatal(err)
		}
		if vs := rules.Check(stored, *sc, &plan); len(vs) > 0 {
			t.Errorf("%s: plan breaks rules:\n%s", out, rules.Format(vs))
		}
		if plan.Solve.Status != planner.StatusOptimal && plan.Solve.Status != planner.StatusFeasible {
			t.Errorf("%s: status %s", out, plan.Solve.Status)
		}
		if plan.ScenarioHash != planner.ScenarioHash(*sc, stored) {
			t.Errorf("%s: scenario hash %s, want %s", out, plan.ScenarioHash, planner.ScenarioHash(*sc, stored))
		}
	}

	// The first run was saved.
	rec, err := data.NewScenarioStore(db.SQL()).FindScenario(context.Background(), data.ScenarioID("small-four"))
	if err != nil {
		t.Fatalf("saved scenario: %v", err)
	}
	if rec.Plan == nil || len(rec.Plan.Parks) == 0 {
		t.Errorf("saved plan has no parks: %+v", rec.Plan)
	}

	// model writes MPS that CBC reads.
	mpsPath := filepath.Join(dir, "model.mps")
	if code, stdout, stderr := runCLI("model", "--scenario", scPath, "--out", mpsPath, "--db", dbURL); code != 0 {
		t.Fatalf("model: exit %d\n%s%s", code, stdout, stderr)
	}
	if out, err := exec.Command("cbc", mpsPath, "-quit").CombinedOutput(); err != nil || !strings.Contains(string(out), "read with 0 errors") {
		t.Errorf("cbc reading model.mps: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "model.names")); err != nil {
		t.Errorf("no name map: %v", err)
	}

	// An infeasible scenario: exit 1, files written, explanation in plan.json.
	bad := writeFile(t, dir, "bad.yaml", "name: too-many\ntarget_parks: 40\n")
	out := filepath.Join(dir, "bad")
	code, stdout, stderr := runCLI("solve", "--scenario", bad, "--out", out, "--db", dbURL, "--no-save")
	if code != 1 || !strings.Contains(stdout, "lower target_parks from 40 to") || !strings.Contains(stderr, "infeasible") {
		t.Errorf("infeasible solve: exit %d\n%s%s", code, stdout, stderr)
	}
	var plan planner.Plan
	b, _ := os.ReadFile(filepath.Join(out, "plan.json"))
	if err := json.Unmarshal(b, &plan); err != nil || plan.Explanation == nil || plan.Solve.Status != planner.StatusInfeasible {
		t.Errorf("infeasible plan.json: %v %+v", err, plan.Solve)
	}

	// A bad scenario file: exit 2 naming the field.
	worse := writeFile(t, dir, "worse.yaml", "name: x\nweights:\n  land_mu: -1\n")
	code, _, stderr = runCLI("solve", "--scenario", worse, "--out", out, "--db", dbURL)
	if code != 2 || !strings.Contains(stderr, "worse.yaml: weights.land_mu: must be ≥ 0, got -1") {
		t.Errorf("bad scenario: exit %d: %s", code, stderr)
	}
}

// TestSolvePublish: `solve --publish` saves the plan and publishes the
// scenario, so an anonymous GET /scenarios of a running server lists it
// with its plan (what the map page of `make run` reads); a solve without
// --publish saves a scenario the public role does not see, and --publish
// with --no-save is a usage error.
func TestSolvePublish(t *testing.T) {
	dbURL := importedTestDB(t, "solve", solveDataset())
	dir := t.TempDir()
	pub := writeFile(t, dir, "pub.yaml", "name: published-base\ntarget_parks: 2\nmax_new_land_parks: -1\ntime_limit: 3s\n")
	priv := writeFile(t, dir, "priv.yaml", "name: private-draft\ntarget_parks: 2\nmax_new_land_parks: -1\ntime_limit: 3s\n")

	code, stdout, stderr := runCLI("solve", "--scenario", pub, "--out", filepath.Join(dir, "pub"), "--db", dbURL, "--publish")
	if code != 0 || !strings.Contains(stdout, "published scenario published-base") {
		t.Fatalf("solve --publish: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI("solve", "--scenario", priv, "--out", filepath.Join(dir, "priv"), "--db", dbURL); code != 0 {
		t.Fatalf("solve: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = runCLI("solve", "--scenario", pub, "--out", filepath.Join(dir, "x"), "--db", dbURL, "--publish", "--no-save")
	if code != 2 || !strings.Contains(stderr, "--no-save") {
		t.Errorf("--publish --no-save: exit %d: %s", code, stderr)
	}

	db, err := data.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := data.NewScenarioStore(db.SQL())
	for id, want := range map[string]bool{"published-base": true, "private-draft": false} {
		run, err := st.FindScenarioRun(context.Background(), id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if run.Published != want || run.Plan == nil {
			t.Errorf("%s: published %v (want %v), plan %v", id, run.Published, want, run.Plan != nil)
		}
	}

	// The public role (no token) lists the published scenario only.
	s := svcServe(t, dbURL, nil)
	r := s.do(t, "GET", "/scenarios", "", "", nil)
	if r.status != 200 {
		t.Fatalf("anonymous GET /scenarios: %d %s", r.status, r.body)
	}
	var list struct {
		Scenarios []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Scenarios) != 1 || list.Scenarios[0].ID != "published-base" || list.Scenarios[0].Status != "done" {
		t.Errorf("anonymous GET /scenarios lists %+v; want published-base, done, only", list.Scenarios)
	}
}
