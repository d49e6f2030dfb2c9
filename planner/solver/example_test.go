package solver_test

import (
	"context"
	"fmt"
	"time"

	"github.com/parkplan/parkplan/planner/randinst"
	"github.com/parkplan/parkplan/planner/solver"
)

// A small random county solved to proven optimality.
func ExampleSolve() {
	inst := randinst.Generate(2, randinst.Tiny())
	sol, err := solver.Solve(context.Background(), inst, solver.Options{TimeLimit: 10 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	open := 0
	for _, y := range sol.Year {
		if y >= 0 {
			open++
		}
	}
	fmt.Printf("%s: objective %.4f, bound %.4f, %d parks open\n", sol.Info.Status, sol.Info.Objective, sol.Info.Bound, open)
	// Output:
	// optimal: objective 7.0824, bound 7.0824, 2 parks open
}
