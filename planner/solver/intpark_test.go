package solver

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parkplan/parkplan/planner/randinst"
)

// enumeratePark is the oracle of parkInt: every integer count vector
// 0 ≤ c ≤ avail of park s, the best value among those that keep the
// park's rows.
func enumeratePark(m *model, s int, rows parkRows, value []float64, avail []int) float64 {
	best := 0.0
	c := make([]int, len(avail))
	var rec func(i int)
	rec = func(i int) {
		if i == len(c) {
			sl := m.rowsSlack(s, rows, c)
			if sl[0] < -repairTol || sl[1] < -repairTol || sl[2] < -repairTol || sl[3] < -repairTol {
				return
			}
			v := 0.0
			for j, n := range c {
				v += value[j] * float64(n)
			}
			best = math.Max(best, v)
			return
		}
		for n := 0; n <= avail[i]; n++ {
			c[i] = n
			rec(i + 1)
		}
		c[i] = 0
	}
	rec(0)
	return best
}

// TestParkIntAgainstEnumeration: parkInt's integer placement of one park
// equals the best of every integer count vector, on the parks of seeded
// Small instances with random firm values (some negative) and small
// random availabilities (so that enumeration is cheap), under tight and
// loose share rules and capacities cut to bind; the counts it returns
// keep the rows and are worth what it says.
func TestParkIntAgainstEnumeration(t *testing.T) {
	shares := []struct {
		name                string
		firms, floor, small float64
		capShare            float64
	}{
		{"shares-0.7", 0.7, 0.7, 0.7, 1},
		{"shares-0.85-cap-0.3", 0.85, 0.85, 0.6, 0.3},
		{"shares-0.5-cap-0.1", 0.5, 0.5, 0.9, 0.1},
	}
	checked, incomplete, beatRounding := 0, 0, 0
	for seed := int64(1); seed <= 6; seed++ {
		for _, sh := range shares {
			t.Run(fmt.Sprintf("seed%d-%s", seed, sh.name), func(t *testing.T) {
				inst := randinst.Generate(seed, randinst.Small())
				sc := &inst.Scenario
				sc.SpecialtyShareFirms, sc.SpecialtyShareFloor, sc.SmallMicroShare = sh.firms, sh.floor, sh.small
				m := newModel(inst)
				rng := rand.New(rand.NewPCG(uint64(seed), 9))
				for s := range inst.Sites {
					arcs := m.siteArcs[s]
					if len(arcs) == 0 || len(arcs) > 9 {
						continue
					}
					orig := inst.Sites[s].CapacityM2
					inst.Sites[s].CapacityM2 = orig * sh.capShare
					value := make([]float64, len(arcs))
					avail := make([]int, len(arcs))
					for i := range arcs {
						value[i] = rng.Float64()*10 - 2
						avail[i] = rng.IntN(4)
					}
					for k := range inst.Sites[s].Specialties {
						rows := m.parkRowsOf(s, k)
						want := enumeratePark(m, s, rows, value, avail)
						c, got, _, exact := m.parkInt(s, rows, value, avail, nil, 10_000)
						if !exact {
							incomplete++
							continue
						}
						if math.Abs(got-want) > 1e-6*math.Max(1, want) {
							t.Fatalf("site %d specialty %d: parkInt %.6f, enumeration %.6f", s, k, got, want)
						}
						sl := m.rowsSlack(s, rows, c)
						v := 0.0
						for i, n := range c {
							if n < 0 || n > avail[i] {
								t.Fatalf("site %d: count %d outside [0, %d]", s, n, avail[i])
							}
							v += value[i] * float64(n)
						}
						if sl[0] < -repairTol || sl[1] < -repairTol || sl[2] < -repairTol || sl[3] < -repairTol || math.Abs(v-got) > 1e-9*math.Max(1, v) {
							t.Fatalf("site %d: counts %v break a row (%v) or are worth %.6f, not %.6f", s, c, sl, v, got)
						}
						checked++
						ub := make([]float64, len(avail))
						for i, n := range avail {
							ub[i] = float64(n)
						}
						_, x := m.parkLP(s, rows, value, ub)
						rounded := 0.0
						for i, n := range m.roundPark(s, rows, x, avail, value) {
							rounded += value[i] * float64(n)
						}
						if got > rounded+1e-9*math.Max(1, rounded) {
							beatRounding++
						}
					}
					inst.Sites[s].CapacityM2 = orig
				}
			})
		}
	}
	t.Logf("%d parks, %d better than rounding", checked, beatRounding)
	if checked < 50 || incomplete > 0 || beatRounding == 0 {
		t.Fatalf("%d parks checked, %d searches incomplete, %d better than the LP's rounding; want ≥ 50, none, some", checked, incomplete, beatRounding)
	}
}
