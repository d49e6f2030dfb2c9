package mps

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
)

// fieldWidth is the width of a number field in fixed MPS (columns 25–36 and 50–61).
const fieldWidth = 12

// Write writes m in fixed-format MPS: names ≤ 8 characters in their
// columns, one coefficient per line, integer columns between MARKER lines,
// every column with explicit bounds. Numbers use the most significant digits
// that fit in 12 characters.
func (m *Model) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "NAME          PARKPLAN\n")
	fmt.Fprintf(bw, "ROWS\n")
	fmt.Fprintf(bw, " N  OBJ\n")
	rowNames := make([]string, len(m.Rows))
	for i, r := range m.Rows {
		rowNames[i] = m.RowName(i)
		fmt.Fprintf(bw, " %c  %s\n", r.Sense, rowNames[i])
	}
	fmt.Fprintf(bw, "COLUMNS\n")
	inInt := false
	colNames := make([]string, len(m.Columns))
	for j, c := range m.Columns {
		colNames[j] = m.ColumnName(j)
		if !c.Continuous != inInt {
			inInt = !inInt
			if inInt {
				fmt.Fprintf(bw, "    MARKER                 'MARKER'                 'INTORG'\n")
			} else {
				fmt.Fprintf(bw, "    MARKER                 'MARKER'                 'INTEND'\n")
			}
		}
		// Every column gets at least its objective line, so none is lost;
		// MPS minimises, so the (maximised) objective is negated.
		fmt.Fprintf(bw, "    %-8s  %-8s  %12s\n", colNames[j], "OBJ", Num(-c.Obj))
		for _, e := range m.byCol[j] {
			fmt.Fprintf(bw, "    %-8s  %-8s  %12s\n", colNames[j], rowNames[e.row], Num(e.coef))
		}
	}
	if inInt {
		fmt.Fprintf(bw, "    MARKER                 'MARKER'                 'INTEND'\n")
	}
	fmt.Fprintf(bw, "RHS\n")
	for i, r := range m.Rows {
		if r.RHS != 0 {
			fmt.Fprintf(bw, "    %-8s  %-8s  %12s\n", "RHS", rowNames[i], Num(r.RHS))
		}
	}
	fmt.Fprintf(bw, "BOUNDS\n")
	for j, c := range m.Columns {
		if c.Lo == c.Up {
			fmt.Fprintf(bw, " FX %-8s  %-8s  %12s\n", "BND", colNames[j], Num(c.Lo))
			continue
		}
		if c.Lo != 0 {
			fmt.Fprintf(bw, " LO %-8s  %-8s  %12s\n", "BND", colNames[j], Num(c.Lo))
		}
		fmt.Fprintf(bw, " UP %-8s  %-8s  %12s\n", "BND", colNames[j], Num(c.Up))
	}
	fmt.Fprintf(bw, "ENDATA\n")
	return bw.Flush()
}

// Num formats v in at most 12 characters with as many significant digits
// as fit (12 for most model figures).
func Num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e11 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	for prec := fieldWidth; prec > 0; prec-- {
		s := strconv.FormatFloat(v, 'g', prec, 64)
		if len(s) <= fieldWidth {
			return s
		}
	}
	panic(fmt.Sprintf("mps: cannot write %v in %d characters", v, fieldWidth))
}

// WriteNames writes the name map: one line per column and row, "name<TAB>meaning".
func (m *Model) WriteNames(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "OBJ\tminimised: −(plan objective), docs/model.md\n")
	for i := range m.Rows {
		fmt.Fprintf(bw, "%s\t%s\n", m.RowName(i), m.Meaning(i))
	}
	for j := range m.Columns {
		fmt.Fprintf(bw, "%s\t%s\n", m.ColumnName(j), m.ColumnMeaning(j))
	}
	return bw.Flush()
}
