package province

import (
	"math"
	"sort"
)

// parkShares shares the province-wide target and cap among the counties
// for the allocation round (allocateRound), as each county's own
// target_parks and max_new_land_parks, so that the round's plans keep
// both rows together. It returns, per county, the target share (−1:
// none) and the cap share (−1: none).
//
// The cap: each county starts from the fewest parks on new land its plans
// so far opened; when those fit the cap the rest goes to the counties in
// order up to what their picks open; when they do not, the cap is shared
// in proportion to them (largest remainder). The target: each county
// starts from what its pick opens by the target year; a shortfall goes to
// the counties that opened more in another plan (in order, up to that),
// then evenly. A county whose own target_year is not the province's gets
// no target share (its target_parks counts other years).
func (co *coordinator) parkShares() (target, capShare []int) {
	n := len(co.counties)
	target, capShare = make([]int, n), make([]int, n)
	for i := range co.counties {
		target[i], capShare[i] = -1, -1
	}
	for _, r := range co.rows {
		switch r.kind {
		case rowCap:
			least, pick := make([]int, n), make([]int, n)
			for i, k := range co.counties {
				least[i] = math.MaxInt
				for _, c := range k.cols {
					least[i] = min(least[i], c.newLandParks)
				}
				pick[i] = max(least[i], k.pick.newLandParks)
			}
			copy(capShare, shareDown(int(r.rhs), least, pick))
		case rowTarget:
			most := make([]int, n)
			for i, k := range co.counties {
				target[i] = k.pick.byTarget
				for _, c := range k.cols {
					most[i] = max(most[i], c.byTarget)
				}
			}
			short := int(r.rhs)
			for _, v := range target {
				short -= v
			}
			for i := 0; short > 0 && i < n; i++ {
				add := min(short, most[i]-target[i])
				if add > 0 {
					target[i] += add
					short -= add
				}
			}
			for i := 0; short > 0; i = (i + 1) % n {
				target[i]++
				short--
			}
			for i, k := range co.counties {
				if k.sc.TargetYear != co.targetYear {
					target[i] = -1
				}
			}
		}
	}
	return target, capShare
}

// shareDown shares total among counties whose least need is least and
// whose wish is want (≥ least): when Σ least ≤ total each gets its least
// and the rest goes in order up to its want; otherwise total is shared in
// proportion to least, rounded down, the remainder to the largest
// fractions (ties in order).
func shareDown(total int, least, want []int) []int {
	out := make([]int, len(least))
	sum := 0
	for _, v := range least {
		sum += v
	}
	if sum <= total {
		rest := total - sum
		for i := range out {
			out[i] = least[i]
			add := min(rest, want[i]-least[i])
			out[i] += add
			rest -= add
		}
		return out
	}
	type frac struct {
		i int
		f float64
	}
	var fr []frac
	left := total
	for i, v := range least {
		x := float64(total) * float64(v) / float64(sum)
		out[i] = int(math.Floor(x))
		left -= out[i]
		fr = append(fr, frac{i, x - math.Floor(x)})
	}
	sort.SliceStable(fr, func(a, b int) bool { return fr[a].f > fr[b].f })
	for j := 0; left > 0 && j < len(fr); j++ {
		out[fr[j].i]++
		left--
	}
	return out
}
