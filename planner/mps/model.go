// Package mps writes the exact mixed-integer model of docs/model.md, as
// planner/mip builds it, in fixed-format MPS, readable by CBC, GLPK and
// HiGHS, with a name map from the short (≤ 8 character) names back to
// sites, arcs and rules, and turns a solver's column values back into a
// planner.Solution.
//
// The model is written as a minimisation of the negated objective (fixed
// MPS has no portable objective sense): a solver's optimum is −(plan
// objective).
package mps

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
)

// Model is a mip.Model as MPS sees it: columns named by kind and index
// (Y12, X40, C3), rows R0, R1, …, and the coefficients column by column,
// gathered once by FromMIP: the embedded mip.Model is read, never changed,
// from then on.
type Model struct {
	*mip.Model
	byCol [][]entry // byCol[j]: column j's coefficients, by row
	// colNum, rowNum: the numbers in the columns' and rows' names (nil:
	// their indexes; see Numbered)
	colNum, rowNum []int
}

type entry struct {
	row  int
	coef float64
}

// Build makes the model of docs/model.md from inst (mip.Compact: all
// columns integer).
func Build(inst *planner.Instance) *Model { return FromMIP(mip.Build(inst, mip.Compact)) }

// FromMIP makes m writable as MPS (e.g. the elastic model planner/engine
// builds from mip.Sites). m must not change afterwards. Solution and
// Values need a model with x columns (mip.Compact or mip.Dense).
func FromMIP(m *mip.Model) *Model {
	count := make([]int, len(m.Columns))
	total := 0
	for _, r := range m.Rows {
		for _, j := range r.Cols {
			count[j]++
		}
		total += len(r.Cols)
	}
	flat := make([]entry, total)
	byCol := make([][]entry, len(m.Columns))
	off := 0
	for j, n := range count {
		byCol[j] = flat[off : off : off+n]
		off += n
	}
	for i, r := range m.Rows {
		for x, j := range r.Cols {
			e := byCol[j]
			if n := len(e); n > 0 && e[n-1].row == i { // the same column twice in a row
				e[n-1].coef += r.Coefs[x]
				continue
			}
			byCol[j] = append(e, entry{i, r.Coefs[x]})
		}
	}
	return &Model{Model: m, byCol: byCol}
}

// Numbered makes a restricted model writable as MPS (mip.Model.Restrict)
// with the names its columns and rows have in the model it was cut from
// (cols[j], rows[i]: their indexes there), so that what a solver writes
// by name — a basis — carries from one restricted model to the next.
func Numbered(m *mip.Model, cols, rows []int) *Model {
	if len(cols) != len(m.Columns) || len(rows) != len(m.Rows) {
		panic(fmt.Sprintf("mps: %d column and %d row numbers for %d columns and %d rows", len(cols), len(rows), len(m.Columns), len(m.Rows)))
	}
	n := FromMIP(m)
	n.colNum, n.rowNum = cols, rows
	return n
}

// ColumnName is column j's name: its kind's letter and its index ("Y0",
// "X37", "C5"; in a Numbered model, its index in the model it was cut
// from).
func (m *Model) ColumnName(j int) string {
	n := j
	if m.colNum != nil {
		n = m.colNum[j]
	}
	return fmt.Sprintf("%c%d", m.Columns[j].Kind, n)
}

// RowName is row i's name: "R" and its index (in a Numbered model, its
// index in the model it was cut from).
func (m *Model) RowName(i int) string {
	n := i
	if m.rowNum != nil {
		n = m.rowNum[i]
	}
	return fmt.Sprintf("R%d", n)
}

// ColumnIndex maps column names to their index.
func (m *Model) ColumnIndex() map[string]int {
	idx := make(map[string]int, len(m.Columns))
	for j := range m.Columns {
		idx[m.ColumnName(j)] = j
	}
	return idx
}

// Elements is the number of non-zero row coefficients (the objective not counted).
func (m *Model) Elements() int {
	n := 0
	for _, e := range m.byCol {
		n += len(e)
	}
	return n
}
