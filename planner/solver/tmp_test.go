package solver

import (
	"context"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner/randinst"
)

func TestTmpCross(t *testing.T) {
	s := randinst.Small()
	s.Towns, s.GroupsPerTown, s.MaxGroupCount = 2, 3, 4
	for _, seed := range []int64{102} {
		inst := randinst.Generate(seed, s)
		t0 := time.Now()
		sol, err := Solve(context.Background(), inst, Options{TimeLimit: 60 * time.Second})
		if err != nil {
			t.Logf("%v", err)
			continue
		}
		r, c := newModel(inst).fullSize()
		t.Logf("seed %d rows %d cols %d: %v %+v", seed, r, c, time.Since(t0), sol.Info)
	}
}
