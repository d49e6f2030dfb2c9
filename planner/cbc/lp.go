package cbc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/planner/mps"
)

// ErrLPNotOptimal: CBC's LP relaxation ended without an optimum (the LP is
// infeasible, or CBC stopped), so it gave no duals.
var ErrLPNotOptimal = errors.New("cbc: the LP relaxation has no optimum")

// LP is the optimum of a model's LP relaxation as CBC (its CLP) found it.
type LP struct {
	// Objective is the LP optimum of the plan objective (maximised): an
	// upper bound on every plan.
	Objective float64
	// Prices are the rows' shadow prices for the maximised plan objective:
	// how much the LP optimum rises per unit of a row's right-hand side
	// (≥ 0 for a binding ≤ row, ≤ 0 for a binding ≥ row), indexed like the
	// model's Rows.
	Prices []float64
	// Values are the columns' values at the optimum, indexed like the
	// model's Columns.
	Values []float64
	// ReducedCosts are the columns' reduced costs for the maximised plan
	// objective (objective coefficient less the priced rows: ≤ 0 for a
	// column at its lower bound, ≥ 0 at its upper bound, 0 in the basis),
	// indexed like the model's Columns.
	ReducedCosts []float64
	// Basis is the optimal basis as CBC writes it (an MPS basis file, by
	// the model's names), when asked for (LPFrom).
	Basis []byte
}

// LPRelaxation solves m's LP relaxation with CBC (`-initialSolve`, no
// clock, no cuts: the same duals on every machine with the same CBC) and
// returns its optimum and row prices. It returns ErrNotInstalled without
// the cbc command, ErrLPNotOptimal when the LP has no optimum, and
// ctx.Err() when cancelled.
func LPRelaxation(ctx context.Context, m *mps.Model) (*LP, error) {
	return lpRun(ctx, m, nil, false)
}

// LPFrom is LPRelaxation started from basis (an LP's Basis, by name: a
// model with more columns and rows than the one it came from starts with
// the new columns at their lower bound and the new rows' slacks in the
// basis; nil: from scratch), solved with the primal simplex (a basis
// that stays primal feasible when columns and slack rows are added), and
// its optimal basis returned in LP.Basis.
func LPFrom(ctx context.Context, m *mps.Model, basis []byte) (*LP, error) {
	return lpRun(ctx, m, basis, true)
}

// lpRun is LPRelaxation and LPFrom: with warm, from basis (if any) and
// writing the optimal basis.
func lpRun(ctx context.Context, m *mps.Model, basis []byte, warm bool) (*LP, error) {
	path, err := exec.LookPath(Command)
	if err != nil {
		return nil, ErrNotInstalled
	}
	dir, err := os.MkdirTemp("", "parkplan-cbc-lp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	model, err := writeModel(dir, m)
	if err != nil {
		return nil, err
	}
	solu := filepath.Join(dir, "model.sol")
	basisOut := filepath.Join(dir, "out.bas")
	args := []string{model}
	switch {
	case warm && basis != nil:
		in := filepath.Join(dir, "in.bas")
		if err := os.WriteFile(in, basis, 0o600); err != nil {
			return nil, err
		}
		args = append(args, "-basisI", in, "-primalS", "-basisO", basisOut)
	case warm:
		args = append(args, "-initialSolve", "-basisO", basisOut)
	default:
		args = append(args, "-initialSolve")
	}
	cmd := exec.CommandContext(ctx, path, append(args, "-printingOptions", "all", "-solu", solu)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	sf, err := os.Open(solu)
	if err != nil {
		return nil, fmt.Errorf("cbc: no LP solution file (%v): %s", runErr, lastLines(out.String(), 5))
	}
	defer sf.Close()
	lp, err := ReadLP(sf, len(m.Rows), len(m.Columns))
	if err != nil || !warm {
		return lp, err
	}
	if lp.Basis, err = os.ReadFile(basisOut); err != nil {
		return nil, fmt.Errorf("cbc: no basis written: %v: %s", err, lastLines(out.String(), 5))
	}
	return lp, nil
}

// ReadLP reads the solution file of an LP solve written with
// `-printingOptions all`: the status line ("Optimal - objective value
// -62287.1"), then one line per row "index name activity dual" (rows come
// first, in order), then one per column "index name value reduced-cost".
// The model minimises the negated plan objective (planner/mps), so
// objective, duals and reduced costs are negated back.
func ReadLP(r io.Reader, rows, cols int) (*LP, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	if !sc.Scan() {
		return nil, errors.New("cbc: empty LP solution file")
	}
	head := sc.Text()
	low := strings.ToLower(head)
	i := strings.LastIndex(low, "objective value")
	if !strings.HasPrefix(low, "optimal") || i < 0 {
		return nil, fmt.Errorf("%w: %q", ErrLPNotOptimal, head)
	}
	obj, err := strconv.ParseFloat(strings.TrimSpace(head[i+len("objective value"):]), 64)
	if err != nil {
		return nil, fmt.Errorf("cbc: LP status line %q: %v", head, err)
	}
	lp := &LP{Objective: -obj, Prices: make([]float64, rows), Values: make([]float64, cols), ReducedCosts: make([]float64, cols)}
	line := 1
	// fields reads the next line's fields 2 (activity or value) and 3
	// (dual or reduced cost) of the n-th line of its kind, whose index
	// field must be n.
	fields := func(kind string, n int) (v, d float64, err error) {
		line++
		if !sc.Scan() {
			return 0, 0, fmt.Errorf("cbc: LP solution file has %d of its %s", n, kind)
		}
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "**" {
			f = f[1:]
		}
		if len(f) < 4 || f[0] != strconv.Itoa(n) {
			return 0, 0, fmt.Errorf("cbc: LP solution line %d: want %s %d, got %q", line, kind, n, sc.Text())
		}
		if v, err = strconv.ParseFloat(f[2], 64); err == nil {
			d, err = strconv.ParseFloat(f[3], 64)
		}
		if err != nil {
			return 0, 0, fmt.Errorf("cbc: LP solution line %d: %v", line, err)
		}
		return v, d, nil
	}
	for n := 0; n < rows; n++ {
		_, d, err := fields("rows", n)
		if err != nil {
			return nil, err
		}
		lp.Prices[n] = -d
	}
	for n := 0; n < cols; n++ {
		v, d, err := fields("columns", n)
		if err != nil {
			return nil, err
		}
		lp.Values[n], lp.ReducedCosts[n] = v, -d
	}
	return lp, sc.Err()
}
