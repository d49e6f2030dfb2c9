package solver

import (
	"fmt"
	"math"
	"testing"

	"github.com/parkplan/parkplan/planner/randinst"
)

// TestDecomposeAgainstBruteForce runs the county path (relaxation, then
// the endgame: local search, LNS over towns, polishing, town-pair
// exchanges, exact per-park placement, branch and bound over groups of
// towns) alone — without the branch and bound that small instances
// normally get — on 30 seeded Tiny instances under a node
// limit, against the brute-force optimum: every plan keeps every rule,
// is never above the optimum, and the bound is never below it. The
// endgame must reach the optimum on at least three quarters of the
// feasible ones: it reaches 21 of 22 (13 before polishParks and placeBB;
// before the stall test, the exchanges and the local placement, commit
// 182cbe3, 10). Where it misses, the
// miss is up to 21 % on these few-firm instances, where rounding the
// placement matters most; branch and bound, which these instances get
// in Solve, proves their optimum.
func TestDecomposeAgainstBruteForce(t *testing.T) {
	optimal, feasible := 0, 0
	for seed := int64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprintf("tiny-seed%d", seed), func(t *testing.T) {
			inst := randinst.Generate(seed, randinst.Tiny())
			want, ok := bruteForce(inst)
			if !ok {
				return
			}
			feasible++
			sr := decomposed(inst, 400)
			if sr.best == nil {
				t.Fatalf("no plan; optimum %.6f", want)
			}
			if msg := sr.m.check(sr.best); msg != "" {
				t.Fatalf("plan breaks a rule: %s", msg)
			}
			tol := objRelTol * math.Max(1, math.Abs(want))
			if sr.bestObj > want+tol {
				t.Fatalf("plan %.9f above the optimum %.9f", sr.bestObj, want)
			}
			if sr.bound < want-tol {
				t.Fatalf("bound %.9f below the optimum %.9f", sr.bound, want)
			}
			if sr.bestObj >= want-tol {
				optimal++
			} else {
				t.Logf("plan %.6f, optimum %.6f (%.2f %% below), bound %.6f", sr.bestObj, want, 100*(want-sr.bestObj)/math.Max(1, math.Abs(want)), sr.bound)
			}
		})
	}
	t.Logf("optimum reached on %d of %d feasible instances", optimal, feasible)
	if optimal*4 < 3*feasible {
		t.Errorf("optimum reached on %d of %d feasible instances, want at least three quarters", optimal, feasible)
	}
}
