package planner_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// TestScenarioHashGolden pins the canonical form: the baseline on
// plantest.Hand must keep its hash, or plans saved earlier stop matching
// their inputs. Change hashVersion when the form changes on purpose, then
// run with -update.
func TestScenarioHashGolden(t *testing.T) {
	got := planner.ScenarioHash(planner.Defaults(), plantest.Hand()) + "\n"
	path := filepath.Join("testdata", "hash_baseline_hand.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("hash %s, golden %s", strings.TrimSpace(got), strings.TrimSpace(string(want)))
	}
}
