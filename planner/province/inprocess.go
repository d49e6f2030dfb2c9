package province

import (
	"context"
	"runtime"
	"sync"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
)

// InProcess is the planner.CountySolver that solves a round's counties in
// this process, up to Concurrency at a time (0: GOMAXPROCS), each through
// BuildInstance → Solve → DecodePlan on the county's own dataset. The
// results do not depend on Concurrency when the county scenarios end on
// node limits (the solver is deterministic): one result per task, in the
// tasks' order.
type InProcess struct {
	Datasets    map[string]*planner.Dataset // by County.Code
	Concurrency int
	// Solve solves one county's model; nil means engine.ParkplanOnly
	// (parkplan's own solver, deterministic on node limits).
	Solve engine.SolveFunc
}

var _ planner.CountySolver = (*InProcess)(nil)

// SolveCounties solves the tasks; a county that has no plan (infeasible,
// no plan within its limits, a task naming an unknown county) gets its
// reason in CountyResult.Err. The error is ctx's when it was cancelled.
func (ip *InProcess) SolveCounties(ctx context.Context, tasks []planner.CountyTask) ([]planner.CountyResult, error) {
	n := ip.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	out := make([]planner.CountyResult, len(tasks))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(n, len(tasks)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = ip.solveOne(ctx, tasks[i])
			}
		}()
	}
	for i := range tasks {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (ip *InProcess) solveOne(ctx context.Context, task planner.CountyTask) planner.CountyResult {
	res := planner.CountyResult{County: task.County, Round: task.Round}
	ds, ok := ip.Datasets[task.County]
	if !ok {
		res.Err = "no county " + task.County + " in the province's dataset"
		return res
	}
	plan, err := SolveCounty(ctx, ds, task.Scenario, ip.Solve)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.Plan = plan
	return res
}

// SolveCounty solves one county's scenario on its dataset: BuildInstance,
// solve (nil: engine.ParkplanOnly), DecodePlan. It is what a CountyTask
// runs, here or on a worker.
func SolveCounty(ctx context.Context, ds *planner.Dataset, sc planner.Scenario, solve engine.SolveFunc) (*planner.Plan, error) {
	if solve == nil {
		solve = engine.ParkplanOnly
	}
	inst, err := planner.BuildInstance(ds, sc)
	if err != nil {
		return nil, err
	}
	sol, err := solve(ctx, inst, nil)
	if err != nil {
		return nil, err
	}
	plan, err := planner.DecodePlan(ds, inst, sol)
	if err != nil {
		return nil, err
	}
	plan.DatasetRevision = ds.Revision
	return plan, nil
}
