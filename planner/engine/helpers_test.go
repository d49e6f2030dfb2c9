package engine

import (
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/demo"
)

// requireCBC fails t where CBC is not installed: the tests that call it
// check parkplan against CBC or use its LP, and CI installs it.
func requireCBC(t *testing.T) {
	t.Helper()
	if !cbc.Installed() {
		t.Fatal("cbc is not installed (scripts/deps.sh installs coinor-cbc)")
	}
}

// demoInstance is the shipped demo (1×, demo.DefaultSeed) under the
// default scenario as edit changes it.
func demoInstance(t *testing.T, edit func(*planner.Scenario)) *planner.Instance {
	t.Helper()
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	sc := planner.Defaults()
	edit(&sc)
	inst, err := planner.BuildInstance(ds, sc)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}
