package jobs_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
)

// A province coordinator solves its rounds on the job engine: a runner
// that works no jobs itself (`parkplan worker`s elsewhere do), started so
// that its reaper rescues the tasks of lost workers, and the county
// solver on it. (Compiled, not run: it needs a database with workers.)
func ExampleNewCountySolver() {
	ctx := context.Background()
	db, err := data.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Print(err)
		return
	}
	defer db.Close()
	cfg := jobs.DefaultConfig()
	cfg.Workers = 0
	r, err := jobs.New(cfg, jobs.Deps{DB: db.SQL(), Store: data.NewScenarioStore(db.SQL())})
	if err != nil {
		log.Print(err)
		return
	}
	if err := r.Start(ctx); err != nil {
		log.Print(err)
		return
	}
	defer r.Stop(ctx)

	var solver planner.CountySolver = jobs.NewCountySolver(r)
	rev, err := db.DatasetRevision(ctx)
	if err != nil {
		log.Print(err)
		return
	}
	tasks := []planner.CountyTask{
		{Province: "zj-2026", Round: 1, County: "cixi", Scenario: planner.Scenario{Name: "cixi round 1"}, DatasetRevision: rev.Revision},
		{Province: "zj-2026", Round: 1, County: "yuyao", Scenario: planner.Scenario{Name: "yuyao round 1"}, DatasetRevision: rev.Revision},
	}
	results, err := solver.SolveCounties(ctx, tasks) // one job per task, results in the tasks' order
	if err != nil {
		log.Print(err)
		return
	}
	for _, res := range results {
		fmt.Println(res.County, res.Err)
	}
}
