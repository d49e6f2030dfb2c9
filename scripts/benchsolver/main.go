//go:build ignore

// Command benchsolver is run by RANDINST=1 scripts/bench-solver.sh: it solves
// randinst.County(scale) (seed 1) with parkplan's solver under a 120 s
// limit, reports objective, bound and gap as they stood at 1, 10, 60 and
// 120 s, the peak RSS, and (with -cbc) CBC's result on the identical MPS.
// -nobudget drops the yearly budget rows (the baseline scenario has none);
// -demo solves the demo county (planner/demo) under scenarios/baseline.yaml.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"syscall"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/randinst"
	"github.com/parkplan/parkplan/planner/solver"
)

func main() {
	scale := flag.Int("scale", 1, "county scale (1, 3, 10)")
	limit := flag.Duration("limit", 120*time.Second, "time limit")
	withCBC := flag.Bool("cbc", false, "also run CBC on the MPS export")
	noBudget := flag.Bool("nobudget", false, "no yearly budget (as in scenarios/baseline.yaml)")
	demoCounty := flag.Bool("demo", false, "the demo county (planner/demo, seed 1) under scenarios/baseline.yaml instead of randinst")
	flag.Parse()
	var inst *planner.Instance
	if *demoCounty {
		ds, err := demo.Generate(demo.Options{Seed: 1, Scale: *scale})
		if err == nil {
			var sc *planner.Scenario
			if sc, err = planner.LoadScenarioFile("scenarios/baseline.yaml"); err == nil {
				inst, err = planner.BuildInstance(ds, *sc)
			}
		}
		if err != nil {
			fmt.Println("demo:", err)
			os.Exit(1)
		}
		fmt.Print("demo ")
	} else {
		size := randinst.County(*scale)
		if *noBudget {
			size.BudgetShare = 0
		}
		inst = randinst.Generate(1, size)
	}
	firms := 0
	for _, g := range inst.Groups {
		firms += g.Count
	}
	budgeted := false
	for _, b := range inst.BudgetWan {
		budgeted = budgeted || !math.IsInf(b, 1)
	}
	fmt.Printf("county %d× (budget: %v): %d towns, %d sites, %d groups (%d firms), %d arcs\n",
		*scale, budgeted, len(inst.Towns), len(inst.Sites), len(inst.Groups), firms, len(inst.Arcs))
	checkpoints := []time.Duration{time.Second, 10 * time.Second, 60 * time.Second, 120 * time.Second}
	next := 0
	last := planner.Progress{Incumbent: math.NaN(), Bound: math.NaN(), Gap: math.Inf(1)}
	print := func(at time.Duration, p planner.Progress) {
		fmt.Printf("parkplan %4.0fs: objective %.2f bound %.2f gap %.2f%% nodes %d\n", at.Seconds(), p.Incumbent, p.Bound, 100*p.Gap, p.Nodes)
	}
	progress := func(p planner.Progress) {
		for next < len(checkpoints) && p.Elapsed >= checkpoints[next] {
			print(checkpoints[next], last)
			next++
		}
		last = p
	}
	sol, err := solver.Solve(context.Background(), inst, solver.Options{TimeLimit: *limit, Progress: progress})
	for ; next < len(checkpoints) && checkpoints[next] <= *limit && err == nil && sol.Info.Elapsed >= checkpoints[next]; next++ {
		print(checkpoints[next], last)
	}
	if err != nil {
		fmt.Println("parkplan:", err)
		os.Exit(1)
	}
	fmt.Printf("parkplan end %.1fs: %s objective %.2f bound %.2f gap %.2f%% nodes %d\n", sol.Info.Elapsed.Seconds(),
		sol.Info.Status, sol.Info.Objective, sol.Info.Bound, 100*sol.Info.Gap, sol.Info.Nodes)
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		fmt.Printf("parkplan peak RSS %.0f MB\n", float64(ru.Maxrss)/1024)
	}
	if *withCBC {
		inst.Scenario.TimeLimit = planner.Duration{Duration: *limit}
		ref, err := cbc.Solve(context.Background(), inst, nil)
		switch {
		case err != nil:
			fmt.Println("cbc:", err)
		default:
			b := ref.Info.Bound
			fmt.Printf("cbc %.0fs: %s objective %.2f bound %.2f gap %.2f%%\n", ref.Info.Elapsed.Seconds(), ref.Info.Status,
				ref.Info.Objective, b, 100*(b-ref.Info.Objective)/math.Max(1, math.Abs(ref.Info.Objective)))
		}
	}
}
