package explain

import (
	"fmt"
	"math"
	"strings"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// context of one WhyParcels run: the dataset, the model and the plan's use.
type whyCtx struct {
	ds      *planner.Dataset
	inst    *planner.Instance
	sc      planner.Scenario // with defaults, as in inst
	plan    *planner.Plan
	use     usage
	towns   map[string]planner.Town
	townIdx map[string]int
	// excluded holds firms kept out before the model (barred, not upgraded, unsafe).
	excluded map[string]bool
}

// townName is "周巷镇 (zhouxiang)", or the code alone when the town has no Chinese name.
func (c *whyCtx) townName(code string) string {
	if t, ok := c.towns[code]; ok && t.NameZh != "" {
		return t.NameZh + " (" + code + ")"
	}
	return code
}

// droppedBlocks are the rules that keep parcel p out of the model entirely
// (BuildInstance's filters), each with its figures.
func (c *whyCtx) droppedBlocks(p planner.Parcel) []Block {
	var bs []Block
	town, ok := c.towns[p.Town]
	if !ok {
		return []Block{{Rule: ReasonUnknownTown, Detail: fmt.Sprintf("its town %q is not in the dataset", p.Town)}}
	}
	for _, id := range c.sc.LockOut {
		if id == p.ID {
			bs = append(bs, Block{Rule: ReasonLockedOut, Detail: "the scenario's lock_out keeps it closed"})
			break
		}
	}
	locked := (p.Kind.Locked() && !c.sc.UnlockExisting) || contains(c.sc.LockIn, p.ID)
	if !locked {
		o := c.ds.Overlaps[p.ID]
		tol := c.sc.ProtectedToleranceMu
		layers := []struct {
			kind planner.ProtectedKind
			mu   float64
			what string
		}{
			{planner.ProtectedFarmland, o.FarmlandMu, "overlaps permanent basic farmland by %.2f mu"},
			{planner.ProtectedRedline, o.RedlineMu, "overlaps the ecological red line by %.2f mu"},
			{planner.ProtectedDevBoundary, o.OutsideBoundaryMu, "lies outside the urban development boundary by %.2f mu"},
		}
		for _, l := range layers {
			if l.mu > tol {
				bs = append(bs, Block{Rule: ReasonProtected, Layer: l.kind, OverlapMu: l.mu, ToleranceMu: tol,
					Detail: fmt.Sprintf(l.what+" of its %.2f mu (tolerance %g mu)", l.mu, p.AreaMu, tol)})
			}
		}
	}
	if !p.Kind.Locked() || c.sc.UnlockExisting {
		if !c.hasSpecialty(town, locked) {
			bs = append(bs, Block{Rule: ReasonNoSpecialty, Detail: fmt.Sprintf("%s has no block industry in the dataset to give a park its one specialty (一镇一业)", c.townName(p.Town))})
		}
	}
	return bs
}

// hasSpecialty reports whether a candidate of town t may take a specialty.
func (c *whyCtx) hasSpecialty(t planner.Town, lockIn bool) bool {
	if c.sc.AllowOtherSpecialties && !lockIn {
		return len(c.inst.Industries) > 0
	}
	for _, code := range t.Industries {
		if contains(c.inst.Industries, code) {
			return true
		}
	}
	return false
}

// closedBlocks are the rules that keep site s (admissible, closed in the
// plan) from opening next to the plan's parks: quota, new-land cap,
// budget — net of what the plan uses — and firms in reach.
func (c *whyCtx) closedBlocks(s int) []Block {
	inst := c.inst
	site := inst.Sites[s]
	nT := len(inst.Years)
	var bs []Block
	yearOK := make([]bool, nT)
	for t := range yearOK {
		yearOK[t] = true
	}
	quotaOK, budgetOK := true, true
	if site.Kind == planner.KindNewLand {
		rs := rooms(inst.Years, inst.QuotaMu[site.Town], c.use.newLandMu[site.Town], c.sc.QuotaCarryOver)
		ok := fits(rs, site.AreaMu)
		if !anyTrue(ok) {
			quotaOK = false
			bs = append(bs, Block{Rule: ReasonQuota, Need: site.AreaMu, Years: rs, Detail: c.quotaDetail(site, rs)})
		}
		and(yearOK, ok)
		if cap := c.sc.MaxNewLandParks; cap >= 0 && c.use.newLandParks >= cap {
			bs = append(bs, Block{Rule: ReasonNewLandCap, Cap: cap, Used: c.use.newLandParks,
				Detail: fmt.Sprintf("the plan already opens %d park(s) on new land, the cap max_new_land_parks is %d", c.use.newLandParks, cap)})
		}
	}
	if site.CostWan > 0 {
		limit := make([]float64, nT)
		capped := false
		for t, b := range inst.BudgetWan {
			limit[t] = b
			if math.IsInf(b, 1) {
				limit[t] = math.MaxFloat64 // rooms needs finite figures; shown as "no cap"
			} else {
				capped = true
			}
		}
		if capped {
			rs := rooms(inst.Years, limit, c.use.costWan, false)
			ok := fits(rs, site.CostWan)
			if !anyTrue(ok) {
				budgetOK = false
				bs = append(bs, Block{Rule: ReasonBudget, Need: site.CostWan, Years: finiteRooms(rs), Detail: c.budgetDetail(site, rs)})
			}
			and(yearOK, ok)
		}
	}
	if quotaOK && budgetOK && !anyTrue(yearOK) {
		bs = append(bs, Block{Rule: ReasonNoCommonYear, Detail: "the town's new-land quota and the budget each have room for it, but in no common year"})
	}
	if why := c.noFirms(s); why != "" {
		bs = append(bs, Block{Rule: ReasonNoFirms, Detail: why})
	}
	return bs
}

// quotaDetail: "needs 65.0 mu of new-land quota; 周巷镇 (zhouxiang) has, net of this plan, 2019 20.0 of 20.0 mu, …".
func (c *whyCtx) quotaDetail(site planner.Site, rs []YearRoom) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%d %.1f of %.1f mu", r.Year, math.Max(0, r.Room), r.Limit))
	}
	carry := ""
	if c.sc.QuotaCarryOver {
		carry = " (with carry-over)"
	}
	never := ""
	if maxQuota(rs, c.sc.QuotaCarryOver) < site.AreaMu-roomTol {
		never = "; its quota is short even with no other new-land park"
	}
	return fmt.Sprintf("needs %.1f mu of new-land quota; %s has left, net of this plan%s: %s%s",
		site.AreaMu, c.townName(c.inst.Towns[site.Town]), carry, strings.Join(parts, ", "), never)
}

// maxQuota is the most new land the town could open in any one year with no other park.
func maxQuota(rs []YearRoom, carry bool) float64 {
	limit := make([]float64, len(rs))
	years := make([]int, len(rs))
	for t, r := range rs {
		limit[t], years[t] = r.Limit, r.Year
	}
	best := 0.0
	for _, r := range rooms(years, limit, make([]float64, len(rs)), carry) {
		best = math.Max(best, r.Room)
	}
	return best
}

func (c *whyCtx) budgetDetail(site planner.Site, rs []YearRoom) string {
	var parts []string
	for _, r := range rs {
		if r.Limit == math.MaxFloat64 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %.0f of %.0f", r.Year, math.Max(0, r.Room), r.Limit))
	}
	return fmt.Sprintf("costs %.0f (10,000 yuan); the budget left, net of this plan, is %s", site.CostWan, strings.Join(parts, ", "))
}

// finiteRooms drops uncapped years (no budget row) from a budget block.
func finiteRooms(rs []YearRoom) []YearRoom {
	var out []YearRoom
	for _, r := range rs {
		if r.Limit != math.MaxFloat64 {
			out = append(out, r)
		}
	}
	return out
}

// noFirms says why no admissible firm may move to site s, or "" when some may.
func (c *whyCtx) noFirms(s int) string {
	for _, a := range c.inst.Arcs {
		if a.Site == s {
			return ""
		}
	}
	site := c.inst.Sites[s]
	sc := c.sc
	admissible, inReach := 0, 0
	nearest := math.Inf(1)
	smallest := math.Inf(1)
	for _, e := range c.ds.Enterprises {
		if c.excluded[e.ID] {
			continue
		}
		t, ok := c.towns[e.Town]
		if !ok {
			continue
		}
		admissible++
		if sc.WithinTown && c.townIdx[e.Town] != site.Town {
			continue
		}
		d := geo.DistanceM(t.Seat, site.Centroid) / 1000
		nearest = math.Min(nearest, d)
		if sc.MaxRelocationKm > 0 && d > sc.MaxRelocationKm {
			continue
		}
		inReach++
		smallest = math.Min(smallest, e.FloorM2)
	}
	switch {
	case admissible == 0:
		return "no admissible firm in the dataset"
	case inReach == 0 && sc.WithinTown && math.IsInf(nearest, 1):
		return fmt.Sprintf("no admissible firm is registered in %s (within_town)", c.townName(c.inst.Towns[site.Town]))
	case inReach == 0:
		return fmt.Sprintf("no admissible firm may move here: the nearest town seat with one is %.1f km away, max_relocation_km is %g", nearest, sc.MaxRelocationKm)
	default:
		return fmt.Sprintf("its capacity of %.0f m² is below the need of every firm in reach (smallest %.0f m², %d firms in reach)", site.CapacityM2, smallest, inReach)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

// and sets dst[i] = dst[i] && src[i].
func and(dst, src []bool) {
	for i := range dst {
		dst[i] = dst[i] && src[i]
	}
}
