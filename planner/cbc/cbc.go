// Package cbc solves a planner.Instance with COIN-OR CBC (Debian
// coinor-cbc, the `cbc` command) on the exact MPS model of planner/mps, and
// reads CBC's solution file back into a planner.Solution. It is the
// reference the project's own solver is checked against, and the
// `parkplan solve --solver cbc` back end.
package cbc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mps"
)

// Command is the CBC executable looked up on PATH.
const Command = "cbc"

// ErrNotInstalled: the cbc command is not on PATH.
var ErrNotInstalled = errors.New("cbc: the cbc command is not installed (Debian: apt-get install coinor-cbc)")

// Options tune a CBC run.
type Options struct {
	TimeLimit time.Duration // wall-clock limit handed to CBC (-sec); 0: none
	GapTarget float64       // relative gap at which CBC stops (-ratioGap); 0: prove optimality
	Threads   int           // CBC threads; 0 or 1: one (deterministic)
	NodeLimit int           // CBC's -maxNodes; 0: none
	// RootOnly stops CBC after its root node (-maxNodes 0): the LP, cuts
	// and root heuristics, no branching. Without a TimeLimit nothing in
	// it depends on the clock: the same bound on every machine.
	RootOnly bool
	// Dir keeps the MPS, solution and log files there (kept after the run)
	// instead of a temporary directory (removed).
	Dir string
	// MIPStart, when set, is a plan's column values (indexed like the
	// model's Columns) handed to CBC as its first incumbent (-mipstart):
	// CBC then prunes against it from the start.
	MIPStart []float64
}

// Result is what CBC reported.
type Result struct {
	Status    planner.SolveStatus
	Objective float64   // plan objective (maximised); NaN without a plan
	Bound     float64   // proven upper bound on the plan objective; NaN when CBC gave none
	LPBound   float64   // the LP relaxation's optimum (an upper bound); NaN when CBC gave none
	Nodes     int       // branch-and-bound nodes
	Values    []float64 // column values, indexed like the model's Columns; nil without a plan
	Log       string    // CBC's standard output
}

// Run writes m as MPS, runs CBC on it and reads the solution back.
func Run(ctx context.Context, m *mps.Model, opt Options) (*Result, error) {
	path, err := exec.LookPath(Command)
	if err != nil {
		return nil, ErrNotInstalled
	}
	dir := opt.Dir
	if dir == "" {
		dir, err = os.MkdirTemp("", "parkplan-cbc-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
	}
	model, err := writeModel(dir, m)
	if err != nil {
		return nil, err
	}
	solu := filepath.Join(dir, "model.sol")
	os.Remove(solu)
	args := []string{model}
	if opt.MIPStart != nil {
		start := filepath.Join(dir, "start.sol")
		if err := writeMIPStart(start, m, opt.MIPStart); err != nil {
			return nil, err
		}
		args = append(args, "-mipstart", start)
	}
	if opt.TimeLimit > 0 {
		// Wall-clock, as parkplan's own limit; CBC checks it between phases,
		// so a slow root LP can overrun it.
		args = append(args, "-timeMode", "elapsed", "-sec", strconv.FormatFloat(opt.TimeLimit.Seconds(), 'f', 3, 64))
	}
	if opt.GapTarget > 0 {
		args = append(args, "-ratioGap", strconv.FormatFloat(opt.GapTarget, 'g', -1, 64))
	}
	switch {
	case opt.RootOnly:
		args = append(args, "-maxNodes", "0")
	case opt.NodeLimit > 0:
		args = append(args, "-maxNodes", strconv.Itoa(opt.NodeLimit))
	}
	if opt.Threads > 1 {
		args = append(args, "-threads", strconv.Itoa(opt.Threads))
	}
	args = append(args, "-solve", "-solu", solu)
	cmd := exec.CommandContext(ctx, path, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if opt.Dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "cbc.log"), out.Bytes(), 0o644)
	}
	sf, err := os.Open(solu)
	if err != nil {
		return nil, fmt.Errorf("cbc: no solution file (%v): %s", runErr, lastLines(out.String(), 5))
	}
	defer sf.Close()
	return Parse(sf, out.String(), m.ColumnIndex())
}

// writeModel writes m as dir/model.mps and returns that path.
func writeModel(dir string, m *mps.Model) (string, error) {
	model := filepath.Join(dir, "model.mps")
	f, err := os.Create(model)
	if err != nil {
		return "", err
	}
	if err := m.Write(f); err != nil {
		f.Close()
		return "", err
	}
	return model, f.Close()
}

// Parse reads a CBC run's solution file (see ReadSolution) and its log
// (standard output) into a Result: the status from the solution file,
// corrected by the log where the solution file's word is not a proof, and
// the bounds and node count from the log's closing summary.
//
// CBC writes "Integer infeasible" to the solution file whenever its
// pre-processing gives up with "Pre-processing says infeasible or
// unbounded". That is a proof only when pre-processing ran to its end; when
// the time limit ran out inside it (CBC 2.10 abandons the cut generators
// then and reports the same words), nothing is proven and the run is a
// time-limited one without a plan: StatusNoPlan.
func Parse(solution io.Reader, log string, cols map[string]int) (*Result, error) {
	res, err := ReadSolution(solution, cols)
	if err != nil {
		return nil, err
	}
	res.Log = log
	parseLog(res, log)
	if res.Status == planner.StatusInfeasible && strings.Contains(log, preprocessGaveUp) && timeLimitReached(log) {
		res.Status = planner.StatusNoPlan
	}
	return res, nil
}

// preprocessGaveUp is CBC's log line when its pre-processing finds the model
// infeasible, or stops without finishing.
const preprocessGaveUp = "Pre-processing says infeasible or unbounded"

// timeLimitReached reports whether CBC's log shows a time limit ("seconds
// was changed from 1e+100 to 25") and a total time at or near it (within
// timeLimitSlack), in the
// time mode of the run (elapsed wall-clock when "timeMode changed … to
// elapsed", else CPU seconds, CBC's default).
func timeLimitReached(log string) bool {
	limit, cpu, wall := math.NaN(), math.NaN(), math.NaN()
	elapsed := false
	for _, line := range strings.Split(log, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "Option for timeMode changed") && strings.HasSuffix(line, "to elapsed"):
			elapsed = true
		case strings.HasPrefix(line, "seconds was changed from "):
			f := strings.Fields(line)
			if v, err := strconv.ParseFloat(f[len(f)-1], 64); err == nil {
				limit = v
			}
		case strings.HasPrefix(line, "Total time (CPU seconds):"):
			// "Total time (CPU seconds):       30.21   (Wallclock seconds):       30.56"
			f := strings.Fields(line)
			if len(f) >= 8 {
				cpu, _ = strconv.ParseFloat(f[4], 64)
				wall, _ = strconv.ParseFloat(f[7], 64)
			}
		}
	}
	used := cpu
	if elapsed {
		used = wall
	}
	return used >= limit*(1-timeLimitSlack) // false when either is missing (NaN)
}

// timeLimitSlack is the share of the time limit by which CBC's closing
// "Total time" may fall short of it on a run stopped by the limit: CBC
// starts its clock after reading the model and stops ahead of the limit
// when the next step would pass it (a recorded 4 s run stopped on time
// reports 3.88 s). Erring this way only turns an unproven "infeasible"
// into no plan.
const timeLimitSlack = 0.1

// ReadSolution reads CBC's solution file (the -solu output): a status line
// ("Optimal - objective value -12.5", "Stopped on time - objective value …",
// "Infeasible - objective value …") and one line per non-zero column
// "index name value reduced-cost". cols maps names to column indexes. The
// objective is turned back into the maximised plan objective. It takes the
// status line at its word; Parse, which Run uses, corrects it by the log.
func ReadSolution(r io.Reader, cols map[string]int) (*Result, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	if !sc.Scan() {
		return nil, errors.New("cbc: empty solution file")
	}
	head := sc.Text()
	res := &Result{Objective: math.NaN(), Bound: math.NaN(), LPBound: math.NaN()}
	low := strings.ToLower(head)
	hasPlan := false
	switch {
	case strings.HasPrefix(low, "optimal"):
		res.Status, hasPlan = planner.StatusOptimal, true
	case strings.Contains(low, "no integer solution"):
		res.Status = planner.StatusNoPlan // "continuous used": the values are the LP's
	case strings.Contains(low, "infeasible"):
		res.Status = planner.StatusInfeasible
	case strings.HasPrefix(low, "stopped") && strings.Contains(low, "objective value"):
		res.Status, hasPlan = planner.StatusFeasible, true
	case strings.HasPrefix(low, "stopped"):
		res.Status = planner.StatusNoPlan
	default:
		return nil, fmt.Errorf("cbc: unknown solution status %q", head)
	}
	if !hasPlan {
		return res, nil
	}
	if i := strings.LastIndex(low, "objective value"); i >= 0 {
		v, err := strconv.ParseFloat(strings.TrimSpace(head[i+len("objective value"):]), 64)
		if err != nil {
			return nil, fmt.Errorf("cbc: status line %q: %v", head, err)
		}
		res.Objective = -v
	}
	res.Values = make([]float64, len(cols))
	for line := 2; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if f[0] == "**" { // CBC marks infeasible rows/columns with "**"
			f = f[1:]
		}
		if len(f) < 3 {
			return nil, fmt.Errorf("cbc: solution line %d: %q", line, sc.Text())
		}
		col, ok := cols[f[1]]
		if !ok {
			continue // a row line (printed by some CBC settings)
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("cbc: solution line %d: %v", line, err)
		}
		res.Values[col] = v
	}
	return res, sc.Err()
}

// parseLog reads the bound and node count from CBC's closing summary.
func parseLog(res *Result, log string) {
	for _, line := range strings.Split(log, "\n") {
		if rest, ok := strings.CutPrefix(line, "Continuous objective value is "); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				if v, err := strconv.ParseFloat(f[0], 64); err == nil {
					res.LPBound = -v
				}
			}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Lower bound":
			if b, err := strconv.ParseFloat(v, 64); err == nil {
				res.Bound = -b
			}
		case "Enumerated nodes":
			if n, err := strconv.Atoi(v); err == nil {
				res.Nodes = n
			}
		}
	}
	if res.Status == planner.StatusOptimal && math.IsNaN(res.Bound) {
		res.Bound = res.Objective
	}
}

// Installed reports whether the cbc command is on PATH.
func Installed() bool {
	_, err := exec.LookPath(Command)
	return err == nil
}

// writeMIPStart writes values as a CBC solution file (the format -solu
// writes and -mipstart reads): a status line, then "index name value" for
// every column, zeros included, so that CBC need not complete the start.
func writeMIPStart(path string, m *mps.Model, values []float64) error {
	if len(values) != len(m.Columns) {
		panic(fmt.Sprintf("cbc: MIP start has %d values for %d columns", len(values), len(m.Columns)))
	}
	var b bytes.Buffer
	obj := 0.0
	for i, c := range m.Columns {
		obj += c.Obj * values[i]
	}
	// the MPS minimises the negated plan objective
	fmt.Fprintf(&b, "Stopped on time - objective value %.10g\n", -obj)
	for i := range m.Columns {
		fmt.Fprintf(&b, "%7d %s %.10g 0\n", i, m.ColumnName(i), values[i])
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
