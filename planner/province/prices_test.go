package province

import (
	"math"
	"testing"
)

// TestCuttingPlanePrices: the price master on columns whose model is
// worked out by hand. One pool year of 15 mu; county a has plans worth
// 100 using 10 mu and 90 using none, county b 50 using 10 and 45 using
// none, so
//
//	M(π) = max(100−10π, 90) + max(50−10π, 45) + 15π
//	     = 150 − 5π on [0, 0.5], 145 + 5π on [0.5, 1], 135 + 15π above,
//
// smallest at π = 0.5; within a trust region the minimiser is clipped to
// its edge. A floor counts as use: with b's floor at 10 mu b's plans both
// claim 10, b's cheaper plan never binds, and M(π) = max(100−10π, 90) +
// 50 − 10π + 15π = 150 − 5π on [0, 1], 140 + 5π above: smallest at π = 1.
func TestCuttingPlanePrices(t *testing.T) {
	tests := []struct {
		name           string
		floorB         float64
		centre, radius float64
		want           float64
	}{
		{"unclipped", 0, 0, 10, 0.5},
		{"clipped above", 0, 0, 0.2, 0.2},
		{"clipped below", 0, 2, 1, 1},
		{"floor as use", 10, 0, 10, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &county{code: "a", floor: []float64{0}}
			b := &county{code: "b", floor: []float64{tc.floorB}}
			a.cols = []*column{{value: 100, use: []float64{10}}, {value: 90, use: []float64{0}}}
			b.cols = []*column{{value: 50, use: []float64{10}}, {value: 45, use: []float64{0}}}
			co := &coordinator{years: []int{2019}, inPool: []bool{true}, pool: []float64{15}, counties: []*county{a, b}}
			got, ok := co.cuttingPlanePrices([]float64{tc.centre}, tc.radius)
			if !ok {
				t.Fatal("the price master failed")
			}
			if math.Abs(got[0]-tc.want) > 1e-7 {
				t.Errorf("price %.9f, want %.9f", got[0], tc.want)
			}
		})
	}
}
