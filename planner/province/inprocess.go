package province

import (
	"context"
	"runtime"
	"sync"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
)

// InProcess is the planner.CountySolver that solves a round's counties in
// this process, up to Concurrency at a time (0: GOMAXPROCS), each the way
// a `parkplan worker` solves a county task (jobs/county.go): the
// county's dataset (the province dataset's CountyDataset) solved by
// engine.Engine.SolveDataset, a failed solve's plan kept beside its
// error. So a round here and a round on workers give the same bytes when
// the county scenarios end on node limits (the solver is deterministic):
// one result per task, in the tasks' order, whatever Concurrency.
type InProcess struct {
	Datasets    map[string]*planner.Dataset // by County.Code: CountyDataset's
	Concurrency int
	// Engine solves one county's scenario on its dataset (SolveDataset);
	// nil means CountyEngine(), as on a worker.
	Engine *engine.Engine
}

// CountyEngine is the engine every county task is solved with, in this
// process (InProcess) and on a worker (cmd/parkplan wires it as the job
// runner's county solver): engine.ParkplanLP, parkplan's solver started
// at CBC's LP duals (where cbc is installed) without CBC's root node
// beside it. Measured on demo counties (docs/province.md) the LP start
// takes a node-limited county's gap from 10–31 % to 1–5 %, while the
// root tightened the bound by less than 0.1 % at 2–10× the time.
func CountyEngine() *engine.Engine {
	return &engine.Engine{Solver: engine.ParkplanLP, SolverName: "parkplan-lp"}
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
	eng := ip.Engine
	if eng == nil {
		eng = CountyEngine()
	}
	out := make([]planner.CountyResult, len(tasks))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(n, len(tasks)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = ip.solveOne(ctx, eng, tasks[i])
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

// solveOne is a worker's county task (jobs.Runner.solveCounty) on the
// county's dataset held here.
func (ip *InProcess) solveOne(ctx context.Context, eng *engine.Engine, task planner.CountyTask) planner.CountyResult {
	res := planner.CountyResult{County: task.County, Round: task.Round}
	ds, ok := ip.Datasets[task.County]
	if !ok {
		res.Err = "no county " + task.County + " in the province's dataset"
		return res
	}
	sc := task.Scenario
	plan, err := eng.SolveDataset(ctx, ds, &sc, nil)
	res.Plan = plan
	if err != nil {
		res.Err = err.Error()
	}
	return res
}

// SolveCounty solves one county's scenario on its dataset as a county
// task does (engine.Engine.SolveDataset with solve as its Solver; nil:
// engine.Parkplan).
func SolveCounty(ctx context.Context, ds *planner.Dataset, sc planner.Scenario, solve engine.SolveFunc) (*planner.Plan, error) {
	return (&engine.Engine{Solver: solve}).SolveDataset(ctx, ds, &sc, nil)
}
