package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// TestProvinceSolveCLI: `parkplan province solve` over two demo counties
// prints the allocation table and the proof line, --json gives the
// ProvinceResult with a row per county and pool year whose allocations
// fit the pool, a bad file exits 2 naming the field, and --jobs (workers
// read the database) refuses demo counties.
func TestProvinceSolveCLI(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(good, []byte(`name: cli
county: {node_limit: 40, time_limit: 120s, target_parks: 0, max_new_land_parks: -1}
pool:
  - {year: 2019, new_land_mu: 150}
  - {year: 2020, new_land_mu: 150}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"province", "solve", "--scenario", good, "--counties-from-demo", "2", "--rounds", "2", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res planner.ProvinceResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out.String())
	}
	if len(res.Allocation) != 4 || len(res.Counties) != 2 || res.Bound < res.Objective {
		t.Errorf("result: %d allocation rows, %d counties, objective %v, bound %v", len(res.Allocation), len(res.Counties), res.Objective, res.Bound)
	}
	for _, y := range []int{2019, 2020} {
		sum := 0.0
		for _, a := range res.Allocation {
			if a.Year == y {
				sum += a.AllocatedMu
			}
		}
		if sum > 150+1e-6 {
			t.Errorf("%d: %.2f mu allocated of a 150 mu pool", y, sum)
		}
	}
	if !strings.Contains(errb.String(), "round 0: bound") {
		t.Errorf("no round progress on stderr: %q", errb.String())
	}

	out.Reset()
	errb.Reset()
	// (--rounds 2: after round 0 alone the allocation round finds no plan
	// for a county under its share within 40 nodes, and a failed county
	// solve gives the coordinator no plan)
	if code := run(context.Background(), []string{"province", "solve", "--scenario", good, "--counties-from-demo", "2", "--rounds", "2"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"allocated mu", "c01", "c02", "province cli:", "gap"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: cli\npool: [{year: 1990, new_land_mu: 1}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run(context.Background(), []string{"province", "solve", "--scenario", bad, "--counties-from-demo", "2"}, &out, &errb); code != 2 {
		t.Errorf("bad file: exit %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "bad.yaml: pool[0].year") {
		t.Errorf("bad file: %q does not name the field", errb.String())
	}

	errb.Reset()
	if code := run(context.Background(), []string{"province", "solve", "--scenario", good, "--counties-from-demo", "2", "--jobs"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "jobs") {
		t.Errorf("--jobs with --counties-from-demo: exit %d, %q; want exit 2 naming --jobs", code, errb.String())
	}
}
