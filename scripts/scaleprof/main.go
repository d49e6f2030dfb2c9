//go:build ignore

// Command scaleprof times where a solve's time goes on a large demo
// county (docs/solver.md, "Large counties"): it loads a demo directory
// written by `parkplan demo --scale S`, builds the scenario's instance,
// and solves it with the named engine solver, printing the model's size,
// the build time, every progress report with its wall-clock time and,
// with -cpuprofile, a CPU profile of the whole run.
//
//	go run scripts/scaleprof/main.go -dir /tmp/demo10 -scenario scenarios/baseline.yaml -limit 120s -nodes 0 -cpuprofile /tmp/cpu.out
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/engine"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/solver"
)

func main() {
	dir := flag.String("dir", "", "demo directory (parkplan demo --out DIR --scale S)")
	db := flag.String("db", "", "load the dataset from this database instead of -dir (as parkplan solve does)")
	scPath := flag.String("scenario", "scenarios/baseline.yaml", "scenario file")
	solverName := flag.String("solver", "parkplan", "engine solver name")
	limit := flag.Duration("limit", 0, "time limit (0: the scenario's)")
	nodes := flag.Int("nodes", -1, "node limit (-1: the scenario's)")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	sizeOnly := flag.Bool("size", false, "print the model's size and stop")
	lpFile := flag.String("lpsol", "", "start parkplan's solver alone at the duals of this CBC LP solution file (-printingOptions all) of the same model")
	flag.Parse()
	start := time.Now()
	var ds *planner.Dataset
	var err error
	if *db != "" {
		conn, err := data.Open(context.Background(), *db)
		check(err)
		ds, err = conn.LoadDataset(context.Background())
		check(err)
		conn.Close()
	} else {
		ds, err = dataset.LoadDir(*dir, dataset.Options{})
		check(err)
	}
	sc, err := planner.LoadScenarioFile(*scPath)
	check(err)
	if *limit > 0 {
		sc.TimeLimit.Duration = *limit
	}
	if *nodes >= 0 {
		sc.NodeLimit = *nodes
	}
	loaded := time.Now()
	inst, err := planner.BuildInstance(ds, *sc)
	check(err)
	built := time.Now()
	rows, cols := mip.Size(inst)
	fmt.Printf("load %.2fs build %.2fs: towns %d sites %d groups %d arcs %d years %d; mip.Size %d rows %d columns\n",
		loaded.Sub(start).Seconds(), built.Sub(loaded).Seconds(), len(ds.Towns), len(inst.Sites), len(inst.Groups), len(inst.Arcs), len(inst.Years), rows, cols)
	if *sizeOnly {
		return
	}
	solve, err := engine.SolverByName(*solverName)
	check(err)
	if *cpu != "" {
		f, err := os.Create(*cpu)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	t0 := time.Now()
	progress := func(p planner.Progress) {
		fmt.Printf("  %6.2fs plan %.1f bound %.1f gap %.2f%% nodes %d\n", time.Since(t0).Seconds(), p.Incumbent, p.Bound, 100*p.Gap, p.Nodes)
	}
	if *lpFile != "" {
		solve = func(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error) {
			model := mps.Build(inst)
			f, err := os.Open(*lpFile)
			check(err)
			lp, err := cbc.ReadLP(f, len(model.Rows))
			check(err)
			p := &solver.Prices{Groups: make([]float64, len(inst.Groups)), Years: make([]float64, len(inst.Years)), From: "file"}
			for i, row := range model.Rows {
				switch row.Rule {
				case planner.RulePlaceOnce:
					p.Groups[row.Group] = lp.Prices[i]
				case planner.RuleBudget:
					p.Years[row.Year] = lp.Prices[i]
				}
			}
			fmt.Printf("LP %.1f read at %.2fs\n", lp.Objective, time.Since(t0).Seconds())
			return solver.Solve(ctx, inst, solver.Options{TimeLimit: inst.Scenario.TimeLimit.Duration, NodeLimit: inst.Scenario.NodeLimit, GapTarget: inst.Scenario.GapTarget, Progress: progress, Prices: p})
		}
	}
	sol, err := solve(context.Background(), inst, progress)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	i := sol.Info
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	fmt.Printf("end %.2fs (CPU of this process %.1fs): %s plan %.1f bound %.1f gap %.2f%% nodes %d prices %q plan %q bound %q solver %q heap-sys %d MB\n",
		time.Since(t0).Seconds(), time.Duration(ru.Utime.Nano()).Seconds(), i.Status, i.Objective, i.Bound, 100*i.Gap, i.Nodes, i.PricesFrom, i.PlanFrom, i.BoundFrom, i.Solver, ms.HeapSys>>20)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "scaleprof:", err)
		os.Exit(1)
	}
}
