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
	// Dir keeps the MPS, solution and log files there (kept after the run)
	// instead of a temporary directory (removed).
	Dir string
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
	model := filepath.Join(dir, "model.mps")
	solu := filepath.Join(dir, "model.sol")
	f, err := os.Create(model)
	if err != nil {
		return nil, err
	}
	if err := m.Write(f); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	os.Remove(solu)
	args := []string{model}
	if opt.TimeLimit > 0 {
		// Wall-clock, as parkplan's own limit; CBC checks it between phases,
		// so a slow root LP can overrun it.
		args = append(args, "-timeMode", "elapsed", "-sec", strconv.FormatFloat(opt.TimeLimit.Seconds(), 'f', 3, 64))
	}
	if opt.GapTarget > 0 {
		args = append(args, "-ratioGap", strconv.FormatFloat(opt.GapTarget, 'g', -1, 64))
	}
	if opt.NodeLimit > 0 {
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
	res, err := ReadSolution(sf, m.ColumnIndex())
	if err != nil {
		return nil, err
	}
	res.Log = out.String()
	parseLog(res, out.String())
	return res, nil
}

// ReadSolution reads CBC's solution file (the -solu output): a status line
// ("Optimal - objective value -12.5", "Stopped on time - objective value …",
// "Infeasible - objective value …") and one line per non-zero column
// "index name value reduced-cost". cols maps names to column indexes. The
// objective is turned back into the maximised plan objective.
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

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
