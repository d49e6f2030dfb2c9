package province

import (
	"fmt"
	"testing"
)

// TestShareDown: the cap's share among counties (parkShares) — the least
// needs when they fit, the rest in county order up to each wish; shared
// in proportion to the least needs when they do not, rounded down with
// the remainder to the largest fractions, summing to the cap.
func TestShareDown(t *testing.T) {
	tests := []struct {
		name        string
		total       int
		least, want []int
		out         []int
	}{
		{"least fit, rest in order", 5, []int{1, 0, 2}, []int{3, 2, 2}, []int{3, 0, 2}},
		{"least fit exactly", 3, []int{1, 0, 2}, []int{3, 2, 2}, []int{1, 0, 2}},
		{"over: in proportion", 1, []int{1, 1}, []int{1, 1}, []int{1, 0}},
		{"over: largest remainder", 4, []int{3, 2, 1}, []int{3, 2, 1}, []int{2, 1, 1}},
		{"none allowed", 0, []int{2, 1}, []int{2, 1}, []int{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := shareDown(tc.total, tc.least, tc.want)
			if fmt.Sprint(got) != fmt.Sprint(tc.out) {
				t.Errorf("shareDown(%d, %v, %v) = %v, want %v", tc.total, tc.least, tc.want, got, tc.out)
			}
			sum := 0
			for _, v := range got {
				sum += v
			}
			if sum > tc.total {
				t.Errorf("shares %v sum to %d, over %d", got, sum, tc.total)
			}
		})
	}
}
