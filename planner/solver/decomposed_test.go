package solver

import (
	"context"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// decomposed is the search of the tests that start from the relaxation's
// plans: inst under a minute's time limit and the node limit nodes, after
// decompose (its incumbent in best, nil when it found none).
func decomposed(inst *planner.Instance, nodes int) *search {
	sr := newSearch(context.Background(), inst, Options{TimeLimit: time.Minute, NodeLimit: nodes})
	sr.decompose(sr.deadline, false)
	return sr
}
