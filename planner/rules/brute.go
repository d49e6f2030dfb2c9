package rules

import (
	"math"

	"github.com/parkplan/parkplan/planner"
)

// bruteTol is the slack of the brute-force enumerator's rows: exact ties
// (7 of 10 firms at 70 %) hold despite binary rounding of 0.7.
const bruteTol = 1e-9

// BruteForce solves a tiny Instance by enumerating every opening (site ×
// year × specialty, or closed) and, for each admissible one, every firm
// count per arc. It is the oracle for solver and CBC tests and written from
// docs/model.md independently of planner/mps; it is exponential, so keep
// instances to a handful of sites and firms. ok is false when no plan exists.
func BruteForce(inst *planner.Instance) (best *planner.Solution, objective float64, ok bool) {
	b := &brute{inst: inst, bestObj: math.Inf(-1)}
	b.year = make([]int, len(inst.Sites))
	b.spec = make([]int, len(inst.Sites))
	b.count = make([]int, len(inst.Arcs))
	b.lastArc = make([]int, len(inst.Sites))
	for s := range b.lastArc {
		b.lastArc[s] = -1
	}
	for a, arc := range inst.Arcs {
		b.lastArc[arc.Site] = a
	}
	b.open(0)
	if b.best == nil {
		return nil, 0, false
	}
	return b.best, b.bestObj, true
}

type brute struct {
	inst      *planner.Instance
	year      []int
	spec      []int
	count     []int
	lastArc   []int
	best      *planner.Solution
	bestObj   float64
	groupLeft []int
	capLeft   []float64
}

func (b *brute) open(s int) {
	inst := b.inst
	if s == len(inst.Sites) {
		if b.siteRulesHold() {
			b.assign()
		}
		return
	}
	site := inst.Sites[s]
	if site.Locked {
		b.year[s], b.spec[s] = site.LockedYear, 0
		b.open(s + 1)
		return
	}
	b.year[s] = -1
	b.open(s + 1)
	for t := range inst.Years {
		for k := range site.Specialties {
			b.year[s], b.spec[s] = t, k
			b.open(s + 1)
		}
	}
	b.year[s] = -1
}

func (b *brute) siteRulesHold() bool {
	inst := b.inst
	sc := inst.Scenario
	nT := len(inst.Years)
	byTarget, newLand := 0, 0
	townOK := make([]bool, len(inst.Towns))
	landUse := make([][]float64, len(inst.Towns))
	for i := range landUse {
		landUse[i] = make([]float64, nT)
	}
	spend := make([]float64, nT)
	for s, site := range inst.Sites {
		t := b.year[s]
		if t < 0 {
			continue
		}
		if t <= inst.TargetT {
			byTarget++
			townOK[site.Town] = true
		}
		if site.Kind == planner.KindNewLand {
			newLand++
			landUse[site.Town][t] += site.AreaMu
		}
		spend[t] += site.CostWan
	}
	if byTarget < sc.TargetParks {
		return false
	}
	if sc.EveryTown {
		for _, ok := range townOK {
			if !ok {
				return false
			}
		}
	}
	if sc.MaxNewLandParks >= 0 && newLand > sc.MaxNewLandParks {
		return false
	}
	for ti := range inst.Towns {
		used, quota := 0.0, 0.0
		for t := 0; t < nT; t++ {
			if !sc.QuotaCarryOver {
				used, quota = 0, 0
			}
			used += landUse[ti][t]
			quota += inst.QuotaMu[ti][t]
			if used > quota+bruteTol*math.Max(1, quota) {
				return false
			}
		}
	}
	for t := 0; t < nT; t++ {
		if spend[t] > inst.BudgetWan[t]+bruteTol*math.Max(1, inst.BudgetWan[t]) {
			return false
		}
	}
	return true
}

func (b *brute) assign() {
	inst := b.inst
	b.groupLeft = make([]int, len(inst.Groups))
	for g, grp := range inst.Groups {
		b.groupLeft[g] = grp.Count
	}
	b.capLeft = make([]float64, len(inst.Sites))
	base := 0.0
	for s, site := range inst.Sites {
		b.capLeft[s] = site.CapacityM2
		if b.year[s] >= 0 {
			base += site.FixedValue
		}
	}
	for a := range b.count {
		b.count[a] = 0
	}
	b.arc(0, base)
}

func (b *brute) arc(a int, obj float64) {
	inst := b.inst
	if a == len(inst.Arcs) {
		if obj > b.bestObj+1e-12 {
			b.bestObj = obj
			b.best = &planner.Solution{
				Year:      append([]int(nil), b.year...),
				Specialty: append([]int(nil), b.spec...),
				Count:     append([]int(nil), b.count...),
			}
		}
		return
	}
	arc := inst.Arcs[a]
	g := inst.Groups[arc.Group]
	maxN := 0
	if b.year[arc.Site] >= 0 {
		maxN = b.groupLeft[arc.Group]
		if fit := int(math.Floor(b.capLeft[arc.Site]/g.FloorM2 + bruteTol)); fit < maxN {
			maxN = fit
		}
	}
	for n := 0; n <= maxN; n++ {
		b.count[a] = n
		b.groupLeft[arc.Group] -= n
		b.capLeft[arc.Site] -= float64(n) * g.FloorM2
		if b.lastArc[arc.Site] != a || b.sharesHold(arc.Site) {
			b.arc(a+1, obj+float64(n)*arc.Value)
		}
		b.groupLeft[arc.Group] += n
		b.capLeft[arc.Site] += float64(n) * g.FloorM2
	}
	b.count[a] = 0
}

func (b *brute) sharesHold(s int) bool {
	inst := b.inst
	sc := inst.Scenario
	if b.year[s] < 0 {
		return true
	}
	spec := inst.Sites[s].Specialties[b.spec[s]]
	var firms, floor, small float64
	for a, arc := range inst.Arcs {
		if arc.Site != s || b.count[a] == 0 {
			continue
		}
		g := inst.Groups[arc.Group]
		n := float64(b.count[a])
		rel := 0.0
		if inst.Related[spec][g.Industry] {
			rel = 1
		}
		sm := 0.0
		if g.SmallMicro {
			sm = 1
		}
		firms += (rel - sc.SpecialtyShareFirms) * n
		floor += (rel - sc.SpecialtyShareFloor) * g.FloorM2 * n
		small += (sm - sc.SmallMicroShare) * n
	}
	return firms >= -bruteTol && floor >= -bruteTol*1e3 && small >= -bruteTol
}
