package datasettest

import (
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/demo"
)

// DemoDir generates the Cixi demo (default seed) and writes it as a
// dataset directory in a temporary directory of tb.
func DemoDir(tb testing.TB) (*planner.Dataset, string) {
	tb.Helper()
	ds, err := demo.Generate(demo.Options{Seed: demo.DefaultSeed})
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	if err := dataset.WriteDir(ds, dir); err != nil {
		tb.Fatal(err)
	}
	return ds, dir
}
