package engine

import (
	"testing"

	"github.com/parkplan/parkplan/planner/cbc"
)

// requireCBC fails t where CBC is not installed: the tests that call it
// check parkplan against CBC or use its LP, and CI installs it.
func requireCBC(t *testing.T) {
	t.Helper()
	if !cbc.Installed() {
		t.Fatal("cbc is not installed (scripts/deps.sh installs coinor-cbc)")
	}
}
