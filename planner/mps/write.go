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
	for _, r := range m.Rows {
		fmt.Fprintf(bw, " %c  %s\n", r.Sense, r.Name)
	}
	fmt.Fprintf(bw, "COLUMNS\n")
	inInt := false
	for _, c := range m.Columns {
		if !c.Continuous != inInt {
			inInt = !inInt
			if inInt {
				fmt.Fprintf(bw, "    MARKER                 'MARKER'                 'INTORG'\n")
			} else {
				fmt.Fprintf(bw, "    MARKER                 'MARKER'                 'INTEND'\n")
			}
		}
		// Every column gets at least its objective line, so none is lost.
		fmt.Fprintf(bw, "    %-8s  %-8s  %12s\n", c.Name, "OBJ", Num(c.Obj))
		for _, e := range c.entries {
			fmt.Fprintf(bw, "    %-8s  %-8s  %12s\n", c.Name, m.Rows[e.row].Name, Num(e.coef))
		}
	}
	if inInt {
		fmt.Fprintf(bw, "    MARKER                 'MARKER'                 'INTEND'\n")
	}
	fmt.Fprintf(bw, "RHS\n")
	for _, r := range m.Rows {
		if r.RHS != 0 {
			fmt.Fprintf(bw, "    %-8s  %-8s  %12s\n", "RHS", r.Name, Num(r.RHS))
		}
	}
	fmt.Fprintf(bw, "BOUNDS\n")
	for _, c := range m.Columns {
		if c.Lo == c.Up {
			fmt.Fprintf(bw, " FX %-8s  %-8s  %12s\n", "BND", c.Name, Num(c.Lo))
			continue
		}
		if c.Lo != 0 {
			fmt.Fprintf(bw, " LO %-8s  %-8s  %12s\n", "BND", c.Name, Num(c.Lo))
		}
		fmt.Fprintf(bw, " UP %-8s  %-8s  %12s\n", "BND", c.Name, Num(c.Up))
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
	for _, r := range m.Rows {
		fmt.Fprintf(bw, "%s\t%s\n", r.Name, r.Meaning)
	}
	for _, c := range m.Columns {
		fmt.Fprintf(bw, "%s\t%s\n", c.Name, c.Meaning)
	}
	return bw.Flush()
}

// ColumnIndex maps column names to their index.
func (m *Model) ColumnIndex() map[string]int {
	idx := make(map[string]int, len(m.Columns))
	for i, c := range m.Columns {
		idx[c.Name] = i
	}
	return idx
}

// Elements is the number of non-zero row coefficients (the objective not counted).
func (m *Model) Elements() int {
	n := 0
	for _, c := range m.Columns {
		n += len(c.entries)
	}
	return n
}
