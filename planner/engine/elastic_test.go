package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/randinst"
)

// TestElasticRowsAreMPSRows checks that the elastic model with every slack
// at zero is the MPS model's site rules: the same rules in the same order,
// each row with the same sense, right-hand side and binding (town, year),
// and the same left-hand side on seeded random site choices (the elastic
// y[s,t] is Σ_k y[s,t,k]). Each relaxable row has exactly one slack, with
// the sign that relaxes it, free only when its family is allowed.
func TestElasticRowsAreMPSRows(t *testing.T) {
	type tc struct {
		name string
		inst *planner.Instance
	}
	var cases []tc
	carry := randinst.Small()
	carry.QuotaCarryOver = true
	for seed := int64(1); seed <= 5; seed++ {
		for _, size := range []randinst.Size{randinst.Tiny(), randinst.Small(), carry} {
			cases = append(cases, tc{fmt.Sprintf("%s-carry%v-seed%d", size.Name, size.QuotaCarryOver, seed), randinst.Generate(seed, size)})
		}
	}
	sc := planner.Defaults()
	sc.Budget = map[int]float64{2019: 500, 2021: 300}
	hand, err := planner.BuildInstance(plantest.Hand(), sc)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, tc{"hand-budgets", hand})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inst := c.inst
			m := mps.Build(inst)
			e, slacks := elasticModel(inst, map[string]bool{"quota": true})
			var rows []int // the elastic model's rule rows
			for i, r := range e.Rows {
				if r.Rule != "" {
					rows = append(rows, i)
				}
			}
			for i, want := range m.Rows[:len(rows)] {
				got := e.Rows[rows[i]]
				if got.Rule != want.Rule || got.Sense != want.Sense || got.RHS != want.RHS || got.Town != want.Town || got.Year != want.Year || got.Site != want.Site {
					t.Fatalf("row %d: elastic %s %c %v (town %d year %d site %d), MPS %s %c %v (town %d year %d site %d)", i,
						got.Rule, got.Sense, got.RHS, got.Town, got.Year, got.Site, want.Rule, want.Sense, want.RHS, want.Town, want.Year, want.Site)
				}
			}
			if n := len(rows); n < len(m.Rows) && m.Rows[n].Rule != planner.RulePlaceOnce {
				t.Fatalf("the elastic model stops at row %d; the MPS's site rules go on with %s", n, m.Meaning(n))
			}
			// Slacks: one per relaxable row, in it with the relaxing sign, bounded by its family.
			slackOf := map[int]slack{}
			for _, sl := range slacks {
				slackOf[sl.col] = sl
				if up := e.Columns[sl.col].Up; (sl.kind == "quota") != (up > 0) {
					t.Errorf("slack %s (town %d year %d): upper bound %v with only quota allowed", sl.kind, sl.town, sl.t, up)
				}
			}
			relaxable := 0
			for _, i := range rows {
				r := e.Rows[i]
				var slackCoefs []float64
				for x, j := range r.Cols {
					if sl, ok := slackOf[j]; ok {
						slackCoefs = append(slackCoefs, r.Coefs[x])
						if sl.kind != relaxKind(r.Rule) || sl.town != r.Town || sl.t != r.Year {
							t.Errorf("%s: slack of %s town %d year %d", e.Meaning(i), sl.kind, sl.town, sl.t)
						}
					}
				}
				switch {
				case relaxKind(r.Rule) == "" && len(slackCoefs) != 0:
					t.Errorf("%s has a slack", e.Meaning(i))
				case relaxKind(r.Rule) != "":
					relaxable++
					want := 1.0
					if r.Sense == mip.LE {
						want = -1
					}
					if len(slackCoefs) != 1 || slackCoefs[0] != want {
						t.Errorf("%s: slack coefficients %v, want [%v]", e.Meaning(i), slackCoefs, want)
					}
				}
			}
			if relaxable != len(slacks) {
				t.Errorf("%d relaxable rows, %d slacks", relaxable, len(slacks))
			}
			// Left-hand sides on random site choices, slacks at zero.
			rng := rand.New(rand.NewPCG(uint64(len(inst.Sites)), 7))
			for trial := 0; trial < 25; trial++ {
				mv := make([]float64, len(m.Columns))
				ev := make([]float64, len(e.Columns))
				for s, site := range inst.Sites {
					t0, k := site.LockedYear, 0
					if !site.Locked {
						if rng.IntN(3) == 0 {
							continue // closed
						}
						t0, k = rng.IntN(len(inst.Years)), rng.IntN(len(site.Specialties))
					}
					mv[m.Y[s][t0][k]] = 1
					ev[e.Y[s][t0][0]] = 1
				}
				for i := range rows {
					want, got := lhs(m.Rows[i], mv), lhs(e.Rows[rows[i]], ev)
					if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
						t.Fatalf("trial %d, %s: elastic %v, MPS %v", trial, m.Meaning(i), got, want)
					}
				}
			}
		})
	}
}

func lhs(r mip.Row, values []float64) float64 {
	sum := 0.0
	for x, j := range r.Cols {
		sum += r.Coefs[x] * values[j]
	}
	return sum
}
