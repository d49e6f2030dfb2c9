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
}

// LPRelaxation solves m's LP relaxation with CBC (`-initialSolve`, no
// clock, no cuts: the same duals on every machine with the same CBC) and
// returns its optimum and row prices. It returns ErrNotInstalled without
// the cbc command, ErrLPNotOptimal when the LP has no optimum, and
// ctx.Err() when cancelled.
func LPRelaxation(ctx context.Context, m *mps.Model) (*LP, error) {
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
	cmd := exec.CommandContext(ctx, path, model, "-initialSolve", "-printingOptions", "all", "-solu", solu)
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
	return ReadLP(sf, len(m.Rows), len(m.Columns))
}

// ReadLP reads the solution file of an LP solve written with
// `-printingOptions all`: the status line ("Optimal - objective value
// -62287.1"), then one line per row "index name activity dual" (rows come
// first, in order), then one per column "index name value reduced-cost".
// The model minimises the negated plan objective (planner/mps), so
// objective and duals are negated back.
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
	lp := &LP{Objective: -obj, Prices: make([]float64, rows), Values: make([]float64, cols)}
	line := 1
	// field reads the next line's value in field 2 (activity) or 3 (dual)
	// of the n-th line of its kind, whose index field must be n.
	field := func(kind string, n, k int) (float64, error) {
		line++
		if !sc.Scan() {
			return 0, fmt.Errorf("cbc: LP solution file has %d of its %s", n, kind)
		}
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "**" {
			f = f[1:]
		}
		if len(f) < 4 || f[0] != strconv.Itoa(n) {
			return 0, fmt.Errorf("cbc: LP solution line %d: want %s %d, got %q", line, kind, n, sc.Text())
		}
		v, err := strconv.ParseFloat(f[k], 64)
		if err != nil {
			return 0, fmt.Errorf("cbc: LP solution line %d: %v", line, err)
		}
		return v, nil
	}
	for n := 0; n < rows; n++ {
		d, err := field("rows", n, 3)
		if err != nil {
			return nil, err
		}
		lp.Prices[n] = -d
	}
	for n := 0; n < cols; n++ {
		v, err := field("columns", n, 2)
		if err != nil {
			return nil, err
		}
		lp.Values[n] = v
	}
	return lp, sc.Err()
}
