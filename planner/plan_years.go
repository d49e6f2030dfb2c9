package planner

import "sort"

// Years returns the years a town summary has any figure for (quota, new
// land used, old-factory land), ascending: the rows of its quota ledger.
func (t TownSummary) Years() []int {
	seen := map[int]bool{}
	for y := range t.QuotaMu {
		seen[y] = true
	}
	for y := range t.NewLandUsedMu {
		seen[y] = true
	}
	for y := range t.OldFactoryMu {
		seen[y] = true
	}
	ys := make([]int, 0, len(seen))
	for y := range seen {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}
