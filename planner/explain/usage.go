package explain

import (
	"math"

	"github.com/parkplan/parkplan/planner"
)

// usage is what a plan takes of the yearly limits: new-land mu per town
// and year, cost per year, and parks on new land. Indexes follow the
// Instance (Towns, Years).
type usage struct {
	newLandMu    [][]float64 // [town][t]
	costWan      []float64   // [t]
	newLandParks int
	// parksByTarget[town]: the plan's parks in the town open by the target year.
	parksByTarget []int
}

// planUsage measures plan against inst's years and towns. A park opened
// before the horizon counts in the first year (it draws on nothing).
func planUsage(inst *planner.Instance, plan *planner.Plan) usage {
	u := usage{
		newLandMu:     make([][]float64, len(inst.Towns)),
		costWan:       make([]float64, len(inst.Years)),
		parksByTarget: make([]int, len(inst.Towns)),
	}
	town := map[string]int{}
	for i, code := range inst.Towns {
		town[code] = i
		u.newLandMu[i] = make([]float64, len(inst.Years))
	}
	first := inst.Years[0]
	for _, p := range plan.Parks {
		t := min(max(p.OpenYear-first, 0), len(inst.Years)-1)
		ti, ok := town[p.Town]
		if !ok {
			continue
		}
		if p.Kind == planner.KindNewLand {
			u.newLandMu[ti][t] += p.AreaMu
			u.newLandParks++
		}
		u.costWan[t] += p.CostWan
		if p.OpenYear <= inst.Scenario.TargetYear {
			u.parksByTarget[ti]++
		}
	}
	return u
}

// rooms returns, per year, the limit, the use and the room left for one
// more opening that year. With carry-over the room of year t is the least
// cumulative slack of t and every later year (opening in t uses quota in
// all of them).
func rooms(years []int, limit, used []float64, carry bool) []YearRoom {
	out := make([]YearRoom, len(years))
	for t, y := range years {
		out[t] = YearRoom{Year: y, Limit: limit[t], Used: used[t], Room: limit[t] - used[t]}
	}
	if carry {
		cum := make([]float64, len(years))
		s := 0.0
		for t := range years {
			s += limit[t] - used[t]
			cum[t] = s
		}
		least := math.Inf(1)
		for t := len(years) - 1; t >= 0; t-- {
			least = math.Min(least, cum[t])
			out[t].Room = least
		}
	}
	return out
}

// fits reports the years (indexes) whose room is at least need.
func fits(rs []YearRoom, need float64) []bool {
	ok := make([]bool, len(rs))
	for t, r := range rs {
		ok[t] = r.Room >= need-roomTol
	}
	return ok
}

// roomTol absorbs rounding when a parcel's mu or cost is compared with
// what is left (mu and 10,000 yuan; far below any figure that matters,
// like the model's 1e-6 row slack).
const roomTol = 1e-6
