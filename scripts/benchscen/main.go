//go:build ignore

// Command benchscen is run by scripts/bench-solver.sh: it benchmarks
// parkplan on what users run. It writes the demo county exactly as
// `parkplan demo --scale S` does (seed 2019), imports it into the database
// of -db, and solves the shipped scenarios (scenarios/*.yaml, as shipped)
// and -drawn scenarios drawn by planner/scengen (seed -seed, time limit
// -limit, no node limit) with `bin/parkplan solve --progress`; beside each,
// CBC runs for the scenario's time limit on `bin/parkplan model`'s MPS of
// the same scenario. It prints one Markdown table row per scenario: the
// gap at 10 s and at the end, time, nodes, peak RSS, and parkplan's plan
// and bound against CBC's, then a summary against the goals of issue 9.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/scengen"
)

type result struct {
	name, what              string
	status                  string
	obj, bound, gap         float64 // at the end
	gap10                   float64 // gap at 10 s (the end's when it ended sooner; NaN: no report by then)
	elapsed                 float64 // s
	nodes                   int
	rssMB                   float64
	cbcStatus               string
	cbcObj, cbcBound, cbcLP float64
	cbcNodes                int
	err                     string
	limit                   time.Duration
}

func main() {
	bin := flag.String("bin", "bin/parkplan", "the parkplan binary")
	db := flag.String("db", os.Getenv("DATABASE_URL"), "database URL (the demo is imported into it, replacing its dataset)")
	scale := flag.Int("scale", 1, "demo scale (1, 3, 10)")
	drawn := flag.Int("drawn", 30, "drawn scenarios")
	seed := flag.Uint64("seed", 1, "scengen seed")
	limit := flag.Duration("limit", 60*time.Second, "time limit of the drawn scenarios")
	shippedLimit := flag.Duration("shipped-limit", 0, "time limit of the shipped scenarios (0: as shipped; e.g. 120s for the 10× goal); their node limits stay")
	withCBC := flag.Bool("cbc", true, "run CBC beside each solve (needs the cbc command)")
	serial := flag.Bool("serial", false, "run CBC after parkplan instead of beside it")
	only := flag.String("only", "", "comma-separated scenario names to run (default all)")
	keep := flag.String("dir", "", "work directory (default a temporary one, removed)")
	flag.Parse()
	if *db == "" {
		fail("no database: set DATABASE_URL or -db")
	}
	if _, err := exec.LookPath(cbc.Command); err != nil && *withCBC {
		fmt.Fprintln(os.Stderr, "benchscen: cbc not installed; running without it")
		*withCBC = false
	}
	dir := *keep
	if dir == "" {
		d, err := os.MkdirTemp("", "benchscen-")
		check(err)
		defer os.RemoveAll(d)
		dir = d
	}
	demoDir := filepath.Join(dir, "demo")
	run(*bin, "demo", "--out", demoDir, "--scale", strconv.Itoa(*scale))
	run(*bin, "import", demoDir, "--db", *db)
	ds, err := dataset.LoadDir(demoDir, dataset.Options{})
	check(err)

	type job struct {
		name, what, file string
		limit            time.Duration
	}
	var jobs []job
	shipped, err := filepath.Glob("scenarios/*.yaml")
	check(err)
	sort.Strings(shipped)
	for _, f := range shipped {
		if strings.HasPrefix(filepath.Base(f), "province-") {
			continue // a province scenario (docs/province.md), not a county one
		}
		sc, err := planner.LoadScenarioFile(f)
		check(err)
		if *shippedLimit > 0 {
			sc.TimeLimit.Duration = *shippedLimit
			f = filepath.Join(dir, sc.Name+".json")
			b, err := json.MarshalIndent(sc, "", " ")
			check(err)
			check(os.WriteFile(f, b, 0o644))
		}
		jobs = append(jobs, job{sc.Name, "shipped: " + sc.Description, f, sc.TimeLimit.Duration})
	}
	for _, sc := range scengen.Draw(*seed, *drawn, ds, scengen.Options{TimeLimit: *limit}) {
		f := filepath.Join(dir, sc.Name+".json")
		b, err := json.MarshalIndent(sc, "", " ")
		check(err)
		check(os.WriteFile(f, b, 0o644))
		jobs = append(jobs, job{sc.Name, sc.Description, f, sc.TimeLimit.Duration})
	}
	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	fmt.Printf("demo %d× (seed 2019), %d shipped + %d drawn scenarios (scengen seed %d, %v), CBC: %v, load %s\n\n",
		*scale, len(shipped), *drawn, *seed, *limit, *withCBC, loadavg())
	fmt.Println("| scenario | changes | parkplan gap 10 s | gap end | status | time s | nodes | RSS MB | plan vs CBC | bound vs CBC | CBC |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	var all []result
	for _, j := range jobs {
		if len(want) > 0 && !want[j.name] {
			continue
		}
		r := result{name: j.name, what: j.what, limit: j.limit, cbcObj: math.NaN(), cbcBound: math.NaN(), cbcLP: math.NaN(), gap10: math.NaN()}
		sub := filepath.Join(dir, "run-"+j.name)
		check(os.MkdirAll(sub, 0o755))
		mpsFile := filepath.Join(sub, "model.mps")
		var wg sync.WaitGroup
		if *withCBC {
			run(*bin, "model", "--scenario", j.file, "--out", mpsFile, "--db", *db)
			wg.Add(1)
			go func() { defer wg.Done(); runCBC(&r, mpsFile, j.limit) }()
			if *serial {
				wg.Wait()
			}
		}
		solve(&r, *bin, j.file, filepath.Join(sub, "plan"), *db)
		wg.Wait()
		all = append(all, r)
		fmt.Println(r.row())
	}
	summary(all)
}

// solve runs parkplan solve and reads its progress lines and plan.json.
func solve(r *result, bin, file, out, db string) {
	cmd := exec.Command(bin, "solve", "--scenario", file, "--out", out, "--no-save", "--progress", "--db", db)
	var stderr, stdout bytes.Buffer
	cmd.Stderr, cmd.Stdout = &stderr, &stdout
	err := cmd.Run()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rssMB = float64(ru.Maxrss) / 1024
	}
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		var el, inc, b, gap float64
		var nodes int
		if n, _ := fmt.Sscanf(sc.Text(), "progress: %f s plan %f bound %f gap %f %% nodes %d", &el, &inc, &b, &gap, &nodes); n == 5 && el <= 10 {
			r.gap10 = gap / 100
		}
	}
	var plan struct {
		Solve planner.SolveInfo `json:"solve"`
	}
	b, rerr := os.ReadFile(filepath.Join(out, "plan.json"))
	if rerr == nil {
		rerr = json.Unmarshal(b, &plan)
	}
	if rerr != nil {
		r.err = fmt.Sprintf("%v %v: %s", err, rerr, lastLine(stderr.String()+stdout.String()))
		r.status = "error"
		return
	}
	s := plan.Solve
	r.status, r.obj, r.bound, r.gap, r.nodes = string(s.Status), s.Objective, s.Bound, s.Gap, s.Nodes
	r.elapsed = s.Elapsed.Seconds()
	if r.elapsed <= 10 {
		r.gap10 = r.gap // it ended sooner; without a report by 10 s it stays "—" (no plan yet)
	}
	if err != nil && s.Status != planner.StatusInfeasible {
		r.err = lastLine(stdout.String() + stderr.String())
	}
}

// runCBC runs the cbc command on the MPS file for the time limit.
func runCBC(r *result, mpsFile string, limit time.Duration) {
	solu := strings.TrimSuffix(mpsFile, ".mps") + ".sol"
	ctx, cancel := context.WithTimeout(context.Background(), limit+5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cbc.Command, mpsFile, "-timeMode", "elapsed", "-sec", strconv.FormatFloat(limit.Seconds(), 'f', 0, 64), "-solve", "-solu", solu)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run()
	f, err := os.Open(solu)
	if err != nil {
		r.cbcStatus = "no solution file"
		return
	}
	defer f.Close()
	res, err := cbc.Parse(f, out.String(), map[string]int{})
	if err != nil {
		r.cbcStatus = err.Error()
		return
	}
	r.cbcStatus, r.cbcObj, r.cbcBound, r.cbcLP, r.cbcNodes = string(res.Status), res.Objective, res.Bound, res.LPBound, res.Nodes
	if math.IsNaN(r.cbcBound) {
		r.cbcBound = r.cbcLP
	}
}

func (r result) row() string {
	pct := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "—"
		}
		return fmt.Sprintf("%.2f %%", 100*v)
	}
	planVs, boundVs := "—", "—"
	if !math.IsNaN(r.cbcObj) && !math.IsNaN(r.obj) {
		planVs = fmt.Sprintf("%+.2f %%", 100*(r.obj-r.cbcObj)/math.Max(1, math.Abs(r.cbcObj)))
	}
	if !math.IsNaN(r.cbcBound) && r.status != "" && r.status != "infeasible" && r.status != "error" {
		boundVs = fmt.Sprintf("%+.2f %%", 100*(r.bound-r.cbcBound)/math.Max(1, math.Abs(r.cbcBound)))
	}
	cb := r.cbcStatus
	if !math.IsNaN(r.cbcObj) {
		cb = fmt.Sprintf("%s %.1f / %.1f, %d nodes", r.cbcStatus, r.cbcObj, r.cbcBound, r.cbcNodes)
	}
	status := r.status
	if r.err != "" {
		status += " (" + r.err + ")"
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %.1f | %d | %.0f | %s | %s | %s |",
		r.name, strings.ReplaceAll(r.what, "|", "/"), pct(r.gap10), pct(r.gap), status, r.elapsed, r.nodes, r.rssMB, planVs, boundVs, cb)
}

// summary counts the scenarios against the goals of issue 9.
func summary(all []result) {
	var n, le1, le2, le1at10, planOK, boundOK, infeasible, errs, cmp int
	for _, r := range all {
		switch r.status {
		case "infeasible":
			infeasible++
			continue
		case "error", "no_plan":
			errs++
			continue
		}
		n++
		if r.gap <= 0.01 {
			le1++
		}
		if r.gap <= 0.02 {
			le2++
		}
		if r.gap10 <= 0.01 {
			le1at10++
		}
		if !math.IsNaN(r.cbcBound) {
			cmp++
			if math.IsNaN(r.cbcObj) || r.obj >= r.cbcObj-1e-6*math.Max(1, math.Abs(r.cbcObj)) {
				planOK++
			}
			if r.bound <= r.cbcBound+0.005*math.Max(1, math.Abs(r.cbcBound)) {
				boundOK++
			}
		}
	}
	fmt.Printf("\n%d scenarios with a plan, %d proven infeasible, %d without a plan or failed (load %s)\n", n, infeasible, errs, loadavg())
	fmt.Printf("- gap ≤ 1 %% at the end: %d of %d; ≤ 2 %%: %d of %d; ≤ 1 %% at 10 s: %d of %d\n", le1, n, le2, n, le1at10, n)
	if cmp > 0 {
		fmt.Printf("- plan ≥ CBC's: %d of %d; bound at most 0.5 %% above CBC's: %d of %d\n", planOK, cmp, boundOK, cmp)
	}
}

func run(bin string, args ...string) {
	cmd := exec.Command(bin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fail(fmt.Sprintf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, out))
	}
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "benchscen:", msg)
	os.Exit(1)
}
