package mip_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/plantest"
	"github.com/parkplan/parkplan/planner/randinst"
)

// wantRows counts the rows docs/model.md gives each rule on inst, from
// the Instance alone.
func wantRows(inst *planner.Instance, layout mip.Layout) map[string]int {
	sc := inst.Scenario
	want := map[string]int{}
	for _, s := range inst.Sites {
		if !s.Locked {
			want[planner.RuleOpenOnce]++
		}
	}
	if sc.TargetParks > 0 {
		want[planner.RuleTargetParks] = 1
	}
	if sc.EveryTown {
		want[planner.RuleEveryTown] = len(inst.Towns)
	}
	if sc.MaxNewLandParks >= 0 {
		want[planner.RuleNewLandCap] = 1
	}
	for ti := range inst.Towns {
		if slices.ContainsFunc(inst.Sites, func(s planner.Site) bool { return s.Town == ti && s.Kind == planner.KindNewLand }) {
			want[planner.RuleQuota] += len(inst.Years)
		}
	}
	for _, b := range inst.BudgetWan {
		if !math.IsInf(b, 1) {
			want[planner.RuleBudget]++
		}
	}
	if layout == mip.Sites {
		return want
	}
	want[planner.RulePlaceOnce] = len(inst.Groups)
	parks := map[int]bool{}
	for _, a := range inst.Arcs {
		nk := len(inst.Sites[a.Site].Specialties)
		want[planner.RuleLink] += nk
		if !parks[a.Site] {
			parks[a.Site] = true
			want[planner.RuleCapacity] += nk
			if sc.SpecialtyShareFirms > 0 {
				want[planner.RuleSpecialtyShare] += nk
			}
			if sc.SpecialtyShareFloor > 0 {
				want[planner.RuleSpecialtyShare] += nk
			}
			if sc.SmallMicroShare > 0 {
				want[planner.RuleSmallMicroShare] += nk
			}
		}
	}
	return want
}

func instances(t *testing.T) map[string]*planner.Instance {
	out := map[string]*planner.Instance{}
	for seed := int64(1); seed <= 4; seed++ {
		out[fmt.Sprintf("tiny-seed%d", seed)] = randinst.Generate(seed, randinst.Tiny())
		out[fmt.Sprintf("small-seed%d", seed)] = randinst.Generate(seed, randinst.Small())
	}
	sc := planner.Defaults()
	sc.Budget = map[int]float64{2020: 1000}
	sc.SmallMicroShare = 0
	hand, err := planner.BuildInstance(plantest.Hand(), sc)
	if err != nil {
		t.Fatal(err)
	}
	out["hand-budget-noshare"] = hand
	return out
}

// TestRowsPerRule counts each rule's rows in every layout against
// docs/model.md, and checks that each row's meaning starts with its rule.
func TestRowsPerRule(t *testing.T) {
	for name, inst := range instances(t) {
		for _, layout := range []mip.Layout{mip.Compact, mip.Dense, mip.Sites} {
			t.Run(fmt.Sprintf("%s-layout%d", name, layout), func(t *testing.T) {
				m := mip.Build(inst, layout)
				got := map[string]int{}
				for i, r := range m.Rows {
					got[r.Rule]++
					if !strings.HasPrefix(m.Meaning(i), r.Rule+" ") {
						t.Errorf("row %d of %s: meaning %q", i, r.Rule, m.Meaning(i))
					}
				}
				want := wantRows(inst, layout)
				for rule, n := range want {
					if n == 0 {
						delete(want, rule)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("rows per rule %v, docs/model.md gives %v", got, want)
				}
			})
		}
	}
}

// TestLayouts checks the variables of each layout: Compact has one y for
// a locked site, Dense every y[s,t,k] (a locked site's others fixed at 0),
// Sites one y per site and year and no x; the y columns come first.
func TestLayouts(t *testing.T) {
	inst := randinst.Generate(2, randinst.Small())
	for _, layout := range []mip.Layout{mip.Compact, mip.Dense, mip.Sites} {
		m := mip.Build(inst, layout)
		nY := 0
		for s, site := range inst.Sites {
			for ti, ks := range m.Y[s] {
				wantK := len(site.Specialties)
				if layout == mip.Sites {
					wantK = 1
				}
				if len(ks) != wantK {
					t.Fatalf("layout %d site %d year %d: %d y slots, want %d", layout, s, ti, len(ks), wantK)
				}
				for k, j := range ks {
					mine := !site.Locked || (ti == site.LockedYear && k == 0)
					switch {
					case j < 0 && (mine || layout == mip.Dense):
						t.Errorf("layout %d: y[%d,%d,%d] missing", layout, s, ti, k)
					case j >= 0 && !mine && layout != mip.Dense:
						t.Errorf("layout %d: locked site %d has y in year %d specialty %d", layout, s, ti, k)
					case j >= 0:
						nY++
						c := m.Columns[j]
						wantLo, wantUp := 0.0, 1.0
						if site.Locked {
							wantLo, wantUp = 1, 1
							if !mine {
								wantLo, wantUp = 0, 0
							}
						}
						if c.Kind != mip.KindY || c.Lo != wantLo || c.Up != wantUp || c.Obj != site.FixedValue {
							t.Errorf("layout %d: y[%d,%d,%d] = %+v", layout, s, ti, k, c)
						}
					}
				}
			}
		}
		if got := m.NumY(); got != nY {
			t.Errorf("layout %d: NumY %d, %d y columns", layout, got, nY)
		}
		if layout == mip.Sites && (m.X != nil || len(m.Columns) != nY) {
			t.Errorf("Sites layout has x columns")
		}
		for a := range m.X {
			for _, j := range m.X[a] {
				if c := m.Columns[j]; c.Up != float64(mip.ArcBound(inst, a)) || c.Obj != inst.Arcs[a].Value || c.Kind != mip.KindX {
					t.Errorf("layout %d: x column %d = %+v", layout, j, c)
				}
			}
		}
	}
}

// TestAddToEarlierRow adds entries to rows built earlier (as the elastic
// model adds its slacks): rows share backing arrays while built, so this
// must leave every other row as it was.
func TestAddToEarlierRow(t *testing.T) {
	inst := randinst.Generate(3, randinst.Small())
	m := mip.Build(inst, mip.Compact)
	before := make([]mip.Row, len(m.Rows))
	for i, r := range m.Rows {
		before[i] = r
		before[i].Cols = slices.Clone(r.Cols)
		before[i].Coefs = slices.Clone(r.Coefs)
	}
	extra := m.AddColumn(mip.Column{Up: 1, Note: "extra"})
	for i := range m.Rows {
		if i%3 == 0 {
			m.Add(i, extra, float64(i+1))
		}
	}
	last := m.AddRow(mip.LE, 5, "new")
	m.Add(last, extra, 2)
	for i, r := range m.Rows[:len(before)] {
		n := len(before[i].Cols)
		if !slices.Equal(r.Cols[:n], before[i].Cols) || !slices.Equal(r.Coefs[:n], before[i].Coefs) {
			t.Fatalf("row %d (%s) changed", i, m.Meaning(i))
		}
		wantLen := n
		if i%3 == 0 {
			wantLen++
			if r.Cols[n] != extra || r.Coefs[n] != float64(i+1) {
				t.Fatalf("row %d: added entry is %d:%v", i, r.Cols[n], r.Coefs[n])
			}
		}
		if len(r.Cols) != wantLen {
			t.Fatalf("row %d has %d entries, want %d", i, len(r.Cols), wantLen)
		}
	}
	if r := m.Rows[last]; r.Rule != "" || m.Meaning(last) != "new" || len(r.Cols) != 1 {
		t.Errorf("added row %+v, meaning %q", r, m.Meaning(last))
	}
}
