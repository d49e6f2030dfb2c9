package cbc

import (
	"errors"
	"strings"
	"testing"
)

// TestReadLP reads LP solution files as CBC 2.10 writes them with
// `-printingOptions all` (rows first, negated minimisation) and rejects
// what is not an LP optimum with its rows in order.
func TestReadLP(t *testing.T) {
	const ok = "Optimal - objective value -62287.10573942\n" +
		"      0 R0                     0                       0\n" +
		"      1 R1                     9              -70.51938\n" +
		"**    2 R2                     1               1.3937775\n" +
		"      0 Y0                     0               773.69612\n" +
		"      1 X1                   2.5                       0\n"
	lp, err := ReadLP(strings.NewReader(ok), 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if lp.Objective != 62287.10573942 || lp.Prices[0] != 0 || lp.Prices[1] != 70.51938 || lp.Prices[2] != -1.3937775 || len(lp.Values) != 2 || lp.Values[0] != 0 || lp.Values[1] != 2.5 || lp.ReducedCosts[0] != -773.69612 || lp.ReducedCosts[1] != 0 {
		t.Fatalf("got %+v", lp)
	}
	for _, tc := range []struct {
		name, file string
		rows, cols int
		notOptimal bool
	}{
		{"infeasible", "Infeasible - objective value 0\n", 1, 0, true},
		{"stopped", "Stopped on iterations - objective value -5\n", 1, 0, true},
		{"empty", "", 1, 0, false},
		{"rows missing", "Optimal - objective value -1\n      0 R0   0   0\n", 2, 0, false},
		{"rows out of order", "Optimal - objective value -1\n      1 R1   0   0\n", 1, 0, false},
		{"bad dual", "Optimal - objective value -1\n      0 R0   0   x\n", 1, 0, false},
		{"columns missing", "Optimal - objective value -1\n      0 R0   0   0\n      0 C0   1   0\n", 1, 2, false},
		{"bad value", "Optimal - objective value -1\n      0 R0   0   0\n      0 C0   y   0\n", 1, 1, false},
		{"bad reduced cost", "Optimal - objective value -1\n      0 R0   0   0\n      0 C0   1   z\n", 1, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadLP(strings.NewReader(tc.file), tc.rows, tc.cols)
			if err == nil || errors.Is(err, ErrLPNotOptimal) != tc.notOptimal {
				t.Fatalf("err %v", err)
			}
		})
	}
}
